"""Best routes and alternatives on the expanded graph, as frozen result records.

>>> route = find_route(network, "Tashkent", "Karachi", objective="cost")   # doctest: +SKIP
>>> route.totals.days, route.totals.cost_usd                                # doctest: +SKIP

Units live in names: ``distance_km``, ``hours``, ``cost_usd``, ``co2_kg``. Costs and CO2
are for the whole shipment (``containers`` boxes of ``cargo`` ``teu`` or ``feu``); times do
not depend on it. A route starts in any state of the origin (by road, rail or sea) and ends
in any state of the destination.

Errors: :class:`~corridor.errors.UsageError` for a malformed request (unknown objective,
mode, cargo; a waypoint that is also avoided), :class:`~corridor.errors.UnknownPlaceError`
and :class:`~corridor.errors.AmbiguousPlaceError` for names, and
:class:`~corridor.errors.NoRouteError` with the reason when it can be told. networkx
exceptions never escape.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corridor.engine import costs, graph
from corridor.engine.costs import Component
from corridor.engine.places import describe_place, place_index
from corridor.engine.planned import Planned, PlannedArg, resolve_planned, usable
from corridor.errors import AmbiguousPlaceError, NoRouteError, UnknownPlaceError, UsageError
from corridor.model import MODES, Crossing, Network, Place, ScenarioRef
from corridor.textutil import did_you_mean, fold, printable

if TYPE_CHECKING:
    from corridor.engine.closures import RouteCalendar

__all__ = [
    "OBJECTIVE_NAMES",
    "CARGO_TYPES",
    "DEFAULT_VALUE_OF_TIME_USD_PER_HOUR",
    "PlaceRef",
    "Leg",
    "CrossingUse",
    "Totals",
    "RouteOptions",
    "Provenance",
    "Route",
    "Avoid",
    "resolve_avoid",
    "totals_of",
    "find_route",
    "find_routes",
    "find_gateway_route",
    "operating",
    "route_along",
    "SearchSpace",
    "search_space",
]

OBJECTIVE_NAMES: tuple[str, ...] = ("time", "cost", "distance", "co2", "generalized")
CARGO_TYPES: tuple[str, ...] = ("teu", "feu")

#: Value of time for ``generalized`` (USD per TEU-hour) when none is given: the holding cost
#: of a box of about USD 60,000 of goods at about 25 % a year (capital, depreciation,
#: insurance) is USD 1.7 per hour; rounded to 2.
DEFAULT_VALUE_OF_TIME_USD_PER_HOUR = 2.0

#: Largest expanded graph on which alternatives use exact Yen (bounded) rather than
#: penalties.
YEN_MAX_NODES = 5_000
#: Most shortest-path searches the corridor alternatives may run (a count, never a clock, so
#: the same query gives the same alternatives on any machine).
MAX_CORRIDOR_SEARCHES = 60

KIND_LABELS = {
    "crossing": "border crossing",
    "transfer": "transfer",
    "handling": "port handling",
    "transshipment": "transshipment",
    "terminal": "rail terminal",
}


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place on a route: id, name, country (ISO alpha-2) and WGS 84 position."""

    id: str
    name: str
    country: str
    lat: float
    lon: float

    @classmethod
    def of(cls, place: Place) -> PlaceRef:
        return cls(place.id, place.name, place.country, float(place.lat), float(place.lon))


@dataclass(frozen=True, slots=True)
class Leg:
    """One step of a route, from one edge of the expanded graph.

    ``kind`` is ``link`` (road, rail or sea travel), ``crossing``, ``transfer`` (change of
    mode or gauge), ``handling`` (seaport, land <-> sea), ``transshipment`` (ship to ship) or
    ``terminal`` (loading or unloading a train where a route starts or ends by rail).
    ``mode`` is the mode after the step and ``from_mode`` before it (equal except for
    transfers and handling). ``ref`` is the link or crossing id (``None`` otherwise).
    ``hours`` = ``moving_hours`` + ``rest_hours`` + ``wait_hours`` + the dwell of borders
    and terminals; ``high_hours`` is the pessimistic figure of the leg. ``components`` break
    the figures down with their provenance (see :class:`corridor.engine.costs.Component`).
    """

    kind: str
    from_id: str
    to_id: str
    from_mode: str
    mode: str
    distance_km: float
    hours: float
    cost_usd: float
    co2_kg: float
    moving_hours: float
    from_gauge_mm: int | None = None
    gauge_mm: int | None = None
    ref: str | None = None
    name: str | None = None
    status: str = "operational"
    rest_hours: float = 0.0
    wait_hours: float = 0.0
    high_hours: float = 0.0
    components: tuple[Component, ...] = ()

    @property
    def label(self) -> str:
        """What the step is, for people: road, rail, sea, border crossing, transfer,
        port handling."""
        if self.kind == "link":
            return self.mode
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True)
class CrossingUse:
    """A border crossing a route uses, in the direction travelled."""

    id: str
    name: str
    mode: str
    from_country: str
    to_country: str
    hours: float
    cost_usd: float


