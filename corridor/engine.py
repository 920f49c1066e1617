"""The compiled routing engine: the expanded graph as flat arrays, searched without networkx.

:func:`compile_graph` turns the states and edges of :func:`corridor.graph.expand` (the one
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

A compiled graph is stored in the cache (:mod:`corridor.cache`) as those columns and arrays
only (:func:`to_arrays`, :func:`from_arrays`); the data dicts of an answer's edges are then
made again by the edge generator itself (:class:`Rebuilder`), so stored and fresh data
cannot differ, whatever attributes the generator puts in them.

**The search rule** (shared by every engine, so the same input gives the same bytes):
Dijkstra from a virtual source joined at weight 0 to each start node, in the order given.
Nodes are settled in order of (weight, order of the push that reached that weight); a
settled node's edges are relaxed in build order; a node's predecessor changes only for a
strictly lighter weight. A single search ends when the first target is settled: that target
and its chain of predecessors are the path. Exact ties therefore go to the path found
first. :func:`corridor.graph.shortest_path` follows the same rule on the networkx graph.

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
    """Compile an :class:`corridor.graph.ExpandedGraph` (its ``states`` and ``edges``)."""
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
    )


@dataclass(frozen=True)
class Constraints:
    """What a search may use, as :func:`corridor.graph.weight_for` states it: ``attr`` is
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
    from corridor.graph import TIE_BREAK

    vot = k.vot
    cost, hours, km = c.column("cost_usd"), c.column("hours"), c.column("distance_km")
    return [float(cost[e] + vot * hours[e] + TIE_BREAK * km[e]) for e in range(len(cost))]


