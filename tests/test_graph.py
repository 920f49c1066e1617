"""The expanded graph (corridor.engine.graph): states, and what each kind of edge charges."""

from __future__ import annotations

import sys

import pytest
from netbuilder import crossing, link, net, place, terminal, transfer

from corridor.engine.graph import (
    SINK,
    SOURCE,
    State,
    build_graph,
    departure,
    edge_steps,
    expanded_graph,
)
from corridor.engine.routing import find_route
from corridor.model import Handling


def kinds(route) -> list[str]:  # type: ignore[no-untyped-def]
    return [leg.kind for leg in route.legs]


def test_states_per_mode_and_gauge() -> None:
    n = net(
        places=[place("A"), place("B"), place("C")],
        links=[
            link("A", "B", "road"),
            link("A", "B", "rail", gauge_mm=1520),
            link("B", "C", "rail", gauge_mm=1676),
        ],
    )
    eg = build_graph(n)
    assert eg.states_of("B") == (
        State("B", "road"),
        State("B", "rail", 1520),
        State("B", "rail", 1676),
    )
    # No transfer declared: the three states of B are not joined.
    G = eg.graph
    assert not G.has_edge(State("B", "rail", 1520), State("B", "rail", 1676))
    assert not G.has_edge(State("B", "road"), State("B", "rail", 1520))


def test_links_join_states_of_their_mode_both_ways_unless_oneway() -> None:
    n = net(
        places=[place("A"), place("B")],
        links=[link("A", "B", "road"), link("A", "B", "sea", oneway=True)],
    )
    G = build_graph(n).graph
    assert G.has_edge(State("A", "road"), State("B", "road"))
    assert G.has_edge(State("B", "road"), State("A", "road"))
    # sea links leave from the port's departure node and arrive at its sea state
    assert G.has_edge(departure("A"), State("B", "sea"))
    assert not G.has_edge(departure("B"), State("A", "sea"))
    assert not G.has_edge(State("A", "sea"), State("B", "sea"))
    d = G[State("A", "road")][State("B", "road")]
    assert (d["distance_km"], d["hours"], d["cost_usd"], d["co2_kg"]) == (100, 2, 100, 10)
    for attr in ("w_time", "w_cost", "w_distance", "w_co2"):
        assert attr in d


def test_transfer_is_charged_exactly_once() -> None:
    n = net(
        places=[place("A"), place("B"), place("C")],
        links=[link("A", "B", "rail", 400), link("B", "C", "road", 100)],
        terminals=[terminal("B", [transfer("rail", "road", hours=6, cost_usd=70)])],
    )
    r = find_route(n, "A", "C", objective="cost")
    assert kinds(r) == ["link", "transfer", "link"]
    t = [leg for leg in r.legs if leg.kind == "transfer"]
    assert len(t) == 1 and (t[0].hours, t[0].cost_usd) == (6, 70)
    assert r.totals.cost_usd == pytest.approx(400 * 0.5 + 70 + 100)
    assert r.totals.hours == pytest.approx(10 + 6 + 2)


def test_no_free_change_of_mode_without_a_transfer() -> None:
    n = net(
        places=[place("A"), place("B"), place("C")],
        links=[link("A", "B", "rail"), link("B", "C", "road")],
    )
    from corridor.errors import NoRouteError

    with pytest.raises(NoRouteError):
        find_route(n, "A", "C")


def test_oneway_transfer() -> None:
    n = net(
        places=[place("A"), place("B"), place("C")],
        links=[link("A", "B", "rail"), link("B", "C", "road")],
        terminals=[terminal("B", [transfer("rail", "road", oneway=True)])],
    )
    G = build_graph(n).graph
    assert G.has_edge(State("B", "rail", 1520), State("B", "road"))
    assert not G.has_edge(State("B", "road"), State("B", "rail", 1520))


def test_gauge_change_uses_gauge_defaults_and_respects_narrowing() -> None:
    n = net(
        places=[place("A"), place("B"), place("C"), place("D")],
        links=[
            link("A", "B", "rail", gauge_mm=1520),
            link("B", "C", "rail", gauge_mm=1676),
            link("B", "D", "rail", gauge_mm=1435),
        ],
        terminals=[terminal("B", [transfer("rail", "rail", from_gauge_mm=1520,
                                           to_gauge_mm=1676)])],
    )
    G = build_graph(n).graph
    e = G[State("B", "rail", 1520)][State("B", "rail", 1676)]
    assert e["kind"] == "transfer" and (e["hours"], e["cost_usd"]) == (10, 200)
    assert G.has_edge(State("B", "rail", 1676), State("B", "rail", 1520))
    assert not G.has_edge(State("B", "rail", 1520), State("B", "rail", 1435))


