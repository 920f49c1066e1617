"""GeoJSON of a comparison and of a whole network, and the geometry of links (waypoints).

RFC 7946 ``FeatureCollection`` documents (positions ``[lon, lat]``, 6 decimals), with the
answer's metadata in the foreign member ``corridor``; shapes in ``docs/outputs.md``. The
route document is :func:`corridor.render.route.routes_to_geojson`; it and these draw a link
along its ``waypoints`` (``[lat, lon]`` pairs between its ends, read with ``getattr`` so that
networks without the field work) when the network is given.

Every feature carries ``feature``: ``leg`` (a step of a route: ``kind`` ``link``,
``crossing``, ``transfer``, ``handling``, ``transshipment``), ``link``, ``crossing``,
``port`` or ``place``. The map (:mod:`corridor.render.map`) draws from these documents only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from corridor.render.common import place_dict, rnd

if TYPE_CHECKING:
    from corridor.analysis.catalog import NetworkInfo
    from corridor.analysis.compare import Comparison
    from corridor.engine.routing import Leg, PlaceRef
    from corridor.model import Link, Network

__all__ = ["link_path", "leg_path", "comparison_to_geojson", "network_to_geojson"]

COMPARE_GEOJSON_SCHEMA = "corridor.compare.geojson/1"
NETWORK_GEOJSON_SCHEMA = "corridor.network.geojson/1"


def _pos(lat: float, lon: float) -> list[float | None]:
    return [rnd(lon, 6), rnd(lat, 6)]


def waypoints_of(link: Any) -> list[tuple[float, float]]:
    """A link's waypoints as ``(lat, lon)`` pairs (none when the field is absent)."""
    pts = getattr(link, "waypoints", ()) or ()
    return [(float(p[0]), float(p[1])) for p in pts]


def link_path(link: Link, a: Any, b: Any) -> list[list[float | None]]:
    """Positions ``[lon, lat]`` of ``link`` from place ``a`` to place ``b`` (its ends, in the
    direction travelled): ``a``, the waypoints (reversed when travelled backwards), ``b``."""
    pts = waypoints_of(link)
    if link.from_id != a.id:
        pts = pts[::-1]
    return [_pos(a.lat, a.lon), *(_pos(la, lo) for la, lo in pts), _pos(b.lat, b.lon)]


def leg_path(leg: Leg, where: dict[str, PlaceRef],
             links: dict[str, Link] | None = None) -> list[list[float | None]]:
    """Positions of a route's leg: along its link's waypoints when ``links`` (by id) has it,
    else straight from place to place (a zero-length line for a step at one place)."""
    a, b = where[leg.from_id], where[leg.to_id]
    link = (links or {}).get(leg.ref or "") if leg.kind == "link" else None
    if link is not None:
        return link_path(link, a, b)
    return [_pos(a.lat, a.lon), _pos(b.lat, b.lon)]


def links_by_id(network: Network | None) -> dict[str, Link]:
    return {} if network is None else {lk.id: lk for lk in network.links}


# --------------------------------------------------------------------------- compare


def comparison_to_geojson(c: Comparison, network: Network | None = None) -> dict[str, Any]:
    """Each reachable port's route, leg by leg (properties as in the route GeoJSON, plus
    ``port`` and ``port_rank``), then one ``port`` point per candidate (``rank``,
    ``reachable``, ``reason``, totals). ``corridor`` holds the comparison's JSON without the
    per-port details: ``schema``, ``origin``, ``destination``, ``objective``, ``options``,
    ``ports`` (rank, id, totals, gap) and ``provenance``."""
    from corridor.render.analysis import comparison_to_dict
    from corridor.render.route import route_features

    links = links_by_id(network)
    features: list[dict[str, Any]] = []
    for x in c.ports:
        if x.route is None:
            continue
        for f in route_features(x.route, links):
            f["properties"].update(port=x.port.id, port_rank=x.rank)
            features.append(f)
    doc = comparison_to_dict(c)
    for x, d in zip(c.ports, doc["ports"], strict=True):
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": _pos(x.port.lat, x.port.lon)},
            "properties": {
                "feature": "port", "id": x.port.id, "name": x.port.name,
                "country": x.port.country, "rank": x.rank, "reachable": x.reachable,
                "reason": x.reason, "totals": d["totals"], "gap": d["gap"],
                "handling": d["handling"], "summary": d["summary"],
            },
        })
    meta = {
        "schema": COMPARE_GEOJSON_SCHEMA,
        "origin": doc["origin"],
        "destination": doc["destination"],
        "objective": doc["objective"],
        "options": doc["options"],
        "ports": [{"rank": d["rank"], "id": d["port"]["id"], "reachable": d["reachable"],
                   "totals": d["totals"], "gap": d["gap"]} for d in doc["ports"]],
        "provenance": doc["provenance"],
    }
    return {"type": "FeatureCollection", "features": features, "corridor": meta}


