"""Renderers for routes: ``table`` (Rich), ``json``, ``csv`` and ``geojson``.

Each renderer takes the routes (best first; one unless alternatives were asked for) and a
text stream, and writes one complete document. They are looked up by ``--format`` name in
:data:`ROUTE_FORMATS`, a :class:`corridor.render.common.Registry`.

JSON and CSV come from the result records only (no markup, floats rounded, fixed key order),
so the same input gives byte-identical output; the JSON shape is documented in
``docs/route-json.md``. Rich is imported only by the table renderer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

from corridor.engine.closures import ClosureNote
from corridor.engine.planned import planned_json
from corridor.engine.routing import Leg, Route
from corridor.render.common import (
    Registry,
    dump_json,
    place_dict,
    provenance_text,
    rnd,
    route_provenance,
    usd,
)
from corridor.render.markdown import write_markdown
from corridor.render.terminal import Heading, write_blocks, write_text
from corridor.textutil import printable

__all__ = [
    "ROUTE_FORMATS",
    "JSON_SCHEMA_ID",
    "route_to_dict",
    "routes_to_dict",
    "routes_to_geojson",
    "render_routes",
    "leg_description",
]

#: Identifies the JSON shape; bumped only on an incompatible change.
JSON_SCHEMA_ID = "corridor.route/1"


RouteRenderer = Callable[[Sequence[Route], TextIO], None]
ROUTE_FORMATS: Registry[RouteRenderer] = Registry("route")


def render_routes(routes: Sequence[Route], fmt: str, out: TextIO, *,
                  network: Any = None) -> None:
    """Write ``routes`` (best first) to ``out`` in format ``fmt``. ``network`` (the one the
    routes were found on) lets ``geojson`` draw links along their waypoints."""
    if fmt == "geojson" and network is not None:
        dump_json(routes_to_geojson(routes, network), out)
        return
    ROUTE_FORMATS.get(fmt)(routes, out)


# --------------------------------------------------------------------------- helpers


def _r(x: float, nd: int) -> float:
    v = rnd(x, nd)
    assert v is not None
    return v


def leg_description(leg: Leg) -> str:
    """What a leg is, for people: ``rail 1520 mm``, ``border crossing``, ``transfer rail →
    road``, ``gauge change 1520 → 1676 mm``, ``port handling road → sea``."""
    if leg.kind == "link":
        text = leg.mode
        if leg.gauge_mm is not None:
            text += f" {leg.gauge_mm} mm"
        if leg.name:
            text += f" ({leg.name})"
    elif leg.kind == "crossing":
        text = f"border crossing by {leg.mode}"
    elif leg.kind == "transfer" and leg.from_mode == leg.mode:
        text = f"gauge change {leg.from_gauge_mm} → {leg.gauge_mm} mm"
    elif leg.kind == "transfer":
        text = f"transfer {leg.from_mode} → {leg.mode}"
    elif leg.kind == "handling" and leg.from_mode == leg.mode:
        text = f"port handling ({leg.name or 'gate'})"
    elif leg.kind == "handling":
        text = f"port handling {leg.from_mode} → {leg.mode}"
    elif leg.kind == "transshipment":
        text = "transshipment ship → ship"
    elif leg.kind == "terminal":
        text = f"rail terminal ({leg.name or 'gate'})"
    else:
        text = leg.kind
    if leg.status != "operational":
        text += f" [{leg.status.replace('_', ' ')}]"
    return text


def _names(route: Route) -> dict[str, str]:
    return {p.id: p.name for p in route.places}


def _legs(route: Route) -> Iterator[tuple[int, Leg, float]]:
    """Legs with their sequence number (1-based) and the running total of hours."""
    run = 0.0
    for i, leg in enumerate(route.legs, 1):
        run += leg.hours
        yield i, leg, run


def _leg_dict(i: int, leg: Leg, run_h: float, names: dict[str, str]) -> dict[str, Any]:
    return {
        "seq": i,
        "kind": leg.kind,
        "from": leg.from_id,
        "to": leg.to_id,
        "from_name": names.get(leg.from_id, leg.from_id),
        "to_name": names.get(leg.to_id, leg.to_id),
        "from_mode": leg.from_mode,
        "mode": leg.mode,
        "from_gauge_mm": leg.from_gauge_mm,
        "gauge_mm": leg.gauge_mm,
        "ref": leg.ref,
        "name": leg.name,
        "status": leg.status,
        "distance_km": _r(leg.distance_km, 1),
        "hours": _r(leg.hours, 2),
        "moving_hours": _r(leg.moving_hours, 2),
        "rest_hours": _r(leg.rest_hours, 2),
        "wait_hours": _r(leg.wait_hours, 2),
        "high_hours": _r(leg.high_hours, 2),
        "cost_usd": _r(leg.cost_usd, 2),
        "co2_kg": _r(leg.co2_kg, 2),
        "cumulative_hours": _r(run_h, 2),
        "cumulative_days": _r(run_h / 24.0, 3),
    }


def _totals(route: Route) -> dict[str, Any]:
    t = route.totals
    return {
        "distance_km": _r(t.distance_km, 1),
        "hours": _r(t.hours, 2),
        "days": _r(t.days, 3),
        "cost_usd": _r(t.cost_usd, 2),
        "co2_kg": _r(t.co2_kg, 2),
        "p90_hours": _r(t.p90_hours, 2),
        "p90_days": _r(t.p90_days, 3),
        "moving_hours": _r(t.moving_hours, 2),
        "rest_hours": _r(t.rest_hours, 2),
        "wait_hours": _r(t.wait_hours, 2),
        "delay_hours": _r(t.delay_hours, 2),
        "border_hours": _r(t.border_hours, 2),
        "borders_crossed": t.borders_crossed,
        "swd_kmh": _r(t.swd_kmh, 2),
        "swod_kmh": _r(t.swod_kmh, 2),
        "objective_value": _r(t.objective_value, 3),
        "vehicles": {m: n for m, n in route.vehicles},
    }


def _route_body(route: Route) -> dict[str, Any]:
    names = _names(route)
    return {
        "rank": route.rank,
        "legs": [_leg_dict(i, leg, run, names) for i, leg, run in _legs(route)],
        "totals": _totals(route),
        "crossings": [
            {
                "id": c.id,
                "name": c.name,
                "mode": c.mode,
                "from_country": c.from_country,
                "to_country": c.to_country,
                "hours": _r(c.hours, 2),
                "cost_usd": _r(c.cost_usd, 2),
            }
            for c in route.crossings
        ],
        "places": [place_dict(p) for p in route.places],
        "closures": _calendar(route),
    }


def note_dict(n: ClosureNote) -> dict[str, Any]:
    """A closure note as JSON (the items of ``closures.on_route``, docs/route-json.md)."""
    c = n.closure
    return {
        "kind": n.kind, "id": n.id, "reason": c.reason, "months": list(c.months),
        "from": c.from_date.isoformat() if c.from_date else None,
        "to": c.to_date.isoformat() if c.to_date else None,
        "sources": list(c.provenance.source), "estimate": c.provenance.estimate,
        "reached": n.reached.isoformat() if n.reached else None, "in_force": n.in_force,
    }


def _calendar(route: Route) -> dict[str, Any]:
    cal = route.calendar
    if cal is None:
        return {"departure": None, "on_route": [], "left_out": []}
    return {"departure": cal.departure.isoformat() if cal.departure else None,
            "on_route": [note_dict(n) for n in cal.notes],
            "left_out": [note_dict(n) for n in cal.left_out]}


def closure_text(n: ClosureNote) -> str:
    """``TORKHAM 2025-10-12 to 2025-11-20 (border closed)`` / ``… months 1, 2 (snow)``."""
    c = n.closure
    if c.months:
        when = "months " + ", ".join(str(m) for m in c.months)
    else:
        assert c.from_date is not None
        when = (c.from_date.isoformat() + " to "
                + (c.to_date.isoformat() if c.to_date else "further notice"))
    day = f", reached {n.reached.isoformat()}" if n.reached is not None else ""
    return f"{n.id} closed {when} ({c.reason}){day}"


def route_to_dict(route: Route) -> dict[str, Any]:
    """One route as the documented JSON object (without ``alternatives``)."""
    o = route.options
    head: dict[str, Any] = {
        "schema": JSON_SCHEMA_ID,
        "origin": place_dict(route.origin),
        "destination": place_dict(route.destination),
        "objective": route.objective,
        "options": {
            "modes": list(o.modes),
            "avoid": {
                "places": list(o.avoid_places),
                "countries": list(o.avoid_countries),
                "crossings": list(o.avoid_crossings),
            },
            "via": list(o.via),
            "include_planned": planned_json(o.include_planned),
            "cargo": o.cargo,
            "containers": o.containers,
            "value_of_time_usd_per_hour": _r(o.value_of_time_usd_per_hour, 4),
            "alternatives": o.alternatives,
            "drivers": o.drivers,
            "driving_hours_per_day": o.driving_hours_per_day,
        },
    }
    head.update(_route_body(route))
    p = route.provenance
    head["provenance"] = route_provenance(p)
    return head


def routes_to_dict(routes: Sequence[Route]) -> dict[str, Any]:
    """The best route as :func:`route_to_dict`, the others under ``alternatives``."""
    doc = route_to_dict(routes[0])
    prov = doc.pop("provenance")
    doc["alternatives"] = [_route_body(r) for r in routes[1:]]
    doc["provenance"] = prov
    return doc


@ROUTE_FORMATS.register("json")
def render_json(routes: Sequence[Route], out: TextIO) -> None:
    dump_json(routes_to_dict(routes), out)


CSV_COLUMNS = (
    "route_rank", "seq", "kind", "from", "from_name", "to", "to_name", "from_mode", "mode",
    "gauge_mm", "ref", "name", "status", "distance_km", "hours", "cost_usd", "co2_kg",
    "cumulative_hours", "cumulative_days", "containers", "cargo", "cost_usd_per_container",
    "co2_kg_per_container",
)


def _per_container(x: float, route: Route) -> float:
    return _r(x / max(route.options.containers, 1), 2)


def _csv_rows(route: Route) -> Iterator[dict[str, Any]]:
    """The leg rows of one route, then its ``total`` row (``kind`` = ``total``, no ``seq``;
    from the origin to the destination, the route's totals)."""
    names = _names(route)
    o = route.options
    for i, leg, run in _legs(route):
        d = _leg_dict(i, leg, run, names)
        d.update(route_rank=route.rank, containers=o.containers, cargo=o.cargo,
                 cost_usd_per_container=_per_container(leg.cost_usd, route),
                 co2_kg_per_container=_per_container(leg.co2_kg, route))
        yield d
    t = route.totals
    yield {
        "route_rank": route.rank, "seq": None, "kind": "total",
        "from": route.origin.id, "from_name": route.origin.name,
        "to": route.destination.id, "to_name": route.destination.name,
        "from_mode": None, "mode": None, "gauge_mm": None, "ref": None, "name": None,
        "status": None, "distance_km": _r(t.distance_km, 1), "hours": _r(t.hours, 2),
        "cost_usd": _r(t.cost_usd, 2), "co2_kg": _r(t.co2_kg, 2),
        "cumulative_hours": _r(t.hours, 2), "cumulative_days": _r(t.hours / 24.0, 3),
        "containers": o.containers, "cargo": o.cargo,
        "cost_usd_per_container": _per_container(t.cost_usd, route),
        "co2_kg_per_container": _per_container(t.co2_kg, route),
    }


@ROUTE_FORMATS.register("csv")
def render_csv(routes: Sequence[Route], out: TextIO) -> None:
    """One header row, then for each route (``route_rank`` 1 is the best) one row per leg
    and a ``total`` row; columns :data:`CSV_COLUMNS` in that order."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for route in routes:
        for d in _csv_rows(route):
            w.writerow(["" if d[c] is None else d[c] for c in CSV_COLUMNS])
    write_text(buf.getvalue(), out)


def route_features(route: Route, links: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """One GeoJSON ``LineString`` feature per leg of ``route`` (``feature`` = ``leg``, the
    leg's JSON keys, ``route_rank`` and ``label``); a link leg follows its link's waypoints
    when ``links`` (by id) has the link."""
    from corridor.render.geojson import leg_path

    where = {p.id: p for p in route.places}
    names = _names(route)
    features = []
    for i, leg, run in _legs(route):
        props: dict[str, Any] = {"feature": "leg", "route_rank": route.rank,
                                 "label": leg_description(leg)}
        props.update(_leg_dict(i, leg, run, names))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": leg_path(leg, where, links)},
                "properties": props,
            }
        )
    return features


def routes_to_geojson(routes: Sequence[Route], network: Any = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946, positions ``[lon, lat]``): one LineString per
    leg (a transfer or handling leg is a line of zero length at its place; a link leg runs
    along the link's waypoints when ``network`` is given), with the leg's figures as
    properties. The foreign member ``corridor`` holds each route's totals and the
    provenance."""
    from corridor.render.geojson import links_by_id

    links = links_by_id(network)
    features = [f for route in routes for f in route_features(route, links)]
    doc = routes_to_dict(routes)
    meta = {
        "schema": "corridor.route.geojson/1",
        "origin": doc["origin"],
        "destination": doc["destination"],
        "objective": doc["objective"],
        "options": doc["options"],
        "routes": [{"rank": r.rank, "totals": _totals(r)} for r in routes],
        "provenance": doc["provenance"],
    }
    return {"type": "FeatureCollection", "features": features, "corridor": meta}


@ROUTE_FORMATS.register("geojson")
def render_geojson(routes: Sequence[Route], out: TextIO) -> None:
    dump_json(routes_to_geojson(routes), out)


# --------------------------------------------------------------------------- table

MODE_STYLE = {
    "road": "yellow",
    "rail": "cyan",
    "sea": "blue",
    "crossing": "bold red",
    "transfer": "magenta",
    "handling": "magenta",
    "transshipment": "magenta",
    "terminal": "magenta",
}

OBJECTIVE_WORDS = {
    "time": "fastest",
    "cost": "cheapest",
    "distance": "shortest",
    "co2": "lowest CO2",
    "generalized": "lowest generalized cost",
}


def _km(x: float) -> str:
    return f"{x:,.0f}"


def _cargo(route: Route) -> str:
    o = route.options
    unit = "TEU" if o.cargo == "teu" else "FEU"
    return f"{o.containers} × {unit}"


def _summary_line(route: Route) -> str:
    via = [c.id for c in route.crossings]
    return " · ".join(via) if via else "none"


def _differs(best: Route, r: Route, n: int = 3) -> str:
    """Up to ``n`` places of ``r`` that the best route does not touch."""
    if r is best:
        return ""
    on_best = {p.id for p in best.places}
    names: list[str] = []
    for p in r.places:
        if p.id not in on_best and p.name not in names:
            names.append(p.name)
    more = f" (+{len(names) - n} more)" if len(names) > n else ""
    return ", ".join(names[:n]) + more if names else "(other links)"


def _modes_line(route: Route) -> str:
    seq: list[str] = []
    for leg in route.legs:
        if leg.kind == "link" and (not seq or seq[-1] != leg.mode):
            seq.append(leg.mode)
    return " → ".join(seq)


def _objective_text(route: Route, value: float) -> str:
    obj = route.objective
    if obj == "time":
        return f"{value / 24:.1f} d"
    if obj == "distance":
        return f"{_km(value)} km"
    if obj == "co2":
        return f"{value:,.0f} kg"
    return f"${usd(value)}"


def _gap(best: Route, r: Route) -> str:
    if r is best:
        return "best"
    d_days = (r.totals.hours - best.totals.hours) / 24.0
    d_usd = r.totals.cost_usd - best.totals.cost_usd
    return f"{d_days:+.1f} d, {'+' if d_usd >= 0 else '-'}${usd(abs(d_usd))}"


@ROUTE_FORMATS.register("table")
def render_table(routes: Sequence[Route], out: TextIO) -> None:
    """Each route's legs and totals, then (for alternatives) a summary with the best
    marked, then the network. Colours only on a terminal without ``NO_COLOR``; width and
    encoding rules of :mod:`corridor.render.terminal`."""
    write_blocks(route_blocks(routes), out)


@ROUTE_FORMATS.register("markdown")
def render_markdown(routes: Sequence[Route], out: TextIO) -> None:
    """The table output as GitHub-flavoured Markdown."""
    write_markdown(route_blocks(routes), out)


def route_blocks(routes: Sequence[Route]) -> list[Any]:
    """The blocks (headings, tables, lines) of the table output, for
    :func:`corridor.render.terminal.write_blocks` or ``write_markdown``."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    blocks: list[Any] = []
    many = len(routes) > 1
    for route in routes:
        names = _names(route)
        countries = {p.id: p.country for p in route.places}
        title = Text()
        if many:
            title.append(f"Route {route.rank} of {len(routes)}: ", style="bold")
        title.append(printable(f"{route.origin.name} ({route.origin.id})"), style="bold")
        title.append(" → ")
        title.append(
            printable(f"{route.destination.name} ({route.destination.id})"), style="bold"
        )
        title.append(f"  ·  {OBJECTIVE_WORDS.get(route.objective, route.objective)}"
                     f" ({route.objective})  ·  {_cargo(route)}")
        blocks.append(Heading(title))
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("#", justify="right", style="dim")
        table.add_column("From → To")
        table.add_column("Leg")
        table.add_column("km", justify="right")
        table.add_column("Hours", justify="right")
        table.add_column("USD", justify="right")
        table.add_column("Σ days", justify="right")
        for i, leg, run in _legs(route):
            a = printable(names.get(leg.from_id, leg.from_id))
            b = printable(names.get(leg.to_id, leg.to_id))
            if leg.from_id == leg.to_id:
                where = a
            elif a == b:  # the two posts of a crossing often share a name
                ca = printable(countries.get(leg.from_id, ""))
                cb = printable(countries.get(leg.to_id, ""))
                where = f"{a} ({ca}) → {b} ({cb})"
            else:
                where = f"{a} → {b}"
            style = MODE_STYLE.get(leg.mode if leg.kind == "link" else leg.kind, "")
            desc = Text(printable(leg_description(leg)), style=style)
            if leg.kind == "crossing" and leg.name:
                desc = Text(printable(f"border crossing by {leg.mode}: {leg.name}"), style=style)
                if leg.status != "operational":
                    desc.append(f" [{leg.status.replace('_', ' ')}]")
            elif leg.status != "operational":
                desc.stylize("italic")
            table.add_row(
                str(i),
                Text(where),
                desc,
                _km(leg.distance_km) if leg.distance_km else "",
                f"{leg.hours:.1f}",
                usd(leg.cost_usd),
                f"{run / 24:.1f}",
            )
        if not route.legs:
            table.add_row("", Text("origin and destination are the same place"), "", "", "", "",
                          "")
        blocks.append(table)
        t = route.totals
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        grid.add_row("Distance", f"{_km(t.distance_km)} km")
        grid.add_row("Transit time",
                     f"{t.days:.1f} days ({t.hours:.1f} h), P90 {t.p90_days:.1f} days")
        terminal_h = max(0.0, t.delay_hours - t.rest_hours - t.wait_hours - t.border_hours)
        grid.add_row(
            "Made of",
            f"{t.moving_hours:.1f} h moving, {t.rest_hours:.1f} h rest, {t.wait_hours:.1f} h"
            f" waiting, {t.border_hours:.1f} h at borders, {terminal_h:.1f} h at terminals",
        )
        trucks = route.trucks
        grid.add_row("Cost", f"USD {usd(t.cost_usd)}" + (
            f" ({trucks} trucks)" if trucks > 1 else ""))
        grid.add_row("CO2", f"{t.co2_kg:,.0f} kg")
        xs = "; ".join(printable(c.name) for c in route.crossings)
        grid.add_row("Borders crossed", f"{t.borders_crossed}" + (f" ({xs})" if xs else ""))
        grid.add_row(
            "Average speed",
            f"{t.swd_kmh:.1f} km/h with delays (SWD), {t.swod_kmh:.1f} km/h without (SWOD)",
        )
        if route.objective == "generalized":
            grid.add_row(
                "Generalized cost",
                f"USD {usd(t.objective_value)} (value of time "
                f"USD {route.options.value_of_time_usd_per_hour:g} per TEU-hour)",
            )
        planned = [leg for leg in route.legs if leg.status != "operational"]
        if planned:
            grid.add_row("Note", Text(f"{len(planned)} leg(s) not yet operational",
                                      style="yellow"))
        cal = route.calendar
        if cal is not None and cal.departure is not None:
            grid.add_row("Departure", f"{cal.departure.isoformat()} (closures applied on the "
                         "day each leg starts)")
            for n in cal.left_out:
                grid.add_row("Left out", Text(printable(closure_text(n)), style="yellow"))
        elif cal is not None and cal.notes:
            grid.add_row("Closures", Text(printable(
                "; ".join(closure_text(n) for n in cal.notes)
                + " — not applied; give --date YYYY-MM-DD to apply them"), style="yellow"))
        blocks.append(grid)
        blocks.append(Text(""))
    if many:
        best = routes[0]
        summary = Table(title="Alternatives", box=box.SIMPLE_HEAD, show_edge=False,
                        title_justify="left")
        summary.add_column("", width=1)
        summary.add_column("#", justify="right")
        summary.add_column("Modes")
        summary.add_column("Crossings")
        summary.add_column("Differs via")
        summary.add_column("km", justify="right")
        summary.add_column("Days", justify="right")
        summary.add_column("USD", justify="right")
        summary.add_column("CO2 kg", justify="right")
        summary.add_column(f"By {best.objective}", justify="right")
        summary.add_column("Gap")
        for r in routes:
            mark = Text("★", style="bold green") if r is best else Text("")
            summary.add_row(
                mark,
                str(r.rank),
                _modes_line(r),
                Text(printable(_summary_line(r))),
                Text(printable(_differs(best, r))),
                _km(r.totals.distance_km),
                f"{r.totals.days:.1f}",
                usd(r.totals.cost_usd),
                f"{r.totals.co2_kg:,.0f}",
                _objective_text(r, r.totals.objective_value),
                _gap(best, r),
            )
        blocks.append(summary)
    if routes:
        blocks.append(Text(provenance_text(routes[0].provenance), style="dim"))
    return blocks
