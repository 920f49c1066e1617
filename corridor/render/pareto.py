"""Renderers of the time–cost trade-off front (``corridor route --pareto``): ``table``
(Rich), ``json`` (``corridor.pareto/1``, documented in ``docs/analysis-json.md``), ``csv``
(one row per point) and ``geojson`` (one line per point's route).

JSON and CSV come from the records only, rounded as every other document (km to 0.1, hours
and USD to 0.01, days to 0.001), so the same input gives the same bytes. Rich is imported
only by the table renderer.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any, TextIO

from corridor.analysis.pareto import FrontPoint, ParetoFront, route_summary
from corridor.engine.planned import planned_json, planned_words
from corridor.engine.routing import Route
from corridor.render.common import Registry, dump_json, place_dict, rnd, route_provenance, usd
from corridor.render.route import route_to_dict, routes_to_geojson
from corridor.textutil import printable

__all__ = ["PARETO_FORMATS", "PARETO_SCHEMA", "front_to_dict", "premium_usd_per_day",
           "render_front"]

PARETO_SCHEMA = "corridor.pareto/1"

PARETO_FORMATS: Registry[Callable[[ParetoFront, TextIO], None]] = Registry("route --pareto")


def render_front(front: ParetoFront, fmt: str, out: TextIO) -> None:
    """Write ``front`` to ``out`` in format ``fmt``; raises UsageError for an unknown one."""
    PARETO_FORMATS.get(fmt)(front, out)


def _modes(route: Route) -> list[str]:
    used = {leg.mode for leg in route.legs if leg.kind == "link"}
    return [m for m in ("road", "rail", "sea") if m in used] + sorted(
        used - {"road", "rail", "sea"})


def _countries(route: Route) -> list[str]:
    out: list[str] = []
    for p in route.places:
        if not out or out[-1] != p.country:
            out.append(p.country)
    return out


def premium_usd_per_day(front: ParetoFront, i: int) -> float | None:
    """What point ``i`` (0-based) costs per day saved against the next cheaper point:
    (its cost - theirs) / (their days - its days); ``None`` for the cheapest point."""
    pts = front.points
    if i + 1 >= len(pts):
        return None
    a, b = pts[i], pts[i + 1]
    saved = b.days - a.days
    if saved <= 0:
        return None
    return (a.cost_usd - b.cost_usd) / saved


def _point_dict(front: ParetoFront, i: int, p: FrontPoint) -> dict[str, Any]:
    body = route_to_dict(p.route)
    return {
        "rank": p.rank,
        "hours": rnd(p.hours, 2),
        "days": rnd(p.days, 3),
        "cost_usd": rnd(p.cost_usd, 2),
        "premium_usd_per_day_saved": rnd(premium_usd_per_day(front, i), 2),
        "summary": route_summary(p.route),
        "modes": _modes(p.route),
        "countries": _countries(p.route),
        "totals": body["totals"],
        "legs": body["legs"],
        "crossings": body["crossings"],
        "places": body["places"],
        "closures": body["closures"],
    }


def front_to_dict(front: ParetoFront) -> dict[str, Any]:
    """The documented JSON object of a front (``corridor.pareto/1``)."""
    o = front.options
    return {
        "schema": PARETO_SCHEMA,
        "origin": place_dict(front.origin),
        "destination": place_dict(front.destination),
        "criteria": ["hours", "cost_usd"],
        "options": {
            "modes": list(o.modes),
            "avoid": {"places": list(o.avoid_places), "countries": list(o.avoid_countries),
                      "crossings": list(o.avoid_crossings)},
            "via": list(o.via),
            "include_planned": planned_json(o.include_planned),
            "cargo": o.cargo,
            "containers": o.containers,
            "max_labels": front.max_labels,
        },
        "complete": front.complete,
        "complete_to_hours": rnd(front.complete_to_hours, 2),
        "labels": front.labels,
        "points": [_point_dict(front, i, p) for i, p in enumerate(front.points)],
        "provenance": route_provenance(front.provenance),
    }


@PARETO_FORMATS.register("table")
def front_table(front: ParetoFront, out: TextIO) -> None:
    """One row per point, fastest first: days, USD, what each day saved costs against the
    next cheaper point, borders, and the route in brief."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, highlight=False, emoji=False)
    o = front.options
    head = (f"Time-cost front from {front.origin.name} ({front.origin.id}) to "
            f"{front.destination.name} ({front.destination.id})  ·  "
            f"{o.containers} × {'TEU' if o.cargo == 'teu' else 'FEU'}")
    if o.via:
        head += "  ·  via " + ", ".join(o.via)
    if o.include_planned:
        head += "  ·  " + planned_words(o.include_planned)
    console.print(Text(printable(head), style="bold"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("Days", justify="right")
    table.add_column("USD", justify="right")
    table.add_column("USD/day saved", justify="right")
    table.add_column("Borders", justify="right")
    table.add_column("Route (runs of one mode; crossings)", overflow="fold", ratio=1)
    for i, p in enumerate(front.points):
        prem = premium_usd_per_day(front, i)
        brief = Text(printable(route_summary(p.route)))
        if any(leg.status != "operational" for leg in p.route.legs):
            brief.append(" [planned]", style="yellow")
        if p.route.calendar is not None and p.route.calendar.notes:
            brief.append(" [closures]", style="yellow")
        table.add_row(str(p.rank), f"{p.days:.2f}", usd(p.cost_usd),
                      "" if prem is None else usd(prem), str(p.route.totals.borders_crossed),
                      brief)
    console.print(table)
    n = len(front.points)
    note = (f"{n} route{'s' if n != 1 else ''} that no other route beats on both time and "
            "cost; fastest first. USD/day saved: the extra cost over the next cheaper route "
            "per day gained.")
    console.print(Text(note, style="dim"))
    if any(p.route.calendar is not None and p.route.calendar.notes for p in front.points):
        console.print(Text("[closures]: the route uses a record with recorded closures (not "
                           "applied; 'corridor route --date' applies them to one route).",
                           style="yellow"))
    if not front.complete:
        console.print(Text(front.cut_note(), style="yellow"))
    p0 = front.provenance
    console.print(Text(f"network {printable(p0.network)} {p0.content_hash[:19]}", style="dim"))


@PARETO_FORMATS.register("json")
def front_json(front: ParetoFront, out: TextIO) -> None:
    dump_json(front_to_dict(front), out)


PARETO_CSV = (
    "rank", "days", "hours", "cost_usd", "premium_usd_per_day_saved", "distance_km", "co2_kg",
    "borders_crossed", "legs", "modes", "countries", "crossings",
)


@PARETO_FORMATS.register("csv")
def front_csv(front: ParetoFront, out: TextIO) -> None:
    """One row per point, fastest first; lists joined with ``;``."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(PARETO_CSV)
    for i, p in enumerate(front.points):
        t = p.route.totals
        row = [p.rank, rnd(p.days, 3), rnd(p.hours, 2), rnd(p.cost_usd, 2),
               rnd(premium_usd_per_day(front, i), 2), rnd(t.distance_km, 1), rnd(t.co2_kg, 2),
               t.borders_crossed, len(p.route.legs), ";".join(_modes(p.route)),
               ";".join(_countries(p.route)), ";".join(c.id for c in p.route.crossings)]
        w.writerow(["" if v is None else v for v in row])


@PARETO_FORMATS.register("geojson")
def front_geojson(front: ParetoFront, out: TextIO) -> None:
    """One LineString feature per point, as ``route --format geojson`` draws routes (the
    feature's ``rank`` is the point's)."""
    dump_json(routes_to_geojson([p.route for p in front.points]), out)
