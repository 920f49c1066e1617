"""The time–cost trade-off front: ``pareto_front`` and ``corridor route --pareto``.

The front is checked against brute force (every simple path on small random networks) and
against ``find_route``; expectations come from the library, never from figures of the
bundled network.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from clirun import runners
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netbuilder import corridor_net, link, net, place, write_network
from test_routing import small_networks

from corridor.analysis.pareto import SCALE, pareto_front
from corridor.engine import graph
from corridor.engine.graph import SINK, SOURCE, _endpoints, build_graph
from corridor.engine.options import blocked_places, check_options
from corridor.engine.routing import find_route
from corridor.errors import NoRouteError, UsageError
from corridor.model import MODES, Network

run, jrun = runners("route")


def fx(x: float) -> int:
    return int(round(x * SCALE))


def brute_points(network: Network, o: str, d: str, *, planned: bool,
                 modes: tuple[str, ...] = MODES, avoid: tuple[str, ...] = ()) -> set[tuple[int, int]]:
    """(time, cost) in fixed point of every simple path allowed by the constraints."""
    eg = build_graph(network, include_planned=planned)
    opts = check_options(network, objective="time", modes=modes, avoid=avoid,
                         include_planned=planned, cargo="teu", containers=1,
                         value_of_time_usd_per_hour=0.0)
    w = graph.weight_for(eg, objective="time",
                         modes=None if set(opts.modes) == set(MODES) else opts.modes,
                         avoid_places=blocked_places(network, opts),
                         avoid_crossings=opts.avoid_crossings)
    G = eg.graph
    starts = eg.endpoints(o, opts.modes, arrive=False)
    ends = eg.endpoints(d, opts.modes, arrive=True)
    out: set[tuple[int, int]] = set()
    if not starts or not ends:
        return out
    with _endpoints(G, starts, ends):
        for path in nx.all_simple_paths(G, SOURCE, SINK):
            inner = path[1:-1]
            pairs = list(zip(inner, inner[1:], strict=False))
            if not isinstance(w, str) and any(w(u, v, G[u][v]) is None for u, v in pairs):
                continue
            out.add((sum(fx(G[u][v]["hours"]) for u, v in pairs),
                     sum(fx(G[u][v]["cost_usd"]) for u, v in pairs)))
    return out


def non_dominated(points: set[tuple[int, int]]) -> set[tuple[int, int]]:
    return {p for p in points
            if not any(q[0] <= p[0] and q[1] <= p[1] and q != p for q in points)}


def front_fixed(network: Network, f: Any) -> list[tuple[int, int]]:
    """The front's points in fixed point, summed leg by leg as the search does."""
    out = []
    for p in f.points:
        t = sum(fx(leg.hours) for leg in p.route.legs)
        c = sum(fx(leg.cost_usd) for leg in p.route.legs)
        out.append((t, c))
    return out


SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(small_networks(), st.booleans())
def test_front_is_exactly_the_non_dominated_simple_paths(network: Network,
                                                         planned: bool) -> None:
    o, d = network.places[0].id, network.places[-1].id
    expected = non_dominated(brute_points(network, o, d, planned=planned))
    if not expected:
        with pytest.raises(NoRouteError):
            pareto_front(network, o, d, include_planned=planned)
        return
    f = pareto_front(network, o, d, include_planned=planned)
    assert f.complete
    got = front_fixed(network, f)
    # Fastest first, each point strictly cheaper than the one before: none dominates another.
    assert [p.rank for p in f.points] == list(range(1, len(got) + 1))
    for (t1, c1), (t2, c2) in zip(got, got[1:], strict=False):
        assert t1 < t2 and c1 > c2
    # No simple path beats a front point on both, and every unbeaten pair is on the front.
    assert set(got) == expected
    # Each point's totals are its legs' sums, and the route ends where it should.
    for p in f.points:
        assert p.hours == pytest.approx(sum(leg.hours for leg in p.route.legs))
        assert p.cost_usd == pytest.approx(sum(leg.cost_usd for leg in p.route.legs))
        assert p.route.origin.id == o and p.route.destination.id == d


