"""The compiled engine (corridor.engine) gives the same answers as the networkx graph, byte
for byte, on random networks with every constraint: modes, avoid, via, planned, k."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netbuilder import corridor_net, crossing, link, net, place, terminal, transfer

from corridor import engine, graph
from corridor.errors import CorridorError
from corridor.model import Handling
from corridor.routing import find_routes

COUNTRIES = ("KZ", "UZ", "AF", "PK")


@st.composite
def networks(draw: st.DrawFn) -> Any:
    """Up to 8 places with few distinct figures, so that exact ties are common."""
    n = draw(st.integers(2, 8))
    ids = [f"P{i}" for i in range(n)]
    places = [place(pid, draw(st.sampled_from(COUNTRIES))) for pid in ids]
    links = []
    for i in range(draw(st.integers(1, 14))):
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        if a == b:
            continue
        mode = draw(st.sampled_from(("road", "road", "rail", "sea")))
        kw: dict[str, Any] = {"id": f"L{i}", "oneway": draw(st.booleans()),
                              "status": draw(st.sampled_from(("operational", "operational",
                                                              "planned", "closed")))}
        if mode == "rail":
            kw["gauge_mm"] = draw(st.sampled_from((1520, 1676)))
        if draw(st.booleans()):
            kw["hours"] = draw(st.sampled_from((5, 10)))
        if draw(st.booleans()):
            kw["cost_usd"] = draw(st.sampled_from((0, 100)))
        links.append(link(a, b, mode, draw(st.sampled_from((100, 200))), **kw))
    crossings = []
    for i in range(draw(st.integers(0, 3))):
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        if a == b:
            continue
        modes = draw(st.sampled_from((("road",), ("rail",), ("road", "rail"))))
        crossings.append(crossing(f"X{i}", a, b, modes, ab=(draw(st.sampled_from((0, 10))), 50),
                                  ba=(10, draw(st.sampled_from((0, 50)))), distance_km=0))
    terminals = []
    for pid in ids:
        trs = []
        for _ in range(draw(st.integers(0, 2))):
            fm = draw(st.sampled_from(("road", "rail")))
            tm = draw(st.sampled_from(("road", "rail", "sea")))
            trs.append(transfer(fm, tm, oneway=draw(st.booleans()),
                                hours=draw(st.none() | st.sampled_from((0, 5))),
                                cost_usd=draw(st.none() | st.sampled_from((0, 100)))))
        handling = Handling() if draw(st.booleans()) else None
        if trs or handling:
            terminals.append(terminal(pid, trs, handling))
    return net(places=places, links=links, crossings=crossings, terminals=terminals)


def _answer(network: Any, engine_name: str, fn: Any = find_routes, **kw: Any) -> Any:
    saved = graph.DEFAULT_ENGINE
    graph.DEFAULT_ENGINE = engine_name
    try:
        return ("ok", fn(network, **kw))
    except CorridorError as err:
        return (type(err).__name__, str(err))
    finally:
        graph.DEFAULT_ENGINE = saved


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.data())
def test_matrix_and_reach_agree_on_both_engines(network: Any, data: st.DataObject) -> None:
    from corridor.matrix import od_matrix
    from corridor.reach import reachable

    ids = [p.id for p in network.places]
    objective = data.draw(st.sampled_from(("time", "cost", "generalized")))
    modes = data.draw(st.none() | st.sets(st.sampled_from(("road", "rail", "sea")), min_size=1))
    planned = data.draw(st.booleans())
    avoid = [c.id for c in network.crossings if data.draw(st.booleans())]
    kw: dict[str, Any] = {"origins": ids, "destinations": ids[::-1], "objective": objective,
                          "modes": modes, "include_planned": planned, "avoid": avoid}
    assert _answer(network, "compiled", od_matrix, **kw) == \
        _answer(network, "networkx", od_matrix, **kw)
    budget = data.draw(st.sampled_from(({"max_hours": 30}, {"max_cost_usd": 400})))
    rkw: dict[str, Any] = {"origin": ids[0], "modes": modes, "include_planned": planned,
                           "avoid": avoid, **budget}
    assert _answer(network, "compiled", reachable, **rkw) == \
        _answer(network, "networkx", reachable, **rkw)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.data())
def test_both_engines_give_identical_answers(network: Any, data: st.DataObject) -> None:
    ids = [p.id for p in network.places]
    o, d = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
    others = [p for p in ids if p not in (o, d)]
    kw: dict[str, Any] = {
        "origin": o, "destination": d,
        "objective": data.draw(st.sampled_from(("time", "cost", "distance", "co2",
                                                "generalized"))),
        "k": data.draw(st.integers(1, 4)),
        "include_planned": data.draw(st.booleans()),
        "modes": data.draw(st.none() | st.sets(st.sampled_from(("road", "rail", "sea")),
                                               min_size=1)),
    }
    if others and data.draw(st.booleans()):
        kw["avoid"] = [data.draw(st.sampled_from(others))]
    if data.draw(st.booleans()):
        kw["avoid"] = list(kw.get("avoid", [])) + [
            c.id for c in network.crossings if data.draw(st.booleans())]
    rest = [p for p in others if p not in kw.get("avoid", [])]
    if rest and data.draw(st.booleans()):
        kw["via"] = [data.draw(st.sampled_from(rest))]
    compiled = _answer(network, "compiled", **kw)
    reference = _answer(network, "networkx", **kw)
    assert compiled == reference
    assert repr(compiled) == repr(reference)  # every float to the last bit


def test_compiled_arrays_mirror_the_networkx_graph() -> None:
    eg = graph.build_graph(corridor_net(), include_planned=True)
    c = eg.compiled
    G = eg.graph
    assert c.nodes == list(G.nodes)
    for i, u in enumerate(c.nodes):
        out = [c.nodes[c.targets[e]] for e in range(c.offsets[i], c.offsets[i + 1])]
        assert out == list(G.successors(u))  # same edges, same order
        for e in range(c.offsets[i], c.offsets[i + 1]):
            assert c.data[e] == G[u][c.nodes[c.targets[e]]]


def test_a_route_does_not_import_networkx() -> None:
    import subprocess
    import sys

    code = ("import sys; sys.path.insert(0, 'tests'); from netbuilder import corridor_net; "
            "from corridor.routing import find_route; "
            "find_route(corridor_net(), 'UZTAS', 'PKKHI', objective='cost', modes=['road', 'rail']); "
            "print('networkx' in sys.modules)")
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root).stdout.strip()
    assert out == "False"


def test_ties_go_to_the_path_found_first() -> None:
    # Two parallel roads of equal figures: the first in build order wins, on both engines.
    n = net(places=[place("A"), place("B")],
            links=[link("A", "B", "road", 100, id="first"), link("A", "B", "road", 100,
                                                                  id="second")])
    for name in ("compiled", "networkx"):
        kind, routes = _answer(n, name, origin="A", destination="B", k=1)
        assert kind == "ok" and [leg.ref for leg in routes[0].legs] == ["first"]


def test_engine_unknown_nodes_give_no_path() -> None:
    eg = graph.build_graph(corridor_net())
    assert engine.shortest_path(eg.compiled, [("nowhere", "road", None)],
                                [graph.State("PKKHI", "road")],
                                engine.Constraints(attr="w_time")) is None


@pytest.mark.parametrize("objective", ["time", "cost", "generalized"])
def test_bundled_network_answers_agree(objective: str) -> None:
    from corridor.network import load_network

    network = load_network(None)
    ids = [p.id for p in network.places]
    pairs = [(a, b) for a in ids[::7] for b in ids[3::11] if a != b]
    for a, b in pairs:
        kw = {"origin": a, "destination": b, "objective": objective, "k": 1}
        assert _answer(network, "compiled", **kw) == _answer(network, "networkx", **kw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.booleans())
def test_stored_arrays_give_back_every_edge(network: Any, planned: bool) -> None:
    # The stored form keeps no edge dicts: each is remade by the edge generator on a
    # sub-network; on random networks (parallel records, transfers, crossings) every one
    # must come back exactly, with the same nodes, order and columns.
    eg = graph.build_graph(network, include_planned=planned)
    f = eg.compiled
    n_states = sum(len(s) for s in eg.states.values())
    c, states = engine.from_arrays(*engine.to_arrays(f, n_states), network, planned)
    assert states == eg.states
    assert (c.nodes, c.offsets, c.targets) == (f.nodes, f.offsets, f.targets)
    assert [c.data[e] for e in range(len(f.data))] == f.data
    # all at once (one run of the generator over the union of their places), as paths do
    c2, _ = engine.from_arrays(*engine.to_arrays(f, n_states), network, planned)
    c2.data.prefetch(range(len(f.data)))  # type: ignore[attr-defined]
    assert [c2.data[e] for e in range(len(f.data))] == f.data
