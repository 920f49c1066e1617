"""Find places and summarize a network: what ``corridor nodes`` and ``corridor info`` show.

>>> [p.id for p in find_places(network, "karach")]        # doctest: +SKIP
>>> summarize(network).links_by_mode                      # doctest: +SKIP

Pure Python over the model: nothing here builds the routing graph or imports networkx, so
both commands start as fast as ``validate``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from corridor.engine import costs
from corridor.engine.places import parse_kind
from corridor.engine.planned import project_records
from corridor.errors import UnknownPlaceError, UsageError
from corridor.model import PLACE_KINDS, STATUSES, Figure, Handling, Network, Place, Source
from corridor.textutil import did_you_mean, fold, printable

__all__ = [
    "find_places",
    "PlaceSearch",
    "search_places",
    "CrossingInfo",
    "SeaportInfo",
    "PlannedRecord",
    "ProjectInfo",
    "FIGURE_KINDS",
    "PROVENANCE_CLASSES",
    "FigureRef",
    "ProvenanceCount",
    "classify",
    "figure_provenance",
    "provenance_counts",
    "NetworkInfo",
    "summarize",
]

Counts = tuple[tuple[str, int], ...]


# --------------------------------------------------------------------------- nodes


def _match_rank(p: Place, q: str, compact: str) -> int | None:
    """0 exact id/name/alias, 1 prefix, 2 substring, None no match (all folded)."""
    keys = [fold(p.id), fold(p.name), *(fold(a) for a in p.aliases)]
    if q in keys or compact == keys[0]:
        return 0
    if any(k.startswith(q) for k in keys) or keys[0].startswith(compact):
        return 1
    if any(q in k for k in keys) or compact in keys[0]:
        return 2
    return None


def find_places(
    network: Network,
    query: str | None = None,
    *,
    country: str | None = None,
    kind: str | None = None,
) -> list[Place]:
    """Places whose id, name or an alias contains ``query`` (ignoring case and diacritics;
    ``PK KHI`` finds ``PKKHI``), in ``country`` (ISO alpha-2, any case) and of ``kind``.

    Without a query every place matches. Sorted by how well they match (exact, then prefix,
    then substring), then id.

    Raises UsageError for an unknown kind or a country that is not two letters, and
    UnknownPlaceError (with the closest names) when nothing matches.
    """
    if kind is not None:
        kind = parse_kind(kind)
    cc = None
    if country is not None:
        cc = country.strip().upper()
        if len(cc) != 2 or not cc.isalpha() or not cc.isascii():
            raise UsageError(f"country {printable(country)!r} is not an ISO 3166 alpha-2 code "
                             "(two letters, e.g. PK)")
    q = fold(query) if query is not None else ""
    compact = q.replace(" ", "")
    hits: list[tuple[int, str, Place]] = []
    for p in network.places:
        if cc is not None and p.country != cc:
            continue
        if kind is not None and p.kind != kind:
            continue
        rank = _match_rank(p, q, compact) if q else 0
        if rank is not None:
            hits.append((rank, p.id, p))
    hits.sort(key=lambda h: (h[0], h[1]))
    if hits:
        return [h[2] for h in hits]
    what = []
    if query is not None:
        what.append(f"matches {printable(query)!r}")
    if cc is not None:
        what.append(f"is in {cc}")
    if kind is not None:
        what.append(f"is a {kind}")
    msg = "no place " + " and ".join(what) if what else "the network has no places"
    cands: list[str] = []
    if query is not None:
        words = [p.id for p in network.places] + [p.name for p in network.places]
        words += [a for p in network.places for a in p.aliases]
        cands = did_you_mean(query, words, n=3, cutoff=0.6)
    if cc is not None and cc not in {p.country for p in network.places}:
        msg += "; countries in this network: " + ", ".join(
            sorted({p.country for p in network.places}))
    if cands:
        msg += "; did you mean: " + ", ".join(printable(c) for c in cands) + "?"
    raise UnknownPlaceError(msg, query or "", cands)


@dataclass(frozen=True, slots=True)
class PlaceSearch:
    """The answer of ``corridor nodes``: the filters as given and the places found, with
    the network they come from."""

    query: str | None
    country: str | None
    kind: str | None
    places: tuple[Place, ...]
    network: str
    content_hash: str
    #: The manifest the network was read from, as shown to the user ("" if not from files).
    manifest: str = ""


def search_places(
    network: Network,
    query: str | None = None,
    *,
    country: str | None = None,
    kind: str | None = None,
) -> PlaceSearch:
    """:func:`find_places` with the filters and the network's name and hash kept for the
    record (same errors)."""
    found = find_places(network, query, country=country, kind=kind)
    return PlaceSearch(query=query, country=country.strip().upper() if country else None,
                       kind=kind, places=tuple(found), network=network.name,
                       content_hash=network.content_hash, manifest=network.manifest)


# --------------------------------------------------------------------------- info


@dataclass(frozen=True, slots=True)
class CrossingInfo:
    """A border crossing: its posts ``a`` and ``b`` and their countries, modes, status,
    dwell hours and fees (USD per TEU) in each direction."""

    id: str
    name: str
    a: str
    b: str
    a_country: str
    b_country: str
    modes: tuple[str, ...]
    status: str
    a_to_b_hours: float
    a_to_b_cost_usd: float
    b_to_a_hours: float
    b_to_a_cost_usd: float


@dataclass(frozen=True, slots=True)
class SeaportInfo:
    """A seaport: handling per TEU (its own or the network default; ``None`` when it has no
    handling, i.e. cargo cannot move between land and sea there) and its sea links."""

    id: str
    name: str
    country: str
    handling_hours: float | None
    handling_cost_usd: float | None
    sea_links: int


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    """A project of the network (``projects:``) and the ids of the links and crossings
    that name it, in file order."""

    id: str
    name: str
    description: str | None
    status: str | None
    records: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlannedRecord:
    """A planned or under-construction link or crossing (``kind`` ``link`` or
    ``crossing``), with its project and the note and sources the data gives."""

    kind: str
    id: str
    name: str | None
    from_id: str
    to_id: str
    countries: tuple[str, ...]
    modes: tuple[str, ...]
    status: str
    distance_km: float | None
    gauge_mm: int | None
    note: str | None
    sources: tuple[str, ...]
    project: str | None = None


# --------------------------------------------------------------------------- provenance

#: Kinds of figure counted by :func:`provenance_counts` (coordinates are not counted).
FIGURE_KINDS: tuple[str, ...] = ("distance", "speed", "rate", "dwell", "fee", "handling")
#: How a figure is known, from best to worst.
PROVENANCE_CLASSES: tuple[str, ...] = ("sourced", "derived", "estimated", "missing")


@dataclass(frozen=True, slots=True)
class FigureRef:
    """One figure of the network: its ``kind`` (one of :data:`FIGURE_KINDS`), the record it
    belongs to (``record``, e.g. ``link PKKHI-AEJEA-sea`` or ``crossing TORKHAM a_to_b``) and
    how it is known (``provenance``, one of :data:`PROVENANCE_CLASSES`)."""

    kind: str
    record: str
    provenance: str


@dataclass(frozen=True, slots=True)
class ProvenanceCount:
    """How many figures of one kind are sourced, derived, estimated or have no provenance."""

    kind: str
    sourced: int
    derived: int
    estimated: int
    missing: int

    @property
    def total(self) -> int:
        return self.sourced + self.derived + self.estimated + self.missing


def classify(fig: Figure) -> str:
    """How a figure with provenance ``fig`` is known (docs/network-format.md, "How a
    figure is known"):

    - ``missing``: neither a source nor an estimate;
    - ``estimated``: no source, or an estimate that begins with ``assumption``;
    - ``derived``: a source and an estimate that begins with ``derived:`` (computed from
      sourced figures, e.g. a total less its other sections);
    - ``sourced``: a source, and no estimate or one that says where in the source the
      figure stands (table, page).
    The prefixes are matched ignoring case and leading spaces."""
    est = (fig.estimate or "").lstrip().lower()
    if not fig.source:
        return "estimated" if fig.estimate else "missing"
    if est.startswith("derived:"):
        return "derived"
    if est.startswith("assumption"):
        return "estimated"
    return "sourced"


def figure_provenance(network: Network) -> list[FigureRef]:
    """Every figure of ``network`` with how it is known, in file order of the records:
    link distances (and a link's own speed or hours, rate or cost), the mode defaults'
    speeds and rates (network-wide and by country), crossing dwell hours and fees per
    direction, and handling figures (port handling, transfers with their own hours or
    cost, and the transfer, gauge-change and handling defaults). Coordinates and CO2
    factors are not counted. A record's provenance covers all of its figures."""
    out: list[FigureRef] = []
    d = network.defaults
    for mode, md in d.modes.items():
        cls = classify(md.provenance)
        out.append(FigureRef("speed", f"defaults {mode}", cls))
        out.append(FigureRef("rate", f"defaults {mode}", cls))
        for cc, cd in md.by_country.items():
            ccls = classify(cd.provenance)
            if cd.speed_kmh is not None:
                out.append(FigureRef("speed", f"defaults {mode} {cc}", ccls))
            if cd.cost_usd_per_teu_km is not None:
                out.append(FigureRef("rate", f"defaults {mode} {cc}", ccls))

    def handling(h: Handling | None, what: str) -> None:
        if h is not None and (h.hours is not None or h.cost_usd is not None):
            out.append(FigureRef("handling", what, classify(h.provenance)))

    handling(d.transfer, "defaults transfer")
    handling(d.gauge_change, "defaults gauge_change")
    handling(d.handling, "defaults handling")
    for lk in network.links:
        cls = classify(lk.provenance)
        out.append(FigureRef("distance", f"link {lk.id}", cls))
        if lk.speed_kmh is not None or lk.hours is not None:
            out.append(FigureRef("speed", f"link {lk.id}", cls))
        if lk.cost_usd is not None or lk.cost_usd_per_teu_km is not None:
            out.append(FigureRef("rate", f"link {lk.id}", cls))
    for c in network.crossings:
        for name, dr in (("a_to_b", c.a_to_b), ("b_to_a", c.b_to_a)):
            cls = classify(dr.provenance)
            out.append(FigureRef("dwell", f"crossing {c.id} {name}", cls))
            out.append(FigureRef("fee", f"crossing {c.id} {name}", cls))
    for t in network.terminals:
        handling(t.handling, f"terminal {t.place} handling")
        for i, tr in enumerate(t.transfers):
            if tr.hours is not None or tr.cost_usd is not None:
                out.append(FigureRef("handling", f"terminal {t.place} transfers[{i}]",
                                     classify(tr.provenance)))
    return out


def provenance_counts(network: Network) -> tuple[ProvenanceCount, ...]:
    """Per kind of figure (:data:`FIGURE_KINDS`, in that order), how many are sourced,
    derived, estimated or missing, as :func:`figure_provenance` classifies them."""
    c: Counter[tuple[str, str]] = Counter(
        (f.kind, f.provenance) for f in figure_provenance(network))
    return tuple(ProvenanceCount(k, c[k, "sourced"], c[k, "derived"], c[k, "estimated"],
                                 c[k, "missing"]) for k in FIGURE_KINDS)


@dataclass(frozen=True, slots=True)
class NetworkInfo:
    """A summary of a network: counts (as sorted ``(key, count)`` pairs), crossings,
    seaports, projects, planned records, sources, how its figures are known, format version
    and content hash."""

    name: str
    title: str | None
    description: str | None
    format_version: int
    currency: str
    price_year: int
    manifest: str
    files: tuple[str, ...]
    content_hash: str
    places: int
    links: int
    crossings: int
    terminals: int
    countries: tuple[str, ...]
    places_by_country: Counts
    places_by_kind: Counts
    links_by_mode: Counts
    links_by_status: Counts
    link_km_by_mode: tuple[tuple[str, float], ...]
    crossings_by_status: Counts
    crossing_list: tuple[CrossingInfo, ...]
    seaports: tuple[SeaportInfo, ...]
    projects: tuple[ProjectInfo, ...]
    planned: tuple[PlannedRecord, ...]
    sources: tuple[Source, ...]
    #: Per kind of figure, how many are sourced, derived, estimated (see
    #: :func:`provenance_counts`).
    figures: tuple[ProvenanceCount, ...] = ()


def _counts(c: Counter[str], order: tuple[str, ...] = ()) -> Counts:
    """Known keys in their canonical order, then others alphabetically."""
    known = [(k, c[k]) for k in order if c.get(k)]
    rest = sorted((k, n) for k, n in c.items() if k not in order)
    return tuple(known + rest)


def summarize(network: Network) -> NetworkInfo:
    """Summarize ``network``: counts by mode, status, country and kind; the crossings; the
    seaports with their handling; the projects with their records; planned and
    under-construction links and crossings with their notes; the sources. Never raises
    for a loaded network."""
    from corridor.model import MODES

    country = {p.id: p.country for p in network.places}
    km: dict[str, float] = {}
    for lk in network.links:
        km[lk.mode] = km.get(lk.mode, 0.0) + float(lk.distance_km)
    crossings = tuple(
        CrossingInfo(
            id=c.id, name=c.name, a=c.a, b=c.b, a_country=country.get(c.a, ""),
            b_country=country.get(c.b, ""), modes=tuple(c.modes), status=c.status,
            a_to_b_hours=float(c.a_to_b.hours), a_to_b_cost_usd=float(c.a_to_b.cost_usd or 0.0),
            b_to_a_hours=float(c.b_to_a.hours), b_to_a_cost_usd=float(c.b_to_a.cost_usd or 0.0),
        )
        for c in sorted(network.crossings, key=lambda c: c.id)
    )
    handling = {t.place: t.handling for t in network.terminals if t.handling is not None}
    sea_links = Counter[str]()
    for lk in network.links:
        if lk.mode == "sea" and lk.status != "closed":
            sea_links[lk.from_id] += 1
            sea_links[lk.to_id] += 1
    seaports = []
    for p in sorted(network.places, key=lambda p: p.id):
        if p.kind != "seaport":
            continue
        h = handling.get(p.id)
        fig = costs.handling_figures(h, network.defaults) if h is not None else None
        seaports.append(SeaportInfo(
            id=p.id, name=p.name, country=p.country,
            handling_hours=fig.hours if fig else None,
            handling_cost_usd=fig.cost_usd if fig else None,
            sea_links=sea_links.get(p.id, 0)))
    pending = ("planned", "under_construction")
    projects: list[PlannedRecord] = []
    for lk in network.links:
        if lk.status in pending:
            cs = tuple(dict.fromkeys(country.get(x, "") for x in (lk.from_id, lk.to_id)))
            projects.append(PlannedRecord(
                kind="link", id=lk.id, name=lk.name, from_id=lk.from_id, to_id=lk.to_id,
                countries=cs, modes=(lk.mode,), status=lk.status,
                distance_km=float(lk.distance_km), gauge_mm=lk.gauge_mm,
                note=lk.provenance.note, sources=tuple(lk.provenance.source),
                project=lk.project))
    for c in network.crossings:
        if c.status in pending:
            cs = tuple(dict.fromkeys(country.get(x, "") for x in (c.a, c.b)))
            projects.append(PlannedRecord(
                kind="crossing", id=c.id, name=c.name, from_id=c.a, to_id=c.b, countries=cs,
                modes=tuple(c.modes), status=c.status, distance_km=float(c.distance_km),
                gauge_mm=None, note=c.provenance.note, sources=tuple(c.provenance.source),
                project=c.project))
    projects.sort(key=lambda p: (STATUSES.index(p.status), p.kind, p.id))
    records = project_records(network)
    return NetworkInfo(
        name=network.name,
        title=network.title,
        description=network.description,
        format_version=network.format_version,
        currency=network.currency,
        price_year=network.price_year,
        manifest=network.manifest,
        files=tuple(network.files),
        content_hash=network.content_hash,
        places=len(network.places),
        links=len(network.links),
        crossings=len(network.crossings),
        terminals=len(network.terminals),
        countries=tuple(sorted(set(country.values()))),
        places_by_country=_counts(Counter(p.country for p in network.places)),
        places_by_kind=_counts(Counter(p.kind for p in network.places), PLACE_KINDS),
        links_by_mode=_counts(Counter(lk.mode for lk in network.links), MODES),
        links_by_status=_counts(Counter(lk.status for lk in network.links), STATUSES),
        link_km_by_mode=tuple((m, km[m]) for m in [*MODES, *sorted(set(km) - set(MODES))]
                              if m in km),
        crossings_by_status=_counts(Counter(c.status for c in network.crossings), STATUSES),
        crossing_list=crossings,
        seaports=tuple(seaports),
        projects=tuple(
            ProjectInfo(id=p.id, name=p.name, description=p.description, status=p.status,
                        records=records.get(p.id, ()), sources=tuple(p.provenance.source))
            for p in sorted(network.projects, key=lambda p: p.id)),
        planned=tuple(projects),
        sources=tuple(sorted(network.sources, key=lambda s: s.id)),
        figures=provenance_counts(network),
    )