def test_crossing_charged_in_direction_travelled_and_only_for_its_modes() -> None:
    n = net(
        places=[place("A", "UZ"), place("B", "AF"), place("A0", "UZ"), place("B0", "AF")],
        links=[
            link("A0", "A", "road"), link("B", "B0", "road"),
            link("A0", "A", "rail"), link("B", "B0", "rail"),
        ],
        crossings=[crossing("X", "A", "B", ("road",), ab=(10, 200), ba=(3, 50))],
    )
    G = build_graph(n).graph
    assert G[State("A", "road")][State("B", "road")]["hours"] == 10
    assert G[State("B", "road")][State("A", "road")]["hours"] == 3
    assert not G.has_edge(State("A", "rail", 1520), State("B", "rail", 1520))
    there = find_route(n, "A0", "B0")
    back = find_route(n, "B0", "A0")
    (x1,) = [leg for leg in there.legs if leg.kind == "crossing"]
    (x2,) = [leg for leg in back.legs if leg.kind == "crossing"]
    assert (x1.hours, x1.cost_usd, x2.hours, x2.cost_usd) == (10, 200, 3, 50)
    assert there.totals.borders_crossed == 1
    assert there.crossings[0].from_country == "UZ" and there.crossings[0].to_country == "AF"


def test_rail_crossing_joins_the_same_gauge_only() -> None:
    n = net(
        places=[place("A", "UZ"), place("B", "AF"), place("C", "AF")],
        links=[link("C", "B", "rail", gauge_mm=1520)],
        crossings=[crossing("X", "A", "B", ("rail",))],
    )
    G = build_graph(n).graph
    # A serves no rail gauge: the crossing joins nothing by rail (no phantom state at A).
    assert State("A", "rail", 1520) not in G
    assert not any(d["kind"] == "crossing" for _, _, d in G.edges(data=True))


def test_rail_crossing_joins_only_gauges_both_sides_serve() -> None:
    """The phantom-gauge repro: KZ-B serves 1520 and 1676, UZ-B only 1676, so a 1520 mm
    train changes gauge at KZ-B before it crosses; it never enters UZ-B on 1520 mm."""
    from corridor.model import Terminal

    n = net(
        places=[place("UZ-C", "UZ"), place("UZ-B", "UZ"), place("KZ-B", "KZ"),
                place("KZ-C", "KZ"), place("KZ-Y", "KZ")],
        links=[link("UZ-C", "UZ-B", "rail", 100, gauge_mm=1676),
               link("KZ-B", "KZ-C", "rail", 100, gauge_mm=1520),
               link("KZ-B", "KZ-Y", "rail", 30, gauge_mm=1676)],
        crossings=[crossing("XR", "KZ-B", "UZ-B", ("rail",), ab=(5, 50), ba=(6, 60))],
        terminals=[Terminal("KZ-B", transfers=(transfer("rail", "rail", from_gauge_mm=1676,
                                                         to_gauge_mm=1520),))],
    )
    G = build_graph(n).graph
    assert State("UZ-B", "rail", 1520) not in G
    assert G.has_edge(State("KZ-B", "rail", 1676), State("UZ-B", "rail", 1676))
    r = find_route(n, "KZ-C", "UZ-B")
    assert kinds(r) == ["link", "transfer", "crossing"]
    assert r.legs[1].from_gauge_mm == 1520 and r.legs[1].gauge_mm == 1676


def test_planned_link_unused_by_default_used_with_flag_closed_never() -> None:
    n = net(
        places=[place("A"), place("B"), place("C")],
        links=[
            link("A", "B", "road", 1000),
            link("A", "B", "rail", 100, status="planned"),
            link("A", "C", "road", 10, status="closed"),
            link("C", "B", "road", 10),
        ],
    )
    G0 = build_graph(n).graph
    G1 = build_graph(n, include_planned=True).graph
    assert not G0.has_edge(State("A", "rail", 1520), State("B", "rail", 1520))
    assert G1.has_edge(State("A", "rail", 1520), State("B", "rail", 1520))
    assert not G1.has_edge(State("A", "road"), State("C", "road"))
    assert [leg.ref for leg in find_route(n, "A", "B").legs] == ["A-B-road"]
    planned = find_route(n, "A", "B", include_planned=True)
    assert [leg.ref for leg in planned.legs] == ["A-B-rail"]
    assert planned.legs[0].status == "planned"


def test_planned_crossing_needs_the_flag() -> None:
    n = net(
        places=[place("A", "UZ"), place("B", "AF")],
        crossings=[crossing("X", "A", "B", status="under_construction"),
                   crossing("Y", "A", "B", status="closed")],
    )
    def xings(eg: object) -> list[str]:
        return [d["xid"] for _, _, d in eg.graph.edges(data=True)  # type: ignore[attr-defined]
                if d["kind"] == "crossing"]

    assert xings(build_graph(n)) == []
    assert xings(build_graph(n, include_planned=True)) == ["X", "X"]


