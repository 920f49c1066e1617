"""Build small ``Network`` objects in Python for routing tests (no YAML, no loader).

>>> n = net(places=[place("A"), place("B")], links=[link("A", "B", km=100)])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from corridor.model import (
    Crossing,
    Defaults,
    Direction,
    Handling,
    Link,
    ModeDefaults,
    Network,
    Place,
    Terminal,
    Transfer,
)

#: Round numbers so that expected figures are easy to compute by hand:
#: road 50 km/h, 1 USD/km, 0.1 kg/km; rail 40 km/h, 0.5 USD/km, 0.03 kg/km;
#: sea 25 km/h, 0.1 USD/km, 0.01 kg/km.
DEFAULTS = Defaults(
    modes={
        "road": ModeDefaults(speed_kmh=50, cost_usd_per_teu_km=1.0, co2_kg_per_teu_km=0.1),
        "rail": ModeDefaults(speed_kmh=40, cost_usd_per_teu_km=0.5, co2_kg_per_teu_km=0.03),
        "sea": ModeDefaults(speed_kmh=25, cost_usd_per_teu_km=0.1, co2_kg_per_teu_km=0.01),
    },
    transfer=Handling(hours=5, cost_usd=100),
    gauge_change=Handling(hours=10, cost_usd=200),
    handling=Handling(hours=12, cost_usd=150),
    feu_teu_ratio=1.8,
)


def place(
    pid: str,
    country: str = "UZ",
    *,
    name: str | None = None,
    aliases: Sequence[str] = (),
    lat: float = 40.0,
    lon: float = 60.0,
    kind: str = "city",
) -> Place:
    return Place(
        id=pid,
        name=name or pid.title(),
        country=country,
        kind=kind,
        lat=lat,
        lon=lon,
        aliases=tuple(aliases),
    )


def link(a: str, b: str, mode: str = "road", km: float = 100.0, **kw: Any) -> Link:
    if mode == "rail":
        kw.setdefault("gauge_mm", 1520)
    lid = kw.pop("id", f"{a}-{b}-{mode}")
    return Link(id=lid, from_id=a, to_id=b, mode=mode, distance_km=km, **kw)


def crossing(
    cid: str,
    a: str,
    b: str,
    modes: Sequence[str] = ("road",),
    ab: tuple[float, float] = (10.0, 200.0),
    ba: tuple[float, float] = (12.0, 180.0),
    **kw: Any,
) -> Crossing:
    return Crossing(
        id=cid,
        name=kw.pop("name", cid.title()),
        a=a,
        b=b,
        modes=tuple(modes),
        a_to_b=Direction(hours=ab[0], cost_usd=ab[1]),
        b_to_a=Direction(hours=ba[0], cost_usd=ba[1]),
        **kw,
    )


def transfer(frm: str, to: str, **kw: Any) -> Transfer:
    return Transfer(from_mode=frm, to_mode=to, **kw)


def terminal(
    pid: str, transfers: Iterable[Transfer] = (), handling: Handling | None = None
) -> Terminal:
    return Terminal(place=pid, transfers=tuple(transfers), handling=handling)


def net(
    *,
    places: Iterable[Place],
    links: Iterable[Link] = (),
    crossings: Iterable[Crossing] = (),
    terminals: Iterable[Terminal] = (),
    defaults: Defaults = DEFAULTS,
    name: str = "test",
) -> Network:
    return Network(
        name=name,
        format_version=1,
        currency="USD",
        price_year=2024,
        defaults=defaults,
        places=tuple(places),
        links=tuple(links),
        crossings=tuple(crossings),
        terminals=tuple(terminals),
        content_hash="sha256:test",
    )


def corridor_net() -> Network:
    """A small two-country network with road and rail, a gauge change, a crossing, a
    seaport and a planned rail link:

    UZ: TAS --road 700-- TER --(crossing TERMEZ-HAIRATAN, road+rail)-- HRT :AF
        TAS ==rail 1520 720== TER          HRT --road 400-- KBL --road 230-- AF-TORKHAM
                                           HRT ==rail 1520 450 (planned)== KBL
        AF-TORKHAM --(crossing TORKHAM, road)-- PK-TORKHAM --road 50-- PEW :PK
        PEW --road 1200-- KHI (seaport) ~~sea 2000~~ JEA :AE;  PEW ==rail 1676 1300== KHI
    """
    return net(
        places=[
            place("UZTAS", "UZ", name="Tashkent", aliases=["Toshkent"], lat=41.3, lon=69.3),
            place("UZTER", "UZ", name="Termez", lat=37.2, lon=67.3),
            place("AFHRT", "AF", name="Hairatan", lat=37.2, lon=67.4, kind="border_post"),
            place("AFKBL", "AF", name="Kabul", lat=34.5, lon=69.2),
            place("AF-TORKHAM", "AF", name="Torkham", lat=34.1, lon=71.1, kind="border_post"),
            place("PK-TORKHAM", "PK", name="Torkham", lat=34.1, lon=71.1, kind="border_post"),
            place("PKPEW", "PK", name="Peshawar", lat=34.0, lon=71.6),
            place("PKKHI", "PK", name="Karachi", aliases=["KHI"], lat=24.9, lon=67.0,
                  kind="seaport"),
            place("AEJEA", "AE", name="Jebel Ali", lat=25.0, lon=55.1, kind="seaport"),
        ],
        links=[
            link("UZTAS", "UZTER", "road", 700),
            link("UZTAS", "UZTER", "rail", 720, gauge_mm=1520),
            link("AFHRT", "AFKBL", "road", 400),
            link("AFHRT", "AFKBL", "rail", 450, gauge_mm=1520, status="planned"),
            link("AFKBL", "AF-TORKHAM", "road", 230),
            link("PK-TORKHAM", "PKPEW", "road", 50),
            link("PKPEW", "PKKHI", "road", 1200),
            link("PKPEW", "PKKHI", "rail", 1300, gauge_mm=1676),
            link("PKKHI", "AEJEA", "sea", 2000),
        ],
        crossings=[
            crossing("TERMEZ-HAIRATAN", "UZTER", "AFHRT", ("road", "rail"), ab=(10, 200),
                     ba=(12, 180), distance_km=2),
            crossing("TORKHAM", "AF-TORKHAM", "PK-TORKHAM", ("road",), ab=(30, 300), ba=(20, 250)),
        ],
        terminals=[
            terminal("PKPEW", [transfer("rail", "rail"), transfer("road", "rail")]),
            terminal("AFHRT", [transfer("rail", "road", hours=8, cost_usd=90)]),
            terminal("AFKBL", [transfer("rail", "road")]),
            terminal("PKKHI", [transfer("rail", "road")],
                     handling=Handling(hours=24, cost_usd=160)),
            terminal("AEJEA", handling=Handling()),
        ],
    )


# --------------------------------------------------------------------------- YAML


def _fig(extra: dict[str, Any]) -> dict[str, Any]:
    extra.setdefault("estimate", "test fixture")
    return extra


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def to_yaml_dict(network: Network) -> dict[str, Any]:
    """A format-v1 manifest holding the whole of ``network`` (one file)."""
    d = network.defaults

    def md(m: ModeDefaults) -> dict[str, Any]:
        out = _fig({"speed_kmh": m.speed_kmh, "cost_usd_per_teu_km": m.cost_usd_per_teu_km,
                    "co2_kg_per_teu_km": m.co2_kg_per_teu_km})
        if m.by_country:
            out["by_country"] = {
                c: _drop_none({"speed_kmh": o.speed_kmh,
                               "cost_usd_per_teu_km": o.cost_usd_per_teu_km,
                               "co2_kg_per_teu_km": o.co2_kg_per_teu_km})
                for c, o in m.by_country.items()
            }
        return out

    def hnd(h: Handling) -> dict[str, Any]:
        return _fig(_drop_none({"hours": h.hours, "cost_usd": h.cost_usd}))

    doc: dict[str, Any] = {
        "format_version": 1,
        "name": network.name,
        "currency": "USD",
        "price_year": network.price_year,
        "defaults": {
            "modes": {m: md(v) for m, v in d.modes.items()},
            "transfer": hnd(d.transfer),
            "gauge_change": hnd(d.gauge_change),
            "handling": hnd(d.handling),
            "feu_teu_ratio": d.feu_teu_ratio,
        },
        "places": [
            _fig(_drop_none({"id": p.id, "name": p.name, "aliases": list(p.aliases) or None,
                             "country": p.country, "kind": p.kind, "lat": p.lat, "lon": p.lon}))
            for p in network.places
        ],
        "links": [
            _fig(_drop_none({
                "id": lk.id, "from": lk.from_id, "to": lk.to_id, "mode": lk.mode,
                "distance_km": lk.distance_km, "hours": lk.hours, "speed_kmh": lk.speed_kmh,
                "cost_usd": lk.cost_usd, "cost_usd_per_teu_km": lk.cost_usd_per_teu_km,
                "co2_kg_per_teu_km": lk.co2_kg_per_teu_km, "gauge_mm": lk.gauge_mm,
                "status": lk.status, "oneway": lk.oneway or None, "name": lk.name,
            }))
            for lk in network.links
        ],
        "crossings": [
            _fig({
                "id": c.id, "name": c.name, "a": c.a, "b": c.b, "modes": list(c.modes),
                "a_to_b": {"hours": c.a_to_b.hours, "cost_usd": c.a_to_b.cost_usd},
                "b_to_a": {"hours": c.b_to_a.hours, "cost_usd": c.b_to_a.cost_usd},
                "distance_km": c.distance_km, "status": c.status,
            })
            for c in network.crossings
        ],
        "terminals": [],
    }
    for t in network.terminals:
        td: dict[str, Any] = {"place": t.place}
        if t.transfers:
            td["transfers"] = [
                _fig(_drop_none({
                    "from": tr.from_mode, "to": tr.to_mode, "from_gauge_mm": tr.from_gauge_mm,
                    "to_gauge_mm": tr.to_gauge_mm, "hours": tr.hours, "cost_usd": tr.cost_usd,
                    "oneway": tr.oneway or None,
                }))
                for tr in t.transfers
            ]
        if t.handling is not None:
            td["handling"] = hnd(t.handling)
        doc["terminals"].append(td)
    return doc


def write_network(network: Network, folder: Any) -> Any:
    """Write ``network`` as ``folder/network.yaml``; return the manifest path."""
    from pathlib import Path

    import yaml

    path = Path(folder) / "network.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Test network written by tests/netbuilder.py.\n"
                    + yaml.safe_dump(to_yaml_dict(network), sort_keys=False), encoding="utf-8")
    return path
