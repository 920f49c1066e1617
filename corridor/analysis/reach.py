"""What can be reached from a place within a time or cost budget.

>>> reachable(network, "Tashkent", max_hours=120, kind="seaport")   # doctest: +SKIP

One Dijkstra search from the origin (all of its road, rail and sea states at once), bounded
by the budget: by time (``max_hours``) it finds the fastest route to each place, by cost
(``max_cost_usd``, for the whole shipment) the cheapest. Each place reports the time and cost
of that route. Budgets typed by people (``5d``, ``72h``, ``2500usd``) are read by
:func:`parse_budget`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from corridor.analysis.matrix import Sums, single_source
from corridor.engine import graph
from corridor.engine.options import (
    QueryOptions,
    blocked_places,
    check_options,
    provenance_of,
    weight_of,
)
from corridor.engine.places import parse_kind, place_index
from corridor.engine.planned import PlannedArg
from corridor.engine.routing import DEFAULT_VALUE_OF_TIME_USD_PER_HOUR, Avoid, PlaceRef, Provenance
from corridor.errors import UsageError
from corridor.model import Network
from corridor.textutil import printable

__all__ = ["Budget", "Reach", "ReachReport", "parse_budget", "reach", "reachable"]


@dataclass(frozen=True, slots=True)
class Budget:
    """A limit on time (``quantity="hours"``) or on cost (``quantity="cost_usd"``)."""

    quantity: str
    limit: float
    text: str = ""

    @property
    def objective(self) -> str:
        return "time" if self.quantity == "hours" else "cost"


@dataclass(frozen=True, slots=True)
class Reach:
    """A place reachable within the budget, with the figures of the route that reaches it
    (the fastest for a time budget, the cheapest for a cost budget)."""

    place: PlaceRef
    kind: str
    hours: float
    cost_usd: float
    distance_km: float
    co2_kg: float
    borders_crossed: int
    #: The pessimistic transit time of that route (docs/operating-model.md, section 3).
    p90_hours: float = 0.0

    @property
    def days(self) -> float:
        return self.hours / 24.0


@dataclass(frozen=True, slots=True)
class ReachReport:
    """The places reachable from ``origin`` within ``budget``, sorted by the budget's
    quantity then id; ``kind`` is the filter applied (``None``: every kind)."""

    origin: PlaceRef
    budget: Budget
    kind: str | None
    options: QueryOptions
    places: tuple[Reach, ...]
    provenance: Provenance


_UNITS = {
    "d": ("hours", 24.0), "day": ("hours", 24.0), "days": ("hours", 24.0),
    "h": ("hours", 1.0), "hr": ("hours", 1.0), "hrs": ("hours", 1.0),
    "hour": ("hours", 1.0), "hours": ("hours", 1.0),
    "usd": ("cost_usd", 1.0), "$": ("cost_usd", 1.0),
}
_BUDGET = re.compile(r"^\s*(\$)?\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z$]*)\s*$", re.I)


def parse_budget(text: str) -> Budget:
    """Read a budget such as ``5d`` (days), ``72h`` (hours), ``2500usd`` or ``$2500``
    (USD for the shipment). Raises UsageError for anything else."""
    m = _BUDGET.match(text)
    usage = (f"budget {printable(text)!r} is not understood; give a number with a unit: "
             "d (days), h (hours) or usd, e.g. 5d, 72h, 2500usd")
    if m is None:
        raise UsageError(usage)
    dollar, number, unit = m.group(1), m.group(2), m.group(3).lower()
    if dollar:
        if unit not in ("", "usd"):
            raise UsageError(usage)
        unit = "usd"
    if unit not in _UNITS:
        raise UsageError(usage)
    quantity, scale = _UNITS[unit]
    value = float(number) * scale
    if not math.isfinite(value) or value <= 0:
        raise UsageError(f"budget {printable(text)!r} must be a finite number above zero")
    return Budget(quantity, value, text.strip())


def reach(
    network: Network,
    origin: str,
    *,
    max_hours: float | None = None,
    max_cost_usd: float | None = None,
    budget: Budget | str | None = None,
    kind: str | None = None,
    modes: Iterable[str] | None = None,
    avoid: Iterable[str] | Avoid = (),
    include_planned: PlannedArg = False,
    cargo: str = "teu",
    containers: int = 1,
    drivers: int = 1,
    driving_hours_per_day: float | None = None,
) -> ReachReport:
    """The places reachable from ``origin`` within ``max_hours`` of transit time or
    ``max_cost_usd`` of cost (exactly one of them; or ``budget``, a :class:`Budget` or
    its text such as ``5d``, see :func:`parse_budget`), optionally only places of ``kind``.

    A time budget follows the fastest route to each place, a cost budget the cheapest (for
    ``containers`` boxes of ``cargo``). The origin itself is not listed. Sorted by hours
    (or USD), then id.

    Raises UsageError (no budget or both, a budget not above zero, an unknown kind or
    option), UnknownPlaceError or AmbiguousPlaceError.
    """
    if isinstance(budget, str):
        budget = parse_budget(budget)
    if sum(x is not None for x in (max_hours, max_cost_usd, budget)) != 1:
        raise UsageError("give exactly one budget: max_hours, max_cost_usd or budget")
    if max_hours is not None:
        budget = Budget("hours", float(max_hours), f"{float(max_hours):g}h")
    elif max_cost_usd is not None:
        budget = Budget("cost_usd", float(max_cost_usd), f"{float(max_cost_usd):g}usd")
    assert budget is not None
    if budget.quantity not in ("hours", "cost_usd"):
        raise UsageError(f"unknown budget quantity {printable(budget.quantity)!r}")
    if not (math.isfinite(budget.limit) and budget.limit > 0):
        raise UsageError("the budget must be a finite number above zero")
    if kind is not None:
        kind = parse_kind(kind)
    opts = check_options(
        network, objective=budget.objective, modes=modes, avoid=avoid,
        include_planned=include_planned, cargo=cargo, containers=containers,
        value_of_time_usd_per_hour=DEFAULT_VALUE_OF_TIME_USD_PER_HOUR, drivers=drivers,
        driving_hours_per_day=driving_hours_per_day)
    o = place_index(network).resolve(origin)
    blocked = blocked_places(network, opts)
    if o.id in blocked:
        raise UsageError(f"the origin {o.name} ({o.id}) is avoided (--avoid)")
    eg = graph.expanded_graph(network, include_planned=opts.include_planned, op=opts.op)
    weight = weight_of(eg, network, budget.objective, opts)
    # The weights carry a tiny tie-break (graph.TIE_BREAK) on the other figures; search a
    # little past the budget and filter on the true figure below. Costs are the shipment's.
    cutoff = budget.limit * (1 + 1e-4) + 1.0
    starts = eg.endpoints(o.id, opts.modes, arrive=False)
    if graph.DEFAULT_ENGINE == "compiled" and isinstance(weight, str | graph.ConstrainedWeight):
        best = _best_compiled(eg, weight, starts, cutoff, opts.modes, budget.quantity)
    else:
        best = _best(eg, weight, starts, cutoff, opts.modes, budget.quantity)
    if len(best) > 256:
        network.places  # noqa: B018 - many places: decode them in one pass, not one by one
    places = place_index(network).by_id
    out: list[Reach] = []
    eps = 1e-9 * max(1.0, budget.limit)
    for pid, s in best.items():
        if pid == o.id or pid not in places:
            continue
        value = s.hours if budget.quantity == "hours" else s.cost_usd
        if value > budget.limit + eps:
            continue
        p = places[pid]
        if kind is not None and p.kind != kind:
            continue
        out.append(Reach(PlaceRef.of(p), p.kind, s.hours, s.cost_usd, s.distance_km,
                         s.co2_kg, s.borders_crossed, s.p90_hours))
    if budget.quantity == "hours":
        out.sort(key=lambda r: (round(r.hours, 9), r.place.id))
    else:
        out.sort(key=lambda r: (round(r.cost_usd, 9), r.place.id))
    return ReachReport(
        origin=PlaceRef.of(o),
        budget=budget,
        kind=kind,
        options=opts,
        places=tuple(out),
        provenance=provenance_of(network),
    )


def _best(eg: graph.ExpandedGraph, weight: graph.Weight, starts: list[Any], cutoff: float,
          modes: tuple[str, ...], quantity: str) -> dict[str, Sums]:
    """Each place reached: the figures of its best arrival (least hours or cost)."""
    pred, dist = single_source(eg, starts, weight=weight, cutoff=cutoff)
    sums: dict[Any, Sums] = {}
    best: dict[str, Sums] = {}
    arrivals: dict[str, frozenset[Any]] = {}
    for node in dist:  # settled order: a node's predecessor always comes first
        u = pred[node]
        s = Sums() if u is None else sums[u].plus(eg.edge_data(u, node))
        sums[node] = s
        pid = node[0]
        ends = arrivals.get(pid)
        if ends is None:
            ends = arrivals[pid] = frozenset(eg.endpoints(pid, modes, arrive=True))
        if node not in ends:
            continue  # a private node, or a state cargo cannot be delivered in
        _keep_best(best, pid, s, quantity)
    return best


def _keep_best(best: dict[str, Sums], pid: str, s: Sums, quantity: str) -> None:
    """Keep ``s`` as the arrival at ``pid`` if it is the first or strictly better one."""
    key = s.hours if quantity == "hours" else s.cost_usd
    have = best.get(pid)
    if have is None or key < (have.hours if quantity == "hours" else have.cost_usd):
        best[pid] = s


def _best_compiled(eg: graph.ExpandedGraph, weight: Any, starts: list[Any], cutoff: float,
                   modes: tuple[str, ...], quantity: str) -> dict[str, Sums]:
    """:func:`_best` on the compiled engine: the same search and sums, read by node and
    edge numbers from the columns (no node tuples or edge dicts)."""
    from corridor.engine import compiled as engine

    if isinstance(weight, graph.ConstrainedWeight):
        k = weight.constraints
    else:
        k = engine.Constraints(attr=weight)
    c = eg.compiled
    tree = engine.search_tree(c, starts, k, cutoff=cutoff)
    km, hours, cost = c.column("distance_km"), c.column("hours"), c.column("cost_usd")
    co2, excess, kinds = c.column("co2_kg"), c.column("excess_hours"), c.column("kind")
    node_place = c.node_place
    index = c.index
    sums: dict[int, Sums] = {}
    best: dict[str, Sums] = {}
    arrivals: dict[str, frozenset[int]] = {}
    for v in tree.order:  # settled order: a node's predecessor always comes first
        e = tree.pred_edge[v]
        if e < 0:
            s = Sums()
        else:
            p = sums[engine._source_of(c, e)]
            s = Sums(p.distance_km + km[e], p.hours + hours[e], p.cost_usd + cost[e],
                     p.co2_kg + co2[e], p.borders_crossed + (1 if kinds[e] == "crossing" else 0),
                     p.excess_sq + excess[e] ** 2)
        sums[v] = s
        pid = node_place[v]
        ends = arrivals.get(pid)
        if ends is None:
            ends = arrivals[pid] = frozenset(
                index[n] for n in eg.endpoints(pid, modes, arrive=True))
        if v not in ends:
            continue  # a private node, or a state cargo cannot be delivered in
        _keep_best(best, pid, s, quantity)
    return best


def reachable(
    network: Network,
    origin: str,
    *,
    max_hours: float | None = None,
    max_cost_usd: float | None = None,
    kind: str | None = None,
    modes: Iterable[str] | None = None,
    avoid: Iterable[str] | Avoid = (),
    include_planned: PlannedArg = False,
    cargo: str = "teu",
    containers: int = 1,
) -> list[Reach]:
    """The places of :func:`reach` as a list (see it for the options and errors)."""
    return list(reach(network, origin, max_hours=max_hours, max_cost_usd=max_cost_usd,
                      kind=kind, modes=modes, avoid=avoid, include_planned=include_planned,
                      cargo=cargo, containers=containers).places)
