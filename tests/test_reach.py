"""Places within a budget: ``parse_budget``, ``reachable`` and ``corridor reach``."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from clirun import runners
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netbuilder import corridor_net, write_network
from test_routing import small_networks

from corridor.analysis.reach import Budget, parse_budget, reach, reachable
from corridor.engine.routing import find_route
from corridor.errors import NoRouteError, UnknownPlaceError, UsageError
from corridor.model import Network

run, jrun = runners("reach")


@pytest.fixture(scope="module")
def net() -> Network:
    return corridor_net()


@pytest.fixture(scope="module")
def netdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reach")
    write_network(corridor_net(), folder)
    return folder


@pytest.mark.parametrize("text, quantity, limit", [
    ("5d", "hours", 120.0),
    ("2.5 days", "hours", 60.0),
    ("72h", "hours", 72.0),
    ("36 hours", "hours", 36.0),
    ("2500usd", "cost_usd", 2500.0),
    ("2500 USD", "cost_usd", 2500.0),
    ("$2500", "cost_usd", 2500.0),
])
def test_parse_budget(text: str, quantity: str, limit: float) -> None:
    b = parse_budget(text)
    assert (b.quantity, b.limit) == (quantity, limit)


@pytest.mark.parametrize("text", ["", "5", "5x", "d5", "-1d", "0h", "five days", "1e3h",
                                  "$5d", "5d5h", "nanh"])
def test_parse_budget_rejects(text: str) -> None:
    with pytest.raises(UsageError):
        parse_budget(text)


def test_time_budget_matches_fastest_routes(net: Network) -> None:
    everything = reachable(net, "Tashkent", max_hours=10_000)
    ids = [r.place.id for r in everything]
    assert "UZTAS" not in ids
    assert set(ids) == {"UZTER", "AFHRT", "AFKBL", "AF-TORKHAM", "PK-TORKHAM", "PKPEW",
                        "PKKHI", "AEJEA"}
    for r in everything:
        t = find_route(net, "UZTAS", r.place.id).totals
        assert r.hours == pytest.approx(t.hours)
        assert r.cost_usd == pytest.approx(t.cost_usd)
        assert r.distance_km == pytest.approx(t.distance_km)
        assert r.borders_crossed == t.borders_crossed
    assert [r.hours for r in everything] == sorted(r.hours for r in everything)
    # A budget cuts the list exactly at its limit.
    limit = everything[3].hours
    within = reachable(net, "Tashkent", max_hours=limit)
    assert [r.place.id for r in within] == ids[:4]


def test_cost_budget_matches_cheapest_routes(net: Network) -> None:
    r = reach(net, "Tashkent", max_cost_usd=5000, cargo="feu", containers=2)
    assert r.budget == Budget("cost_usd", 5000.0, "5000usd")
    assert r.places
    for x in r.places:
        t = find_route(net, "UZTAS", x.place.id, objective="cost", cargo="feu",
                       containers=2).totals
        assert x.cost_usd == pytest.approx(t.cost_usd) and x.cost_usd <= 5000
    costs = [x.cost_usd for x in r.places]
    assert costs == sorted(costs)


def test_kind_modes_avoid_and_planned(net: Network) -> None:
    ports = reachable(net, "Tashkent", max_hours=10_000, kind="seaport")
    assert [r.place.id for r in ports] == ["PKKHI", "AEJEA"]
    assert reachable(net, "Tashkent", max_hours=10_000, avoid=["TORKHAM"], kind="seaport") == []
    road = reachable(net, "Tashkent", max_hours=10_000, modes=["road"])
    assert "AEJEA" not in {r.place.id for r in road}
    # The planned railway Hairatan-Kabul is cheaper than the road.
    base = {r.place.id: r for r in reachable(net, "Tashkent", max_cost_usd=10_000)}
    planned = {r.place.id: r for r in reachable(net, "Tashkent", max_cost_usd=10_000,
                                                include_planned=True)}
    assert planned["AFKBL"].cost_usd < base["AFKBL"].cost_usd


def test_budget_text(net: Network) -> None:
    r = reach(net, "Tashkent", budget="5d")
    assert r.budget == Budget("hours", 120.0, "5d")
    assert all(x.hours <= 120 for x in r.places)


def test_library_errors(net: Network) -> None:
    with pytest.raises(UsageError):
        reachable(net, "Tashkent")
    with pytest.raises(UsageError):
        reachable(net, "Tashkent", max_hours=5, max_cost_usd=5)
    with pytest.raises(UsageError):
        reachable(net, "Tashkent", max_hours=-1)
    with pytest.raises(UsageError):
        reachable(net, "Tashkent", max_hours=float("inf"))
    with pytest.raises(UsageError):
        reachable(net, "Tashkent", max_hours=5, kind="harbour")
    with pytest.raises(UsageError):
        reachable(net, "Tashkent", max_hours=5, avoid=["Tashkent"])
    with pytest.raises(UnknownPlaceError):
        reachable(net, "Tashknt", max_hours=5)
    assert not issubclass(UsageError, NoRouteError)


# --------------------------------------------------------------------------- CLI


def test_json_shape(netdir: Path) -> None:
    doc = jrun(netdir, "Tashkent", "--within", "5d", "--kind", "seaport")
    assert list(doc) == ["schema", "origin", "budget", "kind", "options", "places",
                         "provenance"]
    assert doc["schema"] == "corridor.reach/1"
    assert doc["origin"]["id"] == "UZTAS"
    assert doc["budget"] == {"quantity": "hours", "limit": 120.0, "text": "5d"}
    assert doc["kind"] == "seaport"
    assert [p["id"] for p in doc["places"]] == ["PKKHI"]
    p = doc["places"][0]
    assert list(p) == ["id", "name", "country", "lat", "lon", "kind", "hours", "days", "p90_hours",
                       "cost_usd", "distance_km", "co2_kg", "borders_crossed"]
    assert p["hours"] <= 120 and p["borders_crossed"] == 2
    assert doc["provenance"]["network"]["content_hash"].startswith("sha256:")


def test_sorted_by_budget_quantity_then_id(netdir: Path) -> None:
    doc = jrun(netdir, "Tashkent", "--within", "2500usd")
    costs = [(p["cost_usd"], p["id"]) for p in doc["places"]]
    assert costs == sorted(costs) and costs
    assert all(c <= 2500 for c, _ in costs)
    hours = jrun(netdir, "Tashkent", "--within", "72h")
    keys = [(p["hours"], p["id"]) for p in hours["places"]]
    assert keys == sorted(keys)
    # The two Torkham posts are reached at different times; ties would sort by id.
    assert [p["id"] for p in hours["places"]][:2] == ["UZTER", "AFHRT"]


def test_empty_budget_is_not_an_error(netdir: Path) -> None:
    doc = jrun(netdir, "Tashkent", "--within", "1h")
    assert doc["places"] == []
    table = run(netdir, "Tashkent", "--within", "1h")
    assert table.exit_code == 0 and "Nothing is reachable" in table.stdout


def test_byte_identical_and_formats(netdir: Path) -> None:
    args = ("Tashkent", "--within", "10d", "--include-planned", "--format", "json")
    assert run(netdir, *args).stdout == run(netdir, *args).stdout
    res = run(netdir, "Tashkent", "--within", "5d", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows[0]["id"] == "UZTER" and rows[-1]["id"] == "PKKHI"
    table = run(netdir, "Tashkent", "--within", "5d")
    assert table.exit_code == 0
    assert "Karachi (PKKHI)" in table.stdout and "within 5 days" in table.stdout


@pytest.mark.parametrize("args", [
    ["Tashkent", "--within", "5x"],
    ["Tashkent", "--within", "soon"],
    ["Tashkent", "--within", "0d"],
    ["Tashkent"],
    ["Tashkent", "--within", "5d", "--kind", "harbour"],
    ["Tashkent", "--within", "5d", "--modes", "zeppelin"],
    ["Tashkent", "--within", "5d", "--format", "xml"],
    ["Tashkent", "--within", "5d", "--avoid", "UZ"],
])
def test_bad_arguments_exit_2(netdir: Path, args: list[str]) -> None:
    res = run(netdir, *args)
    assert res.exit_code == 2, (res.stdout, res.stderr)
    assert res.stdout == ""


def test_malformed_budget_message(netdir: Path) -> None:
    res = run(netdir, "Tashkent", "--within", "5x")
    assert "budget '5x' is not understood" in res.stderr and "5d, 72h, 2500usd" in res.stderr


def test_unknown_place_exit_1(netdir: Path) -> None:
    res = run(netdir, "Tashkentt", "--within", "5d")
    assert res.exit_code == 1
    assert "did you mean" in res.stderr and "Tashkent (UZTAS, UZ)" in res.stderr


# --------------------------------------------------------------------------- properties

@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_networks(), st.sampled_from(["hours", "cost_usd"]), st.integers(1, 1500),
       st.booleans())
def test_reach_is_every_place_within_budget(network: Network, quantity: str, limit: int,
                                            planned: bool) -> None:
    o = network.places[0].id
    kw: dict[str, Any] = {"max_hours" if quantity == "hours" else "max_cost_usd": limit}
    got = {r.place.id: r for r in reachable(network, o, include_planned=planned, **kw)}
    objective = "time" if quantity == "hours" else "cost"
    for p in network.places[1:]:
        try:
            best = find_route(network, o, p.id, objective=objective,
                              include_planned=planned).totals.objective_value
        except NoRouteError:
            assert p.id not in got
            continue
        if best <= limit - 1e-6:
            assert p.id in got
            assert getattr(got[p.id], quantity) == pytest.approx(best, rel=1e-6, abs=0.05)
        elif best > limit + 1e-6:
            assert p.id not in got
