"""The same question under a base network and N scenarios, side by side.

A question is a route (:func:`corridor.engine.routing.find_route`) or a gateway-port comparison
(:func:`corridor.analysis.compare.compare_ports`); it is asked once per *variant* network (the base,
then each scenario applied alone to the base) with the same options, and every answer is
set beside the base's with its difference. Nothing here prices a leg: the query functions
do, so a side-by-side figure is always the figure the query command gives under that
scenario.

>>> nets = scenario_variants(network, ["torkham-closed.yaml"])      # doctest: +SKIP
>>> sbs = routes_side_by_side(nets, "Kabul", "Peshawar")            # doctest: +SKIP
>>> [(c.variant.label, c.delta_hours) for c in sbs.rows[0].cases]   # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from corridor.analysis.compare import Comparison, PortOption, compare_ports
from corridor.engine.options import QueryOptions, check_options, provenance_of
from corridor.engine.places import place_index
from corridor.engine.planned import PlannedArg
from corridor.engine.routing import (
    DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    Avoid,
    PlaceRef,
    Provenance,
    Route,
    find_route,
)
from corridor.errors import NoRouteError, UsageError
from corridor.model import Network, ScenarioRef

__all__ = [
    "Variant",
    "Case",
    "Row",
    "SideBySide",
    "scenario_variants",
    "routes_side_by_side",
    "ports_side_by_side",
]

BASE_LABEL = "base"


@dataclass(frozen=True, slots=True)
class Variant:
    """One network the question is asked on: ``label`` is ``base`` or the names of the
    scenarios applied to the base (joined by ``+``), ``scenarios`` those scenarios, and
    ``content_hash`` the variant network's hash."""

    label: str
    scenarios: tuple[ScenarioRef, ...]
    content_hash: str


@dataclass(frozen=True, slots=True)
class Case:
    """The answer under one variant: the ``route`` (``None`` when there is none, with the
    ``reason``), its ``rank`` among the ports (port comparisons only), and its difference
    to the base's answer in the same row (``None`` for the base itself, or when either has
    no route): hours, USD (shipment), km and kg CO2."""

    variant: Variant
    route: Route | None
    reason: str | None = None
    rank: int | None = None
    delta_hours: float | None = None
    delta_cost_usd: float | None = None
    delta_distance_km: float | None = None
    delta_co2_kg: float | None = None

    @property
    def reachable(self) -> bool:
        return self.route is not None


@dataclass(frozen=True, slots=True)
class Row:
    """One option asked about: the route (``port`` None), or one gateway port; ``cases``
    has one entry per variant, base first."""

    port: PlaceRef | None
    cases: tuple[Case, ...]


@dataclass(frozen=True, slots=True)
class SideBySide:
    """A question (``route`` or ``compare``) under each variant. ``best`` is, per variant,
    the id of the best port (port comparisons; ``None`` when none is reachable) and
    empty for routes. ``provenance`` is the base network's."""

    question: str
    origin: PlaceRef
    destination: PlaceRef | None
    objective: str
    options: QueryOptions
    variants: tuple[Variant, ...]
    rows: tuple[Row, ...]
    best: tuple[str | None, ...]
    provenance: Provenance
    #: The departure date of a dated route question, else None.
    departure: date | None = None


def scenario_variants(
    network: Network, scenarios: Iterable[str | os.PathLike[str]]
) -> list[Network]:
    """The base ``network``, then the network with each scenario file applied alone to it
    (:func:`corridor.format.patch.with_scenarios`), in order. Raises UsageError for a missing file
    and ScenarioError for a scenario with errors."""
    from corridor.format.patch import with_scenarios

    return [network] + [with_scenarios(network, [s]) for s in scenarios]


def _variants(networks: Sequence[Network]) -> tuple[Variant, ...]:
    if not networks:
        raise UsageError("no network to ask the question on")
    base = networks[0]
    n0 = len(base.scenarios)
    out = [Variant(BASE_LABEL, (), base.content_hash)]
    for net in networks[1:]:
        extra = net.scenarios[n0:]
        label = " + ".join(s.name for s in extra) or f"variant {len(out)}"
        out.append(Variant(label, extra, net.content_hash))
    return tuple(out)


def _delta(variant: Variant, route: Route | None, base: Route | None, **kw: object) -> Case:
    if route is None or base is None or variant.label == BASE_LABEL:
        return Case(variant, route, **kw)  # type: ignore[arg-type]
    a, b = route.totals, base.totals
    return Case(variant, route, delta_hours=a.hours - b.hours,
                delta_cost_usd=a.cost_usd - b.cost_usd,
                delta_distance_km=a.distance_km - b.distance_km,
                delta_co2_kg=a.co2_kg - b.co2_kg, **kw)  # type: ignore[arg-type]