@dataclass(frozen=True, slots=True)
class Totals:
    """Sums over a route's legs.

    ``delay_hours`` is the time not spent moving (rest, waiting, border dwell, transfers,
    handling); ``rest_hours``, ``wait_hours`` and ``border_hours`` are parts of it.
    ``p90_hours`` is the pessimistic transit time: ``hours`` plus the root of the sum over
    legs of the squared leg excess (``high_hours - hours``). ``swd_kmh`` (speed with delays)
    is distance over all hours and ``swod_kmh`` (speed without delays) distance over moving
    hours, as in the ADB/CAREC Corridor Performance Measurement and Monitoring.
    ``objective_value`` is the figure the route was ranked by.
    """

    distance_km: float
    hours: float
    days: float
    cost_usd: float
    co2_kg: float
    moving_hours: float
    delay_hours: float
    border_hours: float
    borders_crossed: int
    swd_kmh: float
    swod_kmh: float
    objective_value: float
    rest_hours: float = 0.0
    wait_hours: float = 0.0
    p90_hours: float = 0.0
    p90_days: float = 0.0


@dataclass(frozen=True, slots=True)
class RouteOptions:
    """The options a route was computed with, normalized (ids, sorted where order does not
    matter)."""

    modes: tuple[str, ...]
    avoid_places: tuple[str, ...] = ()
    avoid_countries: tuple[str, ...] = ()
    avoid_crossings: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    #: False, True (every planned record) or the project ids opened (corridor.engine.planned).
    include_planned: Planned = False
    cargo: str = "teu"
    containers: int = 1
    value_of_time_usd_per_hour: float = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR
    alternatives: int = 1
    drivers: int = 1
    driving_hours_per_day: float | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """What an answer was computed from."""

    network: str
    content_hash: str
    #: The scenarios applied to the network, in order (empty: the network as loaded).
    scenarios: tuple[ScenarioRef, ...]
    tool_version: str
    #: The manifest the network was read from, as shown to the user ("" if not from files).
    manifest: str = ""


@dataclass(frozen=True, slots=True)
class Route:
    """A route from ``origin`` to ``destination``: its legs in order, their totals, the
    crossings used, and the places it touches (in order, for maps). ``rank`` is 1 for the
    best of a set of alternatives."""

    origin: PlaceRef
    destination: PlaceRef
    objective: str
    options: RouteOptions
    legs: tuple[Leg, ...]
    totals: Totals
    crossings: tuple[CrossingUse, ...]
    places: tuple[PlaceRef, ...]
    provenance: Provenance
    rank: int = 1
    #: Closures of the records used, and the departure date (corridor.engine.closures); None
    #: when no record used has closures and no date was given.
    calendar: RouteCalendar | None = None
    #: Vehicles the shipment needs on the modes priced per vehicle that the route uses,
    #: as ``(mode, count)``: e.g. ``(("road", 2),)`` for 3 TEU at 2 TEU a truck.
    vehicles: tuple[tuple[str, int], ...] = ()

    @property
    def trucks(self) -> int:
        return dict(self.vehicles).get("road", 0)


@dataclass(frozen=True, slots=True)
class Avoid:
    """What to keep out of a route: place ids, country codes, crossing ids."""

    places: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    crossings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- requests


def resolve_avoid(network: Network, items: Iterable[str]) -> Avoid:
    """Sort each of ``items`` into a crossing (by id, any case), a country (ISO alpha-2 code
    of a country in the network) or a place (as :func:`corridor.engine.places.resolve_place`).

    A crossing id written exactly (ids are case-sensitive) means the crossing. An item that
    matches a crossing id only when case is ignored and also names a place (``Chaman``: the
    crossing ``CHAMAN`` or the town) raises :class:`~corridor.errors.AmbiguousPlaceError`
    listing both, so the choice is never silent.

    Raises :class:`~corridor.errors.UnknownPlaceError` for an item that is none of them.
    """
    items = list(items)
    if not items:
        return Avoid()
    xings = {fold(c.id): c for c in network.crossings}
    exact = {c.id for c in network.crossings}
    countries = {p.country for p in network.places}
    idx = place_index(network)
    places: list[str] = []
    ctry: list[str] = []
    xs: list[str] = []
    for item in items:
        key = fold(item)
        if item.strip() in exact:
            xs.append(item.strip())
        elif key in xings:
            xing = xings[key]
            try:
                named: tuple[Place, ...] = (idx.resolve(item),)
            except AmbiguousPlaceError:
                named = idx.by_folded_name.get(key, ()) or idx.by_folded_id.get(key, ())
            except UnknownPlaceError:
                named = ()
            if not named:
                xs.append(xing.id)
                continue
            cands = [f"crossing {xing.id} ({xing.name})"] + sorted(
                f"place {describe_place(p)}" for p in named)
            raise AmbiguousPlaceError(
                f"--avoid {printable(item)!r} is ambiguous: it could be " + ", ".join(cands)
                + f"; write the crossing id {xing.id!r} exactly, or the place by its id",
                item, cands)
        elif item.strip().upper() in countries and len(item.strip()) == 2:
            ctry.append(item.strip().upper())
        else:
            try:
                places.append(idx.resolve(item).id)
            except UnknownPlaceError as err:
                extra = did_you_mean(item, sorted(exact) + sorted(countries), n=2)
                cands = list(err.candidates) + extra
                msg = f"--avoid {printable(item)!r} is not a place, country code or crossing id"
                if cands:
                    msg += "; did you mean: " + ", ".join(cands[:4]) + "?"
                raise UnknownPlaceError(msg, item, cands[:4]) from None
    return Avoid(
        places=tuple(sorted(set(places))),
        countries=tuple(sorted(set(ctry))),
        crossings=tuple(sorted(set(xs))),
    )


