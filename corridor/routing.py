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
from typing import Any

from corridor import costs, graph
from corridor.errors import NoRouteError, UnknownPlaceError, UsageError
from corridor.model import MODES, Crossing, Network, Place
from corridor.places import describe_place, place_index
from corridor.textutil import did_you_mean, fold, printable

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
#: Bound of the exact (Yen) phase, in simple paths examined per alternative asked for (at
#: least 20); the penalty method fills in after it. A count, never a clock: the same query
#: gives the same alternatives on any machine, however loaded.
YEN_PATHS_PER_ALTERNATIVE = 10

KIND_LABELS = {
    "crossing": "border crossing",
    "transfer": "transfer",
    "handling": "port handling",
    "transshipment": "transshipment",
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
    mode or gauge) or ``handling`` (seaport, land <-> sea). ``mode`` is the mode after the
    step and ``from_mode`` before it (equal except for transfers and handling). ``ref`` is
    the link or crossing id (``None`` for transfers and handling). ``moving_hours`` is the
    part of ``hours`` spent travelling.
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

    ``delay_hours`` is the time not spent moving (border dwell, transfers and handling);
    ``border_hours`` is its border part. ``swd_kmh`` (speed with delays) is distance over all
    hours and ``swod_kmh`` (speed without delays) distance over moving hours, as in the
    ADB/CAREC Corridor Performance Measurement and Monitoring. ``objective_value`` is the
    figure the route was ranked by.
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


@dataclass(frozen=True, slots=True)
class RouteOptions:
    """The options a route was computed with, normalized (ids, sorted where order does not
    matter)."""

    modes: tuple[str, ...]
    avoid_places: tuple[str, ...] = ()
    avoid_countries: tuple[str, ...] = ()
    avoid_crossings: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    include_planned: bool = False
    cargo: str = "teu"
    containers: int = 1
    value_of_time_usd_per_hour: float = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR
    alternatives: int = 1


@dataclass(frozen=True, slots=True)
class Provenance:
    """What an answer was computed from."""

    network: str
    content_hash: str
    scenario: str | None
    tool_version: str


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


@dataclass(frozen=True, slots=True)
class Avoid:
    """What to keep out of a route: place ids, country codes, crossing ids."""

    places: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    crossings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- requests