@SETTINGS
@given(small_networks(), st.booleans(), st.integers(1, 3), st.sampled_from(("teu", "feu")))
def test_find_route_by_time_and_by_cost_are_on_the_front(network: Network, planned: bool,
                                                         containers: int, cargo: str) -> None:
    o, d = network.places[0].id, network.places[-1].id
    try:
        f = pareto_front(network, o, d, include_planned=planned, containers=containers,
                         cargo=cargo)
    except NoRouteError:
        with pytest.raises(NoRouteError):
            find_route(network, o, d, include_planned=planned)
        return
    pts = [(p.hours, p.cost_usd) for p in f.points]
    for objective in ("time", "cost"):
        r = find_route(network, o, d, objective=objective, include_planned=planned,
                       containers=containers, cargo=cargo)
        t = r.totals
        mine, other = (t.hours, t.cost_usd) if objective == "time" else (t.cost_usd, t.hours)
        same = [(h, c) if objective == "time" else (c, h) for h, c in pts
                if (h if objective == "time" else c) == pytest.approx(mine, abs=1e-4)]
        # find_route's point is on the front, except that among routes equal on its
        # objective its tie-break (the other figure plus distance, each times 1e-6) may pick
        # one that is slower or dearer than the front's: the front then has that objective
        # value with a better other figure.
        assert len(same) == 1, (objective, pts, t)
        assert same[0][1] <= other + 1e-4
    assert f.points[0].hours == pytest.approx(
        find_route(network, o, d, objective="time", include_planned=planned).totals.hours)
    assert f.points[-1].cost_usd == pytest.approx(
        find_route(network, o, d, objective="cost", include_planned=planned,
                   containers=containers, cargo=cargo).totals.cost_usd)


@SETTINGS
@given(small_networks(), st.sampled_from([("road",), ("rail",), ("road", "rail"),
                                          ("road", "sea"), MODES]),
       st.sampled_from([(), ("P1",), ("X0",), ("AF",)]))
def test_constraints_are_honoured(network: Network, modes: tuple[str, ...],
                                  avoid: tuple[str, ...]) -> None:
    o, d = network.places[0].id, network.places[-1].id
    ids = {p.id for p in network.places} | {c.id for c in network.crossings} | {
        p.country for p in network.places}
    avoid = tuple(a for a in avoid if a in ids)
    opts = check_options(network, objective="time", modes=modes, avoid=avoid,
                         include_planned=True, cargo="teu", containers=1,
                         value_of_time_usd_per_hour=0.0)
    if {o, d} & blocked_places(network, opts):
        with pytest.raises(UsageError, match="avoided"):
            pareto_front(network, o, d, include_planned=True, modes=modes, avoid=avoid)
        return
    expected = non_dominated(brute_points(network, o, d, planned=True, modes=modes,
                                          avoid=avoid))
    if not expected:
        with pytest.raises(NoRouteError):
            pareto_front(network, o, d, include_planned=True, modes=modes, avoid=avoid)
        return
    f = pareto_front(network, o, d, include_planned=True, modes=modes, avoid=avoid)
    assert set(front_fixed(network, f)) == expected
    for p in f.points:
        assert {leg.mode for leg in p.route.legs if leg.kind == "link"} <= set(modes)
        assert not {c.id for c in p.route.crossings} & set(avoid)


# --------------------------------------------------------------------------- examples


@pytest.fixture(scope="module")
def cnet() -> Network:
    return corridor_net()


def test_via_constrains_every_point(cnet: Network) -> None:
    f = pareto_front(cnet, "UZTAS", "AEJEA", via=["AFKBL"], include_planned=True)
    assert f.points
    for p in f.points:
        assert "AFKBL" in [x.id for x in p.route.places]
    r = find_route(cnet, "UZTAS", "AEJEA", via=["AFKBL"], include_planned=True)
    assert f.points[0].hours == pytest.approx(r.totals.hours)


def test_totals_match_find_route_for_the_same_path(cnet: Network) -> None:
    f = pareto_front(cnet, "UZTAS", "PKKHI", include_planned=True, cargo="feu", containers=3)
    fast = find_route(cnet, "UZTAS", "PKKHI", include_planned=True, cargo="feu", containers=3)
    assert f.points[0].route.legs == fast.legs
    assert f.points[0].route.totals == fast.totals