def _check_options(
    objective: str, modes: Iterable[str] | None, cargo: str, containers: int, k: int,
    value_of_time: float,
) -> tuple[str, ...]:
    if objective not in OBJECTIVE_NAMES:
        raise UsageError(
            f"unknown objective {printable(str(objective))!r}; use one of "
            + ", ".join(OBJECTIVE_NAMES)
        )
    if isinstance(modes, str):
        modes = [m.strip() for m in modes.split(",") if m.strip()]
    if modes is None:
        mode_t = MODES
    else:
        modes = list(modes)
        mode_t = tuple(m for m in MODES if m in set(modes))
        bad = sorted(set(modes) - set(MODES))
        if bad:
            raise UsageError(
                f"unknown mode {printable(bad[0])!r}; use one or more of " + ", ".join(MODES)
            )
        if not mode_t:
            raise UsageError("no modes given; use one or more of " + ", ".join(MODES))
    if cargo not in CARGO_TYPES:
        raise UsageError(f"unknown cargo {printable(str(cargo))!r}; use teu or feu")
    from corridor.format.spec import MAX_CONTAINERS, MAX_VALUE_OF_TIME_USD_PER_HOUR

    if (isinstance(containers, bool) or not isinstance(containers, int)
            or not 1 <= containers <= MAX_CONTAINERS):
        raise UsageError(f"containers must be a whole number from 1 to {MAX_CONTAINERS:,}")
    if k < 1:
        raise UsageError("alternatives must be at least 1")
    if not 0 <= value_of_time <= MAX_VALUE_OF_TIME_USD_PER_HOUR:
        raise UsageError("value of time must be a number from 0 to "
                         f"{MAX_VALUE_OF_TIME_USD_PER_HOUR:,.0f} (USD per TEU-hour)")
    return mode_t


@dataclass
class _Query:
    network: Network
    eg: graph.ExpandedGraph
    origin: Place
    destination: Place
    via: tuple[Place, ...]
    objective: str
    modes: tuple[str, ...]
    avoid: Avoid
    blocked_places: frozenset[str]
    value_of_time: float
    #: TEU-equivalents of the shipment: the value of time is per TEU-hour.
    factor: float

    def weight(self, penalties: dict[tuple[Any, Any], float] | None = None) -> graph.Weight:
        return graph.weight_for(
            self.eg,
            objective=self.objective,
            value_of_time_usd_per_hour=self.value_of_time * self.factor,
            modes=None if set(self.modes) == set(MODES) else self.modes,
            avoid_places=self.blocked_places,
            avoid_crossings=self.avoid.crossings,
            penalties=penalties,
        )

    def layers(self) -> list[list[Any]]:
        """Start nodes, one layer per waypoint (any of its states), end nodes."""
        out = [self.eg.endpoints(self.origin.id, self.modes, arrive=False)]
        for p in self.via:
            out.append([s for s in self.eg.states_of(p.id) if s.mode in self.modes])
        out.append(self.eg.endpoints(self.destination.id, self.modes, arrive=True))
        return out


def _blocked(network: Network, avoid: Avoid) -> frozenset[str]:
    countries = set(avoid.countries)
    ids = set(avoid.places)
    if countries:
        ids.update(p.id for p in network.places if p.country in countries)
    return frozenset(ids)


def operating(*, cargo: str = "teu", containers: int = 1, drivers: int = 1,
              driving_hours_per_day: float | None = None) -> costs.Operating:
    """Checked operating options: ``drivers`` 1 or 2; ``driving_hours_per_day`` in (0, 24]."""
    import math

    if drivers not in (1, 2):
        raise UsageError("drivers must be 1 or 2")
    if driving_hours_per_day is not None and not (
            math.isfinite(driving_hours_per_day) and 0 < driving_hours_per_day <= 24):
        raise UsageError("driving hours per day must be more than 0 and at most 24")
    return costs.Operating(cargo=cargo, containers=containers, drivers=drivers,
                           driving_hours_per_day=driving_hours_per_day)


# --------------------------------------------------------------------------- search


