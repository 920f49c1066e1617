"""The time–cost trade-off front: the routes no other route beats on both time and cost.

>>> f = pareto_front(network, "Tashkent", "Jebel Ali")            # doctest: +SKIP
>>> [(p.hours, p.cost_usd) for p in f.points]                      # doctest: +SKIP

An exact **bicriteria label-setting search** (Martins' algorithm, in the lexicographic
"bi-objective Dijkstra" form) over the expanded graph of :mod:`corridor.engine.graph`, honouring
the constraints of :func:`corridor.engine.routing.find_route`: allowed modes, avoided places,
countries and crossings, waypoints in order, planned links.

The rules, precisely (``docs/analysis-json.md`` repeats them):

- **Criteria.** A path's time is the sum of its edges' ``hours``; its cost the sum of their
  ``cost_usd``, as the graph built for the shipment carries them (the graph of
  :func:`corridor.engine.routing.search_space`: costs for ``containers`` boxes of ``cargo``, the
  legs' costs of the route). Both are compared in **fixed point**: each edge's figure is
  rounded to a millionth (of an hour, of a dollar) and the integers are summed, so
  equality is exact and does not depend on the order of summation.
- **Dominance.** Path A dominates B when A's time <= B's and A's cost <= B's with at least
  one strictly smaller. The front holds one route for each non-dominated (time, cost) pair.
- **Ties.** Among routes with equal time and cost the front keeps the one with **fewer
  legs**, then the one whose sequence of leg keys is smaller (compared leg by leg, as
  strings): a leg's key is ``kind:record:state`` — its kind (``link``, ``crossing``,
  ``transfer``, ``handling``, ``transshipment``), the id of its link or crossing (empty
  for the others) and the label of the state it ends in (``PKKHI/road``,
  ``UZTAS/rail-1520``, ``AEJEA/sea``). Records that are still equal are taken in the
  order of the network's records.
- **Search** (bi-objective A*, the label-setting search of Martins guided by exact lower
  bounds). First the least remaining time and the least remaining cost from every node to
  the destination's end states are found (one Dijkstra each on the reversed graph, over
  the edges the constraints allow); nodes that cannot reach the destination are never
  entered. Labels ``(time, cost, legs, keys)`` start at the origin's start states and are
  settled in increasing lexicographic order of ``(time + least remaining time, cost +
  least remaining cost, legs, keys)``. A label is kept at a node (a state, and how many
  waypoints have been visited) only if its cost is below that of every label already kept
  there, and extended only if its cost plus the least remaining cost is below the cost of
  every front point found. A label at a state of the next waypoint also continues as a
  label that has visited it. Each label kept at a destination end state (every waypoint
  visited) is a new front point; points therefore come out fastest first, each cheaper
  than the one before.
- **Bound.** At most ``max_labels`` labels are kept (a count, never a clock). A search
  that reaches the bound stops; the points found so far are exact (no route beats them),
  but routes not faster than the time bound (time + least remaining time) of the first
  label not kept may be missing: the front is marked cut, complete below that time.

Each point's route is built by :func:`corridor.engine.routing.route_along`, the code that builds
``find_route``'s routes, so its legs and totals equal ``find_route``'s for the same path.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import count
from typing import Any

from corridor.engine import graph
from corridor.engine.options import blocked_places, check_options
from corridor.engine.places import describe_place, place_index
from corridor.engine.planned import PlannedArg
from corridor.engine.routing import (
    DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    Avoid,
    PlaceRef,
    Provenance,
    Route,
    RouteOptions,
    find_route,
    route_along,
    search_space,
)
from corridor.errors import NoRouteError, UsageError
from corridor.model import Network

__all__ = ["DEFAULT_MAX_LABELS", "FrontPoint", "ParetoFront", "pareto_front", "leg_key",
           "route_summary"]

#: Labels kept before the search stops and marks the front as cut.
DEFAULT_MAX_LABELS = 200_000

#: Fixed-point scale of the criteria: millionths of an hour and of a US dollar.
SCALE = 1_000_000


@dataclass(frozen=True, slots=True)
class FrontPoint:
    """One route of the front: ``hours`` and ``cost_usd`` (for the shipment) are its
    ``route.totals``. ``rank`` 1 is the fastest (and dearest) point."""

    rank: int
    hours: float
    cost_usd: float
    route: Route

    @property
    def days(self) -> float:
        return self.hours / 24.0


@dataclass(frozen=True, slots=True)
class ParetoFront:
    """The routes from ``origin`` to ``destination`` that no other route beats on both
    time and cost, fastest first (so cheapest last).

    ``complete`` is false when the search stopped at ``max_labels`` labels: the points are
    exact but routes slower than ``complete_to_hours`` may be missing. ``labels`` is how
    many labels the search kept.
    """

    origin: PlaceRef
    destination: PlaceRef
    options: RouteOptions
    points: tuple[FrontPoint, ...]
    complete: bool
    complete_to_hours: float | None
    labels: int
    max_labels: int
    provenance: Provenance

    def cut_note(self) -> str:
        """What a cut front tells a reader ("" when the front is complete)."""
        if self.complete:
            return ""
        limit = self.complete_to_hours
        tail = "" if limit is None else f" slower than {limit / 24:.2f} d ({limit:.1f} h)"
        return (f"front cut: the search stopped at {self.max_labels:,} labels (--max-labels); "
                f"the routes shown are exact, but routes{tail} may be missing")


def leg_key(eg: graph.ExpandedGraph, v: Any, d: dict[str, Any]) -> str | None:
    """The tie-break key of the leg along edge data ``d`` into node ``v``
    (``kind:record:state``); ``None`` for the graph's private joins, which are no leg."""
    kind = d["kind"]
    if kind in ("join", "virtual"):
        return None
    ref = getattr(d["ref"], "id", "") if kind in ("link", "crossing") else ""
    return f"{kind}:{ref}:{graph.State(*v[:3]).label()}"


