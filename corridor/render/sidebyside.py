"""Renderers of :class:`corridor.analysis.sidebyside.SideBySide`: ``table`` (Rich), ``json``,
``csv`` and ``markdown``, looked up by ``--format`` in :data:`SCENARIOS_FORMATS`.

JSON (``corridor.scenarios/1``, documented in ``docs/analysis-json.md``) and CSV come from
the records only, rounded like every other answer, so the same input gives the same bytes.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any, TextIO

from corridor.analysis.sidebyside import Case, SideBySide, Variant
from corridor.engine.routing import Route
from corridor.render.analysis import OBJECTIVE_WORDS, _options
from corridor.render.common import Registry, dump_json, place_dict, rnd, route_provenance, usd
from corridor.textutil import printable

__all__ = ["SCENARIOS_FORMATS", "side_by_side_to_dict", "route_summary"]

SCHEMA = "corridor.scenarios/1"

SCENARIOS_FORMATS: Registry[Callable[[SideBySide, TextIO], None]] = Registry("scenarios")


def route_summary(route: Route) -> str:
    """``road+rail · UZ → AF → PK via TERMEZ-HAIRATAN-ROAD, CHAMAN``."""
    countries: list[str] = []
    for p in route.places:
        if not countries or countries[-1] != p.country:
            countries.append(p.country)
    used = {leg.mode for leg in route.legs if leg.kind == "link"}
    modes = [m for m in ("road", "rail", "sea") if m in used] + sorted(
        used - {"road", "rail", "sea"})
    text = " → ".join(countries)
    if modes:
        text = "+".join(modes) + " · " + text
    if route.crossings:
        text += " via " + ", ".join(c.id for c in route.crossings)
    return text


def _variant_dict(v: Variant) -> dict[str, Any]:
    return {"label": v.label, "content_hash": v.content_hash,
            "scenarios": [{"name": s.name, "path": s.path, "content_hash": s.content_hash}
                          for s in v.scenarios]}


def _case_dict(c: Case) -> dict[str, Any]:
    t = c.route.totals if c.route is not None else None
    return {
        "variant": c.variant.label,
        "reachable": c.reachable,
        "rank": c.rank,
        "totals": None if t is None else {
            "distance_km": rnd(t.distance_km, 1), "hours": rnd(t.hours, 2),
            "days": rnd(t.days, 3), "cost_usd": rnd(t.cost_usd, 2), "co2_kg": rnd(t.co2_kg, 2),
            "borders_crossed": t.borders_crossed, "objective_value": rnd(t.objective_value, 3)},
        "delta": None if c.delta_hours is None else {
            "hours": rnd(c.delta_hours, 2), "days": rnd(c.delta_hours / 24.0, 3),
            "cost_usd": rnd(c.delta_cost_usd, 2), "distance_km": rnd(c.delta_distance_km, 1),
            "co2_kg": rnd(c.delta_co2_kg, 2)},
        "crossings": [] if c.route is None else [x.id for x in c.route.crossings],
        "summary": None if c.route is None else route_summary(c.route),
        "reason": c.reason,
    }


def side_by_side_to_dict(s: SideBySide) -> dict[str, Any]:
    """The documented JSON object (``corridor.scenarios/1``)."""
    return {
        "schema": SCHEMA,
        "question": s.question,
        "origin": place_dict(s.origin),
        "destination": None if s.destination is None else place_dict(s.destination),
        "objective": s.objective,
        "departure": s.departure.isoformat() if s.departure else None,
        "options": _options(s.options),
        "variants": [_variant_dict(v) for v in s.variants],
        "best": list(s.best),
        "rows": [{"port": None if r.port is None else place_dict(r.port),
                  "cases": [_case_dict(c) for c in r.cases]} for r in s.rows],
        "provenance": route_provenance(s.provenance),
    }


@SCENARIOS_FORMATS.register("json")
def scenarios_json(s: SideBySide, out: TextIO) -> None:
    dump_json(side_by_side_to_dict(s), out)


CSV_HEADER = (
    "question", "port", "port_name", "variant", "content_hash", "reachable", "rank", "days",
    "hours", "cost_usd", "distance_km", "co2_kg", "borders_crossed", "delta_days",
    "delta_hours", "delta_cost_usd", "delta_distance_km", "delta_co2_kg", "crossings",
    "summary", "reason",
)


@SCENARIOS_FORMATS.register("csv")
def scenarios_csv(s: SideBySide, out: TextIO) -> None:
    """One line per row and variant (base first); lists joined with ``;``."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for r in s.rows:
        for c in r.cases:
            d = _case_dict(c)
            t = d["totals"] or {}
            g = d["delta"] or {}
            row = [s.question, r.port.id if r.port else "", r.port.name if r.port else "",
                   c.variant.label, c.variant.content_hash, str(c.reachable).lower(), c.rank,
                   t.get("days"), t.get("hours"), t.get("cost_usd"), t.get("distance_km"),
                   t.get("co2_kg"), t.get("borders_crossed"), g.get("days"), g.get("hours"),
                   g.get("cost_usd"), g.get("distance_km"), g.get("co2_kg"),
                   ";".join(d["crossings"]), d["summary"], c.reason]
            w.writerow(["" if v is None else v for v in row])


