"""Renderers for the analyses: ``compare`` (gateway ports), ``matrix`` (origin ×
destination) and ``reach`` (places within a budget), each as ``table`` (Rich), ``json`` and
``csv``.

Each renderer takes a result record and a text stream and writes one complete document.
They are looked up by ``--format`` in :data:`COMPARE_FORMATS`, :data:`MATRIX_FORMATS` and
:data:`REACH_FORMATS`. JSON and CSV come from the records only: fixed key order, floats
rounded (km to 0.1, hours and USD to 0.01, days to 0.001), no markup, so the same input gives
the same bytes. The JSON shapes are documented in ``docs/analysis-json.md``. Rich is
imported only by the table renderers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any, TextIO

from corridor.analysis.compare import Comparison, PortOption
from corridor.analysis.matrix import Cell, Matrix
from corridor.analysis.reach import ReachReport
from corridor.engine.options import QueryOptions
from corridor.engine.planned import planned_json, planned_words
from corridor.engine.routing import Provenance, Route
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
from corridor.render.route import note_dict
from corridor.render.terminal import Heading, write_blocks, write_text
from corridor.textutil import printable

__all__ = [
    "COMPARE_FORMATS",
    "MATRIX_FORMATS",
    "REACH_FORMATS",
    "comparison_to_dict",
    "matrix_to_dict",
    "reach_to_dict",
    "route_brief",
    "gap_text",
    "render",
]

COMPARE_SCHEMA = "corridor.compare/1"
MATRIX_SCHEMA = "corridor.matrix/1"
REACH_SCHEMA = "corridor.reach/1"

COMPARE_FORMATS: Registry[Callable[[Comparison, TextIO], None]] = Registry("compare")
MATRIX_FORMATS: Registry[Callable[[Matrix, TextIO], None]] = Registry("matrix")
REACH_FORMATS: Registry[Callable[[ReachReport, TextIO], None]] = Registry("reach")

OBJECTIVE_WORDS = {
    "time": "fastest",
    "cost": "cheapest",
    "distance": "shortest",
    "co2": "lowest CO2",
    "generalized": "lowest generalized cost",
}


def render(what: str, result: Any, fmt: str, out: TextIO) -> None:
    """Write ``result`` of command ``what`` (``compare``, ``matrix``, ``reach``) to ``out``
    in format ``fmt``; raises UsageError for an unknown format."""
    registries: dict[str, Registry[Any]] = {
        "compare": COMPARE_FORMATS, "matrix": MATRIX_FORMATS, "reach": REACH_FORMATS}
    registry = registries[what]
    registry.get(fmt)(result, out)


# --------------------------------------------------------------------------- helpers


def _options(o: QueryOptions) -> dict[str, Any]:
    return {
        "modes": list(o.modes),
        "avoid": {"places": list(o.avoid_places), "countries": list(o.avoid_countries),
                  "crossings": list(o.avoid_crossings)},
        "include_planned": planned_json(o.include_planned),
        "cargo": o.cargo,
        "containers": o.containers,
        "value_of_time_usd_per_hour": rnd(o.value_of_time_usd_per_hour, 4),
        "drivers": o.drivers,
        "driving_hours_per_day": o.driving_hours_per_day,
    }


def _signed_usd(x: float) -> str:
    return f"{'+' if x >= 0 else '-'}${usd(abs(x))}"


def _cargo(o: QueryOptions) -> str:
    return f"{o.containers} × {'TEU' if o.cargo == 'teu' else 'FEU'}"


def _modes(route: Route) -> list[str]:
    """Modes travelled, in canonical order."""
    used = {leg.mode for leg in route.legs if leg.kind == "link"}
    return [m for m in ("road", "rail", "sea") if m in used] + sorted(
        used - {"road", "rail", "sea"})


def route_brief(option: PortOption) -> str:
    """``road · UZ → AF → PK via TERMEZ-HAIRATAN-ROAD, CHAMAN``: the modes travelled, the
    countries passed and the crossings used (by id), in order."""
    if option.route is None:
        return ""
    text = " → ".join(option.countries)
    modes = _modes(option.route)
    if modes:
        text = "+".join(modes) + " · " + text
    ids = [c.id for c in option.route.crossings]
    if ids:
        text += " via " + ", ".join(ids)
    return text


def gap_text(option: PortOption) -> str:
    """``best`` for the best option, else ``+1.8 d, +$420``."""
    if option.rank == 1:
        return "best"
    if option.gap_hours is None or option.gap_cost_usd is None:
        return ""
    return f"{option.gap_hours / 24:+.1f} d, {_signed_usd(option.gap_cost_usd)}"


def _title(text: str) -> Any:
    return Heading(printable(text))


def _provenance_line(p: Provenance) -> Any:
    from rich.text import Text

    return Text(provenance_text(p), style="dim")


# --------------------------------------------------------------------------- compare


def _option_dict(x: PortOption) -> dict[str, Any]:
    r = x.route
    t = r.totals if r is not None else None
    return {
        "rank": x.rank,
        "port": place_dict(x.port),
        "reachable": x.reachable,
        "reason": x.reason,
        "totals": None if t is None else {
            "distance_km": rnd(t.distance_km, 1),
            "hours": rnd(t.hours, 2),
            "days": rnd(t.days, 3),
            "p90_hours": rnd(t.p90_hours, 2),
            "p90_days": rnd(t.p90_days, 3),
            "cost_usd": rnd(t.cost_usd, 2),
            "co2_kg": rnd(t.co2_kg, 2),
            "border_hours": rnd(t.border_hours, 2),
            "borders_crossed": t.borders_crossed,
            "objective_value": rnd(t.objective_value, 3),
        },
        "gap": None if x.gap_hours is None else {
            "hours": rnd(x.gap_hours, 2),
            "days": rnd(x.gap_hours / 24.0, 3),
            "cost_usd": rnd(x.gap_cost_usd, 2),
            "objective_value": rnd(x.gap_objective, 3),
        },
        "handling": None if x.handling_hours is None else {
            "hours": rnd(x.handling_hours, 2), "cost_usd": rnd(x.handling_cost_usd, 2)},
        "countries": list(x.countries),
        "crossings": [] if r is None else [
            {"id": c.id, "name": c.name, "mode": c.mode, "from_country": c.from_country,
             "to_country": c.to_country} for c in r.crossings],
        "modes": [] if r is None else _modes(r),
        "places": [] if r is None else [p.id for p in r.places],
        "summary": route_brief(x) if r is not None else None,
        "closures": [] if r is None or r.calendar is None else [
            note_dict(n) for n in r.calendar.notes],
    }


def comparison_to_dict(c: Comparison) -> dict[str, Any]:
    """The documented JSON object of a comparison (``corridor.compare/1``)."""
    return {
        "schema": COMPARE_SCHEMA,
        "origin": place_dict(c.origin),
        "destination": None if c.destination is None else place_dict(c.destination),
        "objective": c.objective,
        "candidates": c.candidates,
        "options": _options(c.options),
        "ports": [_option_dict(x) for x in c.ports],
        "provenance": route_provenance(c.provenance),
    }


@COMPARE_FORMATS.register("json")
def compare_json(c: Comparison, out: TextIO) -> None:
    dump_json(comparison_to_dict(c), out)


@COMPARE_FORMATS.register("geojson")
def compare_geojson(c: Comparison, out: TextIO) -> None:
    """Each port's route as GeoJSON (straight lines; the CLI passes the network for
    waypoints: :func:`corridor.render.geojson.comparison_to_geojson`)."""
    from corridor.render.geojson import comparison_to_geojson

    dump_json(comparison_to_geojson(c), out)


COMPARE_CSV = (
    "rank", "port", "port_name", "country", "reachable", "days", "hours", "cost_usd",
    "distance_km", "co2_kg", "borders_crossed", "gap_days", "gap_cost_usd", "countries",
    "crossings", "modes", "reason", "containers", "cargo", "cost_usd_per_container",
    "co2_kg_per_container",
)


def _each(x: Any, o: QueryOptions) -> float | None:
    """A shipment figure per container (None stays None)."""
    return None if x is None else rnd(x / max(o.containers, 1), 2)


@COMPARE_FORMATS.register("csv")
def compare_csv(c: Comparison, out: TextIO) -> None:
    """One row per candidate port, ranked ones first; lists joined with ``;``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COMPARE_CSV)
    for x in c.ports:
        d = _option_dict(x)
        t = d["totals"] or {}
        g = d["gap"] or {}
        row = [
            d["rank"], x.port.id, x.port.name, x.port.country, str(x.reachable).lower(),
            t.get("days"), t.get("hours"), t.get("cost_usd"), t.get("distance_km"),
            t.get("co2_kg"), t.get("borders_crossed"), g.get("days"), g.get("cost_usd"),
            ";".join(d["countries"]), ";".join(k["id"] for k in d["crossings"]),
            ";".join(d["modes"]), x.reason, c.options.containers, c.options.cargo,
            _each(t.get("cost_usd"), c.options), _each(t.get("co2_kg"), c.options),
        ]
        w.writerow(["" if v is None else v for v in row])
    write_text(buf.getvalue(), out)


