"""The bundled corridor network (networks/corridor): coverage, continuity and sanity of figures.

These tests read the real data, so they fail when an edit breaks a corridor that exists in
reality (a missing crossing, a gauge break without a transfer, a typo in a distance).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

import corridor
from corridor.engine.costs import link_figures
from corridor.engine.geo import great_circle_km
from corridor.format.network import bundled_network_path, load_network
from corridor.format.validate import validate
from corridor.model import Network, Place

CORRIDOR_COUNTRIES = ("BY", "RU", "KZ", "UZ", "AF", "PK")
ORIGINS = ("Minsk", "Moscow", "Astana", "Almaty", "Tashkent", "Kabul")
PAKISTANI_PORTS = ("Karachi", "Port Qasim", "Gwadar")
#: Plausible effective speeds (km/h) per mode, including stops on the way but not borders.
SPEED_RANGE = {"road": (10.0, 90.0), "rail": (8.0, 100.0), "sea": (15.0, 50.0)}
LOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
CC_NAME = re.compile(r"^[A-Z]{2}-[A-Z0-9][A-Z0-9-]*$")


@lru_cache(maxsize=1)
def network() -> Network:
    return load_network(bundled_network_path())


def place(pid: str) -> Place:
    return next(p for p in network().places if p.id == pid)


def test_validates_strict() -> None:
    report = validate([bundled_network_path()])
    assert [f"{p.file}:{p.line}: {p.code} {p.message}" for p in report.problems] == []
    assert not report.failed(strict=True)


def test_every_corridor_country_is_present() -> None:
    countries = {p.country for p in network().places}
    for cc in CORRIDOR_COUNTRIES + ("TM", "IR"):
        assert cc in countries, cc


@pytest.mark.parametrize(
    "name",
    [
        "Brest", "Minsk", "Smolensk", "Moscow", "Samara", "Orenburg", "Aktobe", "Kyzylorda",
        "Shymkent", "Saryagash", "Keles", "Zhibek Zholy", "Gishtkuprik", "Yallama",
        "Tashkent", "Samarkand", "Karshi", "Termez", "Hairatan", "Naibabad", "Mazar-i-Sharif",
        "Mazar", "Kabul", "Jalalabad", "Torkham", "Torkham (AF)", "Peshawar", "Rawalpindi",
        "Islamabad", "Lahore", "Multan", "Rohri", "Sukkur", "Hyderabad", "Karachi", "KHI",
        "Port Qasim", "Bin Qasim", "Kandahar", "Spin Boldak", "Chaman", "Quetta", "Gwadar",
        "Petropavl", "Astana", "Almaty", "Aktau", "Sarakhs", "Bandar Abbas", "Shahid Rajaee",
        "Chabahar", "Jebel Ali", "Salalah", "Colombo",
    ],
)
def test_names_and_aliases_resolve_to_one_place(name: str) -> None:
    from corridor.engine.places import place_index

    assert place_index(network()).resolve(name) is not None  # raises if unknown/ambiguous


def test_ids_follow_the_scheme_and_match_the_country() -> None:
    for p in network().places:
        assert LOCODE.match(p.id) or CC_NAME.match(p.id), p.id
        assert p.id[:2] == p.country, p.id


def test_no_alias_collides_with_another_place() -> None:
    from corridor.textutil import fold

    owner: dict[str, str] = {}
    for p in network().places:
        for key in {fold(p.name), *(fold(a) for a in p.aliases)}:
            assert owner.setdefault(key, p.id) == p.id, (key, owner[key], p.id)


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("port", PAKISTANI_PORTS)
def test_origins_reach_the_pakistani_ports_by_road(origin: str, port: str) -> None:
    """Through Afghanistan; with Iran allowed, some origins now go Sarakhs-Zahedan-Gabd."""
    route = corridor.find_route(network(), origin, port, modes=["road"], avoid=["IR"])
    assert {leg.mode for leg in route.legs} == {"road"}
    countries = {place(leg.to_id).country for leg in route.legs}
    assert "PK" in countries and "AF" in countries


def _rail_via(origin: str, dest: str, via: tuple[str, ...] = ()) -> list[str]:
    route = corridor.find_route(network(), origin, dest, modes=["rail"], via=via)
    assert {leg.mode for leg in route.legs} == {"rail"}
    return [route.legs[0].from_id] + [leg.to_id for leg in route.legs]


def test_rail_is_continuous_moscow_tashkent_termez_hairatan() -> None:
    ids = _rail_via("Moscow", "Hairatan", via=("Tashkent", "Termez"))
    assert ids[0] == "RUMOW" and ids[-1] == "AF-HAIRATAN"
    assert ids.index("UZTAS") < ids.index("UZ-TERMEZ")


def test_rail_is_continuous_minsk_to_naibabad_and_peshawar_to_karachi() -> None:
    assert _rail_via("Minsk", "Naibabad")[-1] == "AF-NAIBABAD"
    ids = _rail_via("Peshawar", "Karachi")
    assert {"PK-RAWALPINDI", "PKLHE", "PK-MULTAN", "PK-ROHRI", "PK-HYDERABAD"} <= set(ids)
    assert _rail_via("Quetta", "Chaman")[-1] == "PK-CHAMAN"


def test_rail_does_not_yet_cross_afghanistan() -> None:
    """Today's rail stops at Naibabad; only the planned Trans-Afghan line goes on. (Without
    Afghanistan, rail does reach Pakistan today through Turkmenistan and Iran.)"""
    with pytest.raises(corridor.NoRouteError):
        corridor.find_route(network(), "Tashkent", "Peshawar", modes=["rail"], avoid=["IR"])
    today = corridor.find_route(network(), "Tashkent", "Peshawar", modes=["rail"])
    assert "IR" in {place(leg.to_id).country for leg in today.legs}
    route = corridor.find_route(network(), "Tashkent", "Lahore", modes=["rail"],
                                avoid=["IR"], include_planned=True)
    assert any(leg.status == "planned" for leg in route.legs)
    assert any(leg.kind == "transfer" and leg.from_gauge_mm == 1520 and leg.gauge_mm == 1676
               for leg in route.legs)


def test_competing_gateways_by_rail_change_gauge() -> None:
    for origin, via in (("Almaty", "Etrek"), ("Tashkent", "Sarakhs")):
        route = corridor.find_route(network(), origin, "Bandar Abbas", modes=["rail"],
                                    via=(via,))
        changes = [leg for leg in route.legs if leg.kind == "transfer"]
        assert [(c.from_gauge_mm, c.gauge_mm) for c in changes] == [(1520, 1435)]


def test_every_pakistani_and_iranian_port_has_three_hub_legs() -> None:
    hubs = {"AEJEA", "OMSLL", "LKCMB"}
    for port in ("PKKHI", "PKBQM", "PKGWD", "IRBND", "IR-CHABAHAR"):
        ends = {lk.to_id if lk.from_id == port else lk.from_id
                for lk in network().links if lk.mode == "sea" and port in (lk.from_id, lk.to_id)}
        assert hubs <= ends, port


def test_no_link_is_shorter_than_the_great_circle() -> None:
    for lk in network().links:
        a, b = place(lk.from_id), place(lk.to_id)
        assert lk.distance_km >= great_circle_km(a.lat, a.lon, b.lat, b.lon) * 0.99 - 1, lk.id


def test_land_links_stay_in_one_country_and_rail_has_a_known_gauge() -> None:
    for lk in network().links:
        if lk.mode == "sea":
            continue
        assert place(lk.from_id).country == place(lk.to_id).country, lk.id
        if lk.mode == "rail":
            assert lk.gauge_mm in (1435, 1520, 1676), lk.id


def test_gauges_by_country() -> None:
    # KZ has 1435 mm only on the stub from the Chinese border into the Khorgos transshipment.
    expected = {"BY": {1520}, "RU": {1520}, "KZ": {1520, 1435}, "UZ": {1520}, "TM": {1520, 1435},
                "AF": {1520}, "PK": {1676, 1520}, "IR": {1435, 1520, 1676}, "CN": {1435}}
    seen: dict[str, set[int]] = {}
    for lk in network().links:
        if lk.mode == "rail" and lk.gauge_mm is not None:
            seen.setdefault(place(lk.from_id).country, set()).add(lk.gauge_mm)
    assert seen == expected
    for lk in network().links:  # 1520 in Pakistan only on the planned Trans-Afghan line
        if lk.mode == "rail" and place(lk.from_id).country == "PK" and lk.gauge_mm == 1520:
            assert lk.status == "planned", lk.id


@pytest.mark.parametrize("mode", ["road", "rail", "sea"])
def test_speeds_are_plausible(mode: str) -> None:
    net = network()
    lo, hi = SPEED_RANGE[mode]
    md = net.defaults.modes[mode]
    assert lo <= md.speed_kmh <= hi
    for cc, cd in md.by_country.items():
        if cd.speed_kmh is not None:
            assert lo <= cd.speed_kmh <= hi, (mode, cc)
    country = {p.id: p.country for p in net.places}
    for lk in net.links:
        if lk.mode == mode:
            fig = link_figures(lk, net.defaults, country=country[lk.from_id])
            assert lo <= fig.distance_km / fig.moving_hours <= hi, lk.id


def test_crossings_carry_figures_in_both_directions() -> None:
    for c in network().crossings:
        assert place(c.a).country != place(c.b).country, c.id
        for d in (c.a_to_b, c.b_to_a):
            assert d.hours >= 0 and d.cost_usd is not None, c.id
    ids = {c.id for c in network().crossings}
    assert {"TORKHAM", "CHAMAN", "SARYAGASH-KELES", "ZHIBEK-ZHOLY-GISHTKUPRIK", "YALLAMA",
            "TERMEZ-HAIRATAN-ROAD", "TERMEZ-HAIRATAN-RAIL"} <= ids


def test_status_of_new_lines() -> None:
    by_name: dict[str, set[str]] = {}
    for lk in network().links:
        if lk.name:
            by_name.setdefault(lk.name, set()).add(lk.status)
    assert by_name["Trans-Afghan railway (UAP)"] == {"planned"}
    assert by_name["Darbaza-Maktaaral line"] == {"under_construction"}


def test_every_figure_is_sourced_derived_or_estimated() -> None:
    """The product's own count (corridor info, "Figures") finds no figure without
    provenance: every one has a source or an estimate note."""
    from corridor.analysis.catalog import figure_provenance

    missing = [f"{f.kind} of {f.record}" for f in figure_provenance(network())
               if f.provenance == "missing"]
    assert missing == []


def test_every_source_has_a_url_and_what_it_states() -> None:
    for s in network().sources:
        assert s.url and s.url.startswith(("http://", "https://")), s.id
        assert s.title.strip(), s.id


def test_every_figure_cites_a_source_or_an_estimate() -> None:
    net = network()
    known = {s.id for s in net.sources}
    for prov, rid in [*((p.provenance, p.id) for p in net.places),
                      *((lk.provenance, lk.id) for lk in net.links)]:
        assert prov.source or prov.estimate, rid
        assert set(prov.source) <= known, rid
    for c in net.crossings:
        for d in (c.a_to_b, c.b_to_a):
            assert (d.provenance.source or d.provenance.estimate or c.provenance.source
                    or c.provenance.estimate), c.id


def test_every_source_cites_a_page_not_a_home_page() -> None:
    """Issue 10: a reader must be able to find the figure, so a source's URL names the page
    that states it (a path or query beyond the site's root)."""
    from urllib.parse import urlparse

    bare = [s.id for s in network().sources
            if s.url and urlparse(s.url).path in ("", "/") and not urlparse(s.url).query]
    assert bare == []