def _title(s: SideBySide) -> str:
    if s.question == "route":
        assert s.destination is not None
        head = (f"{s.origin.name} ({s.origin.id}) → {s.destination.name} "
                f"({s.destination.id})")
    else:
        head = f"Gateway ports for cargo from {s.origin.name} ({s.origin.id})"
        if s.destination is not None:
            head += f" to {s.destination.name} ({s.destination.id})"
    o = s.options
    cargo = f"{o.containers} × {'TEU' if o.cargo == 'teu' else 'FEU'}"
    if s.departure is not None:
        head += f"  ·  leaving {s.departure.isoformat()}"
    return (f"{head}  ·  {OBJECTIVE_WORDS.get(s.objective, s.objective)} ({s.objective})"
            f"  ·  {cargo}  ·  base and {len(s.variants) - 1} scenario"
            f"{'' if len(s.variants) == 2 else 's'}")


def _figures(c: Case) -> str:
    if c.route is None:
        return "no route"
    t = c.route.totals
    rank = f" (#{c.rank})" if c.rank is not None else ""
    return f"{t.days:.1f} d · ${usd(t.cost_usd)}{rank}"


def _delta(c: Case) -> str:
    if c.variant.label == "base":
        return ""
    if c.delta_hours is None or c.delta_cost_usd is None:
        return "—"
    sign = "+" if c.delta_cost_usd >= 0 else "-"
    return f"{c.delta_hours / 24:+.1f} d, {sign}${usd(abs(c.delta_cost_usd))}"


def _grid(s: SideBySide, *, route_column: bool = True) -> tuple[list[str], list[list[str]]]:
    """The table as text cells: for a route one line per variant; for a comparison one
    line per port with a column per variant."""
    if s.question == "route":
        head = ["Scenario", "Days", "USD", "km", "CO2 kg", "Borders", "vs base"]
        head += ["Route"] if route_column else []
        rows = []
        for c in s.rows[0].cases:
            if c.route is None:
                rows.append([c.variant.label, "", "", "", "", "", "—"]
                            + ([f"no route: {c.reason or ''}"] if route_column else []))
                continue
            t = c.route.totals
            rows.append([c.variant.label, f"{t.days:.1f}", usd(t.cost_usd),
                         f"{t.distance_km:,.0f}", f"{t.co2_kg:,.0f}", str(t.borders_crossed),
                         _delta(c) or ""]
                        + ([route_summary(c.route)] if route_column else []))
        return head, rows
    head = ["Port"] + [v.label for v in s.variants]
    rows = []
    for r in s.rows:
        assert r.port is not None
        line = [f"{r.port.name} ({r.port.id})"]
        for c in r.cases:
            cell = _figures(c)
            d = _delta(c)
            line.append(cell + (f"; {d}" if d else ""))
        rows.append(line)
    best = ["best"] + [b or "none" for b in s.best]
    rows.append(best)
    return head, rows


@SCENARIOS_FORMATS.register("table")
def scenarios_table(s: SideBySide, out: TextIO) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, highlight=False, emoji=False)
    console.print(Text(printable(_title(s)), style="bold"))
    head, rows = _grid(s, route_column=False)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    numeric = {"Days", "USD", "km", "CO2 kg", "Borders"}
    for h in head:
        table.add_column(printable(h), justify="right" if h in numeric else "left",
                         overflow="fold")
    for r in rows:
        table.add_row(*(Text(printable(x)) for x in r))
    console.print(table)
    if s.question == "route":
        for c in s.rows[0].cases:
            line = Text(printable(f"{c.variant.label}: "), style="bold")
            line.append(printable(route_summary(c.route) if c.route is not None
                                  else f"no route ({c.reason or ''})"))
            console.print(line)
    console.print(Text("vs base: the difference to the same question on the base network "
                       "(days, USD).", style="dim"))
    for v in s.variants[1:]:
        for sc in v.scenarios:
            console.print(Text(printable(f"{v.label}: {sc.path} {sc.content_hash[:19]}"),
                               style="dim"), soft_wrap=True)
    p = s.provenance
    console.print(Text(f"network {printable(p.network)} {p.content_hash[:19]}", style="dim"))


def _md(text: str) -> str:
    return printable(text).replace("|", "\\|")


@SCENARIOS_FORMATS.register("markdown")
def scenarios_markdown(s: SideBySide, out: TextIO) -> None:
    """A GitHub-flavoured Markdown table with a heading and the scenario files."""
    head, rows = _grid(s)
    out.write(f"### {_md(_title(s))}\n\n")
    out.write("| " + " | ".join(_md(h) for h in head) + " |\n")
    numeric = {"Days", "USD", "km", "CO2 kg", "Borders"}
    out.write("| " + " | ".join("---:" if h in numeric else "---" for h in head) + " |\n")
    for r in rows:
        out.write("| " + " | ".join(_md(x) for x in r) + " |\n")
    out.write("\n")
    for v in s.variants[1:]:
        for sc in v.scenarios:
            out.write(f"- `{_md(v.label)}`: `{_md(sc.path)}` ({sc.content_hash})\n")
    p = s.provenance
    out.write(f"- network `{_md(p.network)}` ({p.content_hash})\n")
