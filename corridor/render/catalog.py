"""Renderers for ``corridor nodes`` (``table``, ``json``, ``csv``) and ``corridor info``
(``table``, ``json``).

Like the other renderers: one complete document per call, JSON with fixed keys and rounded
floats (shapes in ``docs/analysis-json.md``), Rich only for tables. Nothing here imports
networkx.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from typing import Any, TextIO

from corridor.analysis.catalog import NetworkInfo, PlaceSearch
from corridor.render.common import Registry, dump_json, provenance_dict, rnd
from corridor.render.markdown import write_markdown
from corridor.render.terminal import Heading, write_blocks, write_text
from corridor.textutil import printable

__all__ = ["NODES_FORMATS", "INFO_FORMATS", "search_to_dict", "info_to_dict"]

NODES_SCHEMA = "corridor.nodes/1"
INFO_SCHEMA = "corridor.info/1"

NODES_FORMATS: Registry[Callable[[PlaceSearch, TextIO], None]] = Registry("nodes")
INFO_FORMATS: Registry[Callable[[NetworkInfo, TextIO], None]] = Registry("info")


def _provenance(name: str, content_hash: str, manifest: str = "") -> dict[str, Any]:
    from corridor import __version__

    return provenance_dict(name, content_hash, __version__, manifest=manifest or None)


# --------------------------------------------------------------------------- nodes


def search_to_dict(s: PlaceSearch) -> dict[str, Any]:
    """The documented JSON object of ``corridor nodes`` (``corridor.nodes/1``)."""
    return {
        "schema": NODES_SCHEMA,
        "query": s.query,
        "country": s.country,
        "kind": s.kind,
        "count": len(s.places),
        "places": [
            {"id": p.id, "name": p.name, "country": p.country, "kind": p.kind,
             "lat": rnd(p.lat, 6), "lon": rnd(p.lon, 6), "aliases": list(p.aliases)}
            for p in s.places
        ],
        "provenance": _provenance(s.network, s.content_hash, s.manifest),
    }


@NODES_FORMATS.register("json")
def nodes_json(s: PlaceSearch, out: TextIO) -> None:
    dump_json(search_to_dict(s), out)


@NODES_FORMATS.register("csv")
def nodes_csv(s: PlaceSearch, out: TextIO) -> None:
    """Columns ``id, name, country, kind, lat, lon, aliases`` (aliases joined with ``;``)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(("id", "name", "country", "kind", "lat", "lon", "aliases"))
    for p in search_to_dict(s)["places"]:
        w.writerow([p["id"], p["name"], p["country"], p["kind"], p["lat"], p["lon"],
                    ";".join(p["aliases"])])
    write_text(buf.getvalue(), out)


@NODES_FORMATS.register("table")
def nodes_table(s: PlaceSearch, out: TextIO) -> None:
    write_blocks(nodes_blocks(s), out)


@NODES_FORMATS.register("markdown")
def nodes_markdown(s: PlaceSearch, out: TextIO) -> None:
    write_markdown(nodes_blocks(s), out)


def nodes_blocks(s: PlaceSearch) -> list[Any]:
    """The places found, then their count and the network."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    blocks: list[Any] = []
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("ID")
    table.add_column("Name")
    table.add_column("Country")
    table.add_column("Kind")
    table.add_column("Lat", justify="right")
    table.add_column("Lon", justify="right")
    table.add_column("Aliases")
    for p in s.places:
        table.add_row(Text(printable(p.id), style="bold"), Text(printable(p.name)),
                      printable(p.country), p.kind.replace("_", " "), f"{p.lat:.3f}",
                      f"{p.lon:.3f}", Text(printable(", ".join(p.aliases)), style="dim"))
    blocks.append(table)
    blocks.append(Text(f"{len(s.places)} place{'s' if len(s.places) != 1 else ''}  ·  "
                       f"network {printable(s.network)} {s.content_hash[:19]}", style="dim"))
    return blocks


# --------------------------------------------------------------------------- info


def _rel(path: str, manifest: str) -> str:
    """A network file named relative to the manifest's folder (stable across checkouts)."""
    base = os.path.dirname(manifest) if manifest else ""
    try:
        rel = os.path.relpath(path, base) if base else path
    except ValueError:  # pragma: no cover - another drive on Windows
        rel = path
    return rel.replace(os.sep, "/")