def _search(q: _Query, weight: graph.Weight) -> tuple[float, list[Any]] | None:
    """Best path through the waypoints in order; states carry over at each waypoint."""
    layers = q.layers()
    if any(not layer for layer in layers):
        return None
    if len(layers) == 2:
        return graph.shortest_path(q.eg, layers[0], layers[1], weight=weight)
    # best[state] = (weight, path) of the best way to reach `state` of the current waypoint
    best: dict[Any, tuple[float, list[Any]]] = {}
    for t in layers[1]:
        hit = graph.shortest_path(q.eg, layers[0], [t], weight=weight)
        if hit is not None:
            best[t] = hit
    for i in range(2, len(layers)):
        last = i == len(layers) - 1
        nxt: dict[Any, tuple[float, list[Any]]] = {}
        targets: list[list[Any]] = [layers[i]] if last else [[t] for t in layers[i]]
        for tgt in targets:
            for s, (w0, p0) in best.items():
                hit = graph.shortest_path(q.eg, [s], tgt, weight=weight)
                if hit is None:
                    continue
                w, p = w0 + hit[0], p0 + hit[1][1:]
                end = p[-1]
                if end not in nxt or w < nxt[end][0]:
                    nxt[end] = (w, p)
        best = nxt
        if not best:
            return None
    if not best:
        return None
    return min(best.values(), key=lambda wp: wp[0])


def _gateway_search(q: _Query, port_id: str) -> tuple[float, list[Any]] | None:
    """Best path that reaches ``port_id`` by land (the allowed land modes), boards a ship
    there (port handling, export) and continues by sea only to the destination."""
    dep = graph.departure(port_id)
    land = tuple(m for m in q.modes if m != "sea")

    def w(modes: tuple[str, ...], allow: tuple[Any, ...] = ()) -> graph.Weight:
        return graph.weight_for(
            q.eg, objective=q.objective,
            value_of_time_usd_per_hour=q.value_of_time * q.factor, modes=modes,
            avoid_places=q.blocked_places, avoid_crossings=q.avoid.crossings,
            allow_nodes=allow)

    first = graph.shortest_path(q.eg, q.eg.endpoints(q.origin.id, arrive=False), [dep],
                                weight=w(land, (dep,)))
    if first is None:
        return None
    second = graph.shortest_path(q.eg, [dep], q.eg.endpoints(q.destination.id, arrive=True),
                                 weight=w(("sea",)))
    if second is None:
        return None
    return first[0] + second[0], first[1] + second[1][1:]


def _signature(eg: graph.ExpandedGraph, path: Sequence[Any]) -> tuple[Any, ...]:
    """The physical path: links and crossings in order, in their direction."""
    return tuple(
        (d["kind"], getattr(d["ref"], "id", None), u.place, v.place)
        for u, v, d in graph.edge_steps(eg, path)
        if d["kind"] in ("link", "crossing")
    )


def _revisits(path: Sequence[Any]) -> bool:
    """Whether ``path`` comes back to a place it already left (a physical loop)."""
    seq: list[str] = []
    for node in path:
        if not seq or seq[-1] != node[0]:
            seq.append(node[0])
    return len(set(seq)) != len(seq)


def _crossings_of(eg: graph.ExpandedGraph, path: Sequence[Any]) -> tuple[str, ...]:
    """The border crossings a path uses, in order: its corridor."""
    return tuple(d["xid"] for _, _, d in graph.edge_steps(eg, path) if d["kind"] == "crossing")


def _alternatives(q: _Query, k: int, first: list[Any]) -> list[list[Any]]:
    """Up to ``k`` paths, ``first`` (the best) included, that differ in their corridor.

    When the best route crosses a border, alternatives are the best routes with other
    sequences of border crossings: candidates come from re-searching with each crossing of
    a route already chosen banned in turn, on top of the bans that produced that route
    (Lawler's partition, on crossings), and the best candidate with a new sequence is taken
    next; at most :data:`MAX_CORRIDOR_SEARCHES` searches. When fewer than ``k`` corridors
    exist (or the best route crosses no border) the rest are routes that differ in their
    physical path (links and crossings): Yen's k shortest
    simple paths on graphs up to :data:`YEN_MAX_NODES` states without waypoints, bounded to
    ``max(20, 10 k)`` paths, then a penalty method (weights of used links x 1.5, at most
    ``3 k`` searches). Alternatives never come back to a place they left (the best route may,
    when that is cheapest). Every bound is a count.
    """
    if k <= 1:
        return [first]
    seed = [first]
    if _crossings_of(q.eg, first):
        seed = _corridor_alternatives(q, k, first)
        if len(seed) >= k:
            return seed
    found: dict[tuple[Any, ...], list[Any]] = {_signature(q.eg, p): p for p in seed}
    if not q.via and q.eg.number_of_nodes() <= YEN_MAX_NODES:
        layers = q.layers()
        paths = graph.simple_paths(q.eg, layers[0], layers[-1], weight=q.weight(),
                                   max_paths=max(20, 10 * k))
        with closing(paths):
            for path in paths:
                sig = _signature(q.eg, path)
                if sig not in found and not _revisits(path):
                    found[sig] = path
                    if len(found) >= k:
                        return list(found.values())
    penalties: dict[tuple[Any, Any], float] = {}
    pweight = q.weight(penalties)
    for _ in range(3 * k):
        for path in found.values():
            for u, v in zip(path, path[1:], strict=False):
                if q.eg.edge_data(u, v)["kind"] in ("link", "crossing"):
                    penalties[(u, v)] = penalties.get((u, v), 1.0) * 1.5
        hit = _search(q, pweight)
        if hit is None:
            break
        sig = _signature(q.eg, hit[1])
        if sig not in found and (q.via or not _revisits(hit[1])):
            found[sig] = hit[1]
            if len(found) >= k:
                break
    return list(found.values())


