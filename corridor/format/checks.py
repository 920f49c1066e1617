"""Semantic checks of a loaded network: ids, references, geography, topology, provenance.

Each check is a function ``(network, ctx) -> None`` that appends problems; :func:`run_checks`
runs them all. Field types and ranges were already checked while building the records.
Pure Python: no networkx, so ``corridor validate`` starts fast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from corridor.engine.geo import great_circle_km
from corridor.format.build import Index
from corridor.format.problems import Problem, problem
from corridor.model import LAND_MODES, Crossing, Figure, Link, Network, Place, Transfer
from corridor.textutil import Suggester, clip

__all__ = ["run_checks", "CHECKS", "GC_TOLERANCE", "LONG_FACTOR"]

#: A declared distance may be this much below the great-circle distance (coordinates are
#: often rounded to 0.01 degree, about 1 km) before it is an error: 1 km + 1 %.
GC_TOLERANCE = (1.0, 0.01)
#: A distance more than this many times the great-circle one (and 50 km more) is suspect.
LONG_FACTOR = {"road": 3.0, "rail": 3.0, "sea": 4.0}


class Ctx:
    def __init__(self, network: Network, index: Index) -> None:
        self.index = index
        self.problems: list[Problem] = []
        self.places: dict[str, Place] = {}
        for p in network.places:
            self.places.setdefault(p.id, p)
        #: place id -> mode -> gauges of the links there (used by two checks).
        self.served = _served(network)
        self._suggest: dict[str, Suggester] = {}
        self._network = network

    def suggest(self, what: str, word: str) -> str:
        """``"; did you mean 'X'?"`` for an unknown place or source id, or ``""``. One
        :class:`Suggester` per kind, so thousands of unknown ids stay cheap."""
        sug = self._suggest.get(what)
        if sug is None:
            ids = (self.places if what == "place"
                   else [p.id for p in self._network.projects] if what == "project"
                   else [s.id for s in self._network.sources])
            sug = self._suggest[what] = Suggester(ids)
        hits = sug(word, n=1)
        return f"; did you mean '{hits[0]}'?" if hits else ""

    def add(self, code: str, message: str, record: object, field: str | None = None) -> None:
        file, line, col, path = self.index.locate(record, field)
        self.problems.append(problem(code, message, file, line, col, path))


def _duplicates(ids: Iterable[tuple[str, object]], what: str, ctx: Ctx) -> None:
    first: dict[str, object] = {}
    folded: dict[str, str] = {}
    for ident, record in ids:
        if ident in first:
            f, line, _, _ = ctx.index.locate(first[ident], "id")
            ctx.add("E201", f"duplicate {what} id '{clip(ident)}' (first at {f}:{line})",
                    record, "id")
            continue
        first[ident] = record
        low = ident.casefold()
        if low in folded and folded[low] != ident:
            ctx.add("E202", f"{what} id '{clip(ident)}' differs only in case from "
                    f"'{clip(folded[low])}'", record, "id")
        folded.setdefault(low, ident)


def check_not_empty(net: Network, ctx: Ctx) -> None:
    """A network without places answers nothing: an error, at the manifest."""
    if not net.places:
        ctx.problems.append(problem(
            "E310", "the network has no places; check that its include patterns name the "
            "files that hold them", net.manifest or "", 1, 1))


def check_ids(net: Network, ctx: Ctx) -> None:
    _duplicates(((p.id, p) for p in net.places), "place", ctx)
    _duplicates(((lk.id, lk) for lk in net.links), "link", ctx)
    _duplicates(((c.id, c) for c in net.crossings), "crossing", ctx)
    _duplicates(((s.id, s) for s in net.sources), "source", ctx)
    _duplicates(((p.id, p) for p in net.projects), "project", ctx)
    seen: dict[str, object] = {}
    for t in net.terminals:
        if t.place in seen:
            f, line, _, _ = ctx.index.locate(seen[t.place])
            ctx.add("E201", f"second terminal entry for place '{t.place}' (first at "
                    f"{f}:{line}); merge them", t, "place")
        seen.setdefault(t.place, t)


def _ref(ctx: Ctx, ident: str, record: object, field: str) -> Place | None:
    place = ctx.places.get(ident)
    if place is None:
        ctx.add("E203", f"unknown place '{clip(ident)}'{ctx.suggest('place', ident)}",
                record, field)
    return place


def check_projects(net: Network, ctx: Ctx) -> None:
    """Every ``project:`` of a link or crossing names a declared project."""
    known = {p.id for p in net.projects}
    records: tuple[Link | Crossing, ...] = (*net.links, *net.crossings)
    for record in records:
        pid = record.project
        if pid is not None and pid not in known:
            ctx.add("E207", f"unknown project '{clip(pid)}'{ctx.suggest('project', pid)}",
                    record, "project")


def check_links(net: Network, ctx: Ctx) -> None:
    tol_km, tol_share = GC_TOLERANCE
    modes = net.defaults.modes
    for lk in net.links:
        a = _ref(ctx, lk.from_id, lk, "from")
        b = _ref(ctx, lk.to_id, lk, "to")
        if lk.from_id == lk.to_id:
            ctx.add("E204", f"link '{lk.id}' joins '{lk.from_id}' to itself", lk, "to")
            continue
        if lk.mode == "rail" and lk.gauge_mm is None:
            ctx.add("E206", f"rail link '{lk.id}' needs gauge_mm (1435, 1520, 1676, ...)", lk)
        elif lk.mode != "rail" and lk.gauge_mm is not None:
            ctx.add("E206", f"gauge_mm is for rail links; this is a {lk.mode} link", lk,
                    "gauge_mm")
        if lk.mode not in modes and (
            (lk.hours is None and lk.speed_kmh is None)
            or (lk.cost_usd is None and lk.cost_usd_per_teu_km is None)
            or lk.co2_kg_per_teu_km is None
        ):
            ctx.add("E102", f"{lk.mode} link '{lk.id}' relies on defaults, but "
                    f"defaults.modes has no '{lk.mode}'", lk, "mode")
        if a is None or b is None:
            continue
        if lk.mode in LAND_MODES and a.country != b.country:
            ctx.add("E303", f"{lk.mode} link '{lk.id}' joins {a.country} and {b.country}; "
                    "land links cross borders only through a declared crossing", lk)
        gc = great_circle_km(a.lat, a.lon, b.lat, b.lon)
        if lk.distance_km < gc * (1 - tol_share) - tol_km:
            ctx.add("E301", f"distance_km {lk.distance_km:g} is shorter than the great-circle "
                    f"distance {gc:.0f} km between {a.id} and {b.id}", lk, "distance_km")
        elif lk.distance_km > gc * LONG_FACTOR[lk.mode] and lk.distance_km - gc > 50:
            times = f"{lk.distance_km / gc:.1f} times" if gc > 0 else "far more than"
            ctx.add("W302", f"distance_km {lk.distance_km:g} is {times} "
                    f"the great-circle distance {gc:.0f} km between {a.id} and {b.id}",
                    lk, "distance_km")


def check_crossings(net: Network, ctx: Ctx) -> None:
    for c in net.crossings:
        a = _ref(ctx, c.a, c, "a")
        b = _ref(ctx, c.b, c, "b")
        if c.a == c.b:
            ctx.add("E204", f"crossing '{c.id}' joins '{c.a}' to itself", c, "b")
        elif a is not None and b is not None and a.country == b.country:
            ctx.add("E305", f"crossing '{c.id}' joins two places in {a.country}; a crossing "
                    "joins two countries (use a link inside one)", c)


def _served(net: Network) -> dict[str, dict[str, set[int | None]]]:
    """place id -> mode -> gauges (None for non-rail) of the links and crossings there."""
    served: dict[str, dict[str, set[int | None]]] = defaultdict(lambda: defaultdict(set))
    for lk in net.links:
        for end in (lk.from_id, lk.to_id):
            served[end][lk.mode].add(lk.gauge_mm if lk.mode == "rail" else None)
    return served


def _same_gauge(tr: Transfer) -> bool:
    """A rail-to-rail "gauge change" between one gauge and itself."""
    return (tr.from_mode == "rail" and tr.to_mode == "rail"
            and tr.from_gauge_mm is not None and tr.from_gauge_mm == tr.to_gauge_mm)


def check_terminals(net: Network, ctx: Ctx) -> None:
    served = ctx.served
    for t in net.terminals:
        if _ref(ctx, t.place, t, "place") is None:
            continue
        here = served.get(t.place, {})
        for tr in t.transfers:
            if "sea" in (tr.from_mode, tr.to_mode):
                ctx.add("E306", "changes to or from sea happen through the port's handling, "
                        "not a transfer", tr, "to")
                continue
            if tr.from_mode == tr.to_mode and tr.from_mode != "rail":
                ctx.add("E306", f"a transfer from {tr.from_mode} to {tr.to_mode} changes "
                        "nothing", tr, "to")
                continue
            if _same_gauge(tr):
                ctx.add("E306", f"a gauge change from {tr.from_gauge_mm} mm to "
                        f"{tr.to_gauge_mm} mm changes nothing", tr, "to_gauge_mm")
                continue
            for side, mode, gauge in (("from", tr.from_mode, tr.from_gauge_mm),
                                      ("to", tr.to_mode, tr.to_gauge_mm)):
                if gauge is not None and mode != "rail":
                    ctx.add("E206", f"{side}_gauge_mm is for rail; this side is {mode}", tr,
                            f"{side}_gauge_mm")
                elif mode not in here:
                    ctx.add("E306", f"transfer {side} {mode} at '{t.place}', but no {mode} "
                            "link serves it", tr, side)
                elif gauge is not None and gauge not in here[mode]:
                    ctx.add("E306", f"transfer {side} rail {gauge} mm at '{t.place}', but no "
                            f"{gauge} mm line serves it", tr, f"{side}_gauge_mm")
        if t.handling is not None and "sea" not in here:
            ctx.add("E306", f"port handling at '{t.place}', but no sea link serves it", t,
                    "handling")
    handled = {t.place for t in net.terminals if t.handling is not None}
    reported: set[str] = set()
    for lk in net.links:
        if lk.mode != "sea":
            continue
        for end, field in ((lk.from_id, "from"), (lk.to_id, "to")):
            if end in ctx.places and end not in handled and end not in reported:
                reported.add(end)
                ctx.add("E306", f"sea link ends at '{end}', which has no port handling; add a "
                        "terminal with handling there", lk, field)


def check_gauges(net: Network, ctx: Ctx) -> None:
    served = ctx.served
    changes: dict[str, list[tuple[int | None, int | None]]] = defaultdict(list)
    for t in net.terminals:
        for tr in t.transfers:
            if tr.from_mode == "rail" and tr.to_mode == "rail" and not _same_gauge(tr):
                changes[t.place].append((tr.from_gauge_mm, tr.to_gauge_mm))
    for pid, modes in served.items():
        gauges = sorted(g for g in modes.get("rail", ()) if g is not None)
        if len(gauges) < 2 or pid not in ctx.places:
            continue
        if not changes.get(pid):
            place = ctx.places[pid]
            ctx.add("E304", f"rail lines of {', '.join(f'{g} mm' for g in gauges)} meet at "
                    f"'{pid}', but no gauge-change transfer is declared there", place)
    for c in net.crossings:
        if "rail" not in c.modes:
            continue
        ga = {g for g in served.get(c.a, {}).get("rail", ()) if g is not None}
        gb = {g for g in served.get(c.b, {}).get("rail", ()) if g is not None}
        if not ga or not gb:
            missing = c.a if not ga else c.b
            if missing in ctx.places:
                ctx.add("E306", f"rail crossing '{c.id}', but no rail line serves "
                        f"'{missing}'", c, "modes")
        elif not ga & gb:
            ctx.add("E304", f"rail crossing '{c.id}' joins {'/'.join(map(str, sorted(ga)))} mm "
                    f"at '{c.a}' to {'/'.join(map(str, sorted(gb)))} mm at '{c.b}'; a gauge "
                    "change needs a transfer at a place served by both gauges", c, "modes")


def check_default_blocks(net: Network, ctx: Ctx) -> None:
    """W320: a transfer, gauge change or port whose time or cost would silently be 0 because
    neither the record nor its default block (``defaults.transfer``, ``gauge_change``,
    ``handling``) gives it. One warning per default block, at the first record that needs it."""
    d = net.defaults
    need: dict[str, object] = {}
    for t in net.terminals:
        for tr in t.transfers:
            block = "gauge_change" if tr.from_mode == tr.to_mode else "transfer"
            fb = getattr(d, block)
            for f in ("hours", "cost_usd"):
                if getattr(tr, f) is None and getattr(fb, f) is None:
                    need.setdefault(f"{block}.{f}", tr)
        if t.handling is not None:
            for f in ("hours", "cost_usd"):
                if getattr(t.handling, f) is None and getattr(d.handling, f) is None:
                    need.setdefault(f"handling.{f}", t.handling)
    for what, record in need.items():
        block, field = what.split(".")
        ctx.add("W320", f"'{field}' is given neither here nor in defaults.{block}: it counts "
                f"as 0; give defaults.{block}.{field} (or the figure on the record)", record)


class _DSU:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def check_connectivity(net: Network, ctx: Ctx) -> None:
    """Warn about places nothing reaches, and seaports cut off from their hinterland.

    Status is ignored here (a planned link still connects a place in the data); closed
    links do not count."""
    everything = _DSU()
    land = _DSU()
    incoming: set[str] = set()
    for lk in net.links:
        if lk.status == "closed" or lk.from_id == lk.to_id:
            continue
        everything.union(lk.from_id, lk.to_id)
        incoming.add(lk.to_id)
        if not lk.oneway:
            incoming.add(lk.from_id)
        if lk.mode in LAND_MODES:
            land.union(lk.from_id, lk.to_id)
    for c in net.crossings:
        if c.status == "closed":
            continue
        everything.union(c.a, c.b)
        land.union(c.a, c.b)
        incoming.update((c.a, c.b))
    sizes: dict[str, int] = defaultdict(int)
    for pid in ctx.places:
        sizes[everything.find(pid)] += 1
    main = max(sorted(sizes), key=lambda r: sizes[r]) if sizes else None
    for pid, place in ctx.places.items():
        if pid not in incoming:
            ctx.add("W307", f"nothing reaches '{pid}': no open link or crossing ends there",
                    place)
        elif everything.find(pid) != main:
            ctx.add("W307", f"'{pid}' is cut off from the main network (it is in a group of "
                    f"{sizes[everything.find(pid)]} places)", place)
    inland_by_country: dict[str, set[str]] = defaultdict(set)
    for pid, place in ctx.places.items():
        if place.kind != "seaport":
            inland_by_country[place.country].add(land.find(pid))
    for pid, place in ctx.places.items():
        if place.kind != "seaport" or not inland_by_country.get(place.country):
            continue
        if land.find(pid) not in inland_by_country[place.country]:
            ctx.add("W308", f"seaport '{pid}' has no road or rail path to any inland place of "
                    f"{place.country}", place)


def _cites(fig: Figure) -> bool:
    return bool(fig.source) or bool(fig.estimate)


def check_provenance(net: Network, ctx: Ctx) -> None:
    known = {s.id for s in net.sources}

    def cited(fig: Figure, record: object, what: str, has_figures: bool = True) -> None:
        for sid in fig.source:
            if sid not in known:
                ctx.add("E205", f"unknown source '{clip(sid)}'{ctx.suggest('source', sid)}",
                        record, "source")
        if has_figures and not _cites(fig):
            ctx.add("W401", f"{what} has figures but neither a source nor an estimate", record)

    for p in net.places:
        cited(p.provenance, p, f"place '{p.id}'")
    for pr in net.projects:
        cited(pr.provenance, pr, f"project '{pr.id}'", has_figures=False)
    for lk in net.links:
        cited(lk.provenance, lk, f"link '{lk.id}'")
    for c in net.crossings:
        cited(c.provenance, c, f"crossing '{c.id}'", has_figures=False)
        for d in (c.a_to_b, c.b_to_a):
            cited(d.provenance, d, f"crossing '{c.id}'")
    records: tuple[Link | Crossing, ...] = (*net.links, *net.crossings)
    for rec in records:
        for cl in rec.closures:
            cited(cl.provenance, cl, f"a closure of '{rec.id}'")
    for t in net.terminals:
        for tr in t.transfers:
            cited(tr.provenance, tr, f"transfer at '{t.place}'",
                  tr.hours is not None or tr.cost_usd is not None)
        for label, h in (("handling", t.handling), ("rail terminal", t.rail_terminal)):
            if h is not None:
                cited(h.provenance, h, f"{label} at '{t.place}'", _has_terminal_figures(h))
    defaults = net.defaults
    for mode, md in sorted(defaults.modes.items()):
        cited(md.provenance, md, f"defaults for {mode}")
        for cc, cd in sorted(md.by_country.items()):
            cited(cd.provenance, cd, f"defaults for {mode} in {cc}")
    for name in ("transfer", "gauge_change", "handling", "rail_terminal"):
        h = getattr(defaults, name)
        if h.loc is not None:
            cited(h.provenance, h, f"defaults.{name}", _has_terminal_figures(h))
    if defaults.variability.loc is not None:
        cited(defaults.variability.provenance, defaults.variability, "defaults.variability")


def _has_terminal_figures(h: object) -> bool:
    return any(getattr(h, f, None) is not None for f in (
        "hours", "cost_usd", "import_hours", "export_hours", "wait_hours", "hours_high",
        "wait_hours_high"))


CHECKS: tuple[Callable[[Network, Ctx], None], ...] = (
    check_not_empty,
    check_ids,
    check_projects,
    check_links,
    check_crossings,
    check_terminals,
    check_gauges,
    check_connectivity,
    check_provenance,
    check_default_blocks,
)


def run_checks(network: Network, index: Index) -> list[Problem]:
    """Run every check; return the problems found (unsorted)."""
    ctx = Ctx(network, index)
    for check in CHECKS:
        check(network, ctx)
    return ctx.problems
