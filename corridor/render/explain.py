"""Renderers of ``route --explain``: every leg broken into its components, with the record,
rule and source of each figure (see :mod:`corridor.analysis.explain`).

- ``json``: the route document (docs/route-json.md) whose legs carry ``components``;
- ``csv``: one row per component (columns :data:`CSV_COLUMNS`);
- ``table``: the route table, then a table of components per leg.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import Any, TextIO

from corridor.analysis.explain import ExplainedComponent, ExplainedLeg
from corridor.engine.routing import Route
from corridor.render.common import Registry, dump_json, rnd
from corridor.textutil import printable

__all__ = ["EXPLAIN_FORMATS", "render_explained", "render_compare_explained", "component_dict",
           "CSV_COLUMNS"]

EXPLAIN_FORMATS: Registry[Any] = Registry("route --explain")

Explained = Sequence[tuple[Route, Sequence[ExplainedLeg]]]


def render_explained(items: Explained, fmt: str, out: TextIO) -> None:
    """Write each route with its explanation to ``out`` in format ``fmt``."""
    EXPLAIN_FORMATS.get(fmt)(items, out)


def component_dict(c: ExplainedComponent) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "hours": rnd(c.hours, 2),
        "high_hours": rnd(c.high_hours, 2),
        "cost_usd": rnd(c.cost_usd, 2),
        "distance_km": rnd(c.distance_km, 1),
        "co2_kg": rnd(c.co2_kg, 2),
        "rule": c.rule,
        "figures": [
            {
                "field": f.field,
                "where": f.where or None,
                "sources": [
                    {"id": i, "title": t or None, "url": u or None}
                    for i, t, u in zip(f.sources, f.source_titles, f.source_urls, strict=True)
                ],
                "estimate": f.estimate,
                "note": f.note,
            }
            for f in c.figures
        ],
    }


@EXPLAIN_FORMATS.register("json")
def _json(items: Explained, out: TextIO) -> None:
    from corridor.render.route import routes_to_dict

    routes = [r for r, _ in items]
    doc = routes_to_dict(routes)
    bodies = [doc] + list(doc["alternatives"])
    for body, (_, legs) in zip(bodies, items, strict=True):
        for leg_doc, ex in zip(body["legs"], legs, strict=True):
            leg_doc["components"] = [component_dict(c) for c in ex.components]
    dump_json(doc, out)


CSV_COLUMNS = (
    "route_rank", "seq", "leg_kind", "from", "to", "component", "hours", "high_hours",
    "cost_usd", "distance_km", "co2_kg", "rule", "field", "where", "sources", "estimate",
)


def _rows(route: Route, legs: Sequence[ExplainedLeg]) -> list[list[Any]]:
    rows = []
    for ex in legs:
        for c in ex.components:
            figs = c.figures or ()
            for j, f in enumerate(figs or (None,)):
                first = j == 0
                rows.append([
                    route.rank, ex.seq, ex.leg.kind, ex.leg.from_id, ex.leg.to_id, c.kind,
                    rnd(c.hours, 2) if first else "", rnd(c.high_hours, 2) if first else "",
                    rnd(c.cost_usd, 2) if first else "", rnd(c.distance_km, 1) if first else "",
                    rnd(c.co2_kg, 2) if first else "", c.rule if first else "",
                    "" if f is None else f.field, "" if f is None else f.where,
                    "" if f is None else " ".join(f.sources),
                    "" if f is None or f.estimate is None else f.estimate,
                ])
    return rows


@EXPLAIN_FORMATS.register("csv")
def _csv(items: Explained, out: TextIO) -> None:
    """One row per figure of each component; the component's numbers on its first row."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for route, legs in items:
        for row in _rows(route, legs):
            w.writerow(row)