def info_to_dict(i: NetworkInfo) -> dict[str, Any]:
    """The documented JSON object of ``corridor info`` (``corridor.info/1``)."""
    return {
        "schema": INFO_SCHEMA,
        "network": {
            "name": i.name,
            "title": i.title,
            "description": i.description,
            "format_version": i.format_version,
            "currency": i.currency,
            "price_year": i.price_year,
            "files": [_rel(f, i.manifest) for f in i.files],
            "content_hash": i.content_hash,
        },
        "counts": {
            "places": i.places,
            "links": i.links,
            "crossings": i.crossings,
            "terminals": i.terminals,
            "sources": len(i.sources),
            "countries": len(i.countries),
            "seaports": len(i.seaports),
            "projects": len(i.projects),
            "planned": len(i.planned),
        },
        "countries": list(i.countries),
        "places_by_country": dict(i.places_by_country),
        "places_by_kind": dict(i.places_by_kind),
        "links_by_mode": dict(i.links_by_mode),
        "links_by_status": dict(i.links_by_status),
        "link_km_by_mode": {m: rnd(km, 1) for m, km in i.link_km_by_mode},
        "crossings_by_status": dict(i.crossings_by_status),
        "crossings": [
            {"id": c.id, "name": c.name, "a": c.a, "b": c.b, "a_country": c.a_country,
             "b_country": c.b_country, "modes": list(c.modes), "status": c.status,
             "a_to_b": {"hours": rnd(c.a_to_b_hours, 2), "cost_usd": rnd(c.a_to_b_cost_usd, 2)},
             "b_to_a": {"hours": rnd(c.b_to_a_hours, 2), "cost_usd": rnd(c.b_to_a_cost_usd, 2)}}
            for c in i.crossing_list
        ],
        "seaports": [
            {"id": s.id, "name": s.name, "country": s.country,
             "handling": None if s.handling_hours is None else {
                 "hours": rnd(s.handling_hours, 2), "cost_usd": rnd(s.handling_cost_usd, 2)},
             "sea_links": s.sea_links}
            for s in i.seaports
        ],
        "projects": [
            {"id": p.id, "name": p.name, "description": p.description, "status": p.status,
             "records": list(p.records), "sources": list(p.sources)}
            for p in i.projects
        ],
        "planned": [
            {"kind": p.kind, "id": p.id, "name": p.name, "from": p.from_id, "to": p.to_id,
             "countries": list(p.countries), "modes": list(p.modes), "status": p.status,
             "distance_km": rnd(p.distance_km, 1), "gauge_mm": p.gauge_mm, "note": p.note,
             "sources": list(p.sources), "project": p.project}
            for p in i.planned
        ],
        "sources": [
            {"id": s.id, "title": s.title, "publisher": s.publisher, "year": s.year,
             "url": s.url}
            for s in i.sources
        ],
        "figures": {f.kind: {"sourced": f.sourced, "derived": f.derived,
                             "estimated": f.estimated, "missing": f.missing}
                    for f in i.figures},
        "provenance": _provenance(i.name, i.content_hash, i.manifest),
    }


@INFO_FORMATS.register("json")
def info_json(i: NetworkInfo, out: TextIO) -> None:
    dump_json(info_to_dict(i), out)


def _pairs(pairs: Any) -> str:
    return ", ".join(f"{printable(str(k)).replace('_', ' ')} {n}" for k, n in pairs) or "none"


@INFO_FORMATS.register("table")
def info_table(i: NetworkInfo, out: TextIO) -> None:
    write_blocks(info_blocks(i), out)


@INFO_FORMATS.register("markdown")
def info_markdown(i: NetworkInfo, out: TextIO) -> None:
    write_markdown(info_blocks(i), out)


