"""The expanded ("virtual network") graph that routing runs on.

Each place is split into one **state** per mode it serves, and per rail gauge for rail:
``State("KZALA", "rail", 1520)``. Edges:

- ``link``: a road, rail or sea link between two states of its mode (both ways unless
  one-way), with the figures of :func:`corridor.costs.link_figures`;
- ``crossing``: a border crossing between the same mode (and, for rail, gauge) on both
  sides, charged with the dwell time and fees of the direction travelled;
- ``transfer``: a change of mode or rail gauge at a place whose terminal allows it;
- ``handling``: land <-> sea at a port (its terminal's ``handling``, else the default);
- ``transshipment``: ship to ship at a port, charged the port's handling.

Sea links leave from a private **departure node** ``(place, "sea", None, "depart")`` and
arrive at the sea state ``State(place, "sea")``. A container that arrives by sea therefore
pays handling to go ashore or transshipment to sail on, and one that starts ashore pays
handling to board. Where cargo enters or leaves the network is decided in one place,
:meth:`ExpandedGraph.endpoints`: at a place with land states, ashore (so ports charge
handling); at a place with only sea links (an overseas hub such as Jebel Ali), on board,
with no handling there.

Every edge carries ``distance_km``, ``hours``, ``cost_usd``, ``co2_kg``, ``moving_hours``,
``kind`` and ``ref`` (the model record it comes from), plus one precomputed weight per
objective (``w_time``, ``w_cost``, ``w_distance``, ``w_co2``: the figure plus a tiny
tie-break on the others so that free steps are not taken for nothing). A crossing edge also
has ``xid``, the crossing id. When two records join the same pair of states (two parallel
road links), the second goes through a private middle node so that the graph stays a
``DiGraph``; :func:`edge_steps` hides that detail.

Closed links and crossings are never in the graph; planned and under-construction ones only
with ``include_planned=True``. Build once per network (:func:`expanded_graph` caches) and
query many times: the search functions here take the graph first and options keyword-only,
and never let a networkx exception escape.

networkx is imported inside the functions, never at module import.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from corridor import costs
from corridor.errors import CorridorError
from corridor.model import LAND_MODES, Network

__all__ = [
    "State",
    "ExpandedGraph",
    "OBJECTIVES",
    "Weight",
    "Expansion",
    "build_graph",
    "expand",
    "expanded_graph",
    "weight_for",
    "shortest_path",
    "path_weight",
    "simple_paths",
    "edge_steps",
    "SOURCE",
    "SINK",
    "departure",
]

#: Objectives and the precomputed edge weight each one uses (``generalized`` is computed).
OBJECTIVES: dict[str, str | None] = {
    "time": "w_time",
    "cost": "w_cost",
    "distance": "w_distance",
    "co2": "w_co2",
    "generalized": None,
}

#: The engine :func:`shortest_path` uses unless told: ``compiled`` or ``networkx``.
DEFAULT_ENGINE = "compiled"

#: Relative weight of the tie-break added to each objective's weight.
TIE_BREAK = 1e-6

USABLE = frozenset({"operational"})
USABLE_PLANNED = frozenset({"operational", "planned", "under_construction"})


class State(NamedTuple):
    """One node of the expanded graph: a place in one mode (and rail gauge)."""

    place: str
    mode: str
    gauge_mm: int | None = None

    def label(self) -> str:
        if self.gauge_mm is not None:
            return f"{self.place}/{self.mode}-{self.gauge_mm}"
        return f"{self.place}/{self.mode}"


#: Virtual endpoints, added only for the duration of one search: the source has edges only
#: out (to the origin's states), the sink only in, so no route can pass through them.
SOURCE = State("\x00source", "@virtual", None)
SINK = State("\x00sink", "@virtual", None)

Weight = str | Callable[[Any, Any, dict[str, Any]], float | None]


class Expansion(NamedTuple):
    """What :func:`expand` makes: each place's states (in order of first use) and the
    edges ``(u, v, data)`` in build order. Both graph forms are made from it: the networkx
    ``DiGraph`` (:attr:`ExpandedGraph.graph`) and the compiled arrays
    (:mod:`corridor.engine`), so the two can never drift apart."""

    states: dict[str, tuple[State, ...]]
    edges: list[tuple[Any, Any, dict[str, Any]]]


@dataclass(frozen=True)
class ExpandedGraph:
    """The expanded graph of ``network`` and an index of each place's states.

    ``graph`` is a ``networkx.DiGraph`` whose nodes are :class:`State` (and private middle
    nodes, 4-tuples, for parallel records), built on first use; ``compiled`` is the same
    graph as arrays (:class:`corridor.engine.Compiled`), which single routes search.
    Searches on ``graph`` add and remove the virtual :data:`SOURCE` and :data:`SINK`, so a
    graph is not safe to query from several threads at once (a lock serializes the
    library's own searches).
    """

    network: Network
    include_planned: bool
    states: dict[str, tuple[State, ...]]
    lock: Any
    #: The edges when already made (else :attr:`edges` runs :func:`expand` on first use),
    #: and the compiled form when it came from the cache.
    prebuilt_edges: list[tuple[Any, Any, dict[str, Any]]] | None = None
    prebuilt_compiled: Any = None

    @cached_property
    def edges(self) -> list[tuple[Any, Any, dict[str, Any]]]:
        """Every edge ``(u, v, data)`` in build order (:func:`expand`)."""
        if self.prebuilt_edges is not None:
            return self.prebuilt_edges
        from corridor.gcutil import gc_paused

        with self.lock, gc_paused():
            return expand(self.network, include_planned=self.include_planned).edges

    @cached_property
    def graph(self) -> Any:
        """The networkx ``DiGraph``: nodes in the order of :attr:`states` (then middle
        nodes as edges first name them), each node's edges in build order."""
        import networkx as nx

        from corridor.gcutil import gc_paused

        with self.lock, gc_paused():
            G = nx.DiGraph()
            for place_states in self.states.values():
                G.add_nodes_from(place_states)
            G.add_edges_from(self.edges)
        return G

    def edge_data(self, u: Any, v: Any) -> dict[str, Any]:
        """The data of the edge from node ``u`` to node ``v`` (KeyError if none)."""
        if "graph" in self.__dict__:
            d: dict[str, Any] = self.graph._succ[u][v]
            return d
        from corridor import engine

        c = self.compiled
        data: dict[str, Any] = c.data[engine.edge_index(c, u, v)]
        return data

    @cached_property
    def compiled(self) -> Any:
        """The graph as arrays for the compiled engine (:mod:`corridor.engine`)."""
        if self.prebuilt_compiled is not None:
            return self.prebuilt_compiled
        from corridor import engine

        with self.lock:
            return engine.compile_graph(self)

    def states_of(self, place_id: str) -> tuple[State, ...]:
        return self.states.get(place_id, ())

    def endpoints(self, place_id: str, modes: Iterable[str], *, arrive: bool) -> list[Any]:
        """The nodes where cargo leaves from (``arrive=False``) or arrives at
        (``arrive=True``) a place, given the allowed ``modes``.

        Ashore, in the place's land states of an allowed mode, when it has any: a container
        bound for or from a port is handed over at the gate, so the port's handling is
        charged. Otherwise on board (a place with only sea links, or a query allowing only
        sea): the departure node or the arrival sea state, with no handling.
        """
        allowed = set(modes)
        states = self.states_of(place_id)
        ashore = [s for s in states if s.mode != "sea" and s.mode in allowed]
        if ashore:
            return ashore
        if "sea" not in allowed:
            return []
        seas = [s for s in states if s.mode == "sea"]
        return list(seas) if arrive else [departure(s.place) for s in seas]


def departure(place_id: str) -> tuple[str, str, None, str]:
    """The private node that sea links leave ``place_id`` from."""
    return (place_id, "sea", None, "depart")


def _edge(fig: costs.Figures, kind: str, ref: object, **extra: object) -> dict[str, Any]:
    d: dict[str, Any] = {
        "kind": kind,
        "ref": ref,
        "distance_km": fig.distance_km,
        "hours": fig.hours,
        "cost_usd": fig.cost_usd,
        "co2_kg": fig.co2_kg,
        "moving_hours": fig.moving_hours,
        "w_time": fig.hours + TIE_BREAK * (fig.cost_usd + fig.distance_km),
        "w_cost": fig.cost_usd + TIE_BREAK * (fig.hours + fig.distance_km),
        "w_distance": fig.distance_km + TIE_BREAK * (fig.hours + fig.cost_usd),
        "w_co2": fig.co2_kg + TIE_BREAK * (fig.hours + fig.cost_usd + fig.distance_km),
    }
    d.update(extra)
    return d


_ZERO = _edge(costs.Figures(), "virtual", None)


def build_graph(network: Network, *, include_planned: bool = False) -> ExpandedGraph:
    """Build the expanded graph of ``network``.

    Uses operational links and crossings, plus planned and under-construction ones when
    ``include_planned``; never closed ones. Records naming unknown places are skipped (the
    validator reports them). Deterministic: the same network gives the same graph, with
    nodes and edges in the order of the records. networkx is imported only when
    :attr:`ExpandedGraph.graph` is first used.
    """
    from corridor.gcutil import gc_paused

    # The build allocates a dict per edge and nothing cyclic: the cyclic garbage collector
    # would only rescan them (about half of the build time on 10^5 places).
    with gc_paused():
        ex = expand(network, include_planned=include_planned)
    return ExpandedGraph(
        network=network,
        include_planned=include_planned,
        states=ex.states,
        lock=threading.RLock(),
        prebuilt_edges=ex.edges,
    )


def expand(network: Network, *, include_planned: bool = False) -> Expansion:
    """The states and edges of the expanded graph of ``network`` (see the module doc): a
    pure function of the network, the one place where edges and their figures are made."""
    usable = USABLE_PLANNED if include_planned else USABLE
    defaults = network.defaults
    country = {p.id: p.country for p in network.places}

    # 1. States: every usable link end; every usable crossing end in its land modes.
    states: dict[str, dict[State, None]] = {}

    def add_state(s: State) -> None:
        states.setdefault(s.place, {})[s] = None

    links = [
        lk
        for lk in network.links
        if lk.status in usable and lk.from_id in country and lk.to_id in country
    ]
    for lk in links:
        g = lk.gauge_mm if lk.mode == "rail" else None
        add_state(State(lk.from_id, lk.mode, g))
        add_state(State(lk.to_id, lk.mode, g))
    crossings = [
        c for c in network.crossings if c.status in usable and c.a in country and c.b in country
    ]
    crossing_gauges: list[tuple[Any, str, tuple[int | None, ...]]] = []
    for c in crossings:
        for mode in c.modes:
            if mode not in LAND_MODES:
                continue
            if mode == "rail":
                gauges = sorted(
                    {
                        s.gauge_mm
                        for p in (c.a, c.b)
                        for s in states.get(p, {})
                        if s.mode == "rail" and s.gauge_mm is not None
                    }
                )
                if not gauges:
                    continue
                gs: tuple[int | None, ...] = tuple(gauges)
            else:
                gs = (None,)
            crossing_gauges.append((c, mode, gs))
    for c, mode, gs in crossing_gauges:
        for g in gs:
            add_state(State(c.a, mode, g))
            add_state(State(c.b, mode, g))

    serial = 0
    seen: set[tuple[Any, Any]] = set()
    edges: list[tuple[Any, Any, dict[str, Any]]] = []
    join = _edge(costs.Figures(), "join", None)

    def add(u: Any, v: Any, data: dict[str, Any]) -> None:
        nonlocal serial
        if (u, v) not in seen:
            seen.add((u, v))
            edges.append((u, v, data))
            return
        serial += 1
        mid = (v.place, v.mode, v.gauge_mm, f"#{serial}")
        edges.append((u, mid, data))
        edges.append((mid, v, join))

    # 2. Links. (networkx copies each data dict, so one dict may serve both directions.)
    for lk in links:
        g = lk.gauge_mm if lk.mode == "rail" else None
        a, b = State(lk.from_id, lk.mode, g), State(lk.to_id, lk.mode, g)
        ca, cb = country[lk.from_id], country[lk.to_id]
        fwd = _edge(costs.link_figures(lk, defaults, country=ca), "link", lk)
        by_sea = lk.mode == "sea"
        add(departure(a.place) if by_sea else a, b, fwd)
        if not lk.oneway:
            rev = fwd if ca == cb else _edge(costs.link_figures(lk, defaults, country=cb),
                                             "link", lk)
            add(departure(b.place) if by_sea else b, a, rev)

    # 3. Crossings, charged in the direction travelled.
    for c, mode, gs in crossing_gauges:
        ab = costs.crossing_figures(c, defaults, a_to_b=True, mode=mode, country=country[c.a])
        ba = costs.crossing_figures(c, defaults, a_to_b=False, mode=mode, country=country[c.b])
        for g in gs:
            sa, sb = State(c.a, mode, g), State(c.b, mode, g)
            add(sa, sb, _edge(ab, "crossing", c, xid=c.id))
            add(sb, sa, _edge(ba, "crossing", c, xid=c.id))

    # 4. Terminals: transfers (mode or gauge changes) and seaport handling.
    for t in network.terminals:
        here = tuple(states.get(t.place, {}))
        if not here:
            continue
        for tr in t.transfers:
            fig = costs.transfer_figures(tr, defaults)
            pairs = [
                (s, d)
                for s in here
                if s.mode == tr.from_mode
                and (tr.from_gauge_mm is None or s.gauge_mm == tr.from_gauge_mm)
                for d in here
                if d.mode == tr.to_mode
                and (tr.to_gauge_mm is None or d.gauge_mm == tr.to_gauge_mm)
                and d != s
            ]
            for s, d in pairs:
                add(s, d, _edge(fig, "transfer", tr))
                if not tr.oneway:
                    add(d, s, _edge(fig, "transfer", tr))
        if t.handling is not None:
            fig = costs.handling_figures(t.handling, defaults)
            seas = [s for s in here if s.mode == "sea"]
            lands = [s for s in here if s.mode != "sea"]
            for sea in seas:
                for land in lands:
                    add(land, departure(sea.place), _edge(fig, "handling", t.handling))
                    add(sea, land, _edge(fig, "handling", t.handling))

    # 5. Transshipment: a ship's arrival continues on another sailing only through the port,
    #    at its handling figures (the default where a port declares none).
    handling_at = {t.place: t.handling for t in network.terminals if t.handling is not None}
    for place_id, place_states in states.items():
        if State(place_id, "sea", None) in place_states:
            fig = costs.handling_figures(handling_at.get(place_id), defaults)
            add(State(place_id, "sea", None), departure(place_id),
                _edge(fig, "transshipment", handling_at.get(place_id)))

    return Expansion({p: tuple(st) for p, st in states.items()}, edges)


# A few recent graphs, keyed by the identity of the network object (held here, so the id
# cannot be reused while cached).
_CACHE: list[tuple[Network, bool, ExpandedGraph]] = []
_CACHE_SIZE = 4


def expanded_graph(network: Network, *, include_planned: bool = False) -> ExpandedGraph:
    """:func:`build_graph`, cached for the last few networks (by object identity)."""
    for net, planned, eg in _CACHE:
        if net is network and planned == include_planned:
            return eg
    stored = _stored_graph(network, include_planned)
    if stored is None:
        eg = build_graph(network, include_planned=include_planned)
        _store_graph(eg)
    else:
        eg = stored
    _CACHE.insert(0, (network, include_planned, eg))
    del _CACHE[_CACHE_SIZE:]
    return eg


class ConstrainedWeight:
    """A networkx weight function that also states its constraints
    (:class:`corridor.engine.Constraints`), so that the compiled engine can apply them
    without calling it per edge."""

    __slots__ = ("constraints", "_base")

    def __init__(self, constraints: Any) -> None:
        self.constraints = constraints
        attr = constraints.attr
        if attr is None:
            vot = float(constraints.vot)

            def base(d: dict[str, Any]) -> float:
                return float(d["cost_usd"] + vot * d["hours"] + TIE_BREAK * d["distance_km"])

        else:

            def base(d: dict[str, Any]) -> float:
                return float(d[attr])

        self._base = base

    def __call__(self, u: Any, v: Any, d: dict[str, Any]) -> float | None:
        k = self.constraints
        if v[0] in k.places or (k.modes is not None and v[1] not in k.modes):
            return None
        if k.crossings and d.get("xid") in k.crossings:
            return None
        w = self._base(d)
        if k.penalties is not None:
            w *= k.penalties.get((u, v), 1.0)
        return w


def _stored_graph(network: Network, include_planned: bool) -> ExpandedGraph | None:
    """The compiled graph of a network loaded through the cache, from the cache."""
    from corridor import cache

    key = cache.graph_key(network, include_planned)
    got = None if key is None else cache.get_graph(key)
    if got is None:
        return None
    from corridor import engine
    from corridor.gcutil import gc_paused

    try:
        with gc_paused():
            c, states = engine.from_arrays(*got, network, include_planned)
    except Exception:  # noqa: BLE001 - a malformed entry: build the graph instead
        return None
    return ExpandedGraph(network=network, include_planned=include_planned, states=states,
                         lock=threading.RLock(), prebuilt_compiled=c)


def _store_graph(eg: ExpandedGraph) -> None:
    """Keep the compiled graph of a network loaded through the cache; never raises."""
    from corridor import cache

    key = cache.graph_key(eg.network, eg.include_planned)
    if key is None:
        return
    from corridor import engine

    n_states = sum(len(s) for s in eg.states.values())
    cache.put_graph(key, *engine.to_arrays(eg.compiled, n_states))


def weight_for(
    eg: ExpandedGraph,
    *,
    objective: str = "time",
    value_of_time_usd_per_hour: float = 0.0,
    modes: Iterable[str] | None = None,
    avoid_places: Iterable[str] = (),
    avoid_crossings: Iterable[str] = (),
    penalties: dict[tuple[Any, Any], float] | None = None,
) -> Weight:
    """The networkx weight for ``objective`` under the constraints: a string attribute name
    when nothing is excluded (the fastest case), else a :class:`ConstrainedWeight`
    returning ``None`` for edges into an avoided place or a disallowed mode, or through an
    avoided crossing.

    ``penalties`` multiplies the weight of the given edges (used to find alternatives).
    """
    from corridor.engine import Constraints

    attr = OBJECTIVES[objective]
    mode_set = None if modes is None else frozenset(modes) | {"@virtual"}
    bp = frozenset(avoid_places)
    bx = frozenset(avoid_crossings)
    if attr is not None and mode_set is None and not bp and not bx and penalties is None:
        return attr
    return ConstrainedWeight(Constraints(
        attr=attr, vot=float(value_of_time_usd_per_hour), modes=mode_set, places=bp,
        crossings=bx, penalties=penalties))


def _wfunc(G: Any, weight: Weight) -> Callable[[Any, Any, dict[str, Any]], float | None]:
    if callable(weight):
        return weight
    return lambda u, v, d: d.get(weight, 0.0)


@contextmanager
def _endpoints(G: Any, sources: Sequence[Any], targets: Sequence[Any]) -> Iterator[None]:
    G.add_edges_from((SOURCE, s, _ZERO) for s in sources)
    G.add_edges_from((t, SINK, _ZERO) for t in targets)
    try:
        yield
    finally:
        if SOURCE in G:
            G.remove_node(SOURCE)
        if SINK in G:
            G.remove_node(SINK)


def shortest_path(
    eg: ExpandedGraph,
    sources: Sequence[Any],
    targets: Sequence[Any],
    *,
    weight: Weight,
    engine: str | None = None,
) -> tuple[float, list[Any]] | None:
    """The lightest path from any of ``sources`` to any of ``targets`` (states), as
    ``(weight, nodes)``; ``None`` when there is none.

    Both engines follow the search rule of :mod:`corridor.engine` (ties go to the path
    found first), so they give the same path: ``compiled`` (the default,
    :data:`DEFAULT_ENGINE`) searches the arrays of :attr:`ExpandedGraph.compiled`,
    ``networkx`` the ``DiGraph`` (and serves any other weight function than those
    :func:`weight_for` makes).
    """
    from corridor import engine as compiled_engine

    if (engine or DEFAULT_ENGINE) == "compiled" and (isinstance(weight, str | ConstrainedWeight)):
        k = weight.constraints if isinstance(weight, ConstrainedWeight) else \
            compiled_engine.Constraints(attr=weight)
        try:
            return compiled_engine.shortest_path(eg.compiled, sources, targets, k)
        except TypeError as err:  # e.g. a figure the checks let through as non-numeric
            raise CorridorError(f"routing failed: {err}") from err
    return _nx_shortest_path(eg, sources, targets, weight)


def _nx_shortest_path(
    eg: ExpandedGraph, sources: Sequence[Any], targets: Sequence[Any], weight: Weight
) -> tuple[float, list[Any]] | None:
    """:func:`shortest_path` on the networkx graph, by the same search rule."""
    import heapq
    from itertools import count

    G = eg.graph
    starts = [s for s in dict.fromkeys(sources) if s in G]
    goals = {t for t in targets if t in G}
    if not starts or not goals:
        return None
    w = _wfunc(G, weight)
    seen: dict[Any, float] = {}
    pred: dict[Any, Any] = {}
    done: set[Any] = set()
    tie = count()
    fringe: list[tuple[float, int, Any]] = []
    for s in starts:
        seen[s] = 0.0
        pred[s] = None
        fringe.append((0.0, next(tie), s))
    heapq.heapify(fringe)
    succ = G._succ
    with eg.lock:
        while fringe:
            d, _, v = heapq.heappop(fringe)
            if v in done:
                continue
            done.add(v)
            if v in goals:
                path = [v]
                while pred[v] is not None:
                    v = pred[v]
                    path.append(v)
                path.reverse()
                return d, path
            for u, e in succ[v].items():
                if u in done:
                    continue
                x = w(v, u, e)
                if x is None:
                    continue
                vu = d + x
                if u not in seen or vu < seen[u]:
                    seen[u] = vu
                    pred[u] = v
                    heapq.heappush(fringe, (vu, next(tie), u))
    return None


def path_weight(eg: ExpandedGraph, path: Sequence[Any], *, weight: Weight) -> float:
    """Sum of ``weight`` over the edges of ``path`` (``inf`` if an edge is hidden)."""
    G = eg.graph
    w = _wfunc(G, weight)
    total = 0.0
    for u, v in zip(path, path[1:], strict=False):
        x = w(u, v, G[u][v])
        if x is None:
            return float("inf")
        total += x
    return total


def simple_paths(
    eg: ExpandedGraph,
    sources: Sequence[Any],
    targets: Sequence[Any],
    *,
    weight: Weight,
    max_paths: int,
) -> Generator[list[Any], None, None]:
    """Simple paths from ``sources`` to ``targets`` in order of increasing weight (Yen's
    algorithm, networkx ``shortest_simple_paths``), without the virtual endpoints.

    A generator, bounded by ``max_paths`` paths (a count: no answer depends on the clock);
    close it (or exhaust it) to release the graph. Use only on graphs of
    modest size: each path costs a Dijkstra per node of the previous one.
    """
    import networkx as nx

    G = eg.graph
    sources = [s for s in sources if s in G]
    targets = [t for t in targets if t in G]
    if not sources or not targets:
        return
    with eg.lock, _endpoints(G, sources, targets):
        try:
            paths = nx.shortest_simple_paths(G, SOURCE, SINK, weight=weight)
            for n, path in enumerate(paths, 1):
                yield list(path[1:-1])
                if n >= max_paths:
                    return
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return
        except nx.NetworkXException as err:
            raise CorridorError(f"routing failed: {err}") from err


def edge_steps(eg: ExpandedGraph, path: Sequence[Any]) -> list[tuple[State, State, dict[str, Any]]]:
    """The steps of a path as ``(from_state, to_state, edge_data)``, with private middle
    nodes folded away (a step into a middle node ends at the state it joins)."""
    steps: list[tuple[State, State, dict[str, Any]]] = []
    if "graph" not in eg.__dict__:
        prefetch = getattr(eg.compiled.data, "prefetch", None)
        if prefetch is not None:  # a stored graph: make the path's edge data in one go
            from corridor import engine

            prefetch([engine.edge_index(eg.compiled, u, v)
                      for u, v in zip(path, path[1:], strict=False)])
    for u, v in zip(path, path[1:], strict=False):
        d = eg.edge_data(u, v)
        if d["kind"] in ("join", "virtual"):
            continue
        su = State(*u[:3])
        sv = State(*v[:3])
        steps.append((su, sv, d))
    return steps
