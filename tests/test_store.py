"""The compiled routing cache (corridor.engine.store): a stored graph gives the same answers,
byte for byte, as the graph built in memory, and is used only where it may be."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine import networks

from corridor.engine import costs, graph, store
from corridor.engine.routing import find_routes
from corridor.errors import CorridorError


def _stored(eg: Any) -> Any:
    """``eg`` written as a store entry and read back."""
    data = store.encode_graph(eg)
    return store.decode_graph(data, eg.network, eg.include_planned, eg.op)


def _routes(network: Any, eg: Any, **kw: Any) -> Any:
    """find_routes answered on ``eg`` (put where the library looks for the graph)."""
    graph._CACHE.clear()
    graph._CACHE.insert(0, (network, eg.include_planned, eg.op, eg))
    try:
        return ("ok", find_routes(network, **kw))
    except CorridorError as err:
        return (type(err).__name__, str(err))
    finally:
        graph._CACHE.clear()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.data())
def test_a_stored_graph_answers_like_the_built_one(network: Any, data: st.DataObject) -> None:
    # Every constraint a route query has: objective, modes, avoid (places, countries,
    # crossings), via, planned records, alternatives, cargo and drivers.
    ids = [p.id for p in network.places]
    planned = data.draw(st.booleans())
    op = costs.Operating(cargo=data.draw(st.sampled_from(("teu", "feu"))),
                         containers=data.draw(st.sampled_from((1, 3))),
                         drivers=data.draw(st.sampled_from((1, 2))))
    built = graph.build_graph(network, include_planned=planned, op=op)
    stored = _stored(graph.build_graph(network, include_planned=planned, op=op))
    assert isinstance(stored, graph.StoredExpandedGraph)
    avoid = data.draw(st.lists(st.sampled_from(
        ids + [c.id for c in network.crossings] + ["PK"]), max_size=2, unique=True))
    kw: dict[str, Any] = {
        "origin": data.draw(st.sampled_from(ids)),
        "destination": data.draw(st.sampled_from(ids)),
        "k": data.draw(st.sampled_from((1, 3))),
        "objective": data.draw(st.sampled_from(("time", "cost", "distance", "generalized"))),
        "modes": data.draw(st.none() | st.sets(st.sampled_from(("road", "rail", "sea")),
                                               min_size=1)),
        "avoid": avoid,
        "via": data.draw(st.lists(st.sampled_from(ids), max_size=1)),
        "include_planned": planned,
        "cargo": op.cargo, "containers": op.containers, "drivers": op.drivers,
    }
    assert _routes(network, stored, **kw) == _routes(network, built, **kw)


def test_every_edge_comes_back_as_built(bundled: Any) -> None:
    """Each stored edge's data (figures to the last bit, record, recipe) equals the
    build's, and so do the nodes, the states and the build order."""
    eg = graph.build_graph(bundled, include_planned=True)
    back = _stored(eg)
    assert list(back.compiled.nodes) == list(eg.compiled.nodes)
    assert back.states == eg.states
    assert [(u, v) for u, v, _ in back.edges] == [(u, v) for u, v, _ in eg.edges]
    for (_, _, d1), (_, _, d2) in zip(back.edges, eg.edges, strict=True):
        assert d1 == d2
        assert repr(d1) == repr(d2)


@pytest.fixture()
def bundled() -> Any:
    from corridor.format.network import load_network

    return load_network(None, cache=False)


def test_only_networks_loaded_from_files_are_stored(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from corridor.format.network import load_network

    monkeypatch.setenv("CORRIDOR_CACHE_DIR", str(tmp_path))
    net = load_network(None)
    op = costs.DEFAULT_OPERATING
    assert store.graph_key(net, False, op) is not None
    changed = replace(net, links=net.links[:-1])  # same content_hash, other records
    assert store.graph_key(changed, False, op) is None
    # Keys differ by everything the graph depends on.
    keys = {store.graph_key(net, planned, o) for planned in (False, True, frozenset({"x"}))
            for o in (op, costs.Operating(cargo="feu"), costs.Operating(drivers=2))}
    assert len(keys) == 9


def test_a_damaged_entry_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corridor.format.network import load_network

    monkeypatch.setenv("CORRIDOR_CACHE_DIR", str(tmp_path))
    net = load_network(None)
    graph._CACHE.clear()
    first = find_routes(net, "Tashkent", "Karachi", k=1)
    entries = list(tmp_path.glob("network-graph-*.bin"))
    assert len(entries) == 1
    assert store.load(net, False, costs.DEFAULT_OPERATING) is not None
    entries[0].write_bytes(entries[0].read_bytes()[:1000])  # truncated
    assert store.load(net, False, costs.DEFAULT_OPERATING) is None
    graph._CACHE.clear()
    assert find_routes(net, "Tashkent", "Karachi", k=1) == first
