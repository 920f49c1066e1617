"""Scenario files: reading, applying (a scenario equals a hand-edited network), hashes,
problems at file:line:col, and --scenario on the query commands."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from clirun import runners
from conftest import example_with

from corridor.engine.routing import find_route
from corridor.format.network import load_network
from corridor.format.patch import (
    apply_scenario,
    check_scenario,
    derived_hash,
    set_status,
    set_value,
    with_scenarios,
)
from corridor.format.scenario import ScenarioError, load_scenario, parse_path
from corridor.format.validate import validate
from corridor.model import Figure, Link

HEAD = "scenario_version: 1\nname: test\n"


@pytest.fixture
def base(tmp_path: Path):
    folder = example_with(tmp_path / "net")
    return folder, load_network(folder, cache=False)


def write(tmp_path: Path, body: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(HEAD + body, encoding="utf-8")
    return p


def figures(route) -> list[tuple]:
    return [(lg.kind, lg.ref, lg.from_id, lg.to_id, lg.hours, lg.cost_usd, lg.distance_km,
             lg.co2_kg) for lg in route.legs]


def same_route(a, b) -> None:
    """Same legs and totals. Components are compared by their figures and rules: the records
    they point at may differ in provenance (a scenario's record carries its own)."""
    def bare(r):
        return [(replace(leg, components=()), [(c.kind, c.hours, c.high_hours, c.cost_usd,
                                                 c.distance_km, c.co2_kg, c.rule)
                                                for c in leg.components]) for leg in r.legs]
    assert bare(a) == bare(b) and a.totals == b.totals


def test_set_equals_a_hand_edited_network(tmp_path: Path, base) -> None:
    _, net = base
    s = write(tmp_path, "set:\n  crossings.TERMEZ-HAIRATAN.a_to_b.hours: 2.5\n"
              "  links.AFHRT-AF-MAZAR-road.cost_usd: 10\n"
              "  defaults.modes.road.speed_kmh: 55\n")
    patched = with_scenarios(net, [s])
    xs = tuple(replace(c, a_to_b=replace(c.a_to_b, hours=2.5)) for c in net.crossings)
    links = tuple(replace(lk, cost_usd=10.0) if lk.id == "AFHRT-AF-MAZAR-road" else lk
                  for lk in net.links)
    road = replace(net.defaults.modes["road"], speed_kmh=55.0)
    defaults = replace(net.defaults, modes={**net.defaults.modes, "road": road})
    edited = replace(net, crossings=xs, links=links, defaults=defaults)
    for by in ("time", "cost"):
        same_route(find_route(patched, "UZTER", "AF-MAZAR", objective=by),
                   find_route(edited, "UZTER", "AF-MAZAR", objective=by))
    assert find_route(patched, "UZTER", "AF-MAZAR").totals != find_route(
        net, "UZTER", "AF-MAZAR").totals
    assert net.crossings[0].a_to_b.hours == 10  # the base network is unchanged
    # The changed figure's provenance names the scenario, and explanations cite it there.
    d = patched.crossings[0].a_to_b
    assert d.provenance.estimate.startswith(
        f"scenario 'test' sets crossings.TERMEZ-HAIRATAN.a_to_b.hours = 2.5 ({d.loc}); "
        "otherwise: assumption for the example")
    assert (d.loc.line, d.loc.col) == (4, 3) and d.loc.file.endswith("s.yaml")


def test_close_open_and_add(tmp_path: Path, base) -> None:
    _, net = base
    s = write(tmp_path, "close: [AFHRT-AF-MAZAR-road]\n"
              "add:\n  links:\n    - {id: new, from: AFHRT, to: AF-MAZAR, mode: road, "
              "distance_km: 70, hours: 1, estimate: x, status: planned}\n"
              "open: [new]\n")
    patched = with_scenarios(net, [s])
    edited = replace(net, links=tuple(
        replace(lk, status="closed") if lk.id == "AFHRT-AF-MAZAR-road" else lk
        for lk in net.links) + (Link(id="new", from_id="AFHRT", to_id="AF-MAZAR", mode="road",
                                     distance_km=70.0, hours=1.0,
                                     provenance=Figure(estimate="x")),))
    r = find_route(patched, "AFHRT", "AF-MAZAR", modes=["road"])
    assert [leg.ref for leg in r.legs] == ["new"]
    same_route(r, find_route(edited, "AFHRT", "AF-MAZAR", modes=["road"]))


def test_hash_and_provenance_name_each_scenario_in_order(tmp_path: Path, base) -> None:
    _, net = base
    s1 = write(tmp_path, "set:\n  crossings.TERMEZ-HAIRATAN.a_to_b.hours: 2\n", "one.yaml")
    s2 = write(tmp_path, "set:\n  crossings.TERMEZ-HAIRATAN.a_to_b.hours: 3\n", "two.yaml")
    one = with_scenarios(net, [s1])
    both = with_scenarios(net, [s1, s2])
    assert both.crossings[0].a_to_b.hours == 3.0  # applied in order: the last one wins
    h1 = load_scenario(s1).scenario.content_hash
    assert one.content_hash == derived_hash(net.content_hash, h1) != net.content_hash
    assert [(s.name, s.applied_to) for s in both.scenarios] == [
        ("test", net.content_hash), ("test", one.content_hash)]
    assert with_scenarios(net, [s1]).content_hash == one.content_hash  # deterministic
    r = find_route(both, "UZTER", "AF-MAZAR")
    assert r.provenance.content_hash == both.content_hash
    assert [s.path for s in r.provenance.scenarios] == [
        str(s1.relative_to(Path.cwd())) if s1.is_relative_to(Path.cwd()) else str(s1),
        str(s2.relative_to(Path.cwd())) if s2.is_relative_to(Path.cwd()) else str(s2)]


def test_problems_have_positions_and_suggestions(tmp_path: Path, base) -> None:
    folder, _ = base
    s = write(tmp_path, "set:\n  crossings.TERMEZ-HAIRATN.a_to_b.hours: 2\n"
              "  crossings.TERMEZ-HAIRATAN.a_to_b.huors: 2\n"
              "  links.AFHRT-AF-MAZAR-road.from: UZTER\n"
              "  links.AFHRT-AF-MAZAR-road.distance_km: 5\n"
              "  defaults.modes.rail.speed_kmh: fast\n"
              "close: [AFHRT-AF-MAZAR-rial]\n"
              "sett: {}\n")
    report = validate([s], network=folder)
    got = [(p.code, p.line, p.col) for p in report.problems]
    assert got == [("E502", 4, 3), ("E503", 5, 3), ("E503", 6, 3), ("E301", 7, 42),
                   ("E101", 8, 34), ("E502", 9, 9), ("E103", 10, 1)]
    msgs = {p.code + str(p.line): p.message for p in report.problems}
    assert "did you mean 'TERMEZ-HAIRATAN'" in msgs["E5024"]
    assert "did you mean 'hours'" in msgs["E5035"]
    assert "did you mean 'AFHRT-AF-MAZAR-rail'" in msgs["E5029"]
    assert "did you mean 'set'" in msgs["E10310"]


def test_with_scenarios_refuses_a_scenario_with_errors(tmp_path: Path, base) -> None:
    _, net = base
    s = write(tmp_path, "close: [NOPE]\n")
    with pytest.raises(ScenarioError) as err:
        with_scenarios(net, [s])
    assert [p.code for p in err.value.problems] == ["E502"]
    sc = load_scenario(s).scenario
    with pytest.raises(ScenarioError):
        apply_scenario(net, sc)
    assert [p.code for p in check_scenario(net, sc)] == ["E502"]


def test_not_a_scenario_and_wrong_version(tmp_path: Path) -> None:
    p = tmp_path / "x.yaml"
    p.write_text("scenario_version: 3\nname: x\n", encoding="utf-8")
    assert [(q.code, q.line, q.col) for q in load_scenario(p).problems] == [("E501", 1, 19)]
    p.write_text("name: x\n", encoding="utf-8")
    assert [q.code for q in load_scenario(p).problems] == ["E501"]


def test_parse_path_forms() -> None:
    fp = parse_path("crossings.CHAMAN.a_to_b.hours")
    assert (fp.section, fp.id, fp.fields) == ("crossings", "CHAMAN", ("a_to_b", "hours"))
    fp = parse_path("links.A.B-rail.cost_usd")  # ids may contain dots
    assert (fp.id, fp.fields) == ("A.B-rail", ("cost_usd",))
    fp = parse_path("defaults.modes.rail.by_country.KZ.cost_usd_per_teu_km")
    assert (fp.id, fp.fields) == (None, ("modes", "rail", "by_country", "KZ",
                                         "cost_usd_per_teu_km"))
    assert parse_path("terminals.PKKHI.transfers.0.hours").fields == ("transfers", "0", "hours")
    for bad, why in (("crossing.X.hours", "did you mean 'crossings'"),
                     ("links.X.id", "cannot be set"),
                     ("terminals.X.handling", "group of fields"),
                     ("defaults.modes.rail", "needs a mode")):
        with pytest.raises(ScenarioError, match=why):
            parse_path(bad)


def test_set_value_and_set_status_are_pure(base) -> None:
    _, net = base
    a = set_value(net, "crossings.TERMEZ-HAIRATAN.b_to_a.cost_usd", 5)
    d = a.crossings[0].b_to_a
    assert (d.hours, d.cost_usd) == (12.0, 5.0)
    assert d.provenance.estimate.startswith(
        "set crossings.TERMEZ-HAIRATAN.b_to_a.cost_usd = 5; otherwise: ")
    assert a.content_hash != net.content_hash and net.crossings[0].b_to_a.cost_usd == 180
    assert set_value(net, "crossings.TERMEZ-HAIRATAN.b_to_a.cost_usd", 5).content_hash == \
        a.content_hash
    # A new country override starts from the mode's figures.
    b = set_value(net, "defaults.modes.road.by_country.AF.speed_kmh", 20)
    af = b.defaults.modes["road"].by_country["AF"]
    assert (af.speed_kmh, af.cost_usd_per_teu_km) == (20.0, net.defaults.modes["road"]
                                                      .cost_usd_per_teu_km)
    assert set_value(net, "links.AFHRT-AF-MAZAR-road.hours", None).links[0].hours is None
    for path, value in (("links.AFHRT-AF-MAZAR-road.distance_km", 0),
                        ("links.AFHRT-AF-MAZAR-road.distance_km", "9"),
                        ("links.NOPE.distance_km", 9),
                        ("links.AFHRT-AF-MAZAR-road.distance_km", None)):
        with pytest.raises(ScenarioError):
            set_value(net, path, value)
    closed = set_status(net, ["crossing:TERMEZ-HAIRATAN"], "closed")
    assert closed.crossings[0].status == "closed" and net.crossings[0].status == "operational"


def test_open_a_project_opens_its_records(tmp_path: Path) -> None:
    folder = example_with(tmp_path / "net", (
        "projects:\n  - {id: bypass, name: Bypass}\n"
        "links:\n  - {id: new-road, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 70,"
        " hours: 0.5, status: planned, project: bypass, estimate: x}\n"))
    net = load_network(folder, cache=False)
    opened = set_status(net, ["bypass"], "operational")
    assert [lk.status for lk in opened.links if lk.id == "new-road"] == ["operational"]
    assert [leg.ref for leg in find_route(opened, "AFHRT", "AF-MAZAR").legs] == ["new-road"]


def test_validate_tree_checks_scenarios_without_w309(tmp_path: Path) -> None:
    folder = example_with(tmp_path / "nets" / "ex")
    (tmp_path / "nets" / "scenarios").mkdir()
    write(tmp_path / "nets" / "scenarios", "close: [TERMEZ-HAIRATAN]\n")
    report = validate([tmp_path / "nets"], network=folder)
    assert [p.code for p in report.problems] == []
    write(tmp_path / "nets" / "scenarios", "close: [TERMEZ]\n")
    assert [p.code for p in validate([tmp_path / "nets"], network=folder).problems] == ["E502"]


# --------------------------------------------------------------------------- CLI


PORT_EXTRA = (
    "places:\n  - {id: UZ-PORT, name: Port, country: UZ, kind: seaport, lat: 37.3, lon: 67.3,"
    " estimate: x}\n"
    "  - {id: AEJEA, name: Jebel Ali, country: AE, kind: seaport, lat: 25.01, lon: 55.06,"
    " estimate: x}\n"
    "links:\n  - {from: UZTER, to: UZ-PORT, mode: road, distance_km: 20, estimate: x}\n"
    "  - {from: UZ-PORT, to: AEJEA, mode: sea, distance_km: 2500, estimate: x}\n"
    "terminals:\n  - {place: UZ-PORT, handling: {hours: 10, estimate: x}}\n"
    "  - {place: AEJEA, handling: {hours: 10, estimate: x}}\n")


def test_scenario_option_on_every_query_command(tmp_path: Path) -> None:
    folder = example_with(tmp_path / "net", PORT_EXTRA)
    net = load_network(folder, cache=False)
    s = write(tmp_path, "set:\n  crossings.TERMEZ-HAIRATAN.a_to_b.hours: 1\n")
    patched = with_scenarios(net, [s])
    for command, args in (("route", ("UZTER", "AF-MAZAR")), ("compare", ("UZTER",)),
                          ("matrix", ("--from", "UZTER", "--to", "AF-MAZAR")),
                          ("reach", ("UZTER", "--within", "5d"))):
        _, jrun = runners(command)
        doc = jrun(folder, *args, "--scenario", str(s))
        prov = doc["provenance"]
        assert prov["network"]["content_hash"] == patched.content_hash, command
        assert [x["name"] for x in prov["scenarios"]] == ["test"], command
        assert prov["scenarios"][0]["applied_to"] == net.content_hash
    _, jrun = runners("route")
    doc = jrun(folder, "UZTER", "AF-MAZAR", "--scenario", str(s))
    assert doc["totals"]["hours"] == round(find_route(patched, "UZTER", "AF-MAZAR")
                                           .totals.hours, 2)


def test_scenario_option_errors(tmp_path: Path, base) -> None:
    folder, _ = base
    run, _ = runners("route")
    res = run(folder, "UZTER", "AF-MAZAR", "--scenario", str(tmp_path / "missing.yaml"))
    assert res.exit_code == 2 and "no such scenario file" in res.stderr
    bad = write(tmp_path, "close: [TERMEZ-HAIRATN]\n")
    res = run(folder, "UZTER", "AF-MAZAR", "--scenario", str(bad))
    assert res.exit_code == 1
    assert "s.yaml:3:9: E502 unknown link, crossing or project 'TERMEZ-HAIRATN'; did you mean " \
        "'TERMEZ-HAIRATAN'?" in res.stderr
