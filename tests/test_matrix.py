"""Origin–destination matrices: ``od_matrix`` and ``corridor matrix``.

Every cell equals the route ``find_route`` gives for the pair; one search runs per origin.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from clirun import runners
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netbuilder import corridor_net, place, write_network
from test_routing import small_networks

from corridor.analysis import matrix as matrix_mod
from corridor.analysis.matrix import od_matrix
from corridor.engine.routing import find_route
from corridor.errors import NoRouteError, UnknownPlaceError, UsageError
from corridor.model import Network

run, jrun = runners("matrix")
PLACES = ["UZTAS", "UZTER", "AFHRT", "AFKBL", "AF-TORKHAM", "PK-TORKHAM", "PKPEW", "PKKHI",
          "AEJEA", "TMASB"]


def matrix_net() -> Network:
    base = corridor_net()
    return replace(base, places=base.places + (place("TMASB", "TM", name="Ashgabat",
                                                      lat=37.9, lon=58.4),))


@pytest.fixture(scope="module")
def net() -> Network:
    return matrix_net()


@pytest.fixture(scope="module")
def netdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("matrix")
    write_network(matrix_net(), folder)
    return folder


@pytest.mark.parametrize("objective", ["time", "cost", "distance", "co2", "generalized"])
@pytest.mark.parametrize("planned", [False, True])
def test_cells_equal_find_route(net: Network, objective: str, planned: bool) -> None:
    m = od_matrix(net, PLACES, PLACES, objective=objective, include_planned=planned,
                  cargo="feu", containers=2)
    assert len(m.cells) == len(PLACES) ** 2
    for c in m.cells:
        if c.origin == c.destination:
            assert c.reachable and c.hours == 0 and c.cost_usd == 0
            continue
        try:
            r = find_route(net, c.origin, c.destination, objective=objective,
                           include_planned=planned, cargo="feu", containers=2)
        except NoRouteError:
            assert not c.reachable and c.hours is None and c.cost_usd is None
            continue
        t = r.totals
        assert c.reachable
        assert c.objective_value == pytest.approx(t.objective_value)
        assert c.hours == pytest.approx(t.hours)
        assert c.cost_usd == pytest.approx(t.cost_usd)
        assert c.distance_km == pytest.approx(t.distance_km)
        assert c.co2_kg == pytest.approx(t.co2_kg)
        assert c.borders_crossed == t.borders_crossed


def test_constraints_match_find_route(net: Network) -> None:
    kw: dict[str, Any] = {"modes": ["road", "sea"], "avoid": ["TORKHAM"]}
    m = od_matrix(net, ["UZTAS", "AFKBL"], ["PKKHI", "AFHRT"], **kw)
    assert not m.cell("UZTAS", "PKKHI").reachable
    hrt = m.cell("UZTAS", "AFHRT")
    assert hrt.hours == pytest.approx(find_route(net, "UZTAS", "AFHRT", **kw).totals.hours)
    assert m.options.modes == ("road", "sea")
    assert m.options.avoid_crossings == ("TORKHAM",)
    country = od_matrix(net, ["UZTAS"], ["PKKHI", "UZTER"], avoid=["AF"])
    assert not country.cell("UZTAS", "PKKHI").reachable
    assert country.cell("UZTAS", "UZTER").reachable


def test_one_search_per_origin(net: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    from corridor.engine import compiled as engine

    calls: list[int] = []
    real = matrix_mod.single_source
    real_tree = engine.search_tree

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    def counting_tree(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real_tree(*args, **kwargs)

    # The networkx engine searches through single_source, the compiled one through
    # search_tree (single_source on the compiled engine calls it too: not counted twice
    # here, since matrix calls only one of them per origin).
    monkeypatch.setattr(matrix_mod, "single_source", counting)
    monkeypatch.setattr(engine, "search_tree", counting_tree)
    m = od_matrix(net, ["UZTAS", "AFKBL", "PKKHI"], PLACES)
    assert len(calls) == 3
    assert len(m.cells) == 3 * len(PLACES)


def test_names_order_and_repeats(net: Network) -> None:
    m = od_matrix(net, ["Karachi", "tashkent", "UZTAS"], ["Jebel Ali", "Kabul"])
    assert [p.id for p in m.origins] == ["PKKHI", "UZTAS"]
    assert [p.id for p in m.destinations] == ["AEJEA", "AFKBL"]
    assert [(c.origin, c.destination) for c in m.cells] == [
        ("PKKHI", "AEJEA"), ("PKKHI", "AFKBL"), ("UZTAS", "AEJEA"), ("UZTAS", "AFKBL")]
    rows = list(m.rows())
    assert [o.id for o, _ in rows] == ["PKKHI", "UZTAS"]
    with pytest.raises(KeyError):
        m.cell("AFKBL", "AEJEA")


def test_isolated_place_is_unreachable(net: Network) -> None:
    m = od_matrix(net, ["TMASB", "UZTAS"], ["TMASB", "PKKHI"])
    assert m.cell("TMASB", "TMASB").reachable  # itself, at zero
    assert not m.cell("TMASB", "PKKHI").reachable
    assert not m.cell("UZTAS", "TMASB").reachable
    assert m.cell("UZTAS", "PKKHI").reachable


def test_library_errors(net: Network) -> None:
    with pytest.raises(UsageError):
        od_matrix(net, [], ["PKKHI"])
    with pytest.raises(UsageError):
        od_matrix(net, ["UZTAS"], ["PKKHI"], objective="quickest")
    with pytest.raises(UsageError):
        od_matrix(net, ["UZTAS"], ["PKKHI"], modes=["boat"])
    with pytest.raises(UnknownPlaceError, match="did you mean"):
        od_matrix(net, ["UZTAS"], ["Karachy"])


# --------------------------------------------------------------------------- CLI


def test_json_shape(netdir: Path) -> None:
    doc = jrun(netdir, "--from", "Tashkent,Kabul", "--to-kind", "seaport", "--by", "cost")
    assert list(doc) == ["schema", "objective", "options", "origins", "destinations", "cells",
                         "provenance"]
    assert doc["schema"] == "corridor.matrix/1"
    assert doc["objective"] == "cost"
    assert [p["id"] for p in doc["origins"]] == ["UZTAS", "AFKBL"]
    assert [p["id"] for p in doc["destinations"]] == ["AEJEA", "PKKHI"]
    cell = doc["cells"][1]
    assert list(cell) == ["from", "to", "reachable", "distance_km", "hours", "days", "p90_hours",
                          "cost_usd", "co2_kg", "borders_crossed", "objective_value"]
    assert (cell["from"], cell["to"], cell["reachable"]) == ("UZTAS", "PKKHI", True)
    assert cell["objective_value"] == cell["cost_usd"]
    assert cell["days"] == pytest.approx(cell["hours"] / 24, abs=0.001)
    assert doc["provenance"]["network"]["name"] == "test"
    assert doc["provenance"]["tool"]["name"] == "corridor"


def test_lists_and_kinds_combine(netdir: Path) -> None:
    doc = jrun(netdir, "--from", "Kabul", "--from-kind", "seaport", "--to", "Tashkent",
               "--to-kind", "border_post")
    assert [p["id"] for p in doc["origins"]] == ["AFKBL", "AEJEA", "PKKHI"]
    assert [p["id"] for p in doc["destinations"]] == [
        "UZTAS", "AF-TORKHAM", "AFHRT", "PK-TORKHAM"]


def test_unreachable_cells(netdir: Path) -> None:
    doc = jrun(netdir, "--from", "Ashgabat", "--to", "Karachi")
    assert doc["cells"] == [{
        "from": "TMASB", "to": "PKKHI", "reachable": False, "distance_km": None,
        "hours": None, "days": None, "p90_hours": None, "cost_usd": None, "co2_kg": None,
        "borders_crossed": None, "objective_value": None}]
    table = run(netdir, "--from", "Ashgabat", "--to", "Karachi")
    assert table.exit_code == 0 and "no route" in table.stdout


def test_byte_identical(netdir: Path) -> None:
    args = ("--from-kind", "city", "--to-kind", "seaport", "--include-planned", "--format",
            "json")
    assert run(netdir, *args).stdout == run(netdir, *args).stdout


def test_csv_and_table(netdir: Path) -> None:
    res = run(netdir, "--from", "Tashkent,Ashgabat", "--to", "Karachi,Jebel Ali",
              "--format", "csv")
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [(r["from"], r["to"]) for r in rows] == [
        ("UZTAS", "PKKHI"), ("UZTAS", "AEJEA"), ("TMASB", "PKKHI"), ("TMASB", "AEJEA")]
    assert rows[0]["reachable"] == "true" and float(rows[0]["hours"]) > 0
    assert rows[2]["reachable"] == "false" and rows[2]["hours"] == ""
    table = run(netdir, "--from", "Tashkent", "--to", "Karachi")
    assert table.exit_code == 0
    assert "Karachi" in table.stdout and " d" in table.stdout and "km" in table.stdout


@pytest.mark.parametrize("args", [
    ["--to", "Karachi"],
    ["--from", "Tashkent"],
    ["--from", "Tashkent", "--to-kind", "harbour"],
    ["--from-kind", "spaceport", "--to", "Karachi"],
    ["--from", "Tashkent", "--to", "Karachi", "--by", "fastest"],
    ["--from", "Tashkent", "--to", "Karachi", "--modes", "teleport"],
    ["--from", "Tashkent", "--to", "Karachi", "--format", "xml"],
    ["--from", " , ", "--to", "Karachi"],
])
def test_bad_arguments_exit_2(netdir: Path, args: list[str]) -> None:
    res = run(netdir, *args)
    assert res.exit_code == 2, (res.stdout, res.stderr)
    assert res.stdout == ""


def test_unknown_place_exit_1(netdir: Path) -> None:
    res = run(netdir, "--from", "Tashkent,Kabull", "--to", "Karachi")
    assert res.exit_code == 1
    assert "unknown place 'Kabull'" in res.stderr and "Kabul (AFKBL, AF)" in res.stderr


# --------------------------------------------------------------------------- properties

@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_networks(), st.sampled_from(["time", "cost", "distance", "co2", "generalized"]),
       st.booleans())
def test_matrix_equals_find_route_on_random_networks(network: Network, objective: str,
                                                     planned: bool) -> None:
    ids = [p.id for p in network.places]
    m = od_matrix(network, ids, ids, objective=objective, include_planned=planned)
    again = od_matrix(network, ids, ids, objective=objective, include_planned=planned)
    assert m == again  # deterministic
    for c in m.cells:
        if c.origin == c.destination:
            continue
        try:
            r = find_route(network, c.origin, c.destination, objective=objective,
                           include_planned=planned)
        except NoRouteError:
            assert not c.reachable
            continue
        assert c.reachable
        assert c.objective_value == pytest.approx(r.totals.objective_value, rel=1e-6, abs=0.05)


def test_workers_give_the_same_cells_in_the_same_order(net: Network) -> None:
    ids = [p.id for p in net.places]
    one = od_matrix(net, ids, ids[::-1], objective="cost")
    two = od_matrix(net, ids, ids[::-1], objective="cost", workers=2)
    assert two == one


def test_workers_must_be_positive(net: Network) -> None:
    with pytest.raises(UsageError):
        od_matrix(net, ["UZTAS"], ["PKKHI"], workers=0)


def test_cli_workers_option_gives_the_same_json(netdir: Path) -> None:
    args = ("--from", "Tashkent,Kabul,Karachi", "--to-kind", "seaport", "--by", "cost")
    assert jrun(netdir, *args, "--workers", "2") == jrun(netdir, *args)