def _corridor_alternatives(q: _Query, k: int, first: list[Any]) -> list[list[Any]]:
    import heapq
    from dataclasses import replace

    chosen: list[list[Any]] = [first]
    seen = {_crossings_of(q.eg, first)}
    tried: set[frozenset[str]] = set()
    heap: list[tuple[float, int, tuple[str, ...], list[Any], frozenset[str]]] = []
    searches = 0
    serial = 0

    def expand(path: list[Any], bans: frozenset[str]) -> None:
        nonlocal searches, serial
        for x in _crossings_of(q.eg, path):
            ban = bans | {x}
            if ban in tried or searches >= MAX_CORRIDOR_SEARCHES:
                continue
            tried.add(ban)
            searches += 1
            avoid = replace(q.avoid, crossings=tuple(sorted(set(q.avoid.crossings) | ban)))
            q2 = replace(q, avoid=avoid)
            hit = _search(q2, q2.weight())
            if hit is None or (not q.via and _revisits(hit[1])):
                continue
            serial += 1
            heapq.heappush(heap, (hit[0], serial, _crossings_of(q.eg, hit[1]), hit[1], ban))

    expand(first, frozenset())
    while heap and len(chosen) < k:
        _, _, sig, path, ban = heapq.heappop(heap)
        if sig in seen:
            expand(path, ban)
            continue
        seen.add(sig)
        chosen.append(path)
        expand(path, ban)
    return chosen


# --------------------------------------------------------------------------- results


def totals_of(
    legs: Sequence[Leg], *, objective: str, value_of_time: float, factor: float
) -> Totals:
    """The totals of a route made of ``legs`` (costs and CO2 already for the shipment).

    ``objective_value`` is the figure the route is ranked by; ``generalized`` is cost plus
    ``value_of_time`` (USD per TEU-hour) times ``factor`` (TEU-equivalents in the shipment)
    times hours. Totals are sums of the unrounded legs.
    """
    import math

    km = sum(leg.distance_km for leg in legs)
    hours = sum(leg.hours for leg in legs)
    cost = sum(leg.cost_usd for leg in legs)
    co2 = sum(leg.co2_kg for leg in legs)
    moving = sum(leg.moving_hours for leg in legs)
    crossings = [leg for leg in legs if leg.kind == "crossing"]
    p90 = hours + math.sqrt(sum((leg.high_hours - leg.hours) ** 2 for leg in legs))
    value = {"time": hours, "cost": cost, "distance": km, "co2": co2}.get(
        objective, cost + value_of_time * factor * hours)
    return Totals(
        distance_km=km,
        hours=hours,
        days=hours / 24.0,
        cost_usd=cost,
        co2_kg=co2,
        moving_hours=moving,
        delay_hours=hours - moving,
        border_hours=sum(leg.hours for leg in crossings),
        borders_crossed=len(crossings),
        swd_kmh=km / hours if hours > 0 else 0.0,
        swod_kmh=km / moving if moving > 0 else 0.0,
        objective_value=value,
        rest_hours=sum(leg.rest_hours for leg in legs),
        wait_hours=sum(leg.wait_hours for leg in legs),
        p90_hours=p90,
        p90_days=p90 / 24.0,
    )


def _build_route(
    q: _Query, path: Sequence[Any], options: RouteOptions, provenance: Provenance
) -> Route:
    places = place_index(q.network).by_id
    legs: list[Leg] = []
    xuses: list[CrossingUse] = []
    for u, v, d in graph.edge_steps(q.eg, path):
        ref = d["ref"]
        kind = d["kind"]
        ref_id = getattr(ref, "id", None) if kind in ("link", "crossing") else None
        name = getattr(ref, "name", None) if kind in ("link", "crossing") else None
        recipe = d.get("recipe")
        if kind == "handling" and recipe:
            name = recipe[2]  # export, import
        elif kind == "terminal" and recipe:
            name = "loading" if recipe[2] else "unloading"
        legs.append(
            Leg(
                kind=kind,
                from_id=u.place,
                to_id=v.place,
                from_mode=u.mode if u.mode[0] != "@" else v.mode,
                mode=v.mode if v.mode[0] != "@" else u.mode,
                distance_km=d["distance_km"],
                hours=d["hours"],
                cost_usd=d["cost_usd"],
                co2_kg=d["co2_kg"],
                moving_hours=d["moving_hours"],
                from_gauge_mm=u.gauge_mm,
                gauge_mm=v.gauge_mm if v.mode[0] != "@" else u.gauge_mm,
                ref=ref_id,
                name=name,
                status=getattr(ref, "status", "operational") if kind in ("link", "crossing")
                else "operational",
                rest_hours=d["rest_hours"],
                wait_hours=d["wait_hours"],
                high_hours=d["hours"] + d["excess_hours"],
                components=graph.explain_edge(q.eg, d).components,
            )
        )
        if kind == "crossing" and isinstance(ref, Crossing):
            xuses.append(
                CrossingUse(
                    id=ref.id,
                    name=ref.name,
                    mode=v.mode,
                    from_country=places[u.place].country,
                    to_country=places[v.place].country,
                    hours=d["hours"],
                    cost_usd=d["cost_usd"],
                )
            )
    totals = totals_of(legs, objective=q.objective, value_of_time=q.value_of_time,
                       factor=q.factor)
    seq: list[str] = []
    for node in path:
        pid = node[0]
        if not seq or seq[-1] != pid:
            seq.append(pid)
    return Route(
        origin=PlaceRef.of(q.origin),
        destination=PlaceRef.of(q.destination),
        objective=q.objective,
        options=options,
        legs=tuple(legs),
        totals=totals,
        crossings=tuple(xuses),
        places=tuple(PlaceRef.of(places[p]) for p in seq if p in places),
        provenance=provenance,
        vehicles=_vehicles(q, legs),
    )


