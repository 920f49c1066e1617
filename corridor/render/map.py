"""Self-contained HTML maps of a route, a port comparison or a whole network.

A map is one HTML file: Leaflet's script and styles (vendored under
``corridor/render/assets/leaflet``, BSD-2-Clause) are inside it, with the GeoJSON document
of the answer (:mod:`corridor.render.geojson`, :func:`corridor.render.route.routes_to_geojson`)
in a ``<script type="application/json" id="corridor-data">`` element, and a small script
that draws it. Nothing is fetched but the OpenStreetMap basemap tiles, when online; without
them the features still draw on a plain background. Shapes and colours are in
``docs/outputs.md``:

- legs and links coloured by mode (road, rail, sea), dashed when planned or under
  construction; sea legs along their link's waypoints when the network has them;
- border crossings in red with dwell hours and fees, ports with their handling, transfers;
- every feature has a popup with its figures; a legend and the provenance line.

When the page has drawn, ``<pre id="corridor-status">`` holds a JSON summary
(``{"lines": n, "markers": m, "features": k}``) for tests and tools.

No third-party Python package is needed; the HTML is deterministic (same input, same bytes).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Any

from corridor.render.common import provenance_text

if TYPE_CHECKING:
    from corridor.analysis.compare import Comparison
    from corridor.engine.routing import Route
    from corridor.model import Network

__all__ = ["LEAFLET_VERSION", "map_html", "route_map", "comparison_map", "network_map",
           "write_map"]

LEAFLET_VERSION = "1.9.4"

#: Colours by mode and by kind of step (also in docs/outputs.md).
COLOURS = {
    "road": "#e67e22",
    "rail": "#2c3e50",
    "sea": "#1f77b4",
    "crossing": "#c0392b",
    "port": "#16a085",
    "transfer": "#8e44ad",
    "place": "#7f8c8d",
}


_PAGE_CSS = """
html, body { height: 100%; margin: 0; font: 14px/1.4 system-ui, sans-serif; }
#map { position: absolute; top: 0; bottom: 0; left: 0; right: 0; background: #eef2f5; }
#panel { position: absolute; z-index: 1000; top: 10px; right: 10px; max-width: 22em;
  background: rgba(255,255,255,0.92); padding: 8px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
#panel h1 { font-size: 15px; margin: 0 0 6px; }
#panel .k { display: inline-block; width: 26px; height: 0; border-top: 4px solid;
  vertical-align: middle; margin-right: 6px; }
#panel .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%;
  margin: 0 14px 0 8px; vertical-align: middle; }
#panel .prov { color: #666; font-size: 12px; margin-top: 6px; }
#corridor-status { display: none; }
.corridor-rank { font-weight: bold; }
"""


def _asset(*parts: str) -> str:
    """The text of a file under ``corridor/render/assets``."""
    path = resources.files("corridor.render").joinpath("assets", *parts)
    return path.read_text(encoding="utf-8")


def _json_script(doc: Any) -> str:
    """JSON safe inside a ``<script>`` element: every ``<`` written as ``\\u003c`` (the same
    JSON value), so neither ``</script>`` nor ``<!--`` in the data can end it."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return text.replace("<", "\\u003c")


def _legend(title: str, lines: Sequence[str], provenance: str) -> str:
    def key(colour: str, dash: bool = False) -> str:
        style = f"border-top-color:{colour}" + (";border-top-style:dashed" if dash else "")
        return f'<span class="k" style="{style}"></span>'

    def dot(colour: str) -> str:
        return f'<span class="dot" style="background:{colour}"></span>'

    rows = [
        f"{key(COLOURS['road'])}road", f"{key(COLOURS['rail'])}rail",
        f"{key(COLOURS['sea'])}sea", f"{key('#555', True)}planned / under construction",
        f"{dot(COLOURS['crossing'])}border crossing (dwell, fees)",
        f"{dot(COLOURS['port'])}port (handling)", f"{dot(COLOURS['transfer'])}transfer",
    ]
    body = "".join(f"<div>{escape(line)}</div>" for line in lines)
    keys = "".join(f"<div>{r}</div>" for r in rows)
    return (f'<div id="panel"><h1>{escape(title)}</h1>{body}{keys}'
            f'<div class="prov">{escape(provenance)}</div></div>')


def map_html(doc: dict[str, Any], *, title: str, lines: Sequence[str] = (),
             provenance: str = "") -> str:
    """The HTML page drawing the GeoJSON ``doc``, with ``title``, summary ``lines`` and the
    ``provenance`` line in its panel."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n"
        f"<!-- Leaflet {LEAFLET_VERSION}, (c) Volodymyr Agafonkin and contributors, "
        "BSD-2-Clause -->\n"
        f"<style>\n{_asset('leaflet', 'leaflet.css')}\n</style>\n<style>{_PAGE_CSS}</style>\n"
        "</head>\n<body>\n<div id=\"map\"></div>\n"
        f"{_legend(title, lines, provenance)}\n"
        "<pre id=\"corridor-status\"></pre>\n"
        f"<script type=\"application/json\" id=\"corridor-data\">{_json_script(doc)}</script>\n"
        "<script type=\"application/json\" id=\"corridor-colours\">"
        f"{_json_script(COLOURS)}</script>\n"
        f"<script>\n{_asset('leaflet', 'leaflet.js')}\n</script>\n"
        f"<script>\n{_asset('map.js')}</script>\n"
        "</body>\n</html>\n"
    )


def route_map(routes: Sequence[Route], network: Network | None = None) -> str:
    """The map of ``routes`` (best first): their legs, borders, ports and transfers."""
    from corridor.render.route import OBJECTIVE_WORDS, routes_to_geojson

    best = routes[0]
    doc = routes_to_geojson(routes, network)
    t = best.totals
    title = f"{best.origin.name} \u2192 {best.destination.name}"
    lines = [f"{OBJECTIVE_WORDS.get(best.objective, best.objective)} ({best.objective})",
             f"{t.distance_km:,.0f} km, {t.days:.1f} days, USD {t.cost_usd:,.0f}, "
             f"{t.borders_crossed} border(s)"]
    if len(routes) > 1:
        lines.append(f"{len(routes)} routes drawn")
    return map_html(doc, title=title, lines=lines, provenance=provenance_text(best.provenance))


def comparison_map(c: Comparison, network: Network | None = None) -> str:
    """The map of a port comparison: each reachable port's route and every candidate."""
    from corridor.render.analysis import gap_text
    from corridor.render.geojson import comparison_to_geojson

    doc = comparison_to_geojson(c, network)
    title = f"Gateway ports from {c.origin.name}" + (
        f" to {c.destination.name}" if c.destination is not None else "")
    lines = [f"#{x.rank} {x.port.name}: {gap_text(x)}" for x in c.ports if x.rank]
    return map_html(doc, title=title, lines=lines, provenance=provenance_text(c.provenance))


def network_map(network: Network) -> str:
    """The map of a whole network: links, crossings, ports and places."""
    from types import SimpleNamespace

    from corridor.analysis.catalog import summarize
    from corridor.render.geojson import network_to_geojson

    info = summarize(network)
    doc = network_to_geojson(network, info)
    title = network.title or network.name
    lines = [f"{info.places} places, {info.links} links, {info.crossings} crossings"]
    prov = SimpleNamespace(network=network.name, content_hash=network.content_hash)
    return map_html(doc, title=title, lines=lines, provenance=provenance_text(prov))


def write_map(html: str, path: str) -> None:
    """Write ``html`` to ``path`` as UTF-8 (raises ``OSError`` as ``open`` does)."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(html)
