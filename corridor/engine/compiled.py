"""The compiled routing engine: the expanded graph as flat arrays, searched without networkx.

:func:`compile_graph` turns the states and edges of :func:`corridor.engine.graph.expand` (the one
edge generator, shared with the networkx ``DiGraph``) into compressed sparse rows:

- ``nodes``: every node in the networkx node order (each place's states in order of first
  use, then private middle nodes in the order the edges first name them); ``index`` maps a
  node to its number;
- ``offsets`` (one per node, plus one) and ``targets`` (one per edge): the edges leaving node
  ``i`` are ``offsets[i]:offsets[i+1]``, **in build order** (the order networkx keeps too);
- ``data``: each edge's data dict (figures, ``kind``, ``ref``...), read only for the edges of
  an answer; per-objective weights (``w_time``, ``w_cost``, ``w_distance``, ``w_co2``),
  ``hours``, ``cost_usd``, ``distance_km``, ``co2_kg``, ``kind`` and ``xid`` are lifted into
  per-edge columns on first use (searches read only those);
- ``node_place`` and ``node_mode``: what a constraint tests.

A graph built in memory is compiled from the edges of :func:`corridor.engine.graph.expand`, so
the data dicts are the very dicts the networkx graph holds.

**The search rule** (shared by every engine, so the same input gives the same bytes):
Dijkstra from a virtual source joined at weight 0 to each start node, in the order given.
Nodes are settled in order of (weight, order of the push that reached that weight); a
settled node's edges are relaxed in build order; a node's predecessor changes only for a
strictly lighter weight. A single search ends when the first target is settled: that target
and its chain of predecessors are the path. A node with no edges out that is not a target is
never queued (it cannot be on a path to a target), which changes no answer. Exact ties
therefore go to the path found first.

Which searches run here: all of them whose weight is one of
:func:`corridor.engine.graph.weight_for`'s (``route``, ``compare``, alternatives, gateways,
closures, ``matrix``, ``reach``); only Yen's k shortest simple paths (alternatives on small
graphs) and the Pareto labels run on the networkx graph. Graphs of a network loaded from its
files are kept in the compiled routing cache (:mod:`corridor.engine.store`), read back as a
:class:`corridor.engine.store.StoredCompiled` whose columns are made on first use.

Pure Python (lists, :mod:`heapq`): no import cost, and on the expanded graph of 10^5 places
about as fast per settled node as a dict-of-dicts search, with no graph object to build.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Any

__all__ = ["Compiled", "compile_graph", "shortest_path", "edge_index", "Constraints"]

#: Edge figures that may be lifted into per-edge lists.
LIFTED = ("w_time", "w_cost", "w_distance", "w_co2", "hours", "cost_usd", "distance_km",
          "co2_kg")


@dataclass
class Compiled:
    """The expanded graph as arrays (see the module doc)."""

    nodes: list[Any]
    index: dict[Any, int]
    offsets: list[int]
    targets: list[int]
    data: list[dict[str, Any]]
    node_place: list[str]
    node_mode: list[str]
    #: For each edge (CSR position), its position in build order.
    order: list[int] = field(default_factory=list)
    _lifted: dict[str, list[Any]] = field(default_factory=dict)

    def column(self, name: str) -> list[Any]:
        """The per-edge list of the field ``name`` (a figure of :data:`LIFTED`, ``kind``
        or ``xid``)."""
        col = self._lifted.get(name)
        if col is None:
            col = [d.get(name) for d in self.data]
            self._lifted[name] = col
        return col

    def number_of_nodes(self) -> int:
        return len(self.nodes)


def compile_graph(eg: Any) -> Compiled:
    """Compile an :class:`corridor.engine.graph.ExpandedGraph` (its ``states`` and ``edges``)."""
    nodes: list[Any] = [s for place_states in eg.states.values() for s in place_states]
    index: dict[Any, int] = {n: i for i, n in enumerate(nodes)}
    sources: list[int] = []
    dests: list[int] = []
    data: list[dict[str, Any]] = []
    for u, v, d in eg.edges:
        iu = index.get(u)
        if iu is None:
            iu = index[u] = len(nodes)
            nodes.append(u)
        iv = index.get(v)
        if iv is None:
            iv = index[v] = len(nodes)
            nodes.append(v)
        sources.append(iu)
        dests.append(iv)
        data.append(d)
    n = len(nodes)
    # Counting sort by source node, stable: each node's edges stay in build order.
    degree = [0] * (n + 1)
    for iu in sources:
        degree[iu + 1] += 1
    offsets = degree
    for i in range(n):
        offsets[i + 1] += offsets[i]
    fill = offsets[:-1].copy()
    m = len(sources)
    targets = [0] * m
    order = [0] * m
    for k, iu in enumerate(sources):
        pos = fill[iu]
        fill[iu] = pos + 1
        targets[pos] = dests[k]
        order[pos] = k
    return Compiled(
        nodes=nodes,
        index=index,
        offsets=offsets,
        targets=targets,
        data=[data[k] for k in order],
        node_place=[node[0] for node in nodes],
        node_mode=[node[1] for node in nodes],
        order=order,
    )


@dataclass(frozen=True)
class Constraints:
    """What a search may use, as :func:`corridor.engine.graph.weight_for` states it: ``attr`` is
    the weight figure (``None``: generalized cost, ``cost_usd + vot × hours + TIE_BREAK ×
    distance_km``); an edge into a place in ``places`` or a node of a mode outside
    ``modes`` (when given), or an edge whose ``xid`` is in ``crossings``, is not used;
    ``penalties`` multiplies the weight of the edges ``(u, v)`` it names."""

    attr: str | None
    vot: float = 0.0
    modes: frozenset[str] | None = None
    places: frozenset[str] = frozenset()
    crossings: frozenset[str] = frozenset()
    penalties: dict[tuple[Any, Any], float] | None = None
    #: Nodes that pass the mode filter whatever their mode (a gateway's departure node).
    allow: frozenset[Any] = frozenset()


def edge_index(c: Compiled, u: Any, v: Any) -> int:
    """The number of the edge from node ``u`` to node ``v``; raises KeyError if none."""
    iu, iv = c.index[u], c.index[v]
    targets = c.targets
    for e in range(c.offsets[iu], c.offsets[iu + 1]):
        if targets[e] == iv:
            return e
    raise KeyError((u, v))


def _weights(c: Compiled, k: Constraints) -> list[float]:
    if k.attr is not None:
        return c.column(k.attr)
    from corridor.engine.graph import HOP, TIE_BREAK

    vot = k.vot
    cost, hours, km = c.column("cost_usd"), c.column("hours"), c.column("distance_km")
    return [float(cost[e] + vot * hours[e] + TIE_BREAK * km[e] + HOP)
            for e in range(len(cost))]


def _node_mask(c: Compiled, k: Constraints) -> bytearray | None:
    if k.modes is None and not k.places:
        return None
    modes = k.modes
    places = k.places
    allow = k.allow
    return bytearray(
        0 if (p in places or (modes is not None and m not in modes and node not in allow))
        else 1
        for p, m, node in zip(c.node_place, c.node_mode, c.nodes, strict=True)
    )


def _edge_mask(c: Compiled, k: Constraints) -> bytearray | None:
    if not k.crossings:
        return None
    bx = k.crossings
    return bytearray(0 if x in bx else 1 for x in c.column("xid"))


def _penalty(c: Compiled, k: Constraints) -> dict[int, float] | None:
    if k.penalties is None:
        return None
    out: dict[int, float] = {}
    for (u, v), f in k.penalties.items():
        try:
            out[edge_index(c, u, v)] = f
        except KeyError:
            continue
    return out


def shortest_path(
    c: Compiled, sources: Sequence[Any], targets: Iterable[Any], constraints: Constraints
) -> tuple[float, list[Any]] | None:
    """The lightest path from any of ``sources`` to any of ``targets`` (nodes) by the search
    rule of the module doc, as ``(weight, nodes)``; ``None`` when there is none: the
    :func:`search_tree` that stops at the first target settled."""
    index = c.index
    goals = [t for t in targets if t in index]
    if not goals:
        return None
    tree = search_tree(c, sources, constraints, targets=goals, first=True)
    if not tree.order or tree.order[-1] not in tree.goals:
        return None
    v = tree.order[-1]
    path = [v]
    while tree.pred_edge[v] >= 0:
        v = _source_of(c, tree.pred_edge[v])
        path.append(v)
    path.reverse()
    return tree.dist[tree.order[-1]], [c.nodes[i] for i in path]


def _source_of(c: Compiled, e: int) -> int:
    """The node an edge leaves (binary search in the offsets)."""
    from bisect import bisect_right

    return bisect_right(c.offsets, e) - 1


class Tree:
    """A finished search: for each settled node its weight and the edge into it."""

    __slots__ = ("c", "order", "dist", "pred_edge", "settled", "goals")

    def __init__(self, c: Compiled, order: list[int], dist: list[float],
                 pred_edge: list[int], settled: bytearray,
                 goals: frozenset[int] | None = None) -> None:
        self.c = c
        self.order = order
        self.dist = dist
        self.pred_edge = pred_edge
        self.settled = settled
        #: The target nodes the search was given (None: none).
        self.goals = goals if goals is not None else frozenset()

    def get(self, node: Any, default: float | None = None) -> float | None:
        """The weight of ``node`` if the search settled it (a ``dict.get`` look-alike)."""
        i = self.c.index.get(node)
        if i is None or not self.settled[i]:
            return default
        return self.dist[i]

    def path_edges(self, node: Any) -> list[int]:
        """The edges from a start to ``node``, in path order."""
        c = self.c
        v = c.index[node]
        edges: list[int] = []
        e = self.pred_edge[v]
        while e >= 0:
            edges.append(e)
            v = _source_of(c, e)
            e = self.pred_edge[v]
        edges.reverse()
        return edges


def search_tree(
    c: Compiled,
    sources: Sequence[Any],
    constraints: Constraints,
    *,
    cutoff: float | None = None,
    targets: Iterable[Any] | None = None,
    first: bool = False,
) -> Tree:
    """One search from all of ``sources`` by the search rule: ``cutoff`` bounds the weight;
    with ``targets`` it stops once all of them are settled (with ``first``, once one is: it
    is then the last node of ``order``) and never queues a node with no edge out that is not
    a target (so only targets and nodes on the way are settled)."""
    index = c.index
    n = len(c.nodes)
    inf = float("inf")
    seen = [inf] * n
    pred = [-1] * n
    done = bytearray(n)
    order: list[int] = []
    starts = [index[s] for s in dict.fromkeys(sources) if s in index]
    remaining = None if targets is None else {index[t] for t in targets if t in index}
    goals = frozenset(remaining) if remaining is not None else None
    if not starts:
        return Tree(c, order, seen, pred, done, goals)
    W = _weights(c, constraints)
    node_ok = _node_mask(c, constraints)
    edge_ok = _edge_mask(c, constraints)
    pen = _penalty(c, constraints)
    offsets, tgt = c.offsets, c.targets
    limit = inf if cutoff is None else cutoff
    tie = count()
    fringe: list[tuple[float, int, int]] = []
    for s in starts:
        seen[s] = 0.0
        fringe.append((0.0, next(tie), s))
    heapq.heapify(fringe)
    push, pop = heapq.heappush, heapq.heappop
    while fringe:
        d, _, v = pop(fringe)
        if done[v]:
            continue
        done[v] = 1
        order.append(v)
        if remaining is not None and v in remaining:
            remaining.discard(v)
            if first or not remaining:
                break
        for e in range(offsets[v], offsets[v + 1]):
            u = tgt[e]
            if done[u]:
                continue
            if goals is not None and offsets[u] == offsets[u + 1] and u not in goals:
                continue  # a dead end that is not a target: no answer depends on it
            if node_ok is not None and not node_ok[u]:
                continue
            if edge_ok is not None and not edge_ok[e]:
                continue
            w = W[e]
            if pen is not None:
                w *= pen.get(e, 1.0)
            vu = d + w
            if vu > limit:
                continue
            if vu < seen[u]:
                seen[u] = vu
                pred[u] = e
                push(fringe, (vu, next(tie), u))
    return Tree(c, order, seen, pred, done, goals)


def single_source(
    c: Compiled,
    sources: Sequence[Any],
    constraints: Constraints,
    *,
    cutoff: float | None = None,
    targets: Iterable[Any] | None = None,
) -> tuple[dict[Any, Any], dict[Any, float]]:
    """One search from all of ``sources`` by the search rule, as
    :func:`corridor.analysis.matrix.single_source` states it: ``(pred, dist)`` by node, ``dist`` in
    settled order; ``cutoff`` bounds the weight; with ``targets`` it stops once all of them
    are settled."""
    tree = search_tree(c, sources, constraints, cutoff=cutoff, targets=targets)
    nodes = c.nodes
    pred_out: dict[Any, Any] = {}
    dist_out: dict[Any, float] = {}
    for v in tree.order:
        e = tree.pred_edge[v]
        pred_out[nodes[v]] = None if e < 0 else nodes[_source_of(c, e)]
        dist_out[nodes[v]] = tree.dist[v]
    return pred_out, dist_out