def _vehicles(q: _Query, legs: Sequence[Leg]) -> tuple[tuple[str, int], ...]:
    """Per mode used by a link leg and priced per vehicle, the vehicles the shipment needs
    (:func:`corridor.engine.costs.pricing_units`)."""
    used = [m for m in MODES if any(lg.kind == "link" and lg.mode == m for lg in legs)]
    out = []
    for m in used:
        md = q.network.defaults.modes.get(m)
        if md is not None and md.teu_per_vehicle is not None:
            out.append((m, int(costs.pricing_units(q.network.defaults, m, q.eg.op))))
    return tuple(out)


# --------------------------------------------------------------------------- no route


def _reachable(q: _Query, **changes: Any) -> bool:
    from dataclasses import replace

    q2 = replace(q, **changes)
    return _search(q2, q2.weight()) is not None


def _explain(q: _Query, include_planned: Planned) -> str:
    """Why there is no route: re-run without each constraint to find the culprit."""
    o, d = describe_place(q.origin), describe_place(q.destination)
    head = f"no route from {o} to {d}"
    causes: list[str] = []
    avoid = q.avoid

    def without(a: Avoid) -> dict[str, Any]:
        return {"avoid": a, "blocked_places": _blocked(q.network, a)}

    for c in avoid.countries:
        a = Avoid(avoid.places, tuple(x for x in avoid.countries if x != c), avoid.crossings)
        if _reachable(q, **without(a)):
            causes.append(f"avoiding country {c}")
    for p in avoid.places:
        a = Avoid(tuple(x for x in avoid.places if x != p), avoid.countries, avoid.crossings)
        if _reachable(q, **without(a)):
            causes.append(f"avoiding place {p}")
    for x in avoid.crossings:
        a = Avoid(avoid.places, avoid.countries, tuple(y for y in avoid.crossings if y != x))
        if _reachable(q, **without(a)):
            causes.append(f"avoiding crossing {x}")
    if set(q.modes) != set(MODES) and _reachable(q, modes=MODES):
        causes.append("allowing only " + ",".join(q.modes) + " (--modes)")
    for i, v in enumerate(q.via):
        if _reachable(q, via=q.via[:i] + q.via[i + 1 :]):
            causes.append(f"the waypoint {describe_place(v)} (--via)")
    planned_eg = None
    if include_planned is not True:
        planned_eg = graph.expanded_graph(q.network, include_planned=True, op=q.eg.op)
        if _reachable(q, eg=planned_eg):
            causes.append("leaving out planned and under-construction links (--include-planned)")
    if len(causes) == 1:
        return head + f": it is cut by {causes[0]} (there is a route without that)"
    if causes:
        return head + ": there is a route when any one of these is dropped: " + "; ".join(causes)
    constrained = bool(
        avoid.places or avoid.countries or avoid.crossings or q.via or set(q.modes) != set(MODES)
    )
    if constrained:
        open_eg = planned_eg or q.eg
        if _reachable(q, eg=open_eg, **without(Avoid()), modes=MODES, via=()):
            return head + ": no single constraint is to blame, but together they cut every route"
    for label, place in (("origin", q.origin), ("destination", q.destination)):
        if not _usable_at(q.network, place.id, include_planned):
            return head + f": the {label} {describe_place(place)} has no usable link or crossing"
    for label, place in (("origin", q.origin), ("destination", q.destination)):
        if not any(s.mode in q.modes for s in q.eg.states_of(place.id)):
            served = sorted({s.mode for s in q.eg.states_of(place.id)})
            return head + f": the {label} is served only by " + ", ".join(served)
    return head + ": the two places are not connected in this network"


def _usable_at(network: Network, place_id: str, include_planned: Planned) -> bool:
    return any(usable(lk, include_planned) and place_id in (lk.from_id, lk.to_id)
               for lk in network.links) or any(
        usable(c, include_planned) and place_id in (c.a, c.b) for c in network.crossings)


def _empty_route(q: _Query, options: RouteOptions, provenance: Provenance) -> Route:
    """A route from a place to itself: no legs, every total 0 (as a matrix diagonal)."""
    ref = PlaceRef.of(q.origin)
    return Route(
        origin=ref, destination=ref, objective=q.objective, options=options, legs=(),
        totals=totals_of((), objective=q.objective, value_of_time=q.value_of_time,
                         factor=q.factor),
        crossings=(), places=(ref,), provenance=provenance,
    )