def route_summary(route: Route) -> str:
    """The route by its runs of one mode, each to the place where it ends, then the
    crossings: ``road to Samarkand, rail to Bandar Abbas, sea to Jebel Ali; via
    KHODJADAVLAT-FARAP-RAIL, SARAKHS-RAIL``."""
    names = {p.id: p.name for p in route.places}
    runs: list[list[str]] = []  # [mode, end place id]
    for leg in route.legs:
        if leg.kind != "link":
            continue
        if runs and runs[-1][0] == leg.mode:
            runs[-1][1] = leg.to_id
        else:
            runs.append([leg.mode, leg.to_id])
    text = ", ".join(f"{mode} to {names.get(end, end)}" for mode, end in runs)
    ids = [c.id for c in route.crossings]
    if ids:
        text += ("; via " if text else "via ") + ", ".join(ids)
    return text


def _fixed(x: float) -> int:
    return int(round(float(x) * SCALE))


# A label: (time bound, cost bound, legs, keys, counter, node, stage, parent, time, cost).
# The bounds are the label's figures plus the least remaining time and cost to the
# destination; the counter keeps the heap from ever comparing nodes, and breaks remaining
# ties by the order labels were made, which follows the network's record order.
_Label = tuple[int, int, int, tuple[str, ...], int, Any, int, Any, int, int]
# An edge: (to node, data, time, cost, leg key).
_Edge = tuple[Any, dict[str, Any], int, int, str | None]


def _bounds(adj: dict[Any, list[_Edge]], ends: Sequence[Any], allowed: Any,
            index: int) -> dict[Any, int]:
    """Least remaining time (``index`` 2) or cost (3) from each node to any of ``ends``
    over the allowed edges (one Dijkstra on the reversed graph); nodes that cannot reach
    an end are left out."""
    rev: dict[Any, list[tuple[Any, int]]] = {}
    for v, edges in adj.items():
        for u, d, et, ec, _ in edges:
            if allowed is not None and allowed(v, u, d) is None:
                continue
            rev.setdefault(u, []).append((v, et if index == 2 else ec))
    dist: dict[Any, int] = {}
    tie = count()
    heap = [(0, next(tie), e) for e in dict.fromkeys(ends) if e in adj]
    heapq.heapify(heap)
    while heap:
        w, _, v = heapq.heappop(heap)
        if v in dist:
            continue
        dist[v] = w
        for u, x in rev.get(v, ()):
            if u not in dist:
                heapq.heappush(heap, (w + x, next(tie), u))
    return dist


