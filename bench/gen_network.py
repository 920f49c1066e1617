#!/usr/bin/env python3
"""Generate a large, synthetic but valid network (format v1) for benchmarks.

    python bench/gen_network.py --places 100000 --links 250000 --out DIR --seed 1

Deterministic for a given ``--seed`` and sizes (it uses only ``random.Random(seed)`` and
integer-keyed containers, so ``PYTHONHASHSEED`` does not matter). Pure Python, no numpy:
100,000 places and 250,000 links take well under 30 s on a 2-core machine.

What it writes (``DIR``):

    network.yaml             manifest: defaults, explicit include list
    sources.yaml             the one source, ``gen``
    places/<CC>.yaml         places of one country
    links/road-<CC>.yaml     road links of one country
    links/rail-<CC>.yaml     rail links of one country (1520 mm; 1676 mm in PK)
    links/sea.yaml           sea links between seaports (Arabian Sea group, Caspian group)
    crossings.yaml           border crossings (the only way for land modes to change country)
    terminals.yaml           rail<->road transfers, gauge changes, seaport handling
    bench-meta.json          not part of the network: counts and suggested route/matrix places

The world is fictitious but obeys every rule of docs/network-format.md: six real ISO codes
(KZ UZ TM AF IR PK) own non-overlapping lat/lon boxes that share edges where they border;
road and rail links join places of one country only, with ``distance_km`` = haversine
(R = 6371.0088 km) x a circuity of 1.1-1.5, rounded up to 0.1 km and at least 1 km; border
crossings join a post on each side of a shared edge, a few km apart. Each country's road
network (all places) and rail network (about 30 % of places) is a minimum spanning tree over
k-nearest-neighbour candidates (found with a grid), plus random extra candidate edges up to
``--links``, so every country is connected and, through crossings, the whole network is.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import os
import random
import sys
import time
from dataclasses import dataclass, field

R_EARTH_KM = 6371.0088
KM_PER_DEG = math.pi * R_EARTH_KM / 180.0

#: country -> (lat_min, lat_max, lon_min, lon_max, share of places, rail gauge)
COUNTRIES: dict[str, tuple[float, float, float, float, float, int]] = {
    "KZ": (44.0, 52.0, 50.0, 82.0, 0.30, 1520),
    "UZ": (38.0, 44.0, 60.0, 72.0, 0.13, 1520),
    "TM": (36.0, 41.0, 52.0, 60.0, 0.08, 1520),
    "AF": (30.0, 38.0, 60.0, 72.0, 0.12, 1520),
    "IR": (26.0, 36.0, 46.0, 60.0, 0.20, 1520),
    "PK": (24.0, 30.0, 60.0, 72.0, 0.17, 1676),
}
GAUGE_CHANGE_COUNTRY = "PK"

#: Shared box edges: (a country, b country, "lat" or "lon", edge value, range lo, range hi).
#: For "lat", a lies north of the edge; for "lon", a lies east of it.
BORDERS: list[tuple[str, str, str, float, float, float]] = [
    ("KZ", "UZ", "lat", 44.0, 60.5, 71.5),
    ("UZ", "TM", "lon", 60.0, 38.2, 40.8),
    ("UZ", "AF", "lat", 38.0, 60.5, 71.5),
    ("AF", "TM", "lon", 60.0, 36.1, 37.9),
    ("TM", "IR", "lat", 36.0, 52.5, 59.5),
    ("AF", "IR", "lon", 60.0, 30.2, 35.8),
    ("AF", "PK", "lat", 30.0, 60.5, 71.5),
    ("PK", "IR", "lon", 60.0, 26.2, 29.8),
]

#: Seaports: (country, sea group, lat range, lon range, count)
SEAPORTS: list[tuple[str, str, tuple[float, float], tuple[float, float], int]] = [
    ("PK", "arabian", (24.02, 24.3), (63.0, 68.0), 3),
    ("IR", "arabian", (26.02, 26.3), (52.0, 59.5), 3),
    ("KZ", "caspian", (44.2, 47.0), (50.02, 50.3), 2),
    ("TM", "caspian", (38.0, 40.5), (52.02, 52.3), 2),
    ("IR", "caspian", (35.7, 35.98), (50.0, 54.0), 1),
]

RAIL_SHARE = 0.30
TERMINAL_SHARE = 0.25  # of rail places that get a rail<->road transfer
SYLLABLES = (  # noqa: SIM905
    "ak bal dar gul kar mir nur sar tal zar bek dosh jan kum ob rud sai tash yol ab "
    "chi ghaz han kan lar mar pan qal rob shah tur vak zam"
).split()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def road_distance(gc: float, circuity: float) -> float:
    """``gc`` x circuity, rounded up to 0.1 km, at least 1 km and never below ``gc``."""
    d = math.ceil(gc * circuity * 10.0 + 1e-9) / 10.0
    while d < gc:  # cannot happen with circuity >= 1.1, but keep the rule explicit
        d += 0.1
    return max(1.0, round(d, 1))


@dataclass
class Place:
    idx: int
    id: str
    name: str
    country: str
    kind: str
    lat: float
    lon: float
    rail: bool = False


@dataclass
class Country:
    code: str
    places: list[int] = field(default_factory=list)  # global place indexes


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        parent = self.parent
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[ra] = rb
        return True


def planar(places: list[Place], members: list[int]) -> tuple[list[float], list[float]]:
    """Equirectangular km coordinates of ``members`` around their mean latitude."""
    lat0 = sum(places[i].lat for i in members) / max(1, len(members))
    kx = KM_PER_DEG * math.cos(math.radians(lat0))
    xs = [places[i].lon * kx for i in members]
    ys = [places[i].lat * KM_PER_DEG for i in members]
    return xs, ys


def knn_candidates(xs: list[float], ys: list[float], k: int) -> list[tuple[float, int, int]]:
    """Unique candidate edges (squared planar length, i, j) with i < j, joining each point to
    its ``k`` nearest neighbours, found with a uniform grid (local indexes)."""
    n = len(xs)
    if n < 2:
        return []
    x0, y0 = min(xs), min(ys)
    w = max(xs) - x0 or 1.0
    h = max(ys) - y0 or 1.0
    cell = math.sqrt(w * h * 3.0 / n) or 1.0  # about 3 points per cell
    nx_ = int(w / cell) + 1
    ny_ = int(h / cell) + 1
    grid: dict[int, list[int]] = {}
    cx = [0] * n
    cy = [0] * n
    for i in range(n):
        a = int((xs[i] - x0) / cell)
        b = int((ys[i] - y0) / cell)
        cx[i] = a
        cy[i] = b
        grid.setdefault(a * ny_ + b, []).append(i)
    kk = min(k, n - 1)
    seen: set[int] = set()
    out: list[tuple[float, int, int]] = []
    for i in range(n):
        xi, yi, a, b = xs[i], ys[i], cx[i], cy[i]
        r = 1
        while True:
            cand: list[tuple[float, int]] = []
            for da in range(-r, r + 1):
                ga = a + da
                if ga < 0 or ga >= nx_:
                    continue
                for db in range(-r, r + 1):
                    gb = b + db
                    if gb < 0 or gb >= ny_:
                        continue
                    bucket = grid.get(ga * ny_ + gb)
                    if bucket:
                        for j in bucket:
                            if j != i:
                                dx = xs[j] - xi
                                dy = ys[j] - yi
                                cand.append((dx * dx + dy * dy, j))
            # Points within r*cell are certainly found; accept when the k-th is that close.
            if len(cand) >= kk:
                best = heapq.nsmallest(kk, cand)
                if best[-1][0] <= (r * cell) ** 2 or (r > nx_ and r > ny_):
                    break
            elif r > nx_ and r > ny_:
                best = sorted(cand)
                break
            r += 1
        for d2, j in best:
            lo, hi = (i, j) if i < j else (j, i)
            key = lo * n + hi
            if key not in seen:
                seen.add(key)
                out.append((d2, lo, hi))
    return out


def tree_and_extras(
    xs: list[float], ys: list[float], k: int, rng: random.Random
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """A minimum spanning tree over kNN candidates (connected, local indexes) and the unused
    candidates in random order (for extra links)."""
    n = len(xs)
    cands = knn_candidates(xs, ys, k)
    cands.sort()
    uf = UnionFind(n)
    tree: list[tuple[int, int]] = []
    rest: list[tuple[int, int]] = []
    for _d2, i, j in cands:
        if uf.union(i, j):
            tree.append((i, j))
        else:
            rest.append((i, j))
    if len(tree) < n - 1:  # the kNN graph fell apart: join components by nearest pairs
        comps: dict[int, list[int]] = {}
        for i in range(n):
            comps.setdefault(uf.find(i), []).append(i)
        groups = sorted(comps.values(), key=len)
        main = groups.pop()
        in_main = [False] * n
        for i in main:
            in_main[i] = True
        for g in groups:
            best = None
            for i in g:
                for j in main:
                    d2 = (xs[i] - xs[j]) ** 2 + (ys[i] - ys[j]) ** 2
                    if best is None or d2 < best[0]:
                        best = (d2, i, j)
            assert best is not None
            _, i, j = best
            uf.union(i, j)
            tree.append((min(i, j), max(i, j)))
            for i in g:
                in_main[i] = True
            main.extend(g)
    rng.shuffle(rest)
    return tree, rest


def fmt_num(x: float) -> str:
    s = f"{x:.5f}".rstrip("0")
    return s + "0" if s.endswith(".") else s


def make_name(rng: random.Random, serial: int) -> str:
    a = rng.choice(SYLLABLES)
    b = rng.choice(SYLLABLES)
    return f"{(a + b).capitalize()} {serial}"


def generate(n_places: int, n_links: int, seed: int, out: str) -> dict[str, object]:
    t0 = time.perf_counter()
    rng = random.Random(seed)
    places: list[Place] = []
    countries = {cc: Country(cc) for cc in COUNTRIES}
    counter = [0]

    def add_place(cc: str, kind: str, lat: float, lon: float, rail: bool = False) -> int:
        idx = len(places)
        serial = counter[0]
        counter[0] += 1
        pid = f"{cc}-P{serial:06d}"
        places.append(Place(idx, pid, make_name(rng, serial), cc, kind, lat, lon, rail))
        countries[cc].places.append(idx)
        return idx

    # --- border posts and crossings --------------------------------------------------
    n_cross_per_border = max(2, min(20, round(n_places / 10000)))
    crossings: list[dict[str, object]] = []
    gauge_change_posts: list[int] = []
    for a_cc, b_cc, axis, edge, lo, hi in BORDERS:
        for c in range(n_cross_per_border):
            along = lo + (hi - lo) * (c + rng.random()) / n_cross_per_border
            off_a = rng.uniform(0.01, 0.03)
            off_b = rng.uniform(0.01, 0.03)
            with_rail = c % 2 == 0
            if axis == "lat":
                pa = add_place(a_cc, "border_post", edge + off_a, along, with_rail)
                pb = add_place(
                    b_cc, "border_post", edge - off_b, along + rng.uniform(-0.02, 0.02), with_rail
                )
            else:
                pa = add_place(a_cc, "border_post", along, edge + off_a, with_rail)
                pb = add_place(
                    b_cc, "border_post", along + rng.uniform(-0.02, 0.02), edge - off_b, with_rail
                )
            gc = haversine_km(places[pa].lat, places[pa].lon, places[pb].lat, places[pb].lon)
            hours_ab = round(rng.uniform(2, 48), 1)
            hours_ba = round(rng.uniform(2, 48), 1)
            crossings.append(
                {
                    "id": f"X-{a_cc}{b_cc}-{c:02d}",
                    "name": f"{places[pa].name} - {places[pb].name}",
                    "a": pa,
                    "b": pb,
                    "modes": "[road, rail]" if with_rail else "[road]",
                    "distance_km": road_distance(gc, rng.uniform(1.1, 1.5)),
                    "a_to_b": (hours_ab, round(rng.uniform(20, 400))),
                    "b_to_a": (hours_ba, round(rng.uniform(20, 400))),
                }
            )
            if with_rail and GAUGE_CHANGE_COUNTRY in (a_cc, b_cc):
                gauge_change_posts.append(pa if a_cc == GAUGE_CHANGE_COUNTRY else pb)

    # --- seaports -------------------------------------------------------------------
    seaports: dict[str, list[int]] = {}
    for cc, sea, (la0, la1), (lo0, lo1), count in SEAPORTS:
        for _ in range(count):
            p = add_place(cc, "seaport", rng.uniform(la0, la1), rng.uniform(lo0, lo1), True)
            seaports.setdefault(sea, []).append(p)

    # --- gauge-change yards: a short 1520 mm spur on the PK side of each rail crossing ---
    yards: list[tuple[int, int]] = []  # (post, yard)
    for post in gauge_change_posts:
        pp = places[post]
        lat0, lat1, lon0, lon1 = COUNTRIES[pp.country][:4]
        lat = min(lat1 - 0.01, max(lat0 + 0.01, pp.lat + rng.uniform(-0.03, 0.03)))
        lon = min(lon1 - 0.01, max(lon0 + 0.01, pp.lon + rng.uniform(-0.03, 0.03)))
        yards.append((post, add_place(pp.country, "station", lat, lon, True)))
    yard_set = {y for _, y in yards}

    # --- ordinary places --------------------------------------------------------------
    remaining = max(0, n_places - len(places))
    shares = {cc: v[4] for cc, v in COUNTRIES.items()}
    quotas = {cc: int(remaining * s) for cc, s in shares.items()}
    quotas["KZ"] += remaining - sum(quotas.values())
    kinds = ["city"] * 6 + ["junction"] * 2 + ["station", "dry_port"]
    for cc, q in quotas.items():
        lat0, lat1, lon0, lon1 = COUNTRIES[cc][:4]
        for _ in range(q):
            kind = rng.choice(kinds)
            rail = kind in ("station", "dry_port") or rng.random() < RAIL_SHARE - 0.2
            add_place(cc, kind, rng.uniform(lat0, lat1), rng.uniform(lon0, lon1), rail)

    # --- links ------------------------------------------------------------------------
    sea_pairs: list[tuple[int, int]] = []
    for group in seaports.values():
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                sea_pairs.append((group[i], group[j]))
    # Road: all places but yards; rail: rail places but yards (spurs are added separately).
    road_members = {cc: [i for i in c.places if i not in yard_set] for cc, c in countries.items()}
    rail_members = {cc: [i for i in m if places[i].rail] for cc, m in road_members.items()}
    n_road_nodes = sum(len(m) for m in road_members.values())
    n_rail_nodes = sum(len(m) for m in rail_members.values())
    land_budget = max(0, n_links - len(sea_pairs) - len(yards))
    trees_total = sum(max(0, len(m) - 1) for m in road_members.values()) + sum(
        max(0, len(m) - 1) for m in rail_members.values()
    )
    extra_total = max(0, land_budget - trees_total)
    ratio = land_budget / max(1, n_road_nodes + n_rail_nodes)
    k = max(4, math.ceil(2 * ratio) + 2)

    links_by_file: dict[str, list[str]] = {}
    n_status = {"planned": 0, "under_construction": 0}
    link_count = 0

    def link_line(
        a: int, b: int, mode: str, dist: float, gauge: int | None, extra: str = ""
    ) -> str:
        g = f", gauge_mm: {gauge}" if gauge else ""
        return (
            f"  - {{from: {places[a].id}, to: {places[b].id}, mode: {mode}, "
            f"distance_km: {dist}{g}{extra}, source: gen}}"
        )

    def land_link(a: int, b: int, mode: str, gauge: int | None, is_extra: bool) -> str:
        pa, pb = places[a], places[b]
        gc = haversine_km(pa.lat, pa.lon, pb.lat, pb.lon)
        dist = road_distance(gc, rng.uniform(1.1, 1.5))
        extra = ""
        if is_extra:
            u = rng.random()
            if u < 0.01:
                extra = ", status: planned"
                n_status["planned"] += 1
            elif u < 0.015:
                extra = ", status: under_construction"
                n_status["under_construction"] += 1
            elif u < 0.05:
                extra = f", speed_kmh: {rng.choice((25, 35, 50, 60))}"
        return link_line(a, b, mode, dist, gauge, extra)

    for cc in COUNTRIES:
        gauge = COUNTRIES[cc][5]
        for mode, members in (("road", road_members[cc]), ("rail", rail_members[cc])):
            xs, ys = planar(places, members)
            tree, rest = tree_and_extras(xs, ys, k, rng)
            share = len(members) / max(1, n_road_nodes + n_rail_nodes)
            n_extra = min(len(rest), round(extra_total * share))
            lines = [
                land_link(members[i], members[j], mode, gauge if mode == "rail" else None, False)
                for i, j in tree
            ]
            lines += [
                land_link(members[i], members[j], mode, gauge if mode == "rail" else None, True)
                for i, j in rest[:n_extra]
            ]
            if mode == "rail" and cc == GAUGE_CHANGE_COUNTRY:
                for post, yard in yards:  # 1520 mm spur so the foreign gauge reaches the post
                    lines.append(land_link(post, yard, "rail", 1520, False))
            link_count += len(lines)
            links_by_file[f"links/{mode}-{cc}.yaml"] = lines
    sea_lines = []
    for a, b in sea_pairs:
        pa, pb = places[a], places[b]
        gc = haversine_km(pa.lat, pa.lon, pb.lat, pb.lon)
        sea_lines.append(link_line(a, b, "sea", road_distance(gc, rng.uniform(1.1, 1.3)), None))
    link_count += len(sea_lines)
    links_by_file["links/sea.yaml"] = sea_lines

    # --- terminals --------------------------------------------------------------------
    term_lines: list[str] = []
    rail_road_terminals = 0
    post_set = {c["a"] for c in crossings} | {c["b"] for c in crossings}
    gauge_posts = set(gauge_change_posts)
    for p in places:
        if not p.rail or p.idx in yard_set:
            continue
        transfers: list[str] = []
        if p.kind == "seaport" or p.idx in post_set or rng.random() < TERMINAL_SHARE:
            transfers.append(
                f"{{from: rail, to: road, hours: {rng.choice((4, 6, 8, 12))}, "
                f"cost_usd: {rng.choice((60, 80, 100, 120))}, source: gen}}"
            )
            rail_road_terminals += 1
        if p.idx in gauge_posts:
            transfers.append(
                f"{{from: rail, to: rail, from_gauge_mm: 1520, to_gauge_mm: 1676, "
                f"hours: {rng.choice((18, 24, 36))}, cost_usd: {rng.choice((200, 250, 300))}, "
                "source: gen}"
            )
        handling = ""
        if p.kind == "seaport":
            hh, hc = rng.choice((24, 36, 48)), rng.choice((120, 150, 180))
            handling = f", handling: {{hours: {hh}, cost_usd: {hc}, source: gen}}"
        if transfers or handling:
            tr = f", transfers: [{', '.join(transfers)}]" if transfers else ""
            term_lines.append(f"  - {{place: {p.id}{tr}{handling}}}")

    # --- write ------------------------------------------------------------------------
    os.makedirs(os.path.join(out, "places"), exist_ok=True)
    os.makedirs(os.path.join(out, "links"), exist_ok=True)
    files: dict[str, str] = {}
    files["sources.yaml"] = (
        "# The one source of the generated network.\n"
        "sources:\n"
        "  - id: gen\n"
        "    title: Synthetic network generated by bench/gen_network.py\n"
        f'    note: "seed {seed}, {n_places} places, {n_links} links requested"\n'
    )
    for cc, c in countries.items():
        body = [f"# Places of {cc} (synthetic, bench/gen_network.py seed {seed}).", "places:"]
        for i in c.places:
            p = places[i]
            body.append(
                f"  - {{id: {p.id}, name: {p.name}, country: {cc}, kind: {p.kind}, "
                f"lat: {fmt_num(p.lat)}, lon: {fmt_num(p.lon)}, source: gen}}"
            )
        files[f"places/{cc}.yaml"] = "\n".join(body) + "\n"
    for fname, lines in links_by_file.items():
        if not lines:
            continue
        what = fname.split("/")[1].removesuffix(".yaml")
        files[fname] = f"# {what} links (synthetic).\nlinks:\n" + "\n".join(lines) + "\n"
    cl = [
        "# Border crossings (synthetic): the only way for road and rail to change country.",
        "crossings:",
    ]
    for c in crossings:
        a, b = places[c["a"]], places[c["b"]]  # type: ignore[index]
        (h1, c1), (h2, c2) = c["a_to_b"], c["b_to_a"]  # type: ignore[misc]
        cl.append(
            f'  - {{id: {c["id"]}, name: "{c["name"]}", a: {a.id}, b: {b.id}, modes: {c["modes"]}, '
            f"distance_km: {c['distance_km']}, a_to_b: {{hours: {h1}, cost_usd: {c1}}}, "
            f"b_to_a: {{hours: {h2}, cost_usd: {c2}}}, source: gen}}"
        )
    files["crossings.yaml"] = "\n".join(cl) + "\n"
    files["terminals.yaml"] = (
        "# Terminals (synthetic): rail<->road transfers, gauge changes, seaport handling.\n"
        "terminals:\n" + "\n".join(term_lines) + "\n"
    )
    include = ["sources.yaml"] + sorted(k_ for k_ in files if k_ != "sources.yaml")
    manifest = [
        "# Manifest of a synthetic benchmark network (bench/gen_network.py); not real data.",
        "format_version: 1",
        f"name: bench-{n_places}-{n_links}-s{seed}",
        f"title: Synthetic benchmark network, {n_places} places",
        "currency: USD",
        "price_year: 2024",
        "include:",
        *[f"  - {f}" for f in include],
        "defaults:",
        "  modes:",
        "    road:",
        "      speed_kmh: 40",
        "      cost_usd_per_teu_km: 1.1",
        "      co2_kg_per_teu_km: 0.9",
        "      source: gen",
        "      by_country:",
        "        PK: {speed_kmh: 35, cost_usd_per_teu_km: 0.9, source: gen}",
        "    rail: {speed_kmh: 30, cost_usd_per_teu_km: 0.15, co2_kg_per_teu_km: 0.3, source: gen}",
        "    sea: {speed_kmh: 28, cost_usd_per_teu_km: 0.05, co2_kg_per_teu_km: 0.02, source: gen}",
        "  transfer: {hours: 8, cost_usd: 120, source: gen}",
        "  gauge_change: {hours: 24, cost_usd: 250, source: gen}",
        "  handling: {hours: 48, cost_usd: 150, source: gen}",
        "  feu_teu_ratio: 2.0",
    ]
    files["network.yaml"] = "\n".join(manifest) + "\n"
    total_bytes = 0
    for fname, text in files.items():
        data = text.encode("utf-8")
        total_bytes += len(data)
        with open(os.path.join(out, fname), "wb") as fh:
            fh.write(data)

    # Suggested queries: far-apart places (north KZ to south PK) and matrix origins/destinations.
    def pick(cc: str, key, n: int) -> list[str]:
        cand = [places[i] for i in road_members[cc] if places[i].kind in ("city", "junction")]
        cand.sort(key=key)
        return [p.id for p in cand[:n]]

    north = pick("KZ", lambda p: -p.lat, 1)
    south = pick("PK", lambda p: p.lat, 1)
    mrng = random.Random(seed + 1)
    cities = [p.id for p in places if p.kind == "city" and p.idx not in yard_set]
    matrix = mrng.sample(cities, min(100, len(cities)))
    meta = {
        "generator": "bench/gen_network.py",
        "seed": seed,
        "places_requested": n_places,
        "links_requested": n_links,
        "places": len(places),
        "links": link_count,
        "road_places": n_road_nodes,
        "rail_places": n_rail_nodes,
        "crossings": len(crossings),
        "terminals": len(term_lines),
        "seaports": sum(len(v) for v in seaports.values()),
        "gauge_change_posts": [places[i].id for i in gauge_change_posts],
        "status_counts": n_status,
        "bytes": total_bytes,
        "files": include,
        "route": [north[0], south[0]],
        "matrix_origins": matrix[:50],
        "matrix_destinations": matrix[50:100],
        "seconds": round(time.perf_counter() - t0, 2),
    }
    with open(os.path.join(out, "bench-meta.json"), "w") as fh:
        json.dump(meta, fh, indent=1)
    return meta


def check(folder: str) -> list[str]:
    """Independent sanity check of a generated network against the format rules that matter
    here (not a substitute for ``corridor validate``). Returns a list of problems."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(os.path.join(folder, "network.yaml")) as fh:
        man = yaml.load(fh, Loader=loader)
    data: dict[str, list] = {
        k: [] for k in ("places", "links", "crossings", "terminals", "sources")
    }
    for f in man["include"]:
        with open(os.path.join(folder, f)) as fh:
            doc = yaml.load(fh, Loader=loader)
        for k, v in doc.items():
            data[k].extend(v)
    probs: list[str] = []
    src = {s["id"] for s in data["sources"]}
    by_id: dict[str, dict] = {}
    folded: set[str] = set()
    for p in data["places"]:
        if p["id"].casefold() in folded:
            probs.append(f"duplicate place id {p['id']}")
        folded.add(p["id"].casefold())
        by_id[p["id"]] = p
        if p.get("source") not in src and not p.get("estimate"):
            probs.append(f"place {p['id']} without provenance")
    uf = UnionFind(len(data["places"]))
    index = {pid: i for i, pid in enumerate(by_id)}
    seen_links: set[tuple[str, str, str]] = set()
    for ln in data["links"]:
        a, b = by_id.get(ln["from"]), by_id.get(ln["to"])
        if a is None or b is None:
            probs.append(f"link {ln['from']}-{ln['to']}: unknown place")
            continue
        key = (min(ln["from"], ln["to"]), max(ln["from"], ln["to"]), ln["mode"])
        if key in seen_links:
            probs.append(f"duplicate link {key}")
        seen_links.add(key)
        if ln["mode"] != "sea" and a["country"] != b["country"]:
            probs.append(f"land link {key} leaves its country")
        if ln["mode"] == "rail" and not ln.get("gauge_mm"):
            probs.append(f"rail link {key} without gauge")
        gc = haversine_km(a["lat"], a["lon"], b["lat"], b["lon"])
        if not ln["distance_km"] > 0 or ln["distance_km"] < gc:
            probs.append(f"link {key}: {ln['distance_km']} km < great-circle {gc:.3f}")
        if ln.get("source") not in src and not ln.get("estimate"):
            probs.append(f"link {key} without provenance")
        if ln.get("status", "operational") == "operational":
            uf.union(index[ln["from"]], index[ln["to"]])
    for c in data["crossings"]:
        a, b = by_id.get(c["a"]), by_id.get(c["b"])
        if a is None or b is None or a["country"] == b["country"]:
            probs.append(f"crossing {c['id']}: bad ends")
            continue
        for d in ("a_to_b", "b_to_a"):
            if "hours" not in c[d]:
                probs.append(f"crossing {c['id']}: {d} without hours")
        uf.union(index[c["a"]], index[c["b"]])
    for t in data["terminals"]:
        if t["place"] not in by_id:
            probs.append(f"terminal at unknown place {t['place']}")
    roots = {uf.find(i) for i in range(len(by_id))}
    if len(roots) != 1:
        probs.append(f"{len(roots)} connected components over operational links and crossings")
    return probs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--places", type=int, default=100_000)
    ap.add_argument("--links", type=int, default=250_000)
    ap.add_argument("--out", required=True, help="output folder (created)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--check",
        action="store_true",
        help="after generating, re-read the files and check the format rules",
    )
    args = ap.parse_args(argv)
    if args.places < 200:
        ap.error("--places must be at least 200")
    meta = generate(args.places, args.links, args.seed, args.out)
    print(
        f"{args.out}: {meta['places']} places, {meta['links']} links, "
        f"{meta['crossings']} crossings, {meta['terminals']} terminals, "
        f"{meta['bytes'] / 1e6:.1f} MB in {len(meta['files'])} files, "
        f"{meta['seconds']} s",
        file=sys.stderr,
    )
    if args.check:
        probs = check(args.out)
        for p in probs[:50]:
            print(f"check: {p}", file=sys.stderr)
        print(f"check: {len(probs)} problem(s)", file=sys.stderr)
        return 1 if probs else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