# --------------------------------------------------------------------------- public


def find_routes(
    network: Network,
    origin: str,
    destination: str,
    *,
    k: int = 3,
    objective: str = "time",
    modes: Iterable[str] | None = None,
    avoid: Iterable[str] | Avoid = (),
    via: Sequence[str] = (),
    include_planned: PlannedArg = False,
    cargo: str = "teu",
    containers: int = 1,
    value_of_time_usd_per_hour: float = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    drivers: int = 1,
    driving_hours_per_day: float | None = None,
    _gateway: bool = False,
) -> tuple[Route, ...]:
    """Up to ``k`` best routes from ``origin`` to ``destination`` that differ in their
    physical path (links and crossings), best first, ranked by ``objective``.

    ``objective`` is ``time`` (hours), ``cost`` (USD), ``distance`` (km), ``co2`` (kg) or
    ``generalized`` (USD + ``value_of_time_usd_per_hour`` × TEU × hours). ``modes`` limits
    the modes (default all); ``avoid`` holds place names/ids, country codes or crossing ids
    (see :func:`resolve_avoid`); ``via`` waypoints are visited in order.
    ``include_planned`` adds planned and under-construction links and crossings: ``True``
    (or ``"all"``) every one, a project id or ids only those of these projects (see
    :func:`corridor.engine.planned.resolve_planned`). Costs and CO2 are for ``containers`` boxes
    of ``cargo`` (``teu`` or ``feu``), priced per mode as docs/operating-model.md says
    (trucks per vehicle, rail and sea per box). Trucks have ``drivers`` drivers (1 or 2),
    or ``driving_hours_per_day`` replaces the network's daily driving allowance. A route
    from a place to itself is empty (0 legs, totals 0).

    Alternatives differ in their corridor: the sequence of border crossings they use (see
    ``_alternatives`` and docs/operating-model.md section 1.5); routes that cross no border
    differ in their physical path. Every search is bounded by counts, never by time.

    Raises UsageError, UnknownPlaceError, AmbiguousPlaceError, UnknownProjectError or
    NoRouteError.
    """
    planned = resolve_planned(network, include_planned)
    mode_t = _check_options(
        objective, modes, cargo, containers, k, float(value_of_time_usd_per_hour)
    )
    op = operating(cargo=cargo, containers=containers, drivers=drivers,
                   driving_hours_per_day=driving_hours_per_day)
    idx = place_index(network)
    o = idx.resolve(origin)
    dst = idx.resolve(destination)
    vias = tuple(idx.resolve(v) for v in via)
    av = avoid if isinstance(avoid, Avoid) else resolve_avoid(network, avoid)
    blocked = _blocked(network, av)
    for label, p in (("origin", o), ("destination", dst)) + tuple(("waypoint", v) for v in vias):
        if p.id in blocked:
            why = f"country {p.country}" if p.country in av.countries else "place"
            raise UsageError(
                f"the {label} {describe_place(p)} is avoided (--avoid {why}); "
                "a route cannot avoid its own ends or waypoints"
            )
    options = RouteOptions(
        modes=mode_t,
        avoid_places=av.places,
        avoid_countries=av.countries,
        avoid_crossings=av.crossings,
        via=tuple(v.id for v in vias),
        include_planned=planned,
        cargo=cargo,
        containers=containers,
        value_of_time_usd_per_hour=float(value_of_time_usd_per_hour),
        alternatives=k,
        drivers=op.drivers,
        driving_hours_per_day=op.driving_hours_per_day,
    )
    from corridor import __version__

    provenance = Provenance(
        network=network.name,
        content_hash=network.content_hash,
        scenarios=network.scenarios,
        tool_version=__version__,
        manifest=network.manifest,
    )
    q = _Query(
        network=network,
        eg=graph.expanded_graph(network, include_planned=planned, op=op),
        origin=o,
        destination=dst,
        via=vias,
        objective=objective,
        modes=mode_t,
        avoid=av,
        blocked_places=blocked,
        value_of_time=float(value_of_time_usd_per_hour),
        factor=costs.teu_equivalent(network.defaults, op),
    )
    if o.id == dst.id and not vias:
        return (_empty_route(q, options, provenance),)
    if _gateway:
        hit = _gateway_search(q, vias[0].id)
        if hit is None:
            raise NoRouteError(f"no route from {describe_place(o)} through the port "
                               f"{describe_place(vias[0])} to {describe_place(dst)}")
        return (_build_route(q, hit[1], options, provenance),)
    hit = _search(q, q.weight())
    if hit is None:
        raise NoRouteError(_explain(q, planned))
    paths = _alternatives(q, k, hit[1])
    routes = [_build_route(q, p, options, provenance) for p in paths]
    order = sorted(range(len(routes)), key=lambda i: (routes[i].totals.objective_value, i))
    from dataclasses import replace

    from corridor.engine.closures import attach_notes

    return attach_notes(network, [replace(routes[i], rank=r + 1) for r, i in enumerate(order)])