def tie_net() -> Network:
    """Three ways from A to B with equal time and cost: one leg by link Z, one by link Y
    (parallel, same figures), and two legs through C."""
    return net(
        places=[place("A"), place("B"), place("C")],
        links=[
            link("A", "B", "road", 100, id="Z", hours=10, cost_usd=100),
            link("A", "B", "road", 100, id="Y", hours=10, cost_usd=100),
            link("A", "C", "road", 50, id="AC", hours=5, cost_usd=50),
            link("C", "B", "road", 50, id="CB", hours=5, cost_usd=50),
        ],
    )


def test_ties_fewer_legs_then_smaller_keys() -> None:
    f = pareto_front(tie_net(), "A", "B")
    assert len(f.points) == 1
    assert [leg.ref for leg in f.points[0].route.legs] == ["Y"]


def test_cut_front_keeps_exact_points_and_says_where_it_stops(cnet: Network) -> None:
    full = pareto_front(cnet, "UZTAS", "AEJEA", include_planned=True)
    assert full.complete and full.complete_to_hours is None and full.cut_note() == ""
    for limit in range(1, full.labels):
        cut = pareto_front(cnet, "UZTAS", "AEJEA", include_planned=True, max_labels=limit)
        assert not cut.complete and cut.labels == limit
        assert cut.points == full.points[: len(cut.points)]
        assert cut.complete_to_hours is not None
        missing = full.points[len(cut.points):]
        assert all(p.hours >= cut.complete_to_hours - 1e-6 for p in missing)
        assert "front cut" in cut.cut_note()


def test_library_errors(cnet: Network) -> None:
    with pytest.raises(UsageError):
        pareto_front(cnet, "UZTAS", "PKKHI", max_labels=0)
    with pytest.raises(UsageError):
        pareto_front(cnet, "UZTAS", "PKKHI", avoid=["PK"])
    with pytest.raises(NoRouteError) as why:
        find_route(cnet, "UZTAS", "PKKHI", modes=["rail"])
    with pytest.raises(NoRouteError) as err:  # the same reason as find_route gives
        pareto_front(cnet, "UZTAS", "PKKHI", modes=["rail"])
    assert str(err.value) == str(why.value)


def test_deterministic(cnet: Network) -> None:
    a = pareto_front(cnet, "UZTAS", "AEJEA", include_planned=True)
    b = pareto_front(corridor_net(), "UZTAS", "AEJEA", include_planned=True)
    assert a.points == b.points


# --------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def netdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pareto")
    write_network(corridor_net(), folder)
    return folder


def test_json_shape(netdir: Path, cnet: Network) -> None:
    doc = jrun(netdir, "Tashkent", "Jebel Ali", "--pareto", "--include-planned")
    assert doc["schema"] == "corridor.pareto/1"
    assert list(doc) == ["schema", "origin", "destination", "criteria", "options", "complete",
                         "complete_to_hours", "labels", "points", "provenance"]
    f = pareto_front(cnet, "UZTAS", "AEJEA", include_planned=True)
    assert [p["rank"] for p in doc["points"]] == [p.rank for p in f.points]
    assert [p["cost_usd"] for p in doc["points"]] == [round(p.cost_usd, 2) for p in f.points]
    first = doc["points"][0]
    assert list(first) == ["rank", "hours", "days", "cost_usd", "premium_usd_per_day_saved",
                           "summary", "modes", "countries", "totals", "legs", "crossings",
                           "places", "closures"]
    assert doc["points"][-1]["premium_usd_per_day_saved"] is None
    assert doc["complete"] is True and doc["complete_to_hours"] is None


def test_output_is_byte_identical(netdir: Path) -> None:
    a = run(netdir, "Tashkent", "Jebel Ali", "--pareto", "--format", "json").stdout
    b = run(netdir, "Tashkent", "Jebel Ali", "--pareto", "--format", "json").stdout
    assert a == b