# --------------------------------------------------------------------------- network


def network_to_geojson(network: Network, info: NetworkInfo | None = None) -> dict[str, Any]:
    """The whole network: one ``link`` line per link (along its waypoints; ``id``, ``name``,
    ``mode``, ``status``, ``gauge_mm``, ``distance_km``, ``oneway``), one ``crossing`` line
    from post to post (dwell ``hours`` and fees ``cost_usd`` per direction, ``modes``,
    ``status``), and one point per place (``feature`` ``port`` for seaports, with their
    ``handling`` per TEU or ``null``, else ``place``). ``corridor`` holds ``schema``,
    ``network`` (name, title, content hash, currency, price year) and ``provenance``."""
    from corridor import __version__
    from corridor.analysis.catalog import summarize
    from corridor.render.common import provenance_dict

    info = info or summarize(network)
    where = {p.id: p for p in network.places}
    features: list[dict[str, Any]] = []
    for lk in network.links:
        a, b = where.get(lk.from_id), where.get(lk.to_id)
        if a is None or b is None:
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": link_path(lk, a, b)},
            "properties": {
                "feature": "link", "id": lk.id, "name": lk.name, "mode": lk.mode,
                "status": lk.status, "gauge_mm": lk.gauge_mm,
                "distance_km": rnd(lk.distance_km, 1), "oneway": lk.oneway,
                "from": lk.from_id, "to": lk.to_id,
            },
        })
    for c in info.crossing_list:
        a, b = where.get(c.a), where.get(c.b)
        if a is None or b is None:
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "LineString",
                         "coordinates": [_pos(a.lat, a.lon), _pos(b.lat, b.lon)]},
            "properties": {
                "feature": "crossing", "id": c.id, "name": c.name, "a": c.a, "b": c.b,
                "a_country": c.a_country, "b_country": c.b_country, "modes": list(c.modes),
                "status": c.status,
                "a_to_b": {"hours": rnd(c.a_to_b_hours, 2), "cost_usd": rnd(c.a_to_b_cost_usd, 2)},
                "b_to_a": {"hours": rnd(c.b_to_a_hours, 2), "cost_usd": rnd(c.b_to_a_cost_usd, 2)},
            },
        })
    ports = {s.id: s for s in info.seaports}
    for p in network.places:
        props: dict[str, Any] = {"feature": "port" if p.id in ports else "place",
                                 "id": p.id, "name": p.name, "country": p.country,
                                 "kind": p.kind}
        if p.id in ports:
            s = ports[p.id]
            props["handling"] = None if s.handling_hours is None else {
                "hours": rnd(s.handling_hours, 2), "cost_usd": rnd(s.handling_cost_usd, 2)}
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": _pos(p.lat, p.lon)},
                         "properties": props})
    meta = {
        "schema": NETWORK_GEOJSON_SCHEMA,
        "network": {"name": network.name, "title": network.title,
                    "content_hash": network.content_hash, "currency": network.currency,
                    "price_year": network.price_year},
        "provenance": provenance_dict(network.name, network.content_hash, __version__),
    }
    return {"type": "FeatureCollection", "features": features, "corridor": meta}


def place_points(places: Sequence[PlaceRef]) -> list[dict[str, Any]]:
    """``place`` points for the places a route touches (id, name, country)."""
    return [{"type": "Feature",
             "geometry": {"type": "Point", "coordinates": _pos(p.lat, p.lon)},
             "properties": {"feature": "place", **place_dict(p)}} for p in places]
