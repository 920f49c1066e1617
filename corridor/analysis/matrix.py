"""Origin–destination matrices: time, cost, distance and CO2 between many places.

>>> m = od_matrix(net, ["UZTAS", "KZALA"], ["PKKHI", "PKGWD"], objective="cost")  # doctest: +SKIP
>>> m.cell("UZTAS", "PKKHI").cost_usd                                           # doctest: +SKIP

One **single-source search per origin**: Dijkstra from all of the origin's states (road,
rail, sea) at once, as from a virtual source joined to each at zero weight, over the expanded
graph (:mod:`corridor.engine.graph`); it stops as soon as every destination's states are settled.
Each destination then reads its path from the predecessor tree and sums the figures of its
edges. Units live in names (``hours``, ``cost_usd``, ``distance_km``, ``co2_kg``); cost and
CO2 are for the whole shipment, as in :func:`corridor.engine.routing.find_route`, whose routes these
figures equal.

This module also holds the single-source search :mod:`corridor.analysis.reach` shares; the query
options are in :mod:`corridor.engine.options`. The search is a plain heap-based
Dijkstra over the graph's adjacency (networkx is needed only to build the graph).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from corridor.engine import costs, graph
from corridor.engine.options import (
    QueryOptions,
    blocked_places,
    check_options,
    provenance_of,
    weight_of,
)
from corridor.engine.places import place_index
from corridor.engine.planned import PlannedArg
from corridor.engine.routing import (
    DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    Avoid,
    PlaceRef,
    Provenance,
)
from corridor.errors import UsageError
from corridor.model import Network, Place

__all__ = [
    "QueryOptions",
    "Cell",
    "Matrix",
    "od_matrix",
    "places_of_kind",
]


@dataclass(frozen=True, slots=True)
class Cell:
    """One origin–destination pair. Figures are ``None`` when ``reachable`` is false.

    ``hours`` is the transit time (planning figure) and ``p90_hours`` the pessimistic one
    (as :attr:`corridor.engine.routing.Totals.p90_hours`), ``cost_usd`` and ``co2_kg`` are for the
    shipment, ``borders_crossed`` counts border crossings, ``objective_value`` is the figure
    the route was chosen by (as :attr:`corridor.engine.routing.Totals.objective_value`).
    """

    origin: str
    destination: str
    reachable: bool
    distance_km: float | None = None
    hours: float | None = None
    cost_usd: float | None = None
    co2_kg: float | None = None
    borders_crossed: int | None = None
    objective_value: float | None = None
    p90_hours: float | None = None

    @property
    def days(self) -> float | None:
        return None if self.hours is None else self.hours / 24.0


@dataclass(frozen=True, slots=True)
class Matrix:
    """Origins × destinations, ``cells`` row by row (origin-major) in the order given."""

    origins: tuple[PlaceRef, ...]
    destinations: tuple[PlaceRef, ...]
    objective: str
    options: QueryOptions
    cells: tuple[Cell, ...]
    provenance: Provenance

    def cell(self, origin: str, destination: str) -> Cell:
        """The cell for two place ids; raises ``KeyError`` when either is not in the matrix."""
        oids = [p.id for p in self.origins]
        dids = [p.id for p in self.destinations]
        if origin not in oids or destination not in dids:
            raise KeyError((origin, destination))
        return self.cells[oids.index(origin) * len(dids) + dids.index(destination)]

    def rows(self) -> Iterator[tuple[PlaceRef, tuple[Cell, ...]]]:
        """Each origin with its row of cells."""
        n = len(self.destinations)
        for i, o in enumerate(self.origins):
            yield o, self.cells[i * n : (i + 1) * n]


# --------------------------------------------------------------------------- shared


def single_source(
    eg: graph.ExpandedGraph,
    sources: Sequence[Any],
    *,
    weight: graph.Weight,
    cutoff: float | None = None,
    targets: Iterable[Any] | None = None,
) -> tuple[dict[Any, Any], dict[Any, float]]:
    """One Dijkstra search from all of ``sources`` (states) at once, as if from a virtual
    source joined to each at zero weight.

    Returns ``(pred, dist)``: ``dist`` maps each settled node to its weight, in the order
    the search settled them (so a node's predecessor always comes before it); ``pred[node]``
    is the node before it on its path (``None`` for a source). An edge whose weight
    function returns ``None`` is not used. ``cutoff`` bounds the weight searched; with
    ``targets`` the search stops as soon as all of them are settled. Ties keep the first
    path found, which follows the graph's (deterministic) edge order: the search rule of
    :mod:`corridor.engine.compiled`, which runs it on the compiled arrays when the weight is one
    :func:`graph.weight_for` makes (the networkx graph serves other weight functions, or
    ``graph.DEFAULT_ENGINE = "networkx"``).
    """
    import heapq
    from itertools import count

    if graph.DEFAULT_ENGINE == "compiled" and isinstance(weight, str | graph.ConstrainedWeight):
        from corridor.engine import compiled as engine

        k = weight.constraints if isinstance(weight, graph.ConstrainedWeight) else \
            engine.Constraints(attr=weight)
        return engine.single_source(eg.compiled, sources, k, cutoff=cutoff, targets=targets)
    G = eg.graph
    starts = [s for s in dict.fromkeys(sources) if s in G]
    pred: dict[Any, Any] = {}
    dist: dict[Any, float] = {}
    if not starts:
        return pred, dist
    succ = getattr(G, "_succ", None) or G.succ
    attr = weight if isinstance(weight, str) else None
    wfn = None if isinstance(weight, str) else weight
    remaining = None if targets is None else {t for t in targets if t in G}
    seen: dict[Any, float] = {}
    tie = count()
    fringe: list[tuple[float, int, Any]] = []
    for s in starts:
        seen[s] = 0.0
        pred[s] = None
        fringe.append((0.0, next(tie), s))
    heapq.heapify(fringe)
    push, pop = heapq.heappush, heapq.heappop
    with eg.lock:
        while fringe:
            d, _, v = pop(fringe)
            if v in dist:
                continue
            dist[v] = d
            if remaining is not None:
                remaining.discard(v)
                if not remaining:
                    break
            for u, e in succ[v].items():
                if u in dist:
                    continue
                if attr is not None:
                    w = e[attr]
                else:
                    assert wfn is not None
                    w = wfn(v, u, e)
                    if w is None:
                        continue
                vu = d + w
                if cutoff is not None and vu > cutoff:
                    continue
                if u not in seen or vu < seen[u]:
                    seen[u] = vu
                    pred[u] = v
                    push(fringe, (vu, next(tie), u))
    for node in [n for n in pred if n not in dist]:
        del pred[node]
    return pred, dist


@dataclass(frozen=True, slots=True)
class Sums:
    """Figures summed along a path, for the shipment (edges carry shipment figures);
    ``excess_sq`` sums the squared excess of each edge (``high - planning`` hours)."""

    distance_km: float = 0.0
    hours: float = 0.0
    cost_usd: float = 0.0
    co2_kg: float = 0.0
    borders_crossed: int = 0
    excess_sq: float = 0.0

    def plus(self, d: dict[str, Any]) -> Sums:
        return Sums(
            self.distance_km + d["distance_km"],
            self.hours + d["hours"],
            self.cost_usd + d["cost_usd"],
            self.co2_kg + d["co2_kg"],
            self.borders_crossed + (1 if d["kind"] == "crossing" else 0),
            self.excess_sq + d["excess_hours"] ** 2,
        )

    @property
    def p90_hours(self) -> float:
        return self.hours + math.sqrt(self.excess_sq)

    def objective_value(self, objective: str, vot: float, factor: float) -> float:
        if objective == "time":
            return self.hours
        if objective == "cost":
            return self.cost_usd
        if objective == "distance":
            return self.distance_km
        if objective == "co2":
            return self.co2_kg
        return self.cost_usd + vot * factor * self.hours


def path_sums(eg: graph.ExpandedGraph, pred: dict[Any, Any], node: Any) -> Sums:
    """Sum the figures of the path to ``node`` by walking the predecessor tree back."""
    edges: list[dict[str, Any]] = []
    v = node
    u = pred.get(v)
    while u is not None:
        edges.append(eg.edge_data(u, v))
        v, u = u, pred.get(u)
    s = Sums()
    for d in reversed(edges):
        s = s.plus(d)
    return s


def edge_sums(c: Any, edges: Sequence[int]) -> Sums:
    """:func:`path_sums` of a path given as edge numbers of the compiled graph ``c``: the
    same figures, added in the same order, read from its columns (no edge dicts)."""
    km, hours, cost = c.column("distance_km"), c.column("hours"), c.column("cost_usd")
    co2, excess, kind = c.column("co2_kg"), c.column("excess_hours"), c.column("kind")
    s = Sums()
    for e in edges:
        s = Sums(s.distance_km + km[e], s.hours + hours[e], s.cost_usd + cost[e],
                 s.co2_kg + co2[e], s.borders_crossed + (1 if kind[e] == "crossing" else 0),
                 s.excess_sq + excess[e] ** 2)
    return s


def best_state(
    eg: graph.ExpandedGraph, dist: Any, place_id: str, modes: tuple[str, ...]
) -> Any | None:
    """The state of ``place_id`` (in an allowed mode) with the least weight, first on ties."""
    best = None
    best_w = 0.0
    for s in eg.endpoints(place_id, modes, arrive=True):
        w = dist.get(s)
        if w is not None and (best is None or w < best_w):
            best, best_w = s, w
    return best


def places_of_kind(network: Network, kind: str) -> list[str]:
    """Ids of the places of ``kind`` (e.g. ``seaport``), sorted. Raises UsageError for a kind
    the format does not know."""
    from corridor.engine.places import parse_kind

    kind = parse_kind(kind)
    return sorted(p.id for p in network.places if p.kind == kind)


def _resolve_all(network: Network, names: Iterable[str]) -> list[Place]:
    idx = place_index(network)
    out: list[Place] = []
    seen: set[str] = set()
    for name in names:
        p = idx.resolve(name)
        if p.id not in seen:
            seen.add(p.id)
            out.append(p)
    return out


@dataclass(frozen=True)
class _Job:
    eg: graph.ExpandedGraph
    ds: tuple[Place, ...]
    weight: graph.Weight
    targets: list[Any]
    blocked: frozenset[str]
    objective: str
    opts: QueryOptions
    factor: float


#: The job forked workers read (inherited from the parent, never pickled).
_JOB: _Job | None = None


def _row(job: _Job, o: Place) -> list[Cell]:
    """One origin's cells: one search from its gate, then each destination's path sums.

    On the compiled engine the search is read by node and edge numbers and each path's
    figures are summed from the columns (:func:`edge_sums`); otherwise by nodes and edge
    dicts (:func:`path_sums`). Both add the same figures in the same order."""
    eg, opts = job.eg, job.opts
    sums: Callable[[Any], Sums]
    if o.id in job.blocked:
        dist: Any = {}
        sums = Sums  # never called: nothing is reached
    elif graph.DEFAULT_ENGINE == "compiled" and isinstance(job.weight,
                                                           str | graph.ConstrainedWeight):
        from corridor.engine import compiled as engine

        weight = job.weight
        k = weight.constraints if isinstance(weight, graph.ConstrainedWeight) else \
            engine.Constraints(attr=weight)
        c = eg.compiled
        tree = engine.search_tree(c, eg.endpoints(o.id, opts.modes, arrive=False), k,
                                  targets=job.targets)
        dist = tree

        def sums(end: Any) -> Sums:
            return edge_sums(c, tree.path_edges(end))
    else:
        starts = eg.endpoints(o.id, opts.modes, arrive=False)
        pred, dist = single_source(eg, starts, weight=job.weight, targets=job.targets)

        def sums(end: Any) -> Sums:
            return path_sums(eg, pred, end)
    row: list[Cell] = []
    for d in job.ds:
        if d.id == o.id:
            row.append(Cell(o.id, d.id, True, 0.0, 0.0, 0.0, 0.0, 0, 0.0, 0.0))
            continue
        end = best_state(eg, dist, d.id, opts.modes)
        if end is None:
            row.append(Cell(o.id, d.id, False))
            continue
        s = sums(end)
        row.append(Cell(
            o.id, d.id, True, s.distance_km, s.hours, s.cost_usd, s.co2_kg,
            s.borders_crossed,
            s.objective_value(job.objective, opts.value_of_time_usd_per_hour, job.factor),
            s.p90_hours))
    return row


def _rows_of(chunk: list[Place]) -> list[list[Cell]]:
    job = _JOB
    assert job is not None
    return [_row(job, o) for o in chunk]


def _rows(job: _Job, origins: list[Place], workers: int) -> list[list[Cell]]:
    """Each origin's row, in order; over ``workers`` forked processes when asked."""
    global _JOB
    import multiprocessing

    workers = min(workers, len(origins))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_row(job, o) for o in origins]
    # Made once, before the fork, so that every worker shares them.
    if graph.DEFAULT_ENGINE == "compiled" and isinstance(job.weight,
                                                         str | graph.ConstrainedWeight):
        c = job.eg.compiled
        for name in ("distance_km", "hours", "cost_usd", "co2_kg", "excess_hours", "kind",
                     "xid"):
            c.column(name)
    else:
        job.eg.graph  # noqa: B018 - built before the fork
    size = -(-len(origins) // (workers * 4))  # a few chunks per worker, in origin order
    chunks = [origins[i:i + size] for i in range(0, len(origins), size)]
    _JOB = job
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_rows_of, chunks, chunksize=1)
    finally:
        _JOB = None
    return [row for part in parts for row in part]


