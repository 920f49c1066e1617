"""The compiled engine (corridor.engine.compiled) gives the same answers as the networkx graph, byte
for byte, on random networks with every constraint: modes, avoid, planned, penalties, gates.

Only the single-source searches (matrix, reach) run on it; route searches stay on networkx
(see the engine's module doc), so these tests compare those searches."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netbuilder import corridor_net, crossing, link, net, place, terminal, transfer

from corridor.engine import compiled as engine
from corridor.engine import graph
from corridor.errors import CorridorError
from corridor.model import Handling

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


def _answer(network: Any, engine_name: str, fn: Any, **kw: Any) -> Any:
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
    from corridor.analysis.matrix import od_matrix
    from corridor.analysis.reach import reachable

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
def test_both_engines_search_alike(network: Any, data: st.DataObject) -> None:
    # Every weight weight_for makes (objectives, modes, avoided places and crossings,
    # penalties, nodes allowed past the mode filter): the same settled order, weights and
    # predecessors, to the last bit.
    from corridor.analysis.matrix import single_source

    eg = graph.build_graph(network, include_planned=data.draw(st.booleans()))
    ids = [p.id for p in network.places]
    o = data.draw(st.sampled_from(ids))
    penalties = None
    if eg.edges and data.draw(st.booleans()):
        picked = data.draw(st.lists(st.sampled_from(eg.edges), max_size=4))
        penalties = {(u, v): 1.5 for u, v, _ in picked}
    weight = graph.weight_for(
        eg,
        objective=data.draw(st.sampled_from(sorted(graph.OBJECTIVES))),
        value_of_time_usd_per_hour=data.draw(st.sampled_from((0.0, 2.0, 7.5))),
        modes=data.draw(st.none() | st.sets(st.sampled_from(("road", "rail", "sea")),
                                            min_size=1)),
        avoid_places=data.draw(st.lists(st.sampled_from(ids), max_size=2)),
        avoid_crossings=[c.id for c in network.crossings if data.draw(st.booleans())],
        penalties=penalties,
        allow_nodes=[graph.departure(p) for p in ids if data.draw(st.booleans())],
    )
    starts = eg.endpoints(o, arrive=False)
    cutoff = data.draw(st.none() | st.sampled_from((10.0, 300.0)))
    got = _answer(network, "compiled", lambda _n: single_source(eg, starts, weight=weight,
                                                               cutoff=cutoff))
    want = _answer(network, "networkx", lambda _n: single_source(eg, starts, weight=weight,
                                                                cutoff=cutoff))
    assert got[0] == want[0] == "ok"
    (gp, gd), (wp, wd) = got[1], want[1]
    assert gp == wp  # the same predecessor of every settled node (in any order)
    assert repr(list(gd.items())) == repr(list(wd.items()))  # settled order, every bit


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


def test_a_matrix_does_not_import_networkx() -> None:
    import subprocess
    import sys

    code = ("import sys; sys.path.insert(0, 'tests'); from netbuilder import corridor_net; "
            "from corridor.analysis.matrix import od_matrix; "
            "od_matrix(corridor_net(), ['UZTAS'], ['PKKHI'], objective='cost', "
            "modes=['road', 'rail']); "
            "print('networkx' in sys.modules)")
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root).stdout.strip()
    assert out == "False"


def test_ties_go_to_the_path_found_first() -> None:
    # Two parallel roads of equal figures: the first in build order wins, on both engines
    # (the second joins through a private middle node).
    from corridor.analysis.matrix import single_source

    n = net(places=[place("A"), place("B")],
            links=[link("A", "B", "road", 100, id="first"), link("A", "B", "road", 100,
                                                                  id="second")])
    eg = graph.build_graph(n)
    for name in ("compiled", "networkx"):
        kind, (pred, _) = _answer(n, name, lambda _n: single_source(
            eg, eg.endpoints("A", arrive=False), weight="w_time"))
        assert kind == "ok"
        assert pred[graph.State("B", "road")] == graph.State("A", "road")


def test_engine_unknown_nodes_give_no_path() -> None:
    eg = graph.build_graph(corridor_net())
    assert engine.shortest_path(eg.compiled, [("nowhere", "road", None)],
                                [graph.State("PKKHI", "road")],
                                engine.Constraints(attr="w_time")) is None


@pytest.mark.parametrize("objective", ["time", "cost", "generalized"])
def test_bundled_network_answers_agree(objective: str) -> None:
    from corridor.analysis.matrix import od_matrix
    from corridor.analysis.reach import reachable
    from corridor.format.network import load_network

    network = load_network(None)
    ids = [p.id for p in network.places]
    kw: dict[str, Any] = {"origins": ids[::7], "destinations": ids[3::11],
                          "objective": objective}
    got = _answer(network, "compiled", od_matrix, **kw)
    assert got[0] == "ok" and repr(got) == repr(_answer(network, "networkx", od_matrix, **kw))
    for o in ids[::13]:
        rkw: dict[str, Any] = {"origin": o, "max_hours": 120}
        assert repr(_answer(network, "compiled", reachable, **rkw)) == \
            repr(_answer(network, "networkx", reachable, **rkw))