def info_blocks(i: NetworkInfo) -> list[Any]:
    """The network's summary, crossings, seaports, projects and sources."""
    from rich import box
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    blocks: list[Any] = []
    blocks.append(Heading(printable(f"{i.name}" + (f" — {i.title}" if i.title else ""))))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("Format", f"version {i.format_version}, {printable(i.currency)} of "
                 f"{i.price_year}, {len(i.files)} file{'s' if len(i.files) != 1 else ''}")
    grid.add_row("Content hash", i.content_hash)
    grid.add_row("Places", f"{i.places} in {len(i.countries)} countries: "
                 + _pairs(i.places_by_country))
    grid.add_row("Kinds", _pairs(i.places_by_kind))
    km = {m: v for m, v in i.link_km_by_mode}
    grid.add_row("Links", f"{i.links}: " + ", ".join(
        f"{m} {n} ({km.get(m, 0.0):,.0f} km)" for m, n in i.links_by_mode) if i.links else "0")
    grid.add_row("Link status", _pairs(i.links_by_status))
    grid.add_row("Crossings", f"{i.crossings}: " + _pairs(i.crossings_by_status))
    grid.add_row("Terminals", str(i.terminals))
    for f in i.figures:
        if f.total:
            share = f"{100 * f.sourced / f.total:.0f} % sourced" if f.total else ""
            grid.add_row(f"Figures: {f.kind}",
                         f"{f.total}: sourced {f.sourced}, derived {f.derived}, estimated "
                         f"{f.estimated}" + (f", missing {f.missing}" if f.missing else "")
                         + f" ({share})")
    blocks.append(grid)
    blocks.append(Text(""))

    if i.crossing_list:
        t = Table(title="Border crossings", title_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False)
        t.add_column("ID", no_wrap=True,
                     min_width=max(len(printable(c.id)) for c in i.crossing_list))
        for col in ("Name", "Countries", "Modes", "Status"):
            t.add_column(col)
        t.add_column("Hours a→b/b→a", justify="right")
        t.add_column("USD a→b/b→a", justify="right")
        for c in i.crossing_list:
            style = "" if c.status == "operational" else "yellow"
            t.add_row(printable(c.id), Text(printable(c.name)),
                      f"{printable(c.a_country)} – {printable(c.b_country)}",
                      ", ".join(c.modes), Text(c.status.replace("_", " "), style=style),
                      f"{c.a_to_b_hours:g}/{c.b_to_a_hours:g}",
                      f"{c.a_to_b_cost_usd:,.0f}/{c.b_to_a_cost_usd:,.0f}")
        blocks.append(t)
        blocks.append(Text(""))
    if i.seaports:
        t = Table(title="Seaports", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False)
        for col in ("ID", "Name", "Country"):
            t.add_column(col)
        t.add_column("Handling h", justify="right")
        t.add_column("Handling USD", justify="right")
        t.add_column("Sea links", justify="right")
        for s in i.seaports:
            t.add_row(printable(s.id), Text(printable(s.name)), printable(s.country),
                      "—" if s.handling_hours is None else f"{s.handling_hours:g}",
                      "—" if s.handling_cost_usd is None else f"{s.handling_cost_usd:,.0f}",
                      str(s.sea_links))
        blocks.append(t)
        blocks.append(Text(""))
    if i.projects:
        t = Table(title="Projects (open one with --include-planned ID)", title_justify="left",
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for col in ("ID", "Name", "Status"):
            t.add_column(col)
        t.add_column("Records", justify="right")
        for pr in i.projects:
            t.add_row(printable(pr.id), Text(printable(pr.name)),
                      Text((pr.status or "").replace("_", " "), style="yellow"),
                      str(len(pr.records)))
        blocks.append(t)
        blocks.append(Text(""))
    if i.planned:
        blocks.append(Text("Planned and under construction (used with --include-planned)",
                           style="italic"))
        for p in i.planned:
            head = Text("  ")
            head.append(printable(p.name or p.id), style="bold")
            dist = "" if p.distance_km is None else f", {p.distance_km:,.0f} km"
            head.append(printable(f": {p.from_id} → {p.to_id}, {','.join(p.modes)}{dist}, "))
            head.append(p.status.replace("_", " "), style="yellow")
            head.append(printable(f" ({p.kind} {p.id}"
                                  + (f", project {p.project})" if p.project else ")")),
                        style="dim")
            blocks.append(head)
            if p.note:
                blocks.append(Padding(Text(printable(p.note), style="dim"), (0, 0, 0, 4)))
        blocks.append(Text(""))
    if i.sources:
        t = Table(title="Sources", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False)
        for col in ("ID", "Title", "Publisher", "Year"):
            t.add_column(col)
        for src in i.sources:
            t.add_row(printable(src.id), Text(printable(src.title)),
                      Text(printable(src.publisher or "")),
                      "" if src.year is None else str(src.year))
        blocks.append(t)
        blocks.append(Text(""))
    return blocks