@COMPARE_FORMATS.register("table")
def compare_table(c: Comparison, out: TextIO) -> None:
    write_blocks(compare_blocks(c), out)


@COMPARE_FORMATS.register("markdown")
def compare_markdown(c: Comparison, out: TextIO) -> None:
    write_markdown(compare_blocks(c), out)


def compare_blocks(c: Comparison) -> list[Any]:
    """Ranked ports with days, USD, km, CO2, borders, the route in brief and the gap to the
    best; then the unreachable candidates with the reason; then the network."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    blocks: list[Any] = []
    head = f"Gateway ports for cargo from {c.origin.name} ({c.origin.id})"
    if c.destination is not None:
        head += f" to {c.destination.name} ({c.destination.id})"
    head += (f"  ·  {OBJECTIVE_WORDS.get(c.objective, c.objective)} ({c.objective})"
             f"  ·  {_cargo(c.options)}")
    if c.options.include_planned:
        head += "  ·  " + planned_words(c.options.include_planned)
    blocks.append(_title(head))
    ok = [x for x in c.ports if x.reachable and x.route is not None]
    if ok:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("#", justify="right")
        table.add_column("Port")
        table.add_column("Days", justify="right")
        table.add_column("P90 d", justify="right")
        table.add_column("USD", justify="right")
        table.add_column("CO2 kg", justify="right")
        table.add_column("Borders", justify="right")
        table.add_column("Gap to best")
        table.add_column("Route")
        for x in ok:
            assert x.route is not None
            t = x.route.totals
            planned = any(leg.status != "operational" for leg in x.route.legs)
            brief = Text(printable(route_brief(x) or "(already there)"))
            if planned:
                brief.append(" [planned]", style="yellow")
            if x.route.calendar is not None and x.route.calendar.notes:
                brief.append(" [closures: " + ", ".join(dict.fromkeys(
                    printable(n.id) for n in x.route.calendar.notes)) + "]", style="yellow")
            table.add_row(
                Text(str(x.rank), style="bold green" if x.rank == 1 else ""),
                Text(printable(f"{x.port.name} ({x.port.id})")),
                f"{t.days:.1f}",
                f"{t.p90_days:.1f}",
                usd(t.cost_usd),
                f"{t.co2_kg:,.0f}",
                str(t.borders_crossed),
                Text(gap_text(x), style="bold green" if x.rank == 1 else ""),
                brief,
            )
        blocks.append(table)
    else:
        blocks.append(Text("No candidate port is reachable.", style="yellow"))
    bad = [x for x in c.ports if not x.reachable]
    if bad:
        blocks.append(Text("Unreachable:", style="bold"))
        for x in bad:
            line = Text(printable(f"  {x.port.name} ({x.port.id}): "), style="red")
            line.append(printable(x.reason or "no route"))
            blocks.append(line)
    if c.destination is not None and ok:
        blocks.append(Text("Door to destination: land route, port handling, sea leg.",
                           style="dim"))
    blocks.append(_provenance_line(c.provenance))
    return blocks


# --------------------------------------------------------------------------- matrix


def _cell_dict(c: Cell) -> dict[str, Any]:
    return {
        "from": c.origin,
        "to": c.destination,
        "reachable": c.reachable,
        "distance_km": rnd(c.distance_km, 1),
        "hours": rnd(c.hours, 2),
        "days": rnd(c.days, 3),
        "p90_hours": rnd(c.p90_hours, 2),
        "cost_usd": rnd(c.cost_usd, 2),
        "co2_kg": rnd(c.co2_kg, 2),
        "borders_crossed": c.borders_crossed,
        "objective_value": rnd(c.objective_value, 3),
    }


def matrix_to_dict(m: Matrix) -> dict[str, Any]:
    """The documented JSON object of a matrix (``corridor.matrix/1``)."""
    return {
        "schema": MATRIX_SCHEMA,
        "objective": m.objective,
        "options": _options(m.options),
        "origins": [place_dict(p) for p in m.origins],
        "destinations": [place_dict(p) for p in m.destinations],
        "cells": [_cell_dict(c) for c in m.cells],
        "provenance": route_provenance(m.provenance),
    }


@MATRIX_FORMATS.register("json")
def matrix_json(m: Matrix, out: TextIO) -> None:
    dump_json(matrix_to_dict(m), out)


MATRIX_CSV = (
    "from", "from_name", "to", "to_name", "reachable", "days", "hours", "cost_usd",
    "distance_km", "co2_kg", "borders_crossed", "objective_value", "containers", "cargo",
    "cost_usd_per_container", "co2_kg_per_container",
)


@MATRIX_FORMATS.register("csv")
def matrix_csv(m: Matrix, out: TextIO) -> None:
    """One row per pair (origin-major), unreachable pairs with empty figures."""
    names = {p.id: p.name for p in (*m.origins, *m.destinations)}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(MATRIX_CSV)
    for c in m.cells:
        d = _cell_dict(c)
        row = [c.origin, names[c.origin], c.destination, names[c.destination],
               str(c.reachable).lower(), d["days"], d["hours"], d["cost_usd"],
               d["distance_km"], d["co2_kg"], d["borders_crossed"], d["objective_value"],
               m.options.containers, m.options.cargo, _each(d["cost_usd"], m.options),
               _each(d["co2_kg"], m.options)]
        w.writerow(["" if v is None else v for v in row])
    write_text(buf.getvalue(), out)


@MATRIX_FORMATS.register("table")
def matrix_table(m: Matrix, out: TextIO) -> None:
    write_blocks(matrix_blocks(m), out)


@MATRIX_FORMATS.register("markdown")
def matrix_markdown(m: Matrix, out: TextIO) -> None:
    write_markdown(matrix_blocks(m), out)


def matrix_blocks(m: Matrix) -> list[Any]:
    """Origins down, destinations across; each cell shows days, USD and km."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    blocks: list[Any] = []
    blocks.append(_title(
        f"{len(m.origins)} × {len(m.destinations)} matrix  ·  routes chosen by "
        f"{OBJECTIVE_WORDS.get(m.objective, m.objective)} ({m.objective})  ·  "
        f"{_cargo(m.options)}" + ("  ·  " + planned_words(m.options.include_planned)
                                  if m.options.include_planned else "")))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, show_lines=True)
    table.add_column("From \\ To")
    for d in m.destinations:
        table.add_column(Text(f"{printable(d.name)}\n{printable(d.id)}"), justify="right")
    for o, row in m.rows():
        cells: list[Any] = [Text(f"{printable(o.name)}\n{printable(o.id)}", style="bold")]
        for c in row:
            if not c.reachable:
                cells.append(Text("no route", style="dim"))
            elif c.origin == c.destination:
                cells.append(Text("—", style="dim"))
            else:
                assert c.hours is not None and c.cost_usd is not None
                assert c.distance_km is not None
                cells.append(f"{c.hours / 24:.1f} d\n${usd(c.cost_usd)}\n"
                             f"{c.distance_km:,.0f} km")
        table.add_row(*cells)
    blocks.append(table)
    blocks.append(_provenance_line(m.provenance))
    return blocks