# --------------------------------------------------------------------------- public


def od_matrix(
    network: Network,
    origins: Sequence[str],
    destinations: Sequence[str],
    *,
    objective: str = "time",
    modes: Iterable[str] | None = None,
    avoid: Iterable[str] | Avoid = (),
    include_planned: PlannedArg = False,
    cargo: str = "teu",
    containers: int = 1,
    value_of_time_usd_per_hour: float = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    drivers: int = 1,
    driving_hours_per_day: float | None = None,
    workers: int = 1,
) -> Matrix:
    """Time (h), cost (USD), distance (km), CO2 (kg) and borders crossed of the best route
    by ``objective`` from every origin to every destination.

    ``workers`` above 1 spreads the origins over that many processes (forked, where the
    platform can fork; otherwise one process): the same cells, in the same order, sooner
    on large networks; each worker shares the graph with the parent.

    ``origins`` and ``destinations`` are place ids (names and aliases also resolve);
    repeats are dropped, order is kept. One Dijkstra search runs per origin, whatever the
    number of destinations. A pair with no route has ``reachable=False`` and no figures; a
    place paired with itself is reachable at zero. Options are those of
    :func:`corridor.engine.routing.find_route` (without waypoints).

    Raises UsageError (bad options, an empty list), UnknownPlaceError or
    AmbiguousPlaceError.
    """
    opts = check_options(
        network, objective=objective, modes=modes, avoid=avoid,
        include_planned=include_planned, cargo=cargo, containers=containers,
        value_of_time_usd_per_hour=value_of_time_usd_per_hour, drivers=drivers,
        driving_hours_per_day=driving_hours_per_day)
    os_ = _resolve_all(network, origins)
    ds = _resolve_all(network, destinations)
    if not os_:
        raise UsageError("no origins given")
    if not ds:
        raise UsageError("no destinations given")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise UsageError("workers must be a whole number of at least 1")
    eg = graph.expanded_graph(network, include_planned=opts.include_planned, op=opts.op)
    weight = weight_of(eg, network, objective, opts)
    factor = costs.teu_equivalent(network.defaults, opts.op)
    blocked = blocked_places(network, opts)
    # The search from each origin stops once every destination state is settled.
    targets = [s for d in ds for s in eg.endpoints(d.id, opts.modes, arrive=True)]
    job = _Job(eg, tuple(ds), weight, targets, blocked, objective, opts, factor)
    cells = [cell for row in _rows(job, os_, workers) for cell in row]
    return Matrix(
        origins=tuple(PlaceRef.of(p) for p in os_),
        destinations=tuple(PlaceRef.of(p) for p in ds),
        objective=objective,
        options=opts,
        cells=tuple(cells),
        provenance=provenance_of(network),
    )