def _node_mask(c: Compiled, k: Constraints) -> bytearray | None:
    if k.modes is None and not k.places:
        return None
    modes = k.modes
    places = k.places
    return bytearray(
        0 if (p in places or (modes is not None and m not in modes)) else 1
        for p, m in zip(c.node_place, c.node_mode, strict=True)
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
    rule of the module doc, as ``(weight, nodes)``; ``None`` when there is none."""
    index = c.index
    starts = [index[s] for s in dict.fromkeys(sources) if s in index]
    goals = {index[t] for t in targets if t in index}
    if not starts or not goals:
        return None
    W = _weights(c, constraints)
    node_ok = _node_mask(c, constraints)
    edge_ok = _edge_mask(c, constraints)
    pen = _penalty(c, constraints)
    offsets, tgt = c.offsets, c.targets
    n = len(c.nodes)
    inf = float("inf")
    seen = [inf] * n
    pred = [-1] * n
    done = bytearray(n)
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
        if v in goals:
            path = [v]
            while pred[v] >= 0:
                v = _source_of(c, pred[v])
                path.append(v)
            path.reverse()
            return d, [c.nodes[i] for i in path]
        for e in range(offsets[v], offsets[v + 1]):
            u = tgt[e]
            if done[u]:
                continue
            if node_ok is not None and not node_ok[u]:
                continue
            if edge_ok is not None and not edge_ok[e]:
                continue
            w = W[e]
            if pen is not None:
                w *= pen.get(e, 1.0)
            vu = d + w
            if vu < seen[u]:
                seen[u] = vu
                pred[u] = e
                push(fringe, (vu, next(tie), u))
    return None


def _source_of(c: Compiled, e: int) -> int:
    """The node an edge leaves (binary search in the offsets)."""
    from bisect import bisect_right

    return bisect_right(c.offsets, e) - 1


class Tree:
    """A finished search: for each settled node its weight and the edge into it."""

    __slots__ = ("c", "order", "dist", "pred_edge", "settled")

    def __init__(self, c: Compiled, order: list[int], dist: list[float],
                 pred_edge: list[int], settled: bytearray) -> None:
        self.c = c
        self.order = order
        self.dist = dist
        self.pred_edge = pred_edge
        self.settled = settled

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
) -> Tree:
    """One search from all of ``sources`` by the search rule: ``cutoff`` bounds the weight;
    with ``targets`` it stops once all of them are settled."""
    index = c.index
    n = len(c.nodes)
    inf = float("inf")
    seen = [inf] * n
    pred = [-1] * n
    done = bytearray(n)
    order: list[int] = []
    starts = [index[s] for s in dict.fromkeys(sources) if s in index]
    if not starts:
        return Tree(c, order, seen, pred, done)
    remaining = None if targets is None else {index[t] for t in targets if t in index}
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
        if remaining is not None:
            remaining.discard(v)
            if not remaining:
                break
        for e in range(offsets[v], offsets[v + 1]):
            u = tgt[e]
            if done[u]:
                continue
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
    return Tree(c, order, seen, pred, done)


def single_source(
    c: Compiled,
    sources: Sequence[Any],
    constraints: Constraints,
    *,
    cutoff: float | None = None,
    targets: Iterable[Any] | None = None,
) -> tuple[dict[Any, Any], dict[Any, float]]:
    """One search from all of ``sources`` by the search rule, as
    :func:`corridor.matrix.single_source` states it: ``(pred, dist)`` by node, ``dist`` in
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


# --------------------------------------------------------------------------- stored form
#
# A compiled graph is stored (corridor.cache) as arrays; the edge data dicts are not: the
# records on an answer's path get theirs back from the edge generator itself
# (:class:`Rebuilder`), so stored and fresh data cannot differ.

STORED = LIFTED


def _tag(node: Any) -> Any:
    return node[3] if len(node) == 4 else None


def _is_middle(node: Any) -> bool:
    return len(node) == 4 and isinstance(node[3], str) and node[3].startswith("#")


def to_arrays(c: Compiled, n_states: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The stored form of ``c``: a JSON-able header and typed arrays."""
    import array

    kinds: dict[str, int] = {}
    xids: dict[str, int] = {}
    kind_codes = array.array("h", (kinds.setdefault(d["kind"], len(kinds)) for d in c.data))
    xid_codes = array.array("l", (-1 if d.get("xid") is None
                                  else xids.setdefault(d["xid"], len(xids)) for d in c.data))
    arrays: dict[str, Any] = {
        "offsets": array.array("q", c.offsets),
        "targets": array.array("q", c.targets),
        "kind": kind_codes,
        "xid": xid_codes,
    }
    for name in STORED:
        arrays[name] = array.array("d", c.column(name))
    header = {
        "nodes": [[n[0], n[1], n[2], _tag(n)] for n in c.nodes],
        "n_states": n_states,
        "kinds": list(kinds),
        "xids": list(xids),
    }
    return header, arrays


class _LazyData:
    """Edge data by edge number, made on first use by a :class:`Rebuilder`."""

    def __init__(self, n: int, rebuild: Any) -> None:
        self._n = n
        self._rebuild = rebuild
        self._made: dict[int, dict[str, Any]] = {}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, e: int) -> dict[str, Any]:
        d = self._made.get(e)
        if d is None:
            if not 0 <= e < self._n:
                raise IndexError(e)
            d = self._made[e] = self._rebuild(e)
        return d

    def __iter__(self) -> Any:
        return (self[e] for e in range(self._n))

    def prefetch(self, edges: Iterable[int]) -> None:
        """Make the data of several edges at once (one run of the edge generator)."""
        todo = [e for e in dict.fromkeys(edges) if e not in self._made and 0 <= e < self._n]
        if len(todo) > 1:
            self._made.update(self._rebuild.many(todo))


def from_arrays(header: dict[str, Any], arrays: dict[str, Any], network: Any,
                include_planned: bool) -> tuple[Compiled, dict[str, tuple[Any, ...]]]:
    """A compiled graph (and each place's states) from its stored form; raises on any
    inconsistency (the caller then builds the graph)."""
    from corridor.graph import State

    raw = header["nodes"]
    nodes: list[Any] = [State(p, m, g) if t is None else (p, m, g, t) for p, m, g, t in raw]
    n_states = int(header["n_states"])
    offsets = arrays["offsets"].tolist()
    targets = arrays["targets"].tolist()
    m = len(targets)
    if len(offsets) != len(nodes) + 1 or offsets[-1] != m or not 0 <= n_states <= len(nodes):
        raise ValueError("stored graph: inconsistent sizes")
    if m and not 0 <= min(targets) <= max(targets) < len(nodes):
        raise ValueError("stored graph: edge to no node")
    kinds = header["kinds"]
    xids = header["xids"]
    # The figures stay typed arrays (8 bytes an edge, not a float object each): a search
    # reads few of them, and memory is what limits a one-shot query at 10^5-10^6 places.
    lifted: dict[str, Any] = {name: arrays[name] for name in STORED}
    lifted["kind"] = [kinds[k] for k in arrays["kind"]]
    lifted["xid"] = [None if x < 0 else xids[x] for x in arrays["xid"]]
    if any(len(col) != m for col in lifted.values()):
        raise ValueError("stored graph: inconsistent sizes")
    states: dict[str, list[Any]] = {}
    for s in nodes[:n_states]:
        states.setdefault(s.place, []).append(s)
    c = Compiled(nodes=nodes, index={n: i for i, n in enumerate(nodes)}, offsets=offsets,
                 targets=targets, data=[], node_place=[n[0] for n in nodes],
                 node_mode=[n[1] for n in nodes], _lifted=lifted)
    c.data = _LazyData(m, Rebuilder(network, include_planned, c))  # type: ignore[assignment]
    return c, {p: tuple(s) for p, s in states.items()}


class Rebuilder:
    """Remakes the data of one edge by running the edge generator
    (:func:`corridor.graph.expand`) on the records that can shape it: the links, crossings
    and terminals at its two places, and the links at the far ends of those crossings
    (which decide a rail crossing's gauges). Within that sub-network the records keep their
    order, so the edges between the two states come in the same order as in the whole
    graph, and the edge's rank among them picks it."""

    def __init__(self, network: Any, include_planned: bool, c: Compiled) -> None:
        self.network = network
        self.include_planned = include_planned
        self.c = c
        self._links: dict[str, list[int]] | None = None
        self._crossings: dict[str, list[int]] = {}
        self._terminals: dict[str, list[int]] = {}
        self._places: dict[str, Any] = {}

    def _links_at(self, place_id: str) -> list[int]:
        """Indices of the links at a place: from the cached network's index when it has
        one (its links then stay undecoded), else from one pass over the links."""
        at = getattr(self.network, "links_at", None)
        got = None if at is None else at(place_id)
        if got is not None:
            return list(got)
        return self._index().get(place_id, [])

    def _link(self, i: int) -> Any:
        one = getattr(self.network, "link", None)
        return self.network.links[i] if one is None else one(i)

    def _index(self) -> dict[str, list[int]]:
        if self._links is None:
            links: dict[str, list[int]] = {}
            lazy = getattr(self.network, "links_at", None)
            if lazy is None or lazy("") is None:
                for i, lk in enumerate(self.network.links):
                    links.setdefault(lk.from_id, []).append(i)
                    if lk.to_id != lk.from_id:
                        links.setdefault(lk.to_id, []).append(i)
            for i, x in enumerate(self.network.crossings):
                for p in dict.fromkeys((x.a, x.b)):
                    self._crossings.setdefault(p, []).append(i)
            for i, t in enumerate(self.network.terminals):
                self._terminals.setdefault(t.place, []).append(i)
            self._places = {p.id: p for p in self.network.places}
            self._links = links
        return self._links

    def __call__(self, e: int) -> dict[str, Any]:
        return self.many([e])[e]

    def many(self, edges: list[int]) -> dict[int, dict[str, Any]]:
        """The data of each of ``edges``, from one run of the generator on the records
        at all their places (a superset changes no edge between those places)."""
        from corridor import costs
        from corridor.graph import State, _edge

        c = self.c
        out: dict[int, dict[str, Any]] = {}
        wanted: list[tuple[int, Any, Any, int]] = []
        places: dict[str, None] = {}
        for e in edges:
            iu = _source_of(c, e)
            u = c.nodes[iu]
            t = c.nodes[c.targets[e]]
            if _is_middle(u):
                out[e] = _edge(costs.Figures(), "join", None)
                continue
            v = State(*t[:3]) if _is_middle(t) else t
            rank = sum(1 for f in range(c.offsets[iu], e) if _reaches(c.nodes[c.targets[f]], v))
            wanted.append((e, u, v, rank))
            places[u[0]] = None
            places[v[0]] = None
        if not wanted:
            return out
        found: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
        pairs = {(u, v) for _, u, v, _ in wanted}
        for a, b, d in self._expand(list(places)).edges:
            key = (a, State(*b[:3]) if _is_middle(b) else b)
            if key in pairs:
                found.setdefault(key, []).append(d)
        for e, u, v, rank in wanted:
            out[e] = found[(u, v)][rank]
        return out

    def _expand(self, here: list[str]) -> Any:
        from dataclasses import fields

        from corridor.graph import expand
        from corridor.model import Network

        net = self.network
        self._index()
        xs = sorted({i for p in here for i in self._crossings.get(p, ())})
        ends = set(here) | {p for i in xs for p in (net.crossings[i].a, net.crossings[i].b)}
        ls = sorted({i for p in ends for i in self._links_at(p)})
        links = [self._link(i) for i in ls]
        ts = sorted({i for p in here for i in self._terminals.get(p, ())})
        wanted = ends | {q for lk in links for q in (lk.from_id, lk.to_id)}
        sub = Network(
            **{f.name: getattr(net, f.name) for f in fields(Network)
               if f.name not in ("places", "links", "crossings", "terminals")},
            places=tuple(self._places[q] for q in sorted(wanted) if q in self._places),
            links=tuple(links),
            crossings=tuple(net.crossings[i] for i in xs),
            terminals=tuple(net.terminals[i] for i in ts),
        )
        return expand(sub, include_planned=self.include_planned)


def _reaches(node: Any, v: Any) -> bool:
    """Whether an edge into ``node`` arrives at state ``v`` (directly or through one of
    v's private middle nodes)."""
    return bool(node == v or (_is_middle(node) and tuple(node[:3]) == tuple(v)))
