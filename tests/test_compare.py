"""Gateway port comparison: ``compare_ports`` and ``corridor compare`` (ranking, gaps, the
sea leg forced through each port, unreachable candidates, an origin that is a port, errors).

Network: ``netbuilder.corridor_net`` plus Gwadar (road from Peshawar and from Karachi, sea to
Jebel Ali, cheap fast handling), Port Qasim (road from Karachi, only a planned sea link),
Chabahar (sea only, no land link), Ormara (only by a planned road from Gwadar) and
Ashgabat (no link at all).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from clirun import ENV, runners
from netbuilder import corridor_net, link, place, terminal, write_network
from typer.testing import CliRunner

import cli
from corridor.analysis.compare import compare_ports, gateway_candidates
from corridor.engine.routing import find_route
from corridor.errors import NoRouteError, UnknownPlaceError, UsageError
from corridor.model import Handling, Network

run, jrun = runners("compare")


def ports_net() -> Network:
    base = corridor_net()
    return replace(
        base,
        places=base.places + (
            place("PKGWD", "PK", name="Gwadar", lat=25.1, lon=62.3, kind="seaport"),
            place("PKBQM", "PK", name="Port Qasim", aliases=["Qasim"], lat=24.8, lon=67.3,
                  kind="seaport"),
            place("IR-CHABAHAR", "IR", name="Chabahar", lat=25.3, lon=60.6, kind="seaport"),
            place("PK-ORMARA", "PK", name="Ormara", lat=25.2, lon=64.6, kind="seaport"),
            place("TMASB", "TM", name="Ashgabat", lat=37.9, lon=58.4),
        ),
        links=base.links + (
            link("PKPEW", "PKGWD", "road", 1600),
            link("PKKHI", "PKGWD", "road", 650),
            link("PKGWD", "AEJEA", "sea", 800),
            link("PKKHI", "PKBQM", "road", 50),
            link("PKBQM", "AEJEA", "sea", 1900, status="planned"),
            link("IR-CHABAHAR", "AEJEA", "sea", 650),
            link("PKGWD", "PK-ORMARA", "road", 260, status="planned"),
        ),
        terminals=base.terminals + (
            terminal("PKGWD", handling=Handling(hours=10, cost_usd=50)),
            terminal("IR-CHABAHAR", handling=Handling()),
            terminal("PKBQM", handling=Handling(hours=30, cost_usd=100)),
        ),
    )


@pytest.fixture(scope="module")
def net() -> Network:
    return ports_net()


@pytest.fixture(scope="module")
def netdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ports")
    write_network(ports_net(), folder)
    return folder


def ids(doc: dict[str, Any]) -> list[str]:
    return [p["port"]["id"] for p in doc["ports"]]


# --------------------------------------------------------------------------- library


def test_default_candidates_are_seaports_reached_by_land(net: Network) -> None:
    assert gateway_candidates(net, "Tashkent") == ["PKBQM", "PKGWD", "PKKHI"]
    assert gateway_candidates(net, "Tashkent", include_planned=True) == [
        "PK-ORMARA", "PKBQM", "PKGWD", "PKKHI"]
    # A port is a candidate from itself; Chabahar has no land link at all.
    assert gateway_candidates(net, "Chabahar") == ["IR-CHABAHAR"]


def test_ranking_by_land_route(net: Network) -> None:
    c = compare_ports(net, "Tashkent")
    assert c.candidates == "seaports"
    assert [o.port.id for o in c.ports] == ["PKKHI", "PKBQM", "PKGWD"]
    assert [o.rank for o in c.ports] == [1, 2, 3]
    for o in c.ports:
        assert o.route is not None
        direct = find_route(net, "Tashkent", o.port.id, modes=["road", "rail"])
        assert o.route.totals == direct.totals
    best = c.ports[0].route
    assert best is not None and c.best is c.ports[0]
    assert c.ports[0].gap_hours == 0 and c.ports[0].gap_cost_usd == 0
    gw = c.ports[2]
    assert gw.route is not None
    assert gw.gap_hours == pytest.approx(gw.route.totals.hours - best.totals.hours)
    assert gw.gap_cost_usd == pytest.approx(gw.route.totals.cost_usd - best.totals.cost_usd)
    assert gw.countries == ("UZ", "AF", "PK")


def test_to_destination_prices_handling_and_sea_leg(net: Network) -> None:
    c = compare_ports(net, "Tashkent", to="Jebel Ali")
    assert c.destination is not None and c.destination.id == "AEJEA"
    # Gwadar: slower by land but fast handling and a short sea leg -> best door to door.
    assert [o.port.id for o in c.ports if o.reachable] == ["PKGWD", "PKKHI"]
    gw, khi = c.ports[0], c.ports[1]
    assert gw.route is not None and khi.route is not None
    # Through Gwadar, the best route is the same as route --via Gwadar.
    via = find_route(net, "Tashkent", "Jebel Ali", via=["Gwadar"])
    assert gw.route.totals.hours == pytest.approx(via.totals.hours)
    assert gw.route.totals.cost_usd == pytest.approx(via.totals.cost_usd)
    assert gw.handling_hours == 10 and gw.handling_cost_usd == 50
    # Through Karachi, the sea leg starts at Karachi (a route --via Karachi would drive on
    # to Gwadar): land to Karachi (by road) + the sea route from Karachi, which starts with
    # Karachi's export handling and ends with Jebel Ali's import handling.
    land = find_route(net, "Tashkent", "Karachi", modes=["road", "rail"])
    assert land.legs[-1].mode == "road"
    sea = find_route(net, "Karachi", "Jebel Ali", modes=["sea"])
    assert [leg.kind for leg in sea.legs] == ["handling", "link", "handling"]
    assert (sea.legs[0].hours, sea.legs[0].cost_usd) == (24, 160)
    assert khi.route.totals.hours == pytest.approx(land.totals.hours + sea.totals.hours)
    assert khi.route.totals.cost_usd == pytest.approx(
        land.totals.cost_usd + sea.totals.cost_usd)
    kinds = [(leg.kind, leg.from_id, leg.mode) for leg in khi.route.legs]
    h = kinds.index(("handling", "PKKHI", "sea"))
    assert all(mode != "sea" for _, _, mode in kinds[:h])
    assert all(mode == "sea" for _, _, mode in kinds[h:])
    assert khi.route.totals.hours == pytest.approx(sum(leg.hours for leg in khi.route.legs))
    assert khi.route.options.via == ("PKKHI",)
    assert khi.countries == ("UZ", "AF", "PK", "AE")
    # Port Qasim's sea link is only planned: listed, not dropped, with the reason.
    qasim = c.ports[2]
    assert not qasim.reachable and qasim.rank is None and qasim.route is None
    assert qasim.reason == ("Port Qasim (PKBQM, PK) has no usable sea link "
                            "(one opens with --include-planned)")
    planned = compare_ports(net, "Tashkent", to="Jebel Ali", include_planned=True)
    assert [o.port.id for o in planned.ports if o.reachable] == ["PKGWD", "PKKHI", "PKBQM"]
    assert [o.port.id for o in planned.ports if not o.reachable] == ["PK-ORMARA"]


def test_port_without_handling(net: Network) -> None:
    bare = replace(net, terminals=tuple(t for t in net.terminals if t.place != "PKBQM"))
    c = compare_ports(bare, "Tashkent", to="Jebel Ali", ports=["Port Qasim"])
    assert c.ports[0].reason is not None and "no port handling" in c.ports[0].reason


def test_origin_is_a_port(net: Network) -> None:
    c = compare_ports(net, "Karachi")
    assert [o.port.id for o in c.ports] == ["PKKHI", "PKBQM", "PKGWD"]
    first = c.ports[0]
    assert first.route is not None and first.route.legs == ()
    assert first.route.totals.hours == 0 and first.rank == 1
    # By land only: Karachi -> Gwadar uses the road, not the sea.
    gw = c.ports[2].route
    assert gw is not None and {leg.mode for leg in gw.legs} == {"road"}
    door = compare_ports(net, "Karachi", to="Jebel Ali")
    assert [o.port.id for o in door.ports if o.reachable] == ["PKGWD", "PKKHI"]
    khi = door.ports[1]
    assert khi.route is not None
    assert [leg.kind for leg in khi.route.legs] == ["handling", "link", "handling"]


def test_unreachable_candidates_keep_their_reason(net: Network) -> None:
    c = compare_ports(net, "Tashkent", ports=["Chabahar", "Karachi", "PK-ORMARA"])
    assert c.candidates == "ports"
    assert [(o.port.id, o.reachable) for o in c.ports] == [
        ("PKKHI", True), ("IR-CHABAHAR", False), ("PK-ORMARA", False)]
    assert c.ports[1].reason is not None and "no route" in c.ports[1].reason
    assert "--include-planned" in (c.ports[2].reason or "")
    planned = compare_ports(net, "Tashkent", ports=["PK-ORMARA"], include_planned=True)
    assert planned.ports[0].reachable


def test_avoid_cuts_every_port(net: Network) -> None:
    c = compare_ports(net, "Tashkent", avoid=["TORKHAM"])
    assert c.best is None
    assert all(not o.reachable for o in c.ports)
    assert all("avoiding crossing TORKHAM" in (o.reason or "") for o in c.ports)
    avoided = compare_ports(net, "Tashkent", avoid=["Gwadar"])
    gw = next(o for o in avoided.ports if o.port.id == "PKGWD")
    assert not gw.reachable and "avoided" in (gw.reason or "")
    no_ae = compare_ports(net, "Tashkent", ports=["Karachi", "Jebel Ali"], avoid=["AE"])
    assert no_ae.ports[1].reason == ("Jebel Ali (AEJEA, AE) is in an avoided country "
                                     "(--avoid AE)")


def test_objective_and_cargo(net: Network) -> None:
    c = compare_ports(net, "Tashkent", objective="cost", cargo="feu", containers=2)
    assert c.objective == "cost"
    for b in c.ports:
        assert b.route is not None
        assert b.route.totals.objective_value == b.route.totals.cost_usd
    ranked = [o.route.totals.objective_value for o in c.ports if o.route]
    assert ranked == sorted(ranked)
    one = compare_ports(net, "Tashkent", objective="cost", ports=["Karachi"])
    assert one.ports[0].route is not None and c.ports[0].route is not None
    best = next(o for o in c.ports if o.port.id == "PKKHI")
    assert best.route is not None
    assert best.route.totals.cost_usd == pytest.approx(
        one.ports[0].route.totals.cost_usd * 2 * 1.8)


def test_library_errors(net: Network) -> None:
    with pytest.raises(UsageError, match="road or rail"):
        compare_ports(net, "Tashkent", modes=["sea"])
    with pytest.raises(UsageError, match="sea"):
        compare_ports(net, "Tashkent", to="Jebel Ali", modes=["road", "rail"])
    with pytest.raises(UsageError, match="objective"):
        compare_ports(net, "Tashkent", objective="fastest")
    with pytest.raises(UsageError, match="avoided"):
        compare_ports(net, "Tashkent", to="Jebel Ali", avoid=["AE"])
    with pytest.raises(UnknownPlaceError, match="Tashkent"):
        compare_ports(net, "Tashknt")
    with pytest.raises(NoRouteError, match="no seaport"):
        compare_ports(net, "Ashgabat")  # no link at all


# --------------------------------------------------------------------------- CLI


def test_json_shape(netdir: Path) -> None:
    doc = jrun(netdir, "Tashkent", "--to", "Jebel Ali")
    assert list(doc) == ["schema", "origin", "destination", "objective", "candidates",
                         "options", "ports", "provenance"]
    assert doc["schema"] == "corridor.compare/1"
    assert doc["origin"]["id"] == "UZTAS" and doc["destination"]["id"] == "AEJEA"
    assert ids(doc) == ["PKGWD", "PKKHI", "PKBQM"]
    best = doc["ports"][0]
    assert list(best) == ["rank", "port", "reachable", "reason", "totals", "gap", "handling",
                          "countries", "crossings", "modes", "places", "summary", "closures"]
    assert best["rank"] == 1 and best["reachable"] and best["reason"] is None
    assert best["gap"] == {"hours": 0.0, "days": 0.0, "cost_usd": 0.0, "objective_value": 0.0}
    assert best["handling"] == {"hours": 10.0, "cost_usd": 50.0}
    assert best["countries"] == ["UZ", "AF", "PK", "AE"]
    assert [x["id"] for x in best["crossings"]] == ["TERMEZ-HAIRATAN", "TORKHAM"]
    assert best["places"][0] == "UZTAS" and best["places"][-1] == "AEJEA"
    assert "PKGWD" in best["places"]
    assert best["modes"] == ["road", "sea"]
    assert best["summary"] == "road+sea · UZ → AF → PK → AE via TERMEZ-HAIRATAN, TORKHAM"
    second = doc["ports"][1]
    assert second["gap"]["hours"] == pytest.approx(
        second["totals"]["hours"] - best["totals"]["hours"], abs=0.02)
    assert second["gap"]["hours"] > 0
    bad = doc["ports"][2]
    assert bad["rank"] is None and bad["reachable"] is False and bad["totals"] is None
    assert bad["gap"] is None and bad["countries"] == [] and "sea link" in bad["reason"]
    prov = doc["provenance"]
    assert prov["network"]["name"] == "test"
    assert prov["network"]["content_hash"].startswith("sha256:")
    assert prov["tool"]["name"] == "corridor"


def test_json_is_byte_identical(netdir: Path) -> None:
    args = ("Tashkent", "--to", "Jebel Ali", "--include-planned", "--format", "json")
    assert run(netdir, *args).stdout == run(netdir, *args).stdout


def test_options_are_echoed(netdir: Path) -> None:
    doc = jrun(netdir, "UZTAS", "--by", "cost", "--modes", "rail,road", "--avoid", "Ormara",
               "--cargo", "feu", "--containers", "3", "--value-of-time", "1.5",
               "--include-planned", "--drivers", "2")
    assert doc["objective"] == "cost"
    assert doc["options"] == {
        "modes": ["road", "rail"],
        "avoid": {"places": ["PK-ORMARA"], "countries": [], "crossings": []},
        "include_planned": True, "cargo": "feu", "containers": 3,
        "value_of_time_usd_per_hour": 1.5, "drivers": 2, "driving_hours_per_day": None,
    }


def test_ports_option(netdir: Path) -> None:
    doc = jrun(netdir, "Tashkent", "--ports", "Qasim, PKKHI,Chabahar")
    assert doc["candidates"] == "ports"
    assert ids(doc) == ["PKKHI", "PKBQM", "IR-CHABAHAR"]
    assert doc["ports"][2]["reachable"] is False


def test_origin_port_cli(netdir: Path) -> None:
    doc = jrun(netdir, "Karachi")
    assert ids(doc)[0] == "PKKHI"
    assert doc["ports"][0]["totals"]["hours"] == 0.0
    assert doc["ports"][0]["summary"] == "PK"


def test_table(netdir: Path) -> None:
    res = run(netdir, "Tashkent", "--to", "Jebel Ali")
    assert res.exit_code == 0, res.stderr
    out = res.stdout
    assert "Gwadar (PKGWD)" in out and "best" in out
    assert "+0." in out or "+1." in out or "+2." in out  # the gap in days
    assert "Unreachable:" in out and "Port Qasim (PKBQM)" in out and "no usable sea link" in out
    assert "\x1b[" not in out


def test_csv(netdir: Path) -> None:
    res = run(netdir, "Tashkent", "--format", "csv", "--ports", "Karachi,Gwadar,Chabahar")
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["port"] for r in rows] == ["PKKHI", "PKGWD", "IR-CHABAHAR"]
    assert rows[0]["rank"] == "1" and rows[0]["gap_days"] == "0.0"
    assert rows[2]["reachable"] == "false" and rows[2]["reason"] and rows[2]["days"] == ""


def test_none_reachable_exits_1_after_listing(netdir: Path) -> None:
    res = run(netdir, "Tashkent", "--avoid", "TORKHAM", "--format", "json")
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert all(not p["reachable"] for p in doc["ports"])
    assert "none of the candidate ports is reachable" in res.stderr


@pytest.mark.parametrize("args", [
    ["Tashkent", "--by", "fastest"],
    ["Tashkent", "--modes", "road,hovercraft"],
    ["Tashkent", "--modes", "sea"],
    ["Tashkent", "--to", "Jebel Ali", "--modes", "road,rail"],
    ["Tashkent", "--containers", "0"],
    ["Tashkent", "--format", "xml"],
    ["Tashkent", "--ports", " , "],
    ["Tashkent", "--to", "Jebel Ali", "--avoid", "AE"],
    [],
])
def test_bad_arguments_exit_2(netdir: Path, args: list[str]) -> None:
    res = run(netdir, *args)
    assert res.exit_code == 2, (res.stdout, res.stderr)
    assert res.stdout == ""


def test_missing_network_exits_2(tmp_path: Path) -> None:
    res = CliRunner(env=ENV).invoke(cli.app, ["compare", "Tashkent", "--network",
                                              str(tmp_path / "nope")])
    assert res.exit_code == 2


@pytest.mark.parametrize("args, wanted", [
    (["Tashknt"], "Tashkent (UZTAS, UZ)"),
    (["Tashkent", "--to", "Jebel Aly"], "Jebel Ali (AEJEA, AE)"),
    (["Tashkent", "--ports", "Karachi,Gwadr"], "Gwadar (PKGWD, PK)"),
    (["Tashkent", "--avoid", "Kabull"], "Kabul (AFKBL, AF)"),
])
def test_unknown_places_exit_1_with_suggestions(netdir: Path, args: list[str],
                                                wanted: str) -> None:
    res = run(netdir, *args)
    assert res.exit_code == 1
    assert res.stdout == ""
    assert "did you mean" in res.stderr and wanted in res.stderr


def test_ambiguous_place_exit_1(netdir: Path) -> None:
    res = run(netdir, "Torkham")
    assert res.exit_code == 1
    assert "ambiguous" in res.stderr and "AF-TORKHAM" in res.stderr