def resolve_avoid(network: Network, items: Iterable[str]) -> Avoid:
    """Sort each of ``items`` into a crossing (by id, any case), a country (ISO alpha-2 code
    of a country in the network) or a place (as :func:`corridor.places.resolve_place`).

    Raises :class:`~corridor.errors.UnknownPlaceError` for an item that is none of them.
    """
    items = list(items)
    if not items:
        return Avoid()
    xings = {fold(c.id): c.id for c in network.crossings}
    countries = {p.country for p in network.places}
    idx = place_index(network)
    places: list[str] = []
    ctry: list[str] = []
    xs: list[str] = []
    for item in items:
        key = fold(item)
        if key in xings:
            xs.append(xings[key])
        elif item.strip().upper() in countries and len(item.strip()) == 2:
            ctry.append(item.strip().upper())
        else:
            try:
                places.append(idx.resolve(item).id)
            except UnknownPlaceError as err:
                extra = did_you_mean(item, list(xings.values()) + sorted(countries), n=2)
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
    if not isinstance(containers, int) or containers < 1:
        raise UsageError("containers must be a whole number of at least 1")
    if k < 1:
        raise UsageError("alternatives must be at least 1")
    if not value_of_time >= 0:
        raise UsageError("value of time must be zero or more (USD per TEU-hour)")
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
    factor: float

    def weight(self, penalties: dict[tuple[Any, Any], float] | None = None) -> graph.Weight:
        return graph.weight_for(
            self.eg,
            objective=self.objective,
            value_of_time_usd_per_hour=self.value_of_time,
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


def _alternatives(q: _Query, k: int, first: list[Any]) -> list[list[Any]]:
    """Up to ``k`` paths with distinct physical signatures, ``first`` (the best) included.

    Small graphs without waypoints: Yen's k shortest simple paths on the expanded graph,
    keeping the first path of each physical signature, bounded by ``max(20, 10 k)`` paths
    (:data:`YEN_PATHS_PER_ALTERNATIVE`; a count, never a clock). Then (large graphs,
    waypoints, or too few distinct paths among those) a penalty
    method: multiply the weight of the links and crossings already used by 1.5 and search
    again, at most ``3 k`` searches. Without waypoints, alternatives that come back to a
    place they left are skipped.
    """
    found: dict[tuple[Any, ...], list[Any]] = {_signature(q.eg, first): first}
    if k <= 1:
        return [first]
    if not q.via and q.eg.compiled.number_of_nodes() <= YEN_MAX_NODES:
        layers = q.layers()
        paths = graph.simple_paths(q.eg, layers[0], layers[-1], weight=q.weight(),
                                   max_paths=max(20, YEN_PATHS_PER_ALTERNATIVE * k))
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


# --------------------------------------------------------------------------- results


def totals_of(
    legs: Sequence[Leg], *, objective: str, value_of_time: float, factor: float
) -> Totals:
    """The totals of a route made of ``legs`` (costs and CO2 already for the shipment).

    ``objective_value`` is the figure the route is ranked by; ``generalized`` is cost plus
    ``value_of_time`` (USD per TEU-hour) times ``factor`` (TEU in the shipment) times hours.
    """
    km = sum(leg.distance_km for leg in legs)
    hours = sum(leg.hours for leg in legs)
    cost = sum(leg.cost_usd for leg in legs)
    co2 = sum(leg.co2_kg for leg in legs)
    moving = sum(leg.moving_hours for leg in legs)
    crossings = [leg for leg in legs if leg.kind == "crossing"]
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
        legs.append(
            Leg(
                kind=kind,
                from_id=u.place,
                to_id=v.place,
                from_mode=u.mode,
                mode=v.mode,
                distance_km=d["distance_km"],
                hours=d["hours"],
                cost_usd=d["cost_usd"] * q.factor,
                co2_kg=d["co2_kg"] * q.factor,
                moving_hours=d["moving_hours"],
                from_gauge_mm=u.gauge_mm,
                gauge_mm=v.gauge_mm,
                ref=ref_id,
                name=name,
                status=getattr(ref, "status", "operational"),
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
                    cost_usd=d["cost_usd"] * q.factor,
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
    )


# --------------------------------------------------------------------------- no route


def _reachable(q: _Query, **changes: Any) -> bool:
    from dataclasses import replace

    q2 = replace(q, **changes)
    return _search(q2, q2.weight()) is not None


def _explain(q: _Query, include_planned: bool) -> str:
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
    if not include_planned:
        planned_eg = graph.expanded_graph(q.network, include_planned=True)
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
        if not q.eg.states_of(place.id):
            return head + f": the {label} {describe_place(place)} has no usable link or crossing"
    for label, place in (("origin", q.origin), ("destination", q.destination)):
        if not any(s.mode in q.modes for s in q.eg.states_of(place.id)):
            served = sorted({s.mode for s in q.eg.states_of(place.id)})
            return head + f": the {label} is served only by " + ", ".join(served)
    return head + ": the two places are not connected in this network"


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
    include_planned: bool = False,
    cargo: str = "teu",
    containers: int = 1,
    value_of_time_usd_per_hour: float = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    scenario: str | None = None,
) -> tuple[Route, ...]:
    """Up to ``k`` best routes from ``origin`` to ``destination`` that differ in their
    physical path (links and crossings), best first, ranked by ``objective``.

    ``objective`` is ``time`` (hours), ``cost`` (USD), ``distance`` (km), ``co2`` (kg) or
    ``generalized`` (USD + ``value_of_time_usd_per_hour`` × TEU × hours). ``modes`` limits
    the modes (default all); ``avoid`` holds place names/ids, country codes or crossing ids
    (see :func:`resolve_avoid`); ``via`` waypoints are visited in order.
    ``include_planned`` adds planned and under-construction links and crossings. Costs and
    CO2 are for ``containers`` boxes of ``cargo`` (``teu``, or ``feu`` =
    ``defaults.feu_teu_ratio`` TEU each).

    On graphs up to 5,000 states the alternatives are exact (Yen's algorithm on the
    expanded graph, bounded to max(20, 10 k) simple paths, keeping the first of each physical
    path); larger graphs, routes with waypoints, or a Yen run that ends short use a bounded
    penalty method.

    Raises UsageError, UnknownPlaceError, AmbiguousPlaceError or NoRouteError.
    """
    mode_t = _check_options(
        objective, modes, cargo, containers, k, float(value_of_time_usd_per_hour)
    )
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
        include_planned=include_planned,
        cargo=cargo,
        containers=containers,
        value_of_time_usd_per_hour=float(value_of_time_usd_per_hour),
        alternatives=k,
    )
    from corridor import __version__

    provenance = Provenance(
        network=network.name,
        content_hash=network.content_hash,
        scenario=scenario,
        tool_version=__version__,
    )
    q = _Query(
        network=network,
        eg=graph.expanded_graph(network, include_planned=include_planned),
        origin=o,
        destination=dst,
        via=vias,
        objective=objective,
        modes=mode_t,
        avoid=av,
        blocked_places=blocked,
        value_of_time=float(value_of_time_usd_per_hour),
        factor=costs.cargo_factor(network.defaults, cargo=cargo, containers=containers),
    )
    hit = _search(q, q.weight())
    if hit is None:
        raise NoRouteError(_explain(q, include_planned))
    paths = _alternatives(q, k, hit[1])
    routes = [_build_route(q, p, options, provenance) for p in paths]
    order = sorted(range(len(routes)), key=lambda i: (routes[i].totals.objective_value, i))
    from dataclasses import replace

    return tuple(replace(routes[i], rank=r + 1) for r, i in enumerate(order))


def find_route(
    network: Network,
    origin: str,
    destination: str,
    *,
    objective: str = "time",
    modes: Iterable[str] | None = None,
    avoid: Iterable[str] | Avoid = (),
    via: Sequence[str] = (),
    include_planned: bool = False,
    cargo: str = "teu",
    containers: int = 1,
    value_of_time_usd_per_hour: float = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    scenario: str | None = None,
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
        scenario=scenario,
    )[0]
