"""Provenance of a route's figures: every leg broken into its components, each with the
records, defaults and sources its figures came from.

>>> ex = explain_route(network, route)                                   # doctest: +SKIP
>>> ex.legs[0].components[0].figures[0].source_titles                    # doctest: +SKIP

The components are the ones :mod:`corridor.engine.costs` computed for the totals
(``Leg.components``); this module only resolves what they point at (a link, a crossing
direction, a default block) into plain data: the field path, where the record was written
(``file:line:col``), its source ids with their titles and URLs, or its estimate note. No
figure is recomputed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from corridor.engine.routing import Leg, Route
from corridor.model import Network

__all__ = [
    "FigureSource", "ExplainedComponent", "ExplainedLeg", "explain_route", "explain_routes",
]


@dataclass(frozen=True, slots=True)
class FigureSource:
    """Where one figure came from: ``field`` is its path in the network (e.g.
    ``defaults.modes.road.by_country.UZ.speed_kmh`` or ``links.UZTAS-UZ-TERMEZ-road.distance_km``),
    ``where`` the ``file:line:col`` of the record that holds it (``""`` for an option such as
    ``--driving-hours``), ``sources`` the cited source ids with their titles and URLs, and
    ``estimate`` / ``note`` the record's estimation method and remarks."""

    field: str
    where: str
    sources: tuple[str, ...]
    source_titles: tuple[str, ...]
    source_urls: tuple[str, ...]
    estimate: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ExplainedComponent:
    kind: str
    hours: float
    high_hours: float
    cost_usd: float
    distance_km: float
    co2_kg: float
    rule: str
    figures: tuple[FigureSource, ...]


@dataclass(frozen=True, slots=True)
class ExplainedLeg:
    seq: int
    leg: Leg
    components: tuple[ExplainedComponent, ...]


def _figure_source(network: Network, field: str, record: Any) -> FigureSource:
    if record is None:
        return FigureSource(field, "", (), (), (), "given as an option of the query", None)
    prov = getattr(record, "provenance", None)
    loc = getattr(record, "loc", None)
    ids = tuple(getattr(prov, "source", ()) or ())
    by_id = {s.id: s for s in network.sources}
    titles = tuple(by_id[i].title if i in by_id else "" for i in ids)
    urls = tuple((by_id[i].url or "") if i in by_id else "" for i in ids)
    return FigureSource(
        field=field,
        where=str(loc) if loc is not None else "",
        sources=ids,
        source_titles=titles,
        source_urls=urls,
        estimate=getattr(prov, "estimate", None),
        note=getattr(prov, "note", None),
    )


def explain_route(network: Network, route: Route) -> tuple[ExplainedLeg, ...]:
    """Each leg of ``route`` (computed on ``network``) with its components and the
    provenance of every figure they use. Legs are numbered from 1 as in the route table."""
    out: list[ExplainedLeg] = []
    for i, leg in enumerate(route.legs, 1):
        comps = []
        for c in leg.components:
            seen: set[str] = set()
            figs = []
            for field, record in c.refs:
                if field in seen:
                    continue
                seen.add(field)
                figs.append(_figure_source(network, field, record))
            comps.append(ExplainedComponent(
                kind=c.kind, hours=c.hours, high_hours=c.high_hours, cost_usd=c.cost_usd,
                distance_km=c.distance_km, co2_kg=c.co2_kg, rule=c.rule, figures=tuple(figs)))
        out.append(ExplainedLeg(i, leg, tuple(comps)))
    return tuple(out)


def explain_routes(
    network: Network, routes: Sequence[Route]
) -> tuple[tuple[ExplainedLeg, ...], ...]:
    """:func:`explain_route` for each route."""
    return tuple(explain_route(network, r) for r in routes)