def test_seaport_handling_between_land_and_sea_only_where_declared() -> None:
    n = net(
        places=[place("A", "PK"), place("P", "PK", kind="seaport"), place("Q", "AE")],
        links=[link("A", "P", "road", 100), link("P", "Q", "sea", 1000),
               link("A", "Q", "sea", 5000)],
        terminals=[terminal("P", handling=Handling(hours=20, cost_usd=140))],
    )
    G = build_graph(n).graph
    h = G[State("P", "road")][departure("P")]
    assert h["kind"] == "handling" and (h["hours"], h["cost_usd"]) == (20, 140)
    assert G[State("P", "sea")][State("P", "road")]["kind"] == "handling"
    assert not G.has_edge(State("A", "road"), departure("A"))  # no handling at A
    # Cargo at A cannot board a ship there (no handling): it goes by road to P and pays
    # handling there. Q is served by sea only: the box is landed there at the default
    # handling figures (import).
    r = find_route(n, "A", "Q", objective="cost")
    assert kinds(r) == ["link", "handling", "link", "handling"]
    assert (r.legs[1].hours, r.legs[1].cost_usd) == (20, 140)
    d = n.defaults.handling
    assert (r.legs[3].hours, r.legs[3].cost_usd) == (d.hours or 0, d.cost_usd or 0)
    # The same charges whatever the modes allowed: by sea only there is no way from A.
    from corridor.errors import NoRouteError

    with pytest.raises(NoRouteError):
        find_route(n, "A", "Q", modes=["sea"])


def test_transshipment_between_sailings_is_charged_at_the_port() -> None:
    n = net(
        places=[place("A", "PK", kind="seaport"), place("H", "AE", kind="seaport"),
                place("Q", "OM", kind="seaport")],
        links=[link("A", "H", "sea", 1000), link("H", "Q", "sea", 1000), link("A", "Q", "sea", 9000)],
        terminals=[terminal("A", handling=Handling(hours=24, cost_usd=100)),
                   terminal("H", handling=Handling(hours=30, cost_usd=80)),
                   terminal("Q", handling=Handling(hours=24, cost_usd=100))],
    )
    r = find_route(n, "A", "Q", objective="cost")
    # Export handling at A, a sailing, transshipment at H, a sailing, import handling at Q.
    assert kinds(r) == ["handling", "link", "transshipment", "link", "handling"]
    t = r.legs[2]
    assert (t.from_id, t.to_id, t.hours, t.cost_usd) == ("H", "H", 30, 80)
    assert r.totals.cost_usd == pytest.approx(100 + 100 + 80 + 100 + 100)


def test_parallel_links_kept_apart_and_folded_in_steps() -> None:
    n = net(
        places=[place("A"), place("B")],
        links=[
            link("A", "B", "road", 100, id="slow", hours=10, cost_usd=10),
            link("A", "B", "road", 100, id="fast", hours=1, cost_usd=500),
        ],
    )
    assert [leg.ref for leg in find_route(n, "A", "B", objective="time").legs] == ["fast"]
    assert [leg.ref for leg in find_route(n, "A", "B", objective="cost").legs] == ["slow"]
    r = find_route(n, "A", "B", objective="time")
    assert (r.legs[0].from_id, r.legs[0].to_id) == ("A", "B")


def test_route_may_start_in_any_state_and_virtual_nodes_are_removed() -> None:
    n = net(
        places=[place("A"), place("B")],
        links=[link("A", "B", "road", 100), link("A", "B", "rail", 100)],
    )
    eg = expanded_graph(n)
    r = find_route(n, "A", "B", objective="cost")
    assert r.legs[0].mode == "rail"
    assert SOURCE not in eg.graph and SINK not in eg.graph
    assert [s for s, _, _ in edge_steps(eg, [State("A", "rail", 1520),
                                             State("B", "rail", 1520)])]


def test_no_route_passes_through_a_virtual_node() -> None:
    # A and C are both "origins" for the virtual source; a route from A must not use the
    # source to jump to C.
    from corridor.engine.graph import shortest_path, weight_for

    n = net(places=[place("A"), place("B"), place("C")], links=[link("C", "B", "road")])
    eg = build_graph(n)
    w = weight_for(eg, objective="time")
    assert shortest_path(eg, [State("A", "road")], [State("B", "road")], weight=w) is None


def test_building_the_graph_is_deterministic() -> None:
    from netbuilder import corridor_net

    a = build_graph(corridor_net(), include_planned=True).graph
    b = build_graph(corridor_net(), include_planned=True).graph
    assert list(a.edges) == list(b.edges)


def test_graph_module_does_not_import_networkx_at_import() -> None:
    import subprocess

    code = ("import sys, corridor, corridor.engine.graph, corridor.engine.routing, corridor.engine.places, "
            "corridor.engine.costs, cli; print('networkx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