# --------------------------------------------------------------------------- reach


def reach_to_dict(r: ReachReport) -> dict[str, Any]:
    """The documented JSON object of a reach query (``corridor.reach/1``)."""
    return {
        "schema": REACH_SCHEMA,
        "origin": place_dict(r.origin),
        "budget": {"quantity": r.budget.quantity, "limit": rnd(r.budget.limit, 2),
                   "text": r.budget.text},
        "kind": r.kind,
        "options": _options(r.options),
        "places": [
            {
                **place_dict(x.place),
                "kind": x.kind,
                "hours": rnd(x.hours, 2),
                "days": rnd(x.days, 3),
                "p90_hours": rnd(x.p90_hours, 2),
                "cost_usd": rnd(x.cost_usd, 2),
                "distance_km": rnd(x.distance_km, 1),
                "co2_kg": rnd(x.co2_kg, 2),
                "borders_crossed": x.borders_crossed,
            }
            for x in r.places
        ],
        "provenance": route_provenance(r.provenance),
    }


@REACH_FORMATS.register("json")
def reach_json(r: ReachReport, out: TextIO) -> None:
    dump_json(reach_to_dict(r), out)


REACH_CSV = ("id", "name", "country", "kind", "days", "hours", "cost_usd", "distance_km",
             "co2_kg", "borders_crossed", "containers", "cargo", "cost_usd_per_container",
             "co2_kg_per_container")