def _search(
    eg: graph.ExpandedGraph,
    starts: Sequence[Any],
    ends: Sequence[Any],
    waypoints: Sequence[frozenset[Any]],
    allowed: Any,
    max_labels: int,
) -> tuple[list[_Label], int, bool, int | None]:
    """The front's labels (fastest first), the labels kept, whether the search ran to the
    end, and (when cut) the time bound of the label that was not kept."""
    adj = _adjacency(eg)
    ht = _bounds(adj, ends, allowed, 2)
    hc = _bounds(adj, ends, allowed, 3)
    last = len(waypoints)
    end_set = frozenset(ends)
    tie = count()
    heap: list[_Label] = []
    for s in dict.fromkeys(starts):
        if s in ht:
            heap.append((ht[s], hc[s], 0, (), next(tie), s, 0, None, 0, 0))
    heapq.heapify(heap)
    best: dict[tuple[Any, int], int] = {}  # least cost kept at (node, stage)
    front: list[_Label] = []
    front_cost: int | None = None
    kept = 0
    while heap:
        lab = heapq.heappop(heap)
        f1, f2, n, keys, _, v, stage, _, t, c = lab
        if front_cost is not None and f2 >= front_cost:
            continue
        at = (v, stage)
        prev = best.get(at)
        if prev is not None and c >= prev:
            continue
        if kept >= max_labels:
            return front, kept, False, f1
        best[at] = c
        kept += 1
        if stage == last and v in end_set:
            front.append(lab)
            front_cost = c
            # A path that goes on through the destination is dominated by this one.
            continue
        if stage < last and v in waypoints[stage]:
            heapq.heappush(heap, (f1, f2, n, keys, next(tie), v, stage + 1, lab, t, c))
        for u, d, et, ec, key in adj[v]:
            if u not in ht or (allowed is not None and allowed(v, u, d) is None):
                continue
            c2 = c + ec
            g2 = c2 + hc[u]
            if front_cost is not None and g2 >= front_cost:
                continue
            prev2 = best.get((u, stage))
            if prev2 is not None and c2 >= prev2:
                continue
            t2 = t + et
            if key is None:
                heapq.heappush(heap, (t2 + ht[u], g2, n, keys, next(tie), u, stage, lab, t2,
                                      c2))
            else:
                heapq.heappush(heap, (t2 + ht[u], g2, n + 1, (*keys, key), next(tie), u,
                                      stage, lab, t2, c2))
    return front, kept, True, None


# Each recent graph's adjacency with the fixed-point figures and leg keys of its edges,
# computed once per graph (keyed by identity; the graph itself is never written to).
_ADJ: list[tuple[graph.ExpandedGraph, dict[Any, list[_Edge]]]] = []


def _adjacency(eg: graph.ExpandedGraph) -> dict[Any, list[_Edge]]:
    for g, adj in _ADJ:
        if g is eg:
            return adj
    adj = {}
    with eg.lock:
        for v, nbrs in eg.graph.succ.items():
            adj[v] = [(u, d, _fixed(d["hours"]), _fixed(d["cost_usd"]), leg_key(eg, u, d))
                      for u, d in nbrs.items()]
    _ADJ.insert(0, (eg, adj))
    del _ADJ[4:]
    return adj


def _path(lab: Any) -> list[Any]:
    nodes: list[Any] = []
    while lab is not None:
        v = lab[5]
        if not nodes or nodes[-1] != v:
            nodes.append(v)
        lab = lab[7]
    nodes.reverse()
    return nodes


