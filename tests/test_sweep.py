"""Break-even sweeps: ``sweep`` and ``corridor sweep``.

Every sample and every change is checked against the query functions themselves
(``find_route``, ``compare_ports``) at the values reported; expectations come from the
library, never from figures of the bundled network.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from clirun import runners
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netbuilder import corridor_net, crossing, link, net, place, write_network
from test_routing import small_networks

from corridor.analysis.compare import compare_ports
from corridor.analysis.pareto import pareto_front
from corridor.analysis.sweep import parse_vary, sweep
from corridor.engine.routing import find_route
from corridor.errors import NoRouteError, UsageError
from corridor.model import Network

run, jrun = runners("sweep")


def route_option(network: Network, o: str, d: str, vot: float, **kw: Any) -> str | None:
    try:
        r = find_route(network, o, d, objective="generalized", value_of_time_usd_per_hour=vot,
                       **kw)
    except NoRouteError:
        return None
    return ">".join(leg.ref or "" for leg in r.legs if leg.kind in ("link", "crossing"))


def two_ports() -> Network:
    """O reaches port FAST by road (quick, dear) and port SLOW by rail (slow, cheap). (The
    crossing to X, off every route, keeps the network like real ones: it has a border.)"""
    return net(
        places=[place("O"), place("FAST", kind="seaport", lon=70.0),
                place("SLOW", kind="seaport", lon=50.0), place("X", "AF", lat=39.9)],
        links=[link("O", "FAST", "road", 1000), link("O", "SLOW", "rail", 1000)],
        crossings=[crossing("OX", "O", "X")],
    )


# --------------------------------------------------------------------------- properties


def check_route_sweep(network: Network, o: str, d: str, s: Any, planned: bool) -> None:
    """Every sample and change of a value-of-time route sweep, against find_route."""
    for x in s.samples:
        assert x.best.option == route_option(network, o, d, x.value, include_planned=planned)
    values = [x.value for x in s.samples]
    assert values == sorted(values) and values[0] == s.start and values[-1] == s.stop
    for c in s.changes:
        assert 0 < c.above - c.below <= s.tolerance
        assert c.below < c.at < c.above
        assert c.before.option != c.after.option
        assert route_option(network, o, d, c.below, include_planned=planned) == \
            c.before.option
        assert route_option(network, o, d, c.above, include_planned=planned) == \
            c.after.option
    # The best by generalized cost is never beaten on both time and cost: each option the
    # sweep finds is a point of the time-cost front.
    seen = [x.best for x in s.samples] + [o_ for c in s.changes for o_ in (c.before, c.after)]
    if any(b.option is not None for b in seen):
        front = [(p.hours, p.cost_usd) for p in
                 pareto_front(network, o, d, include_planned=planned).points]
        for b in seen:
            if b.option is not None:
                assert any(h == pytest.approx(b.hours, abs=1e-4) and
                           c == pytest.approx(b.cost_usd, abs=1e-4) for h, c in front)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_networks(), st.booleans(), st.integers(2, 6))
def test_value_of_time_changes_are_where_find_route_changes(network: Network, planned: bool,
                                                            steps: int) -> None:
    o, d = network.places[0].id, network.places[-1].id
    s = sweep(network, o, to=d, parameter="value-of-time", start=0.5, stop=300, steps=steps,
              include_planned=planned)
    check_route_sweep(network, o, d, s, planned)


@pytest.mark.parametrize("dest", ["PKPEW", "PKKHI", "AEJEA"])
@pytest.mark.parametrize("planned", [False, True])
def test_route_sweeps_on_the_test_corridor(dest: str, planned: bool) -> None:
    network = corridor_net()
    s = sweep(network, "UZTAS", to=dest, parameter="value-of-time", start=0.5, stop=300,
              steps=7, include_planned=planned)
    assert s.changes  # road against rail: a higher value of time moves the box to road
    check_route_sweep(network, "UZTAS", dest, s, planned)


# --------------------------------------------------------------------------- examples


def test_break_even_between_two_ports_is_the_exact_crossing_point() -> None:
    network = two_ports()
    s = sweep(network, "O", question="compare", parameter="value-of-time", start=0,
              stop=400, steps=5, tolerance=0.01)
    assert [c.after.option for c in s.changes] == ["FAST"]
    c = s.changes[0]
    assert c.before.option == "SLOW"
    # Where 'cost + v × hours' is equal for the two ports, by the library's own totals.
    f = compare_ports(network, "O", objective="generalized", value_of_time_usd_per_hour=0)
    t = {x.port.id: x.route.totals for x in f.ports if x.route is not None}
    exact = (t["FAST"].cost_usd - t["SLOW"].cost_usd) / (t["SLOW"].hours - t["FAST"].hours)
    assert c.below <= exact <= c.above and c.above - c.below <= 0.01
    assert s.describe(c) == ("Fast (FAST) overtakes Slow (SLOW) for cargo from O when the "
                             f"value of time rises above {c.at:.2f} USD per TEU-hour (Slow (SLOW) is "
                             "best below)")
    for x in s.samples:
        best = compare_ports(network, "O", objective="generalized",
                             value_of_time_usd_per_hour=x.value).best
        assert best is not None and x.best.option == best.port.id


def test_containers_are_whole_numbers_and_match_compare() -> None:
    network = corridor_net()
    s = sweep(network, "UZTAS", question="compare", to="AEJEA", parameter="containers",
              start=1, stop=7, steps=4, objective="cost")
    assert [x.value for x in s.samples] == [1.0, 3.0, 5.0, 7.0]
    assert s.tolerance == 1
    for x in s.samples:
        best = compare_ports(network, "UZTAS", to="AEJEA", objective="cost",
                             containers=int(x.value)).best
        assert best is not None and x.best.option == best.port.id
        assert x.best.cost_usd == pytest.approx(best.route.totals.cost_usd)  # type: ignore[union-attr]
    for c in s.changes:
        assert c.above - c.below == 1 and c.at == c.above


def test_no_route_is_an_option_of_its_own() -> None:
    network = corridor_net()
    s = sweep(network, "UZTAS", to="PKKHI", parameter="value-of-time", start=0, stop=10,
              modes=["rail"], steps=2)
    assert all(x.best.option is None and x.best.label == "no route" for x in s.samples)
    assert s.changes == ()


@pytest.mark.parametrize("kw, message", [
    ({"parameter": "speed"}, "unknown parameter"),
    ({"objective": "time"}, "generalized"),
    ({"start": 5, "stop": 5}, "range must go up"),
    ({"start": -1}, "negative"),
    ({"steps": 1}, "steps"),
    ({"tolerance": 0}, "tolerance"),
    ({"to": None}, "--to"),
    ({"question": "compare", "via": ["AFKBL"]}, "--via"),
    ({"question": "other"}, "unknown question"),
    ({"parameter": "containers", "start": 0, "stop": 3}, "whole numbers"),
])
def test_usage_errors(kw: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"to": "PKKHI", "parameter": "value-of-time", "start": 0, "stop": 10}
    args.update(kw)
    with pytest.raises(UsageError, match=message):
        sweep(corridor_net(), "UZTAS", **args)


def test_parse_vary() -> None:
    assert parse_vary("value-of-time=0:50") == ("value-of-time", 0.0, 50.0)
    assert parse_vary("crossings.CHAMAN.b_to_a.hours=2.5:48") == (
        "crossings.CHAMAN.b_to_a.hours", 2.5, 48.0)
    for bad in ("value-of-time", "value-of-time=5", "=1:2", "x=a:b"):
        with pytest.raises(UsageError, match="PARAMETER=START:STOP"):
            parse_vary(bad)


# --------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def netdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sweep")
    write_network(two_ports(), folder)
    return folder


def test_json_shape(netdir: Path) -> None:
    doc = jrun(netdir, "O", "--compare", "--vary", "value-of-time=0:400", "--steps", "5")
    assert doc["schema"] == "corridor.sweep/1"
    assert list(doc) == ["schema", "question", "origin", "destination", "objective",
                         "parameter", "range", "options", "best_options", "samples", "changes",
                         "evaluations", "provenance"]
    assert doc["question"] == "compare" and doc["objective"] == "generalized"
    assert [x["value"] for x in doc["samples"]] == [0.0, 100.0, 200.0, 300.0, 400.0]
    (c,) = doc["changes"]
    assert c["before"]["option"] == "SLOW" and c["after"]["option"] == "FAST"
    assert c["text"].startswith("Fast (FAST) overtakes Slow (SLOW)")
    assert doc["range"]["tolerance"] == 0.4
    assert [o["option"] for o in doc["best_options"]] == ["SLOW", "FAST"]


def test_table_csv_and_bytes(netdir: Path) -> None:
    args = ["O", "--compare", "--vary", "value-of-time=0:400", "--steps", "5"]
    res = run(netdir, *args)
    assert res.exit_code == 0
    assert "Where the best option changes (bisection to 0.4 USD per TEU-hour)" in res.stdout
    assert "Fast (FAST) overtakes Slow (SLOW)" in res.stdout
    rows = list(csv.DictReader(io.StringIO(run(netdir, *args, "-f", "csv").stdout)))
    assert [r["kind"] for r in rows] == ["sample"] * 5 + ["change"]
    assert rows[-1]["from_option"] == "SLOW" and rows[-1]["option"] == "FAST"
    a = run(netdir, *args, "-f", "json").stdout
    assert a == run(netdir, *args, "-f", "json").stdout


def test_route_sweep_table_names_routes_by_letter(netdir: Path) -> None:
    res = run(netdir, "O", "--to", "SLOW", "--vary", "value-of-time=0:10", "--steps", "2")
    assert res.exit_code == 0
    assert "Routes:\n  A  rail to Slow\n" in res.stdout
    res = run(netdir, "FAST", "--to", "SLOW", "--vary", "value-of-time=0:10", "--steps", "2")
    assert res.exit_code == 0 and "no route" in res.stdout and "Routes:" not in res.stdout


@pytest.mark.parametrize("args", [
    ["O", "--compare", "--vary", "value-of-time"],
    ["O", "--compare", "--vary", "value-of-time=0:10", "--by", "time"],
    ["O", "--vary", "value-of-time=0:10"],
    ["O", "--compare", "--vary", "value-of-time=0:10", "--steps", "1"],
])
def test_bad_usage_exit_2(netdir: Path, args: list[str]) -> None:
    assert run(netdir, *args).exit_code == 2


def test_unknown_place_exit_1(netdir: Path) -> None:
    res = run(netdir, "Nowhere", "--compare", "--vary", "value-of-time=0:10")
    assert res.exit_code == 1 and "unknown place" in res.stderr


def test_help_stays_lean() -> None:
    from test_startup import _probe

    assert _probe(["sweep", "--help"]) == {"exit": 0, "networkx": False, "optional": []}
    assert _probe(["route", "--help"]) == {"exit": 0, "networkx": False, "optional": []}


# --------------------------------------------------------------------------- figures


def test_figure_sweep_changes_where_the_patched_network_changes() -> None:
    from corridor.format.patch import set_value

    network = corridor_net()
    path = "defaults.modes.rail.cost_usd_per_teu_km"
    s = sweep(network, "UZTAS", to="PKKHI", parameter=path, start=0.05, stop=2.0,
              objective="cost")
    assert s.parameter.name == path and s.parameter.unit == "USD per TEU-km"
    assert s.parameter.base == network.defaults.modes["rail"].cost_usd_per_teu_km
    assert s.changes  # dearer rail moves the box to road

    def best(value: float) -> str | None:
        r = find_route(set_value(network, path, value), "UZTAS", "PKKHI", objective="cost")
        return ">".join(leg.ref or "" for leg in r.legs if leg.kind in ("link", "crossing"))

    for x in s.samples:
        assert x.best.option == best(x.value)
    for c in s.changes:
        assert c.above - c.below <= s.tolerance
        assert best(c.below) == c.before.option and best(c.above) == c.after.option
        assert f"when {path} rises above {c.at:.3f} USD per TEU-km (" in s.describe(c)
    # The base network is left as it was.
    assert network == corridor_net()


def test_figure_sweep_of_a_port_comparison() -> None:
    from corridor.format.patch import set_value

    network = two_ports()
    path = "links.O-FAST-road.distance_km"
    s = sweep(network, "O", question="compare", parameter=path, start=100, stop=3000,
              objective="time", tolerance=0.5)
    (c,) = s.changes
    assert (c.before.option, c.after.option) == ("FAST", "SLOW")
    for value, port in ((c.below, "FAST"), (c.above, "SLOW")):
        b = compare_ports(set_value(network, path, value), "O", objective="time").best
        assert b is not None and b.port.id == port


@pytest.mark.parametrize("path, start, message", [
    ("crossings.TORKHM.a_to_b.hours", 0, "did you mean 'TORKHAM'"),
    ("crossings.TORKHAM.a_to_b.hourz", 0, "--vary"),
    ("crossings.TORKHAM.name", 0, "not a number"),
    ("crossings.TORKHAM.a_to_b.hours", -5, "zero or more"),
])
def test_figure_errors_are_usage_errors(path: str, start: float, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        sweep(corridor_net(), "UZTAS", to="PKKHI", parameter=path, start=start, stop=10)


def test_figure_on_the_command_line(netdir: Path) -> None:
    doc = jrun(netdir, "O", "--compare", "--by", "time", "--vary",
               "links.O-FAST-road.distance_km=100:3000")
    assert doc["parameter"]["name"] == "links.O-FAST-road.distance_km"
    assert doc["parameter"]["base"] == 1000.0 and doc["parameter"]["unit"] == "km"
    assert [c["after"]["option"] for c in doc["changes"]] == ["SLOW"]
    res = run(netdir, "O", "--compare", "--vary", "links.O-FST-road.distance_km=1:2")
    assert res.exit_code == 2 and "did you mean 'O-FAST-road'" in res.stderr


def test_scenario_applies_before_the_sweep(netdir: Path, tmp_path: Path) -> None:
    sc = tmp_path / "long-road.yaml"
    sc.write_text("scenario_version: 1\nname: long-road\n"
                  "set:\n  links.O-FAST-road.distance_km: 5000\n", encoding="utf-8")
    doc = jrun(netdir, "O", "--compare", "--by", "time", "--scenario", str(sc), "--vary",
               "links.O-SLOW-rail.distance_km=100:3000")
    assert doc["parameter"]["base"] == 1000.0
    # The scenario's road is longer than any rail in the range: SLOW is best throughout.
    assert {x["best"]["option"] for x in doc["samples"]} == {"SLOW"}
    assert [s["name"] for s in doc["provenance"]["scenarios"]] == ["long-road"]
