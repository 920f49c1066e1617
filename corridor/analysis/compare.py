"""Rank gateway seaports for cargo from an origin, optionally on to an overseas port.

>>> c = compare_ports(network, "Almaty", to="Jebel Ali", objective="cost")  # doctest: +SKIP
>>> [(o.port.name, o.rank, o.gap_cost_usd) for o in c.options]             # doctest: +SKIP

Each candidate port is priced as a gateway:

- without ``to``: the best **land** route (road, rail) from the origin to the port;
- with ``to``: door to destination, *through* that port: the land route to the port, port
  handling (land to sea) there, then the best **sea** route from the port to ``to``. This is
  :func:`corridor.engine.routing.find_route` with ``via=[port]``, with the sea leg forced to
  start at that port (a route through the port may not leave it by road for another port).

Candidates are the ``ports`` given, else every seaport that the origin reaches by land in
the network (whatever the constraints: a port cut off by ``avoid`` or ``modes`` is listed
as unreachable with the reason, so a consultant sees what a closure does). Reachable options
are ranked by the objective (ties by port id); each carries its gap to the best.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from corridor.engine import graph
from corridor.engine.options import QueryOptions, blocked_places, check_options, provenance_of
from corridor.engine.places import describe_place, place_index
from corridor.engine.planned import Planned, PlannedArg, usable
from corridor.engine.routing import (
    DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    Avoid,
    PlaceRef,
    Provenance,
    Route,
    find_gateway_route,
    find_route,
)
from corridor.errors import NoRouteError, UsageError
from corridor.model import LAND_MODES, Network, Place

__all__ = ["PortOption", "Comparison", "compare_ports", "gateway_candidates"]


@dataclass(frozen=True, slots=True)
class PortOption:
    """One candidate gateway port.

    ``route`` is the door-to-door route (to the port, or through it to the destination)
    when ``reachable``; ``reason`` says why not otherwise. ``rank`` is 1 for the best
    reachable port (``None`` when unreachable). The gaps are this option's figures minus
    the best option's: ``gap_hours``, ``gap_cost_usd`` (shipment) and ``gap_objective``
    (in the objective's unit). ``handling_hours`` and ``handling_cost_usd`` are the port
    handling included (``None`` without a destination).
    """

    port: PlaceRef
    reachable: bool
    rank: int | None = None
    route: Route | None = None
    reason: str | None = None
    gap_hours: float | None = None
    gap_cost_usd: float | None = None
    gap_objective: float | None = None
    handling_hours: float | None = None
    handling_cost_usd: float | None = None

    @property
    def countries(self) -> tuple[str, ...]:
        """Countries the route passes through, in order (consecutive repeats folded)."""
        out: list[str] = []
        for p in self.route.places if self.route else ():
            if not out or out[-1] != p.country:
                out.append(p.country)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Gateway ports for cargo from ``origin`` (to ``destination`` when given): reachable
    options best first, then the unreachable ones in candidate order. ``candidates`` is
    ``ports`` when they were named, ``seaports`` when found by land reachability."""

    origin: PlaceRef
    destination: PlaceRef | None
    objective: str
    options: QueryOptions
    candidates: str
    ports: tuple[PortOption, ...]
    provenance: Provenance

    @property
    def best(self) -> PortOption | None:
        return self.ports[0] if self.ports and self.ports[0].reachable else None


# --------------------------------------------------------------------------- candidates


def gateway_candidates(
    network: Network, origin: str, *, include_planned: Planned = False
) -> list[str]:
    """Ids of the seaports the origin reaches by land (road and rail, any constraint
    ignored; planned links only with ``include_planned``), sorted; the origin itself when
    it is a seaport. Raises UnknownPlaceError or AmbiguousPlaceError."""
    o = place_index(network).resolve(origin)
    eg = graph.expanded_graph(network, include_planned=include_planned)
    G = eg.graph
    start = [s for s in eg.states_of(o.id) if s.mode in LAND_MODES]
    seen = set(start)
    stack = list(start)
    with eg.lock:  # searches elsewhere may add virtual nodes for a moment
        while stack:
            u = stack.pop()
            for v in G.successors(u):
                if v not in seen and v[1] in LAND_MODES:
                    seen.add(v)
                    stack.append(v)
    places = {n[0] for n in seen}
    places.add(o.id)
    return sorted(p.id for p in network.places if p.kind == "seaport" and p.id in places)


# --------------------------------------------------------------------------- joining


def _land_reason(message: str, opts: QueryOptions) -> str:
    land = [m for m in opts.modes if m in LAND_MODES]
    clause = "allowing only " + ",".join(land) + " (--modes)"
    if clause in message and set(land) == LAND_MODES:
        message = message.replace(clause, "travelling by land only (a gateway is reached by "
                                  "road or rail)")
    return message


def _price(
    network: Network,
    origin: Place,
    port: Place,
    dest: Place | None,
    *,
    objective: str,
    opts: QueryOptions,
    provenance: Provenance,
) -> PortOption:
    ref = PlaceRef.of(port)
    if port.id in blocked_places(network, opts):
        why = (f"{describe_place(port)} is in an avoided country (--avoid {port.country})"
               if port.country in opts.avoid_countries
               else f"{describe_place(port)} is avoided (--avoid)")
        return PortOption(ref, False, reason=why)
    land_modes = [m for m in opts.modes if m in LAND_MODES]

    def leg(a: Place, b: Place, modes: list[str], planned: Planned = opts.include_planned) -> Route:
        return find_route(network, a.id, b.id, objective=objective, modes=modes,
                          avoid=opts.avoid, include_planned=planned, cargo=opts.cargo,
                          containers=opts.containers,
                          value_of_time_usd_per_hour=opts.value_of_time_usd_per_hour,
                          drivers=opts.drivers, driving_hours_per_day=opts.driving_hours_per_day)

    try:
        land = leg(origin, port, land_modes)
    except NoRouteError as err:
        return PortOption(ref, False, reason=_land_reason(str(err), opts))
    if dest is None or dest.id == port.id:
        return PortOption(ref, True, route=land)
    eg = graph.expanded_graph(network, include_planned=opts.include_planned)
    if not graph.boards_at(network, eg, port.id):
        return PortOption(ref, False, reason=f"{describe_place(port)} has no port handling "
                          "(no land-sea transfer) in this network")
    try:
        leg(port, dest, ["sea"])
    except NoRouteError:
        why = f"no sea route from {describe_place(port)} to {describe_place(dest)}"
        if not any(lk.mode == "sea" and usable(lk, opts.include_planned)
                   and port.id in (lk.from_id, lk.to_id) for lk in network.links):
            why = f"{describe_place(port)} has no usable sea link"
        if opts.include_planned is not True:
            try:
                leg(port, dest, ["sea"], planned=True)
                why += " (one opens with --include-planned)"
            except NoRouteError:
                pass
        return PortOption(ref, False, reason=why)
    try:
        route = find_gateway_route(
            network, origin.id, port.id, dest.id, objective=objective, modes=opts.modes,
            avoid=opts.avoid, include_planned=opts.include_planned, cargo=opts.cargo,
            containers=opts.containers,
            value_of_time_usd_per_hour=opts.value_of_time_usd_per_hour,
            drivers=opts.drivers, driving_hours_per_day=opts.driving_hours_per_day)
    except NoRouteError as err:
        return PortOption(ref, False, reason=str(err))
    route = replace(route, provenance=provenance)
    handling = next((lg for lg in route.legs if lg.kind == "handling"
                     and lg.from_id == port.id and lg.mode == "sea"), None)
    return PortOption(ref, True, route=route,
                      handling_hours=None if handling is None else handling.hours,
                      handling_cost_usd=None if handling is None else handling.cost_usd)


# --------------------------------------------------------------------------- public


def compare_ports(
    network: Network,
    origin: str,
    *,
    ports: Sequence[str] | None = None,
    to: str | None = None,
    objective: str = "time",
    modes: Iterable[str] | None = None,
    avoid: Iterable[str] | Avoid = (),
    include_planned: PlannedArg = False,
    cargo: str = "teu",
    containers: int = 1,
    value_of_time_usd_per_hour: float = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    drivers: int = 1,
    driving_hours_per_day: float | None = None,
) -> Comparison:
    """Rank gateway ports for cargo from ``origin``, by ``objective``.

    ``ports`` names the candidates (ids, names or aliases); by default every seaport the
    origin reaches by land (:func:`gateway_candidates`). Without ``to`` each port is priced
    by the best land route to it; with ``to`` (an overseas port) door to ``to`` through the
    port, including its handling and the sea leg. Figures are in hours, USD (for
    ``containers`` boxes of ``cargo``; trucks with ``drivers`` drivers or
    ``driving_hours_per_day``), km and kg CO2; options are those of
    :func:`corridor.engine.routing.find_route`. Unreachable candidates are kept, last, with the
    reason.

    Raises UsageError (bad options; ``to`` without sea in ``modes``; ``modes`` with no land
    mode; no candidates; a candidate in ``ports`` that is not of kind ``seaport``),
    UnknownPlaceError or AmbiguousPlaceError.
    """
    opts = check_options(
        network, objective=objective, modes=modes, avoid=avoid,
        include_planned=include_planned, cargo=cargo, containers=containers,
        value_of_time_usd_per_hour=value_of_time_usd_per_hour, drivers=drivers,
        driving_hours_per_day=driving_hours_per_day)
    if not any(m in LAND_MODES for m in opts.modes):
        raise UsageError("compare needs road or rail in --modes: a gateway port is reached by "
                         "land")
    if to is not None and "sea" not in opts.modes:
        raise UsageError("--to needs sea in --modes: the destination is reached by sea")
    idx = place_index(network)
    o = idx.resolve(origin)
    dest = idx.resolve(to) if to is not None else None
    blocked = blocked_places(network, opts)
    for label, p in (("origin", o), ("destination", dest)):
        if p is not None and p.id in blocked:
            raise UsageError(f"the {label} {describe_place(p)} is avoided (--avoid)")
    if ports is not None:
        cands: list[Place] = []
        for name in ports:
            p = idx.resolve(name)
            if p not in cands:
                cands.append(p)
        if not cands:
            raise UsageError("no ports given")
        not_ports = [p for p in cands if p.kind != "seaport"]
        if not_ports:
            raise UsageError(
                "--ports names places that are not seaports: "
                + ", ".join(f"{describe_place(p)} is a {p.kind.replace('_', ' ')}"
                            for p in not_ports)
                + "; a gateway port is a place of kind seaport (see 'corridor nodes --kind "
                "seaport')")
        how = "ports"
    else:
        ids = gateway_candidates(network, o.id, include_planned=opts.include_planned)
        if not ids:
            raise NoRouteError(f"no seaport is reachable by land from {describe_place(o)}"
                               + ("" if opts.include_planned is True
                                  else " (try --include-planned)"))
        cands = [idx.by_id[i] for i in ids]
        how = "seaports"
    provenance = provenance_of(network)
    priced = [_price(network, o, p, dest, objective=objective, opts=opts, provenance=provenance)
              for p in cands]
    ok = sorted((x for x in priced if x.reachable and x.route is not None),
                key=lambda x: (round(x.route.totals.objective_value, 9) if x.route else 0.0,
                               x.port.id))
    out: list[PortOption] = []
    if ok:
        assert ok[0].route is not None
        b = ok[0].route.totals
        for rank, x in enumerate(ok, 1):
            assert x.route is not None
            t = x.route.totals
            out.append(replace(x, rank=rank, route=replace(x.route, rank=rank),
                               gap_hours=t.hours - b.hours,
                               gap_cost_usd=t.cost_usd - b.cost_usd,
                               gap_objective=t.objective_value - b.objective_value))
    out.extend(x for x in priced if not x.reachable)
    return Comparison(
        origin=PlaceRef.of(o),
        destination=PlaceRef.of(dest) if dest is not None else None,
        objective=objective,
        options=opts,
        candidates=how,
        ports=tuple(out),
        provenance=provenance,
    )