def test_csv_and_table(netdir: Path, cnet: Network) -> None:
    f = pareto_front(cnet, "UZTAS", "AEJEA", include_planned=True)
    res = run(netdir, "UZTAS", "AEJEA", "--pareto", "--include-planned", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [float(r["hours"]) for r in rows] == [round(p.hours, 2) for p in f.points]
    res = run(netdir, "UZTAS", "AEJEA", "--pareto", "--include-planned")
    assert res.exit_code == 0
    assert "Time-cost front from Tashkent (UZTAS) to Jebel Ali (AEJEA)" in res.stdout
    assert f"{len(f.points)} route" in res.stdout
    geo = json.loads(run(netdir, "UZTAS", "AEJEA", "--pareto", "-f", "geojson").stdout)
    assert geo["type"] == "FeatureCollection"


def test_cut_front_warns_on_stderr(netdir: Path) -> None:
    res = run(netdir, "UZTAS", "AEJEA", "--pareto", "--max-labels", "15", "-f", "json")
    doc = json.loads(res.stdout)
    assert doc["complete"] is False
    if doc["points"]:
        assert res.exit_code == 0
    else:
        assert res.exit_code == 1
    assert "front cut" in res.stderr


def test_bad_usage(netdir: Path) -> None:
    res = run(netdir, "UZTAS", "AEJEA", "--pareto", "-k", "3")
    assert res.exit_code == 2 and "--alternatives" in res.stderr
    res = run(netdir, "UZTAS", "AEJEA", "--pareto", "--max-labels", "0")
    assert res.exit_code == 2
    res = run(netdir, "UZTAS", "PKKHI", "--pareto", "--modes", "rail")
    assert res.exit_code == 1 and "no route" in res.stderr
    res = run(netdir, "UZTAS", "PKKHI", "--pareto", "--date", "2026-01-15")
    assert res.exit_code == 2 and "--date" in res.stderr


@SETTINGS
@given(small_networks(), st.booleans())
def test_waypoints_ends_of_the_front_equal_find_route(network: Network, planned: bool) -> None:
    ids = [p.id for p in network.places]
    o, d, via = ids[0], ids[-1], ids[1:-1][:1]
    try:
        f = pareto_front(network, o, d, via=via, include_planned=planned)
    except NoRouteError:
        with pytest.raises(NoRouteError):
            find_route(network, o, d, via=via, include_planned=planned)
        return
    fast = find_route(network, o, d, via=via, include_planned=planned, objective="time")
    cheap = find_route(network, o, d, via=via, include_planned=planned, objective="cost")
    assert f.points[0].hours == pytest.approx(fast.totals.hours, abs=1e-4)
    assert f.points[-1].cost_usd == pytest.approx(cheap.totals.cost_usd, abs=1e-4)
    for p in f.points:
        assert set(via) <= {x.id for x in p.route.places}


def test_scenario_applies_before_the_front(netdir: Path, tmp_path: Path, cnet: Network) -> None:
    from corridor.format.patch import set_value

    sc = tmp_path / "slow-torkham.yaml"
    sc.write_text("scenario_version: 1\nname: slow-torkham\n"
                  "set:\n  crossings.TORKHAM.a_to_b.hours: 100\n", encoding="utf-8")
    doc = jrun(netdir, "UZTAS", "PKKHI", "--pareto", "--scenario", str(sc))
    want = pareto_front(set_value(cnet, "crossings.TORKHAM.a_to_b.hours", 100), "UZTAS",
                        "PKKHI")
    assert [p["hours"] for p in doc["points"]] == [round(p.hours, 2) for p in want.points]
    assert [s["name"] for s in doc["provenance"]["scenarios"]] == ["slow-torkham"]


def test_points_list_recorded_closures_without_applying_them(cnet: Network) -> None:
    from dataclasses import replace

    from corridor.model import Closure

    winter = Closure(reason="snow", months=(1, 2))
    crossings = tuple(replace(c, closures=(winter,)) if c.id == "TORKHAM" else c
                      for c in cnet.crossings)
    closed = replace(cnet, crossings=crossings)
    f = pareto_front(closed, "UZTAS", "PKKHI")
    assert [(p.hours, p.cost_usd) for p in f.points] == [
        (p.hours, p.cost_usd) for p in pareto_front(cnet, "UZTAS", "PKKHI").points]
    for p in f.points:  # every route to Karachi crosses at Torkham
        assert p.route.calendar is not None
        assert [n.id for n in p.route.calendar.notes] == ["TORKHAM"]
    from corridor.render.pareto import front_to_dict, render_front

    out = io.StringIO()
    render_front(f, "table", out)
    assert "[closures]" in out.getvalue()
    doc = front_to_dict(f)
    assert [n["id"] for n in doc["points"][0]["closures"]["on_route"]] == ["TORKHAM"]