@REACH_FORMATS.register("csv")
def reach_csv(r: ReachReport, out: TextIO) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(REACH_CSV)
    for p in reach_to_dict(r)["places"]:
        p.update(containers=r.options.containers, cargo=r.options.cargo,
                 cost_usd_per_container=_each(p["cost_usd"], r.options),
                 co2_kg_per_container=_each(p["co2_kg"], r.options))
        w.writerow(["" if p[k] is None else p[k] for k in REACH_CSV])
    write_text(buf.getvalue(), out)


def _budget_text(r: ReachReport) -> str:
    b = r.budget
    if b.quantity == "hours":
        return f"{b.limit / 24:g} days ({b.limit:g} h)"
    return f"USD {usd(b.limit)}"


@REACH_FORMATS.register("table")
def reach_table(r: ReachReport, out: TextIO) -> None:
    write_blocks(reach_blocks(r), out)


@REACH_FORMATS.register("markdown")
def reach_markdown(r: ReachReport, out: TextIO) -> None:
    write_markdown(reach_blocks(r), out)


def reach_blocks(r: ReachReport) -> list[Any]:
    """Places within the budget, nearest first; then the network."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    blocks: list[Any] = []
    head = (f"Reachable from {r.origin.name} ({r.origin.id}) within {_budget_text(r)}"
            f"  ·  {'fastest' if r.budget.quantity == 'hours' else 'cheapest'} routes")
    if r.kind:
        head += f"  ·  {r.kind} only"
    head += f"  ·  {_cargo(r.options)}"
    if r.options.include_planned:
        head += "  ·  " + planned_words(r.options.include_planned)
    blocks.append(_title(head))
    if not r.places:
        blocks.append(Text("Nothing is reachable within this budget.", style="yellow"))
    else:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("#", justify="right", style="dim")
        table.add_column("Place")
        table.add_column("Country")
        table.add_column("Kind")
        table.add_column("Days", justify="right")
        table.add_column("P90 d", justify="right")
        table.add_column("USD", justify="right")
        table.add_column("km", justify="right")
        table.add_column("Borders", justify="right")
        for i, x in enumerate(r.places, 1):
            table.add_row(str(i), Text(printable(f"{x.place.name} ({x.place.id})")),
                          printable(x.place.country), x.kind.replace("_", " "),
                          f"{x.days:.1f}", f"{x.p90_hours / 24:.1f}", usd(x.cost_usd),
                          f"{x.distance_km:,.0f}",
                          str(x.borders_crossed))
        blocks.append(table)
    blocks.append(_provenance_line(r.provenance))
    return blocks