def pareto_front(
    network: Network,
    origin: str,
    destination: str,
    *,
    modes: Iterable[str] | None = None,
    avoid: Iterable[str] | Avoid = (),
    via: Sequence[str] = (),
    include_planned: PlannedArg = False,
    cargo: str = "teu",
    containers: int = 1,
    drivers: int = 1,
    driving_hours_per_day: float | None = None,
    max_labels: int = DEFAULT_MAX_LABELS,
) -> ParetoFront:
    """The time–cost trade-off front from ``origin`` to ``destination``: every route that
    no other route beats on both transit time (hours) and cost (USD, for ``containers``
    boxes of ``cargo``), fastest first, one route per (time, cost) pair. The options are
    those of :func:`corridor.engine.routing.find_route`; the search and its tie rules are in the
    module's documentation. ``max_labels`` bounds the search (see
    :attr:`ParetoFront.complete`).

    Raises UsageError (bad options, ``max_labels`` below 1, an avoided end or waypoint),
    UnknownPlaceError, AmbiguousPlaceError, or NoRouteError (with the reason) when there is
    no route at all.
    """
    opts = check_options(
        network, objective="time", modes=modes, avoid=avoid, include_planned=include_planned,
        cargo=cargo, containers=containers,
        value_of_time_usd_per_hour=DEFAULT_VALUE_OF_TIME_USD_PER_HOUR, drivers=drivers,
        driving_hours_per_day=driving_hours_per_day)
    if isinstance(max_labels, bool) or not isinstance(max_labels, int) or max_labels < 1:
        raise UsageError("max labels must be a whole number of at least 1")
    idx = place_index(network)
    o = idx.resolve(origin)
    dst = idx.resolve(destination)
    vias = tuple(idx.resolve(v) for v in via)
    blocked = blocked_places(network, opts)
    for label, p in (("origin", o), ("destination", dst)) + tuple(("waypoint", v) for v in vias):
        if p.id in blocked:
            raise UsageError(f"the {label} {describe_place(p)} is avoided (--avoid); "
                             "a route cannot avoid its own ends or waypoints")
    options = RouteOptions(
        modes=opts.modes, avoid_places=opts.avoid_places, avoid_countries=opts.avoid_countries,
        avoid_crossings=opts.avoid_crossings, via=tuple(v.id for v in vias),
        include_planned=opts.include_planned, cargo=opts.cargo, containers=opts.containers,
        value_of_time_usd_per_hour=opts.value_of_time_usd_per_hour, alternatives=1,
        drivers=opts.drivers, driving_hours_per_day=opts.driving_hours_per_day)
    space = search_space(network, options, origin=o.id, destination=dst.id)
    allowed = None if isinstance(space.weight, str) else space.weight
    starts, *waypoint_layers, ends = space.layers
    waypoints = [frozenset(layer) for layer in waypoint_layers]
    labels, kept, complete, cut_t = _search(space.eg, starts, ends, waypoints, allowed, max_labels)
    if not labels and complete:
        # find_route knows why (and raises NoRouteError saying so).
        find_route(network, o.id, dst.id, modes=opts.modes, avoid=opts.avoid,
                   via=options.via, include_planned=opts.include_planned, cargo=opts.cargo,
                   containers=opts.containers, drivers=opts.drivers,
                   driving_hours_per_day=opts.driving_hours_per_day)
        raise NoRouteError(f"no route from {describe_place(o)} to {describe_place(dst)}")
    points = []
    for rank, lab in enumerate(labels, 1):
        r = route_along(network, _path(lab), origin=o.id, destination=dst.id,
                        objective="time", options=options)
        points.append(FrontPoint(rank=rank, hours=r.totals.hours, cost_usd=r.totals.cost_usd,
                                 route=replace(r, rank=rank)))
    from corridor.engine.options import provenance_of

    return ParetoFront(
        origin=PlaceRef.of(o),
        destination=PlaceRef.of(dst),
        options=options,
        points=tuple(points),
        complete=complete,
        complete_to_hours=None if cut_t is None else cut_t / SCALE,
        labels=kept,
        max_labels=max_labels,
        provenance=provenance_of(network),
    )
