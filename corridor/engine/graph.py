"""The expanded ("virtual network") graph that routing runs on.

Each place is split into one **state** per mode it serves, and per rail gauge for rail:
``State("KZALA", "rail", 1520)``. Edges:

- ``link``: a road, rail or sea link between two states of its mode (both ways unless
  one-way), with the figures of :func:`corridor.engine.costs.link_figures`;
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

The edges are made in one place, the pure generator :func:`expand`; both forms of the graph
are made from its output: the networkx ``DiGraph`` (:attr:`ExpandedGraph.graph`, built on
first use; route searches, alternatives, gateways, pareto and compare run on it) and the
compiled arrays (:attr:`ExpandedGraph.compiled`, :mod:`corridor.engine.compiled`; the single-source
searches of matrix and reach run on them when the weight is one :func:`weight_for` makes).

networkx is imported inside the functions, never at module import.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from corridor.engine import costs
from corridor.engine.planned import Planned, usable
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
    "origin_gate",
    "destination_gate",
    "served_states",
    "crossing_gauges",
    "explain_edge",
    "boards_at",
]

#: Objectives and the precomputed edge weight each one uses (``generalized`` is computed).
OBJECTIVES: dict[str, str | None] = {
    "time": "w_time",
    "cost": "w_cost",
    "distance": "w_distance",
    "co2": "w_co2",
    "generalized": None,
}

#: The engine the single-source searches (matrix, reach) use unless told: ``compiled`` or
#: ``networkx``. Route searches always run on networkx (see docs/operating-model.md).
DEFAULT_ENGINE = "compiled"

#: Relative weight of the tie-break added to each objective's weight.
TIE_BREAK = 1e-6


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

#: Modes of the gate nodes where routes start and end.
ORIGIN_GATE = "@origin"
DESTINATION_GATE = "@destination"

Weight = str | Callable[[Any, Any, dict[str, Any]], float | None]


class Expansion(NamedTuple):
    """What :func:`expand` makes: each place's states (in order of first use) and the
    edges ``(u, v, data)`` in build order. Both graph forms are made from it: the networkx
    ``DiGraph`` (:attr:`ExpandedGraph.graph`) and the compiled arrays
    (:mod:`corridor.engine.compiled`), so the two can never drift apart."""

    states: dict[str, tuple[State, ...]]
    edges: list[tuple[Any, Any, dict[str, Any]]]


@dataclass(frozen=True)
class ExpandedGraph:
    """The expanded graph of ``network`` and an index of each place's states.

    ``graph`` is a ``networkx.DiGraph`` whose nodes are :class:`State` (and private middle
    nodes, 4-tuples, for parallel records), built on first use; ``compiled`` is the same
    graph as arrays (:class:`corridor.engine.compiled.Compiled`), which the single-source searches
    (matrix, reach) run on. Searches on ``graph`` add and remove the virtual :data:`SOURCE`
    and :data:`SINK`, so a graph is not safe to query from several threads at once (a lock
    serializes the library's own searches).
    """

    network: Network
    include_planned: Planned
    op: costs.Operating
    states: dict[str, tuple[State, ...]]
    lock: Any
    #: Every edge ``(u, v, data)`` in build order (:func:`expand`).
    edges: list[tuple[Any, Any, dict[str, Any]]]

    @cached_property
    def graph(self) -> Any:
        """The networkx ``DiGraph``: nodes in the order of :attr:`states` (then middle
        nodes as edges first name them), each node's edges in build order."""
        import networkx as nx

        from corridor.engine.gcutil import gc_paused

        with self.lock, gc_paused():
            G = nx.DiGraph()
            for place_states in self.states.values():
                G.add_nodes_from(place_states)
            G.add_edges_from(self.edges)
        return G

    @cached_property
    def compiled(self) -> Any:
        """The graph as arrays for the compiled engine (:mod:`corridor.engine.compiled`)."""
        from corridor.engine import compiled as engine

        with self.lock:
            return engine.compile_graph(self)

    def edge_data(self, u: Any, v: Any) -> dict[str, Any]:
        """The data of the edge from node ``u`` to node ``v`` (KeyError if none)."""
        if "graph" in self.__dict__:
            d: dict[str, Any] = self.graph._succ[u][v]
            return d
        from corridor.engine import compiled as engine

        c = self.compiled
        data: dict[str, Any] = c.data[engine.edge_index(c, u, v)]
        return data

    def states_of(self, place_id: str) -> tuple[State, ...]:
        return self.states.get(place_id, ())

    def number_of_nodes(self) -> int:
        """Nodes of the graph (states, gates and private middle nodes)."""
        return int(self.compiled.number_of_nodes())

    def endpoints(self, place_id: str, modes: Iterable[str] = (), *, arrive: bool) -> list[Any]:
        """The node where cargo enters (``arrive=False``: the origin gate) or leaves
        (``arrive=True``: the destination gate) the network at a place; empty when the place
        has no states. Which of its modes may be used is the weight's business (``modes``
        is accepted for callers of the first API and ignored): the charges at the gate are
        the same whatever a query allows."""
        if not self.states.get(place_id):
            return []
        return [destination_gate(place_id) if arrive else origin_gate(place_id)]


class StoredExpandedGraph(ExpandedGraph):
    """An :class:`ExpandedGraph` read from the compiled routing cache
    (:mod:`corridor.engine.store`): the same graph, whose ``states``, ``edges`` and
    networkx ``graph`` are made from the stored arrays only when something asks for them.
    Searches run on :attr:`compiled` without them."""

    @classmethod
    def of(cls, c: Any, network: Network, include_planned: Planned, op: costs.Operating,
           lock: Any) -> StoredExpandedGraph:
        obj = object.__new__(cls)
        for name, value in (("network", network), ("include_planned", include_planned),
                            ("op", op), ("lock", lock)):
            object.__setattr__(obj, name, value)
        obj.__dict__["compiled"] = c
        return obj

    @property
    def states(self) -> dict[str, tuple[State, ...]]:
        got = self.__dict__.get("_states")
        if got is None:
            c = self.compiled
            so = c.arrays["state_offsets"]
            got = {c.ids[p]: tuple(c.node(k) for k in range(so[g], so[g + 1]))
                   for g, p in enumerate(c.arrays["state_place"])}
            self.__dict__["_states"] = got
        return got

    @property
    def edges(self) -> list[tuple[Any, Any, dict[str, Any]]]:
        got = self.__dict__.get("_edges")
        if got is None:
            c = self.compiled
            order = c.order
            made: list[Any] = [None] * len(order)
            nodes, targets, data = c.nodes, c.targets, c.data
            for u in range(len(c.offsets) - 1):
                nu = nodes[u]
                for e in range(c.offsets[u], c.offsets[u + 1]):
                    made[order[e]] = (nu, nodes[targets[e]], data[e])
            got = self.__dict__["_edges"] = made
        return got

    @cached_property
    def graph(self) -> Any:
        """The networkx ``DiGraph``, nodes in the stored order (as a build makes them)."""
        import networkx as nx

        from corridor.engine.gcutil import gc_paused

        with self.lock, gc_paused():
            G = nx.DiGraph()
            G.add_nodes_from(self.compiled.nodes)
            G.add_edges_from(self.edges)
        return G

    def states_of(self, place_id: str) -> tuple[State, ...]:
        if "_states" in self.__dict__:
            return self.states.get(place_id, ())
        c = self.compiled
        span = c.group(place_id)
        if span is None:
            return ()
        return tuple(c.node(k) for k in range(*span))

    def endpoints(self, place_id: str, modes: Iterable[str] = (), *, arrive: bool) -> list[Any]:
        if not self.states_of(place_id):
            return []
        return [destination_gate(place_id) if arrive else origin_gate(place_id)]


def departure(place_id: str) -> tuple[str, str, None, str]:
    """The private node that sea links leave ``place_id`` from."""
    return (place_id, "sea", None, "depart")


#: Added to every edge's weights so that, of two routes that tie exactly, the one with fewer
#: edges wins (e.g. boarding a ship straight from the gate rather than through a road state).
HOP = 1e-9


def _edge(fig: costs.Figures, kind: str, ref: object, recipe: tuple[Any, ...] | None = None,
          **extra: object) -> dict[str, Any]:
    d: dict[str, Any] = {
        "kind": kind,
        "ref": ref,
        "recipe": recipe,
        "distance_km": fig.distance_km,
        "hours": fig.hours,
        "cost_usd": fig.cost_usd,
        "co2_kg": fig.co2_kg,
        "moving_hours": fig.moving_hours,
        "rest_hours": fig.rest_hours,
        "wait_hours": fig.wait_hours,
        "excess_hours": fig.excess_hours,
        "w_time": fig.hours + TIE_BREAK * (fig.cost_usd + fig.distance_km) + HOP,
        "w_cost": fig.cost_usd + TIE_BREAK * (fig.hours + fig.distance_km) + HOP,
        "w_distance": fig.distance_km + TIE_BREAK * (fig.hours + fig.cost_usd) + HOP,
        "w_co2": fig.co2_kg + TIE_BREAK * (fig.hours + fig.cost_usd + fig.distance_km) + HOP,
    }
    d.update(extra)
    return d


_ZERO = _edge(costs.Figures(), "virtual", None)
_NOTHING = costs.Figures()


def origin_gate(place_id: str) -> State:
    """The node where cargo is handed over at ``place_id`` to start a route: edges only out
    (no route can pass through it)."""
    return State(place_id, ORIGIN_GATE, None)


def destination_gate(place_id: str) -> State:
    """The node where cargo is handed over at ``place_id`` at the end of a route: edges
    only in."""
    return State(place_id, DESTINATION_GATE, None)


def served_states(network: Network) -> dict[str, dict[State, None]]:
    """The states of each place, whatever the status of the records: one per mode of a link
    that ends there, per gauge for rail (a place *serves* a gauge when a rail link of that
    gauge ends there), plus the road states of road crossings. A rail crossing joins only
    the gauges that both its sides serve. Status decides which records become edges, never
    which states exist, so allowing more records never changes where cargo may change mode
    or gauge. The validator uses the same rule (:func:`corridor.format.checks`)."""
    country = {p.id: p.country for p in network.places}
    states: dict[str, dict[State, None]] = {}
    for lk in network.links:
        if lk.from_id in country and lk.to_id in country:
            g = lk.gauge_mm if lk.mode == "rail" else None
            states.setdefault(lk.from_id, {})[State(lk.from_id, lk.mode, g)] = None
            states.setdefault(lk.to_id, {})[State(lk.to_id, lk.mode, g)] = None
    for c in network.crossings:
        if c.a in country and c.b in country and "road" in c.modes:
            states.setdefault(c.a, {})[State(c.a, "road", None)] = None
            states.setdefault(c.b, {})[State(c.b, "road", None)] = None
    return states


def crossing_gauges(states: dict[str, dict[State, None]], a: str, b: str) -> list[int]:
    """The rail gauges a crossing between ``a`` and ``b`` joins: those both sides serve."""
    def gauges(p: str) -> set[int]:
        return {s.gauge_mm for s in states.get(p, {}) if s.mode == "rail"
                and s.gauge_mm is not None}
    return sorted(gauges(a) & gauges(b))


def build_graph(network: Network, *, include_planned: Planned = False,
                op: costs.Operating = costs.DEFAULT_OPERATING) -> ExpandedGraph:
    """Build the expanded graph of ``network`` for a shipment moved as ``op`` says.

    Uses the links and crossings :func:`corridor.engine.planned.usable` allows: operational ones,
    plus the planned and under-construction ones ``include_planned`` opens (``True``: all;
    a frozenset: those of these projects); never closed ones. Records naming unknown
    places are skipped (the validator reports them). Deterministic: the same network gives
    the same graph, with nodes and edges in the order of the records.
    """
    from corridor.engine.gcutil import gc_paused

    # The build allocates a dict per edge and nothing cyclic: the cyclic garbage collector
    # would only rescan them (about half of the build time on 10^5 places).
    with gc_paused():
        ex = expand(network, include_planned=include_planned, op=op)
    return ExpandedGraph(
        network=network,
        include_planned=include_planned,
        op=op,
        states=ex.states,
        lock=threading.RLock(),
        edges=ex.edges,
    )


def expand(network: Network, *, include_planned: Planned = False,
           op: costs.Operating = costs.DEFAULT_OPERATING) -> Expansion:
    """The states and edges of the expanded graph of ``network`` (see the module doc): a
    pure function of the network, ``include_planned`` and ``op``, the one place where edges
    and their figures are made. networkx is not imported."""
    defaults = network.defaults
    country = {p.id: p.country for p in network.places}
    states = served_states(network)

    links = [
        lk
        for lk in network.links
        if usable(lk, include_planned) and lk.from_id in country and lk.to_id in country
    ]
    crossings = [
        c for c in network.crossings
        if usable(c, include_planned) and c.a in country and c.b in country
    ]
    crossing_modes: list[tuple[Any, str, tuple[int | None, ...]]] = []
    for c in crossings:
        for mode in c.modes:
            if mode not in LAND_MODES:
                continue
            gs: tuple[int | None, ...] = (
                tuple(crossing_gauges(states, c.a, c.b)) if mode == "rail" else (None,))
            if gs:
                crossing_modes.append((c, mode, gs))

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

    # 1. Links. A link is priced by the country of its declared `from` place, both ways.
    #    (networkx copies each data dict, so one dict serves both directions.)
    for lk in links:
        g = lk.gauge_mm if lk.mode == "rail" else None
        a, b = State(lk.from_id, lk.mode, g), State(lk.to_id, lk.mode, g)
        ca = country[lk.from_id]
        fwd = _edge(costs.link_figures(lk, defaults, country=ca, op=op), "link", lk,
                    ("link", lk, ca))
        by_sea = lk.mode == "sea"
        add(departure(a.place) if by_sea else a, b, fwd)
        if not lk.oneway:
            add(departure(b.place) if by_sea else b, a, fwd)

    # 2. Crossings, charged in the direction travelled, on the gauges both sides serve.
    for c, mode, gs in crossing_modes:
        ab = costs.crossing_figures(c, defaults, a_to_b=True, mode=mode, country=country[c.a],
                                    op=op)
        ba = costs.crossing_figures(c, defaults, a_to_b=False, mode=mode, country=country[c.b],
                                    op=op)
        for g in gs:
            sa, sb = State(c.a, mode, g), State(c.b, mode, g)
            add(sa, sb, _edge(ab, "crossing", c, ("crossing", c, True, mode, country[c.a]),
                              xid=c.id))
            add(sb, sa, _edge(ba, "crossing", c, ("crossing", c, False, mode, country[c.b]),
                              xid=c.id))

    # 3. Terminals: transfers (mode or gauge changes) and seaport handling.
    terminal_at: dict[str, Any] = {}
    for t in network.terminals:
        here = tuple(states.get(t.place, {}))
        if not here:
            continue
        terminal_at[t.place] = t
        for i, tr in enumerate(t.transfers):
            tpath = f"terminals.{t.place}.transfers[{i}]"
            figs: dict[str, costs.Figures] = {}

            def fig_onto(mode: str, tr: Any = tr, tpath: str = tpath,
                         figs: dict[str, costs.Figures] = figs) -> costs.Figures:
                if mode not in figs:
                    figs[mode] = costs.transfer_figures(tr, defaults, op=op, to_mode=mode,
                                                        path=tpath)
                return figs[mode]

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
                add(s, d, _edge(fig_onto(d.mode), "transfer", tr,
                                ("transfer", tr, d.mode, tpath)))
                if not tr.oneway:
                    add(d, s, _edge(fig_onto(s.mode), "transfer", tr,
                                    ("transfer", tr, s.mode, tpath)))
        if t.handling is not None:
            hpath = f"terminals.{t.place}.handling"
            exp = costs.handling_figures(t.handling, defaults, direction="export", op=op,
                                         path=hpath)
            imp = costs.handling_figures(t.handling, defaults, direction="import", op=op,
                                         path=hpath)
            seas = [s for s in here if s.mode == "sea"]
            lands = [s for s in here if s.mode != "sea"]
            for sea in seas:
                for land in lands:
                    add(land, departure(sea.place), _edge(
                        exp, "handling", t.handling, ("handling", t.handling, "export", hpath)))
                    add(sea, land, _edge(
                        imp, "handling", t.handling, ("handling", t.handling, "import", hpath)))

    # 4. Transshipment: a ship's arrival continues on another sailing only through the port,
    #    at its handling figures (the default where a port declares none).
    for place_id, place_states in states.items():
        if State(place_id, "sea", None) in place_states:
            h, hpath = _handling_of(terminal_at.get(place_id), place_id)
            fig = costs.handling_figures(h, defaults, direction="transshipment", op=op,
                                         path=hpath)
            add(State(place_id, "sea", None), departure(place_id),
                _edge(fig, "transshipment", h, ("handling", h, "transshipment", hpath)))

    # 5. Gates: where a route starts (origin gate, edges out) and ends (destination gate,
    #    edges in). By road the box is handed over as it is; by rail it is loaded onto (with
    #    the wait for the train) or unloaded from a train at the rail terminal; by sea it
    #    passes the port's handling (export at the start, import at the end). The same
    #    charges apply whatever modes a query allows.
    gate = _edge(costs.Figures(), "gate", None)
    for place_id, place_states in states.items():
        o, dgate = origin_gate(place_id), destination_gate(place_id)
        tm = terminal_at.get(place_id)
        rt = tm.rail_terminal if tm is not None else None
        rpath = f"terminals.{place_id}.rail_terminal"
        rail_load: dict[str, Any] | None = None
        rail_unload: dict[str, Any] = gate
        # Boarding at the gate needs what a land <-> sea change needs: declared port
        # handling, unless the place is served by sea only (an overseas hub, handled at the
        # default figures).
        boards = _boards(tm, place_states)
        for s in place_states:
            if s.mode == "road":
                add(o, s, gate)
                add(s, dgate, gate)
            elif s.mode == "rail":
                if rail_load is None:
                    load = costs.rail_terminal_figures(rt, defaults, loading=True, op=op,
                                                       path=rpath)
                    unload = costs.rail_terminal_figures(rt, defaults, loading=False, op=op,
                                                         path=rpath)
                    # A rail terminal with no figures at all is not a step of its own.
                    rail_load = gate if load == _NOTHING else _edge(
                        load, "terminal", rt, ("terminal", rt, True, rpath))
                    rail_unload = gate if unload == _NOTHING else _edge(
                        unload, "terminal", rt, ("terminal", rt, False, rpath))
                add(o, s, rail_load)
                add(s, dgate, rail_unload)
            elif s.mode == "sea" and boards:
                h, hpath = _handling_of(tm, place_id)
                add(o, departure(place_id), _edge(
                    costs.handling_figures(h, defaults, direction="export", op=op, path=hpath),
                    "handling", h, ("handling", h, "export", hpath)))
                add(s, dgate, _edge(
                    costs.handling_figures(h, defaults, direction="import", op=op, path=hpath),
                    "handling", h, ("handling", h, "import", hpath)))

    return Expansion({p: tuple(st) for p, st in states.items()}, edges)


def _boards(terminal: Any, place_states: Iterable[State]) -> bool:
    return (terminal is not None and terminal.handling is not None) or all(
        s.mode == "sea" for s in place_states)


def boards_at(network: Network, eg: ExpandedGraph, place_id: str) -> bool:
    """Whether a box can pass between land and sea at a place: it declares port handling,
    or it is served by sea only (an overseas hub, handled at the default figures)."""
    tm = next((t for t in network.terminals if t.place == place_id), None)
    states = eg.states_of(place_id)
    return bool(states) and any(s.mode == "sea" for s in states) and _boards(tm, states)


def _handling_of(t: Any, place_id: str) -> tuple[Any, str]:
    h = t.handling if t is not None else None
    return h, (f"terminals.{place_id}.handling" if h is not None else "defaults.handling")


def explain_edge(eg: ExpandedGraph, data: dict[str, Any]) -> costs.Figures:
    """The figures of one edge again, with their components and provenance: the same
    functions the build used, called with ``explain=True``."""
    recipe = data.get("recipe")
    net, op = eg.network, eg.op
    d = net.defaults
    if not recipe:
        return costs.Figures()
    what = recipe[0]
    if what == "link":
        return costs.link_figures(recipe[1], d, country=recipe[2], op=op, explain=True)
    if what == "crossing":
        return costs.crossing_figures(recipe[1], d, a_to_b=recipe[2], mode=recipe[3],
                                      country=recipe[4], op=op, explain=True)
    if what == "transfer":
        return costs.transfer_figures(recipe[1], d, op=op, to_mode=recipe[2], path=recipe[3],
                                      explain=True)
    if what == "handling":
        return costs.handling_figures(recipe[1], d, direction=recipe[2], op=op, path=recipe[3],
                                      explain=True)
    if what == "terminal":
        return costs.rail_terminal_figures(recipe[1], d, loading=recipe[2], op=op,
                                           path=recipe[3], explain=True)
    raise CorridorError(f"unknown edge recipe {what!r}")


# A few recent graphs, keyed by the identity of the network object (held here, so the id
# cannot be reused while cached).
_CACHE: list[tuple[Network, Planned, costs.Operating, ExpandedGraph]] = []
_CACHE_SIZE = 4


def expanded_graph(network: Network, *, include_planned: Planned = False,
                   op: costs.Operating = costs.DEFAULT_OPERATING) -> ExpandedGraph:
    """:func:`build_graph`, cached for the last few networks (by object identity), and,
    for a network as loaded from its files, in the compiled routing cache
    (:mod:`corridor.engine.store`): a later process reads the stored graph instead of
    building it."""
    for net, planned, o, eg in _CACHE:
        if net is network and planned == include_planned and o == op:
            return eg
    from corridor.engine import store

    eg = store.load(network, include_planned, op)
    if eg is None:
        eg = build_graph(network, include_planned=include_planned, op=op)
        store.save(eg)
    _CACHE.insert(0, (network, include_planned, op, eg))
    del _CACHE[_CACHE_SIZE:]
    return eg


class ConstrainedWeight:
    """A networkx weight function that also states its constraints
    (:class:`corridor.engine.compiled.Constraints`), so that the compiled engine can apply them
    without calling it per edge. Called per edge it gives exactly the weight
    :func:`weight_for` documents (``None`` for an edge a constraint excludes)."""

    __slots__ = ("constraints", "_base", "_filtered")

    def __init__(self, constraints: Any) -> None:
        self.constraints = constraints
        k = constraints
        attr = k.attr
        if attr is None:
            vot = float(k.vot)

            def base(d: dict[str, Any]) -> float:
                return float(d["cost_usd"] + vot * d["hours"] + TIE_BREAK * d["distance_km"]
                             + HOP)

        else:

            def base(d: dict[str, Any]) -> float:
                return float(d[attr])

        self._base = base
        self._filtered = (k.modes is not None or bool(k.places) or bool(k.crossings)
                          or k.penalties is not None)

    def __call__(self, u: Any, v: Any, d: dict[str, Any]) -> float | None:
        if not self._filtered:
            return self._base(d)
        k = self.constraints
        if v[0] in k.places or (k.modes is not None and v[1] not in k.modes
                                and v not in k.allow):
            return None
        if k.crossings and d.get("xid") in k.crossings:
            return None
        w = self._base(d)
        if k.penalties is not None:
            w *= k.penalties.get((u, v), 1.0)
        return w


def weight_for(
    eg: ExpandedGraph,
    *,
    objective: str = "time",
    value_of_time_usd_per_hour: float = 0.0,
    modes: Iterable[str] | None = None,
    avoid_places: Iterable[str] = (),
    avoid_crossings: Iterable[str] = (),
    penalties: dict[tuple[Any, Any], float] | None = None,
    allow_nodes: Iterable[Any] = (),
) -> Weight:
    """The networkx weight for ``objective`` under the constraints: a string attribute name
    when nothing is excluded (the fastest case), else a :class:`ConstrainedWeight`
    returning ``None`` for edges into an avoided place or a disallowed mode, or through an
    avoided crossing. The generalized weight is ``cost_usd + vot × hours + TIE_BREAK ×
    distance_km + HOP``, summed in that order.

    ``penalties`` multiplies the weight of the given edges (used to find alternatives);
    edges into ``allow_nodes`` pass the mode filter (a gateway's departure node).
    """
    from corridor.engine.compiled import Constraints

    attr = OBJECTIVES[objective]
    mode_set = None if modes is None else frozenset(modes) | {
        "@virtual", ORIGIN_GATE, DESTINATION_GATE}
    bp = frozenset(avoid_places)
    bx = frozenset(avoid_crossings)
    if attr is not None and mode_set is None and not bp and not bx and penalties is None:
        return attr
    return ConstrainedWeight(Constraints(
        attr=attr, vot=float(value_of_time_usd_per_hour), modes=mode_set, places=bp,
        crossings=bx, penalties=penalties, allow=frozenset(allow_nodes)))


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
    eg: ExpandedGraph, sources: Sequence[Any], targets: Sequence[Any], *, weight: Weight
) -> tuple[float, list[Any]] | None:
    """The lightest path from any of ``sources`` to any of ``targets`` (states), as
    ``(weight, nodes)`` without the virtual endpoints; ``None`` when there is none.

    Searches run on the compiled arrays (:func:`corridor.engine.compiled.shortest_path`, whose
    search rule decides exact ties) whenever the weight is an attribute name or a
    :class:`ConstrainedWeight`, as every weight of :func:`weight_for` is; any other callable
    is searched on the networkx graph (bidirectional Dijkstra, several sources and targets
    joined to a virtual source and sink at zero weight).
    """
    if isinstance(weight, str | ConstrainedWeight):
        from corridor.engine import compiled as engine

        k = (weight.constraints if isinstance(weight, ConstrainedWeight)
             else engine.Constraints(attr=weight))
        with eg.lock:
            return engine.shortest_path(eg.compiled, sources, targets, k)
    import networkx as nx

    G = eg.graph
    sources = [s for s in sources if s in G]
    targets = [t for t in targets if t in G]
    if not sources or not targets:
        return None
    with eg.lock:
        try:
            if len(sources) == 1 and len(targets) == 1:
                s, t = sources[0], targets[0]
                if s == t:
                    return 0.0, [s]
                length, path = nx.bidirectional_dijkstra(G, s, t, weight=weight)
                return float(length), list(path)
            with _endpoints(G, sources, targets):
                length, path = nx.bidirectional_dijkstra(G, SOURCE, SINK, weight=weight)
            return float(length), list(path[1:-1])
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None
        except nx.NetworkXException as err:  # e.g. a negative weight the checks let through
            raise CorridorError(f"routing failed: {err}") from err


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

    A generator, bounded by ``max_paths`` paths (a count: the same graph gives the same paths
    on any machine); close it (or exhaust it) to release the graph. Use only on graphs of
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
    prefetch = getattr(eg.__dict__.get("compiled"), "prefetch", None)
    if prefetch is not None:  # a stored graph: decode the path's records in one pass
        from corridor.engine.compiled import edge_index

        c = eg.compiled
        prefetch([edge_index(c, u, v) for u, v in zip(path, path[1:], strict=False)])
    for u, v in zip(path, path[1:], strict=False):
        d = eg.edge_data(u, v)
        if d["kind"] in ("join", "virtual", "gate"):
            continue
        su = State(*u[:3])
        sv = State(*v[:3])
        steps.append((su, sv, d))
    return steps