@EXPLAIN_FORMATS.register("table")
def _table(items: Explained, out: TextIO) -> None:
    """The route table, then per leg its components (planning and P90 hours, USD, the rule)
    and under each the figures used: field, where it is written, sources or estimate.
    Plain lines, so that long paths and titles never break inside a word."""
    from corridor.render.route import render_routes

    render_routes([r for r, _ in items], "table", out)
    for route, legs in items:
        out.write(f"Where the figures of route {route.rank} come from\n")
        _table_components(route, legs, out)
        out.write("\n")
    cited: dict[str, tuple[str, str]] = {}
    for _, legs in items:
        for ex in legs:
            for c in ex.components:
                for f in c.figures:
                    for i, t, u in zip(f.sources, f.source_titles, f.source_urls, strict=True):
                        cited.setdefault(i, (t, u))
    if cited:
        out.write("Sources cited\n")
        for i in sorted(cited):
            t, u = cited[i]
            out.write(printable(f"  {i}: {t}" + (f" <{u}>" if u else "")) + "\n")


# --------------------------------------------------------------------------- compare --explain


def render_compare_explained(comparison: Any, network: Any, fmt: str, out: TextIO) -> None:
    """``compare --explain``: the comparison as usual, then the explanation of each reachable
    port's route. JSON: the comparison document with, for each port, ``legs`` carrying their
    ``components`` (``null`` for an unreachable port). CSV: the rows of :data:`CSV_COLUMNS`
    with a leading ``port`` column. Table: the comparison table, then per port the legs and
    components as ``route --explain`` prints them."""
    from corridor.analysis.explain import explain_route
    from corridor.render.analysis import comparison_to_dict, render
    from corridor.render.route import _leg_dict, _legs, _names

    ports = [p for p in comparison.ports if p.reachable and p.route is not None]
    explained = {p.port.id: explain_route(network, p.route) for p in ports}
    if fmt == "json":
        doc = comparison_to_dict(comparison)
        for pd, p in zip(doc["ports"], comparison.ports, strict=True):
            if p.port.id not in explained:
                pd["legs"] = None
                continue
            names = _names(p.route)
            legs = []
            for (i, leg, run), ex in zip(_legs(p.route), explained[p.port.id], strict=True):
                d = _leg_dict(i, leg, run, names)
                d["components"] = [component_dict(c) for c in ex.components]
                legs.append(d)
            pd["legs"] = legs
        dump_json(doc, out)
        return
    if fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(("port",) + CSV_COLUMNS)
        for p in ports:
            for row in _rows(p.route, explained[p.port.id]):
                w.writerow([p.port.id] + row)
        return
    if fmt != "table":
        from corridor.errors import UsageError

        raise UsageError("--explain has table, json and csv forms")
    render("compare", comparison, "table", out)
    for p in ports:
        out.write("\n" + printable(f"{p.port.name} ({p.port.id}), rank {p.rank}") + "\n")
        _table_components(p.route, explained[p.port.id], out)


def _table_components(route: Route, legs: Sequence[ExplainedLeg], out: TextIO) -> None:
    from corridor.render.route import leg_description

    for ex in legs:
        leg = ex.leg
        where = leg.from_id if leg.from_id == leg.to_id else f"{leg.from_id} -> {leg.to_id}"
        out.write(printable(f"{ex.seq:>3}  {where}  {leg_description(leg)}  "
                            f"{leg.hours:.1f} h  USD {leg.cost_usd:,.0f}") + "\n")
        for c in ex.components:
            out.write(printable(
                f"       {c.kind}: {c.hours:.1f} h (P90 {c.high_hours:.1f} h), "
                f"USD {c.cost_usd:,.0f}: {c.rule}") + "\n")
            for f in c.figures:
                line = f"         {f.field}"
                if f.where:
                    line += f"  ({f.where})"
                if f.sources:
                    line += "  source: " + ", ".join(f.sources)
                if f.estimate:
                    line += f"  estimate: {f.estimate}"
                if f.note and not f.field.endswith("distance_km"):
                    line += f"  note: {f.note}"
                out.write(printable(line) + "\n")
