"""Routing (corridor.engine.routing): objectives, constraints, alternatives, errors, and
properties on random small networks checked against brute force."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from netbuilder import corridor_net, crossing, link, net, place, terminal, transfer

from corridor.engine.graph import SINK, SOURCE, _endpoints, build_graph
from corridor.engine.routing import Route, find_route, find_routes, resolve_avoid
from corridor.errors import (
    AmbiguousPlaceError,
    NoRouteError,
    UnknownPlaceError,
    UsageError,
)
from corridor.model import MODES, Handling

NET = corridor_net()


def places_of(r: Route) -> list[str]:
    return [p.id for p in r.places]


def signature(r: Route) -> tuple[Any, ...]:
    return tuple((leg.kind, leg.ref, leg.from_id, leg.to_id) for leg in r.legs
                 if leg.kind in ("link", "crossing"))


# --------------------------------------------------------------------------- examples


def test_fastest_and_cheapest_differ_on_the_corridor() -> None:
    fast = find_route(NET, "Tashkent", "Karachi", objective="time")
    cheap = find_route(NET, "Tashkent", "Karachi", objective="cost")
    assert fast.totals.hours < cheap.totals.hours
    assert cheap.totals.cost_usd < fast.totals.cost_usd
    assert {leg.mode for leg in fast.legs} == {"road"}
    assert "rail" in {leg.mode for leg in cheap.legs}
    assert fast.totals.borders_crossed == 2
    assert [c.id for c in fast.crossings] == ["TERMEZ-HAIRATAN", "TORKHAM"]


def test_totals_and_speeds() -> None:
    r = find_route(NET, "UZTAS", "PKKHI")
    t = r.totals
    assert t.days == pytest.approx(t.hours / 24)
    assert t.delay_hours == pytest.approx(40.0)  # 10 h Termez + 30 h Torkham
    assert t.border_hours == pytest.approx(40.0)
    assert t.swd_kmh == pytest.approx(t.distance_km / t.hours)
    assert t.swod_kmh == pytest.approx(t.distance_km / (t.hours - 40.0))
    assert t.objective_value == t.hours
    assert r.provenance.network == "test" and r.provenance.scenarios == ()


@pytest.mark.parametrize("objective", ["time", "cost", "distance", "co2", "generalized"])
def test_every_objective_gives_the_minimum_of_its_figure(objective: str) -> None:
    routes = find_routes(NET, "UZTAS", "PKKHI", objective=objective, k=5,
                         include_planned=True)
    values = [r.totals.objective_value for r in routes]
    assert values == sorted(values)
    assert routes[0].totals.objective_value == pytest.approx(min(values))


def test_generalized_is_cost_plus_value_of_time() -> None:
    r = find_route(NET, "UZTAS", "PKKHI", objective="generalized",
                   value_of_time_usd_per_hour=10)
    assert r.totals.objective_value == pytest.approx(r.totals.cost_usd + 10 * r.totals.hours)
    slow_ok = find_route(NET, "UZTAS", "PKKHI", objective="generalized",
                         value_of_time_usd_per_hour=0)
    assert slow_ok.totals.cost_usd == pytest.approx(
        find_route(NET, "UZTAS", "PKKHI", objective="cost").totals.cost_usd)
    fast_wins = find_route(NET, "UZTAS", "PKKHI", objective="generalized",
                           value_of_time_usd_per_hour=1000)
    assert fast_wins.totals.hours == pytest.approx(find_route(NET, "UZTAS", "PKKHI").totals.hours)


def test_cargo_scales_cost_and_co2_not_time() -> None:
    one = find_route(NET, "UZTAS", "PKKHI")
    feu3 = find_route(NET, "UZTAS", "PKKHI", cargo="feu", containers=3)
    assert feu3.totals.hours == one.totals.hours
    assert feu3.totals.cost_usd == pytest.approx(one.totals.cost_usd * 1.8 * 3)
    assert feu3.totals.co2_kg == pytest.approx(one.totals.co2_kg * 1.8 * 3)
    assert feu3.options.cargo == "feu" and feu3.options.containers == 3


def test_modes_restrict_the_route() -> None:
    r = find_route(NET, "UZTAS", "PKKHI", modes=["road"], objective="cost")
    assert {leg.mode for leg in r.legs} == {"road"}


def test_sea_leg_after_port_handling() -> None:
    r = find_route(NET, "Tashkent", "Jebel Ali")
    kinds = [leg.kind for leg in r.legs]
    # Handling onto the ship, the sailing, and handling ashore at Jebel Ali (an overseas
    # hub served by sea only: the default handling figures, import).
    assert kinds[-3:] == ["handling", "link", "handling"]
    assert r.legs[-3].hours == 24 and r.legs[-3].cost_usd == 160
    assert r.legs[-2].mode == "sea"
    d = NET.defaults.handling
    assert (r.legs[-1].hours, r.legs[-1].cost_usd) == (d.hours, d.cost_usd)


def test_avoid_place_country_crossing() -> None:
    av = resolve_avoid(NET, ["kabul", "af", "TORKHAM", "pk-torkham"])
    assert av.places == ("AFKBL", "PK-TORKHAM")
    assert av.countries == ("AF",)
    assert av.crossings == ("TORKHAM",)
    with pytest.raises(NoRouteError, match="avoiding country AF"):
        find_route(NET, "UZTAS", "PKKHI", avoid=["AF"])
    with pytest.raises(NoRouteError, match="avoiding crossing TORKHAM"):
        find_route(NET, "UZTAS", "PKKHI", avoid=["TORKHAM"])
    with pytest.raises(NoRouteError, match="avoiding place AFKBL"):
        find_route(NET, "UZTAS", "PKKHI", avoid=["Kabul"])
    with pytest.raises(UnknownPlaceError, match="not a place, country code or crossing"):
        find_route(NET, "UZTAS", "PKKHI", avoid=["Atlantis"])


@pytest.mark.parametrize("item", ["torkham", "Torkham", " torkham "])
def test_avoid_crossing_or_place_is_never_a_silent_choice(item: str) -> None:
    """A crossing id written in another case that also names a place is ambiguous, with
    both kinds of choices listed; the exact id still means the crossing."""
    with pytest.raises(AmbiguousPlaceError) as got:
        resolve_avoid(NET, [item])
    cands = got.value.candidates
    assert any(c.startswith("crossing TORKHAM") for c in cands)
    assert any(c.startswith("place") and "PK-TORKHAM" in c for c in cands)
    assert resolve_avoid(NET, ["TORKHAM"]).crossings == ("TORKHAM",)
    assert resolve_avoid(NET, ["PK-TORKHAM"]).places == ("PK-TORKHAM",)


def test_avoid_keeps_other_routes() -> None:
    n = net(
        places=[place("A"), place("B"), place("C"), place("D")],
        links=[link("A", "B", km=100), link("B", "D", km=100), link("A", "C", km=150),
               link("C", "D", km=150)],
    )
    assert places_of(find_route(n, "A", "D")) == ["A", "B", "D"]
    assert places_of(find_route(n, "A", "D", avoid=["B"])) == ["A", "C", "D"]


def test_avoiding_an_end_or_waypoint_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="origin"):
        find_route(NET, "UZTAS", "PKKHI", avoid=["UZ"])
    with pytest.raises(UsageError, match="waypoint"):
        find_route(NET, "UZTAS", "PKKHI", via=["Kabul"], avoid=["AFKBL"])


def test_via_visits_waypoints_in_order_and_keeps_state() -> None:
    n = net(
        places=[place("A"), place("B"), place("C"), place("D")],
        links=[link("A", "B", km=100), link("B", "D", km=100), link("A", "C", km=150),
               link("C", "D", km=150), link("B", "C", km=60)],
    )
    assert places_of(find_route(n, "A", "D")) == ["A", "B", "D"]
    assert places_of(find_route(n, "A", "D", via=["C"])) == ["A", "C", "D"]
    r = find_route(n, "A", "D", via=["C", "B"])
    assert places_of(r) == ["A", "C", "B", "D"]
    assert r.options.via == ("C", "B")
    # Arriving at a waypoint by rail and leaving by road costs the transfer there.
    m = net(
        places=[place("A"), place("B"), place("C")],
        links=[link("A", "B", "rail", 100), link("B", "C", "road", 100)],
        terminals=[terminal("B", [transfer("rail", "road", hours=7, cost_usd=77)])],
    )
    r = find_route(m, "A", "C", via=["B"])
    assert [leg.kind for leg in r.legs] == ["link", "transfer", "link"]


def test_alternatives_differ_physically_and_are_ranked() -> None:
    routes = find_routes(NET, "UZTAS", "PKKHI", k=4, objective="time")
    sigs = [signature(r) for r in routes]
    assert len(set(sigs)) == len(sigs) == 4
    assert [r.rank for r in routes] == [1, 2, 3, 4]
    hours = [r.totals.hours for r in routes]
    assert hours == sorted(hours)
    assert routes[0].totals.hours == find_route(NET, "UZTAS", "PKKHI").totals.hours


def test_alternatives_with_via_use_the_penalty_method() -> None:
    routes = find_routes(NET, "UZTAS", "PKKHI", k=3, via=["Kabul"])
    sigs = [signature(r) for r in routes]
    assert len(set(sigs)) == len(sigs) >= 2
    assert all("AFKBL" in places_of(r) for r in routes)


def test_fewer_alternatives_than_asked_when_the_network_has_no_more() -> None:
    n = net(places=[place("A"), place("B")], links=[link("A", "B")])
    assert len(find_routes(n, "A", "B", k=5)) == 1


def test_same_place_is_an_empty_route() -> None:
    r = find_route(NET, "UZTAS", "UZTAS")
    assert r.legs == () and r.totals.hours == 0


def test_no_route_messages_say_why() -> None:
    with pytest.raises(NoRouteError, match=r"--modes"):
        find_route(NET, "UZTAS", "PKKHI", modes=["rail"])
    with pytest.raises(NoRouteError, match=r"--include-planned"):
        find_route(NET, "UZTAS", "AFKBL", modes=["rail"])
    lonely = net(places=[place("A"), place("B"), place("C")], links=[link("A", "C")])
    with pytest.raises(NoRouteError, match="destination .* has no usable link"):
        find_route(lonely, "A", "B")
    split = net(places=[place("A"), place("B"), place("C"), place("D")],
                links=[link("A", "B"), link("C", "D")])
    with pytest.raises(NoRouteError, match="not connected"):
        find_route(split, "A", "D")


def test_no_route_with_only_sea_at_destination() -> None:
    n = net(places=[place("A"), place("P"), place("Q")],
            links=[link("A", "P"), link("P", "Q", "sea")],
            terminals=[terminal("P", handling=Handling())])
    with pytest.raises(NoRouteError, match="--modes"):
        find_route(n, "A", "Q", modes=["road", "rail"])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"objective": "fastest"},
        {"modes": ["truck"]},
        {"modes": []},
        {"cargo": "box"},
        {"containers": 0},
        {"value_of_time_usd_per_hour": -1},
    ],
)
def test_bad_options_are_usage_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        find_route(NET, "UZTAS", "PKKHI", **kwargs)


def test_bad_k_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        find_routes(NET, "UZTAS", "PKKHI", k=0)


def test_place_errors_pass_through() -> None:
    with pytest.raises(AmbiguousPlaceError):
        find_route(NET, "Torkham", "PKKHI")
    with pytest.raises(UnknownPlaceError):
        find_route(NET, "UZTAS", "Karachy")


def test_deterministic() -> None:
    a = find_routes(corridor_net(), "UZTAS", "AEJEA", k=3, include_planned=True)
    b = find_routes(corridor_net(), "UZTAS", "AEJEA", k=3, include_planned=True)
    assert [(r.legs, r.totals) for r in a] == [(r.legs, r.totals) for r in b]


# --------------------------------------------------------------------------- properties

COUNTRIES = ("UZ", "AF")


@st.composite
def small_networks(draw: st.DrawFn) -> Any:
    n = draw(st.integers(2, 5))
    ids = [f"P{i}" for i in range(n)]
    places = [place(pid, draw(st.sampled_from(COUNTRIES))) for pid in ids]
    links = []
    for i in range(draw(st.integers(1, 7))):
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        if a == b:
            continue
        mode = draw(st.sampled_from(("road", "rail", "sea")))
        kw: dict[str, Any] = {"id": f"L{i}", "oneway": draw(st.booleans()),
                              "status": draw(st.sampled_from(("operational", "operational",
                                                              "planned", "closed")))}
        if mode == "rail":
            kw["gauge_mm"] = draw(st.sampled_from((1520, 1676)))
        if draw(st.booleans()):
            kw["hours"] = draw(st.integers(1, 50))
        if draw(st.booleans()):
            kw["cost_usd"] = draw(st.integers(0, 500))
        links.append(link(a, b, mode, draw(st.integers(1, 900)), **kw))
    crossings = []
    for i in range(draw(st.integers(0, 2))):
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        if a == b:
            continue
        modes = draw(st.sampled_from((("road",), ("rail",), ("road", "rail"))))
        crossings.append(crossing(f"X{i}", a, b, modes,
                                  ab=(draw(st.integers(0, 40)), draw(st.integers(0, 300))),
                                  ba=(draw(st.integers(0, 40)), draw(st.integers(0, 300))),
                                  distance_km=draw(st.integers(0, 5))))
    terminals = []
    for pid in ids:
        trs = []
        for _ in range(draw(st.integers(0, 2))):
            fm = draw(st.sampled_from(("road", "rail")))
            tm = draw(st.sampled_from(("road", "rail", "sea")))
            trs.append(transfer(fm, tm, oneway=draw(st.booleans()),
                                hours=draw(st.none() | st.integers(0, 20)),
                                cost_usd=draw(st.none() | st.integers(0, 200))))
        handling = Handling() if draw(st.booleans()) else None
        if trs or handling:
            terminals.append(terminal(pid, trs, handling))
    return net(places=places, links=links, crossings=crossings, terminals=terminals)


FIGURE = {"time": "hours", "cost": "cost_usd", "distance": "distance_km", "co2": "co2_kg"}


def brute_force_min(network: Any, origin: str, dest: str, figure: str,
                    include_planned: bool) -> float | None:
    eg = build_graph(network, include_planned=include_planned)
    G = eg.graph
    best = None
    # Where cargo enters and leaves is its own rule (ExpandedGraph.endpoints, tested in
    # test_graph.py); the brute force checks the search between those nodes.
    starts = eg.endpoints(origin, MODES, arrive=False)
    ends = eg.endpoints(dest, MODES, arrive=True)
    if not starts or not ends:
        return None
    with _endpoints(G, starts, ends):
        for path in nx.all_simple_paths(G, SOURCE, SINK):
            v = nx.path_weight(G, path, weight=figure)
            best = v if best is None else min(best, v)
    return best


SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(small_networks(), st.sampled_from(sorted(FIGURE)), st.booleans())
def test_route_is_the_brute_force_minimum(network: Any, objective: str, planned: bool) -> None:
    o, d = network.places[0].id, network.places[-1].id
    expected = brute_force_min(network, o, d, FIGURE[objective], planned)
    if expected is None:
        with pytest.raises(NoRouteError):
            find_route(network, o, d, objective=objective, include_planned=planned)
        return
    r = find_route(network, o, d, objective=objective, include_planned=planned)
    assert r.totals.objective_value == pytest.approx(expected, rel=1e-6, abs=0.05)


@SETTINGS
@given(small_networks(), st.sampled_from(sorted(FIGURE) + ["generalized"]),
       st.integers(1, 3), st.sampled_from(("teu", "feu")))
def test_legs_sum_to_totals(network: Any, objective: str, containers: int, cargo: str) -> None:
    o, d = network.places[0].id, network.places[-1].id
    try:
        r = find_route(network, o, d, objective=objective, containers=containers, cargo=cargo,
                       include_planned=True)
    except NoRouteError:
        assume(False)
        return
    t = r.totals
    assert t.distance_km == pytest.approx(sum(leg.distance_km for leg in r.legs))
    assert t.hours == pytest.approx(sum(leg.hours for leg in r.legs))
    assert t.cost_usd == pytest.approx(sum(leg.cost_usd for leg in r.legs))
    assert t.co2_kg == pytest.approx(sum(leg.co2_kg for leg in r.legs))
    assert t.borders_crossed == sum(1 for leg in r.legs if leg.kind == "crossing")
    # legs chain: each starts where the previous ended
    for a, b in zip(r.legs, r.legs[1:], strict=False):
        assert a.to_id == b.from_id
    if r.legs:
        assert r.legs[0].from_id == o and r.legs[-1].to_id == d
    assert not math.isnan(t.swd_kmh)


@SETTINGS
@given(small_networks(), st.sampled_from(sorted(FIGURE) + ["generalized"]), st.integers(2, 4),
       st.booleans())
def test_alternatives_distinct_and_non_decreasing(
    network: Any, objective: str, k: int, penalty: bool
) -> None:
    from corridor.engine import routing

    o, d = network.places[0].id, network.places[-1].id
    saved = routing.YEN_MAX_NODES
    routing.YEN_MAX_NODES = 0 if penalty else saved  # the large-graph method, on small ones
    try:
        routes = find_routes(network, o, d, k=k, objective=objective, include_planned=True)
    except NoRouteError:
        assume(False)
        return
    finally:
        routing.YEN_MAX_NODES = saved
    assert 1 <= len(routes) <= k
    sigs = [signature(r) for r in routes]
    assert len(set(sigs)) == len(sigs)
    values = [r.totals.objective_value for r in routes]
    assert values == sorted(values)
    best = find_route(network, o, d, objective=objective, include_planned=True)
    for r in routes:  # alternatives (not the best itself) never loop back to a place
        if signature(r) != signature(best):
            assert len(set(places_of(r))) == len(places_of(r))
    assert values[0] == pytest.approx(best.totals.objective_value)


def test_alternatives_do_not_depend_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Same input, same bytes: a slow or loaded machine (here every clock read jumps an hour)
    # must give the same alternatives, in the same order, as an idle one.
    import time

    from corridor.format.network import load_network

    bundled = load_network(None)
    normal = find_routes(bundled, "BY-BREST", "BY-ORSHA", k=4, objective="time")
    assert len(normal) == 4
    for name in ("monotonic", "perf_counter", "time"):
        real = getattr(time, name)
        ticks = iter(range(1, 10**9))

        def slow(real: Any = real, ticks: Any = ticks) -> float:
            return float(real()) + 3600.0 * next(ticks)

        monkeypatch.setattr(time, name, slow)
    slowed = find_routes(bundled, "BY-BREST", "BY-ORSHA", k=4, objective="time")
    assert slowed == normal