def find_gateway_route(
    network: Network,
    origin: str,
    port: str,
    destination: str,
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
) -> Route:
    """The best route from ``origin`` to ``destination`` that reaches the seaport ``port``
    by land (the allowed land modes), is handled onto a ship there, and sails on to
    ``destination`` by sea only: what ``compare`` prices for each gateway. Its options
    show ``via=(port,)``. Raises NoRouteError when there is none (and the errors of
    :func:`find_routes`)."""
    idx = place_index(network)
    gw = idx.resolve(port)
    routes = find_routes(
        network, origin, destination, k=1, objective=objective, modes=modes, avoid=avoid,
        via=(gw.id,), include_planned=include_planned, cargo=cargo, containers=containers,
        value_of_time_usd_per_hour=value_of_time_usd_per_hour,
        drivers=drivers, driving_hours_per_day=driving_hours_per_day, _gateway=True)
    return routes[0]


def find_route(
    network: Network,
    origin: str,
    destination: str,
    *,
    objective: str = "time",
    modes: Iterable[str] | None = None,
    avoid: Iterable[str] | Avoid = (),
    via: Sequence[str] = (),
    include_planned: PlannedArg = False,
    cargo: str = "teu",
    containers: int = 1,
    value_of_time_usd_per_hour: float = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    drivers: int = 1,
    driving_hours_per_day: float | None = None,
) -> Route:
    """The best route from ``origin`` to ``destination`` by ``objective``; see
    :func:`find_routes` for the options. Raises NoRouteError when there is none."""
    return find_routes(
        network,
        origin,
        destination,
        k=1,
        objective=objective,
        modes=modes,
        avoid=avoid,
        via=via,
        include_planned=include_planned,
        cargo=cargo,
        containers=containers,
        value_of_time_usd_per_hour=value_of_time_usd_per_hour,
        drivers=drivers,
        driving_hours_per_day=driving_hours_per_day,
    )[0]


@dataclass(frozen=True, slots=True)
class SearchSpace:
    """What a route search for given options runs on, for analyses that search the
    expanded graph themselves (e.g. :mod:`corridor.analysis.pareto`): the graph ``eg``; ``layers``,
    the start nodes, one list per waypoint (any of its states), then the end nodes; and
    ``weight``, the graph weight of ``time`` under the constraints: an attribute name when
    nothing is excluded, else a function returning ``None`` for an excluded edge."""

    eg: graph.ExpandedGraph
    layers: tuple[tuple[Any, ...], ...]
    weight: graph.Weight


def _query_of(network: Network, options: RouteOptions, *, origin: str, destination: str,
              objective: str) -> _Query:
    """The query :func:`find_routes` runs for ``options`` (already normalized; places are
    ids). The one place that turns route options into a search."""
    idx = place_index(network)
    av = Avoid(options.avoid_places, options.avoid_countries, options.avoid_crossings)
    op = operating(cargo=options.cargo, containers=options.containers,
                   drivers=options.drivers, driving_hours_per_day=options.driving_hours_per_day)
    return _Query(
        network=network,
        eg=graph.expanded_graph(network, include_planned=options.include_planned, op=op),
        origin=idx.by_id[origin],
        destination=idx.by_id[destination],
        via=tuple(idx.by_id[v] for v in options.via),
        objective=objective,
        modes=options.modes,
        avoid=av,
        blocked_places=_blocked(network, av),
        value_of_time=options.value_of_time_usd_per_hour,
        factor=costs.teu_equivalent(network.defaults, op),
    )


def search_space(network: Network, options: RouteOptions, *, origin: str,
                 destination: str) -> SearchSpace:
    """The graph, start/waypoint/end nodes and constrained weight that :func:`find_routes`
    searches for ``options`` from ``origin`` to ``destination`` (place ids)."""
    q = _query_of(network, options, origin=origin, destination=destination, objective="time")
    return SearchSpace(eg=q.eg, layers=tuple(tuple(layer) for layer in q.layers()),
                       weight=q.weight())


def route_along(
    network: Network,
    path: Sequence[Any],
    *,
    origin: str,
    destination: str,
    objective: str,
    options: RouteOptions,
) -> Route:
    """The route along ``path`` (nodes of :func:`search_space`'s graph, as the graph
    searches return them), built exactly as :func:`find_routes` builds its routes, so its
    legs, totals and closure notes are those ``find_route`` gives for the same path.
    ``origin`` and ``destination`` are place ids; ``options`` are already normalized (ids,
    modes in canonical order). For analyses that search the graph themselves (e.g.
    :mod:`corridor.analysis.pareto`)."""
    from corridor import __version__
    from corridor.engine.closures import attach_notes

    q = _query_of(network, options, origin=origin, destination=destination,
                  objective=objective)
    provenance = Provenance(network=network.name, content_hash=network.content_hash,
                            scenarios=network.scenarios, tool_version=__version__,
                            manifest=network.manifest)
    if origin == destination and not options.via:
        return _empty_route(q, options, provenance)
    return attach_notes(network, [_build_route(q, path, options, provenance)])[0]