def routes_side_by_side(
    networks: Sequence[Network],
    origin: str,
    destination: str,
    *,
    objective: str = "time",
    modes: Iterable[str] | None = None,
    avoid: Iterable[str] | Avoid = (),
    include_planned: PlannedArg = False,
    cargo: str = "teu",
    containers: int = 1,
    value_of_time_usd_per_hour: float = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    departure: date | None = None,
) -> SideBySide:
    """The best route from ``origin`` to ``destination`` on each of ``networks`` (the
    first is the base; see :func:`scenario_variants`), with the options of
    :func:`corridor.engine.routing.find_route`; with ``departure``, leaving on that date
    (:func:`corridor.engine.closures.find_routes_on`). A variant without a route has its reason.

    Raises UsageError, UnknownPlaceError or AmbiguousPlaceError (from the base network).
    """
    variants = _variants(networks)
    base = networks[0]
    modes = list(modes) if modes is not None else None
    opts = check_options(base, objective=objective, modes=modes, avoid=avoid,
                         include_planned=include_planned, cargo=cargo, containers=containers,
                         value_of_time_usd_per_hour=value_of_time_usd_per_hour)
    idx = place_index(base)
    o, d = idx.resolve(origin), idx.resolve(destination)
    routes: list[tuple[Route | None, str | None]] = []
    kw: dict[str, Any] = dict(
        objective=objective, modes=modes, avoid=opts.avoid, include_planned=include_planned,
        cargo=cargo, containers=containers,
        value_of_time_usd_per_hour=value_of_time_usd_per_hour)
    for net in networks:
        try:
            if departure is None:
                routes.append((find_route(net, o.id, d.id, **kw), None))
            else:
                from corridor.engine.closures import find_routes_on

                routes.append((find_routes_on(net, o.id, d.id, departure=departure,
                                              **kw)[0], None))
        except NoRouteError as err:
            routes.append((None, str(err)))
    base_route = routes[0][0]
    cases = tuple(_delta(v, r, base_route, reason=why)
                  for v, (r, why) in zip(variants, routes, strict=True))
    return SideBySide(question="route", origin=PlaceRef.of(o), destination=PlaceRef.of(d),
                      objective=objective, options=opts, variants=variants,
                      rows=(Row(None, cases),), best=(), provenance=provenance_of(base),
                      departure=departure)


def ports_side_by_side(
    networks: Sequence[Network],
    origin: str,
    *,
    to: str | None = None,
    ports: Sequence[str] | None = None,
    objective: str = "time",
    modes: Iterable[str] | None = None,
    avoid: Iterable[str] | Avoid = (),
    include_planned: PlannedArg = False,
    cargo: str = "teu",
    containers: int = 1,
    value_of_time_usd_per_hour: float = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
) -> SideBySide:
    """The gateway-port comparison of :func:`corridor.analysis.compare.compare_ports` on each of
    ``networks`` (base first). Rows are the ports: the base's in its ranking order, then
    ports only a scenario offers; each case gives the port's rank under that variant and
    its difference to the same port under the base.

    Raises what :func:`compare_ports` raises for the base network.
    """
    variants = _variants(networks)
    modes = list(modes) if modes is not None else None
    comparisons: list[Comparison | None] = []
    for net in networks:
        try:
            comparisons.append(compare_ports(
                net, origin, ports=ports, to=to, objective=objective, modes=modes,
                avoid=avoid, include_planned=include_planned, cargo=cargo,
                containers=containers, value_of_time_usd_per_hour=value_of_time_usd_per_hour))
        except NoRouteError:
            if not comparisons:
                raise
            comparisons.append(None)
    base = comparisons[0]
    assert base is not None
    order: dict[str, PlaceRef] = {}
    for c in comparisons:
        for x in c.ports if c is not None else ():
            order.setdefault(x.port.id, x.port)
    rows = []
    for pid, ref in order.items():
        by_variant: list[PortOption | None] = []
        for c in comparisons:
            hit = next((x for x in c.ports if x.port.id == pid), None) if c else None
            by_variant.append(hit)
        base_route = by_variant[0].route if by_variant[0] is not None else None
        cases = []
        for v, opt in zip(variants, by_variant, strict=True):
            if opt is None:
                cases.append(Case(v, None, reason="not a candidate under this variant"))
                continue
            cases.append(_delta(v, opt.route, base_route, reason=opt.reason, rank=opt.rank))
        rows.append(Row(ref, tuple(cases)))
    best = tuple(c.best.port.id if c is not None and c.best is not None else None
                 for c in comparisons)
    return SideBySide(question="compare", origin=base.origin, destination=base.destination,
                      objective=objective, options=base.options, variants=variants,
                      rows=tuple(rows), best=best, provenance=base.provenance)
