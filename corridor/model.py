"""The network model: frozen records for places, links, crossings, terminals and sources.

Units live in field names (``distance_km``, ``hours``, ``cost_usd``, ``co2_kg``).
Every entity keeps ``loc``, the file, line and column (1-based) where it was written, so
that any later check or routing error can point back at the YAML a user wrote.

This module imports nothing heavy: it is loaded by ``corridor validate`` and ``--help``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "MODES",
    "LAND_MODES",
    "PLACE_KINDS",
    "STATUSES",
    "Loc",
    "Figure",
    "Source",
    "Project",
    "Closure",
    "ScenarioRef",
    "Place",
    "Link",
    "Direction",
    "Crossing",
    "Transfer",
    "Handling",
    "Terminal",
    "CountryDefaults",
    "ModeDefaults",
    "Variability",
    "Defaults",
    "Network",
]

#: Transport modes. ``sea`` links may join countries directly; land modes must cross
#: borders through a declared crossing.
MODES: tuple[str, ...] = ("road", "rail", "sea")
LAND_MODES: frozenset[str] = frozenset({"road", "rail"})

#: What a place is. ``seaport`` places are where land modes meet ``sea``.
PLACE_KINDS: tuple[str, ...] = (
    "city",
    "junction",
    "station",
    "border_post",
    "dry_port",
    "seaport",
    "river_port",
)

#: Lifecycle of links and crossings. Only ``operational`` is used by default;
#: ``planned`` and ``under_construction`` need ``--include-planned``; ``closed`` never.
STATUSES: tuple[str, ...] = ("operational", "under_construction", "planned", "closed")



def _reduce(self: object) -> tuple[type, tuple[object, ...]]:
    """Pickle a record as its constructor call. The default for frozen slotted dataclasses
    (``dataclasses._dataclass_setstate``) looks the fields up again for every object, which
    made loading a cached 10^5-place network twice as slow."""
    return (type(self), tuple(getattr(self, name) for name in self.__slots__))  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Loc:
    __reduce__ = _reduce

    """A position in a network file: ``file`` as given, ``line`` and ``col`` 1-based."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Figure:
    __reduce__ = _reduce

    """Provenance shared by every record that carries numbers.

    ``source`` lists ids from the network's ``sources``; ``estimate`` says how a figure was
    estimated when no source gives it. A record with figures needs at least one of them.
    """

    source: tuple[str, ...] = ()
    estimate: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    __reduce__ = _reduce

    id: str
    title: str
    publisher: str | None = None
    year: int | None = None
    url: str | None = None
    accessed: str | None = None
    note: str | None = None
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Project:
    __reduce__ = _reduce

    """A named project that planned or under-construction links and crossings belong to
    (e.g. the Trans-Afghan railway). ``status`` is the project's own, for people; routing
    reads each record's status."""

    id: str
    name: str
    description: str | None = None
    status: str | None = None
    provenance: Figure = Figure()
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Closure:
    __reduce__ = _reduce

    """A period when a link or crossing cannot be used.

    Either recurring ``months`` of every year (1-12), or a date range ``from_date`` ..
    ``to_date``, both inclusive; ``to_date`` None means open-ended.
    """

    reason: str
    months: tuple[int, ...] = ()
    from_date: date | None = None
    to_date: date | None = None
    provenance: Figure = Figure()
    loc: Loc | None = field(default=None, compare=False)

    def in_force(self, day: date) -> bool:
        """Whether the record is closed on ``day``."""
        if self.months:
            return day.month in self.months
        if self.from_date is None or day < self.from_date:
            return False
        return self.to_date is None or day <= self.to_date


@dataclass(frozen=True, slots=True)
class ScenarioRef:
    __reduce__ = _reduce

    """A scenario applied to a network: its ``name``, the ``path`` it was read from (as
    given), the ``sha256:`` of its bytes, and the content hash of the network it was
    applied to (``applied_to``), so that the chain of hashes can be checked."""

    name: str
    path: str
    content_hash: str
    applied_to: str


@dataclass(frozen=True, slots=True)
class Place:
    __reduce__ = _reduce

    id: str
    name: str
    country: str
    kind: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()
    provenance: Figure = Figure()
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Link:
    __reduce__ = _reduce

    """A road, rail or sea connection between two places.

    ``hours`` and ``cost_usd`` are per TEU and may be ``None``: the network defaults then
    derive them from ``distance_km`` with the mode's (or the country's) effective speed and
    rate. ``gauge_mm`` is required for rail and absent otherwise.
    """

    id: str
    from_id: str
    to_id: str
    mode: str
    distance_km: float
    hours: float | None = None
    speed_kmh: float | None = None
    cost_usd: float | None = None
    cost_usd_per_teu_km: float | None = None
    co2_kg_per_teu_km: float | None = None
    gauge_mm: int | None = None
    status: str = "operational"
    oneway: bool = False
    name: str | None = None
    #: Sea services: sailings a week (the expected wait for a sailing is half the headway);
    #: else the mode/country default.
    frequency_per_week: float | None = None
    #: A wait stated outright (e.g. an irregular ferry), replacing the frequency rule, with
    #: its pessimistic figure.
    wait_hours: float | None = None
    wait_hours_high: float | None = None
    #: Id of the network project this link belongs to, and the periods it is closed.
    project: str | None = None
    closures: tuple[Closure, ...] = ()
    provenance: Figure = Figure()
    loc: Loc | None = field(default=None, compare=False)
    #: Intermediate (lat, lon) points between ``from`` and ``to``, in travel order, for
    #: drawing (sea lanes); they do not change ``distance_km``.
    waypoints: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Direction:
    __reduce__ = _reduce

    """Dwell time and fees at a crossing for one direction of travel (per TEU/truck)."""

    hours: float
    cost_usd: float = 0.0
    #: Pessimistic dwell (the high end of the range the source gives); else the default
    #: variability applies.
    hours_high: float | None = None
    provenance: Figure = Figure()
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Crossing:
    __reduce__ = _reduce

    """A border crossing joining place ``a`` (one country) and place ``b`` (another).

    ``a_to_b`` and ``b_to_a`` are charged in the direction travelled; ``distance_km`` is
    the short hop between the two control posts (0 when they share a place pair that is
    already close).
    """

    id: str
    name: str
    a: str
    b: str
    modes: tuple[str, ...]
    a_to_b: Direction
    b_to_a: Direction
    distance_km: float = 0.0
    status: str = "operational"
    #: Id of the network project this crossing belongs to, and the periods it is closed.
    project: str | None = None
    closures: tuple[Closure, ...] = ()
    provenance: Figure = Figure()
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Transfer:
    __reduce__ = _reduce

    """A change of mode or rail gauge allowed at a terminal, with its time and cost.

    ``from_gauge_mm``/``to_gauge_mm`` narrow a rail side to one gauge; ``None`` means any
    gauge of that mode at the place. A transfer works both ways unless ``oneway``.
    ``hours``/``cost_usd`` of ``None`` take the network default for mode changes or gauge
    changes.
    """

    from_mode: str
    to_mode: str
    from_gauge_mm: int | None = None
    to_gauge_mm: int | None = None
    hours: float | None = None
    cost_usd: float | None = None
    oneway: bool = False
    #: Wait for a train after a change onto rail (wagon supply, train formation).
    wait_hours: float | None = None
    hours_high: float | None = None
    wait_hours_high: float | None = None
    provenance: Figure = Figure()
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Handling:
    __reduce__ = _reduce

    """Time and cost per container of a terminal operation: seaport handling (land <-> sea),
    and the network defaults for transfers, gauge changes and rail terminals.

    ``import_hours`` (ship to land) and ``export_hours`` (land to ship) refine ``hours`` for
    seaports; ``wait_hours`` is the wait for a train after the operation (rail terminals,
    transfers onto rail); ``hours_high`` is the pessimistic figure of ``hours``.
    """

    hours: float | None = None
    cost_usd: float | None = None
    import_hours: float | None = None
    export_hours: float | None = None
    wait_hours: float | None = None
    hours_high: float | None = None
    wait_hours_high: float | None = None
    provenance: Figure = Figure()
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Terminal:
    __reduce__ = _reduce

    """What a place allows: mode and gauge transfers, and seaport handling."""

    place: str
    name: str | None = None
    transfers: tuple[Transfer, ...] = ()
    handling: Handling | None = None
    #: Loading onto / unloading from trains where a route starts or ends by rail here;
    #: else ``defaults.rail_terminal``.
    rail_terminal: Handling | None = None
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class CountryDefaults:
    __reduce__ = _reduce

    """Overrides of a mode's defaults for links whose ``from`` place is in one country.
    ``None`` means "the mode's default"."""

    speed_kmh: float | None = None
    cost_usd_per_teu_km: float | None = None
    co2_kg_per_teu_km: float | None = None
    driving_hours_per_day: float | None = None
    team_driving_hours_per_day: float | None = None
    frequency_per_week: float | None = None
    provenance: Figure = Figure()
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ModeDefaults:
    __reduce__ = _reduce

    """Effective speed, rate and emission factor of a mode, and its operating rules.

    Rates are per pricing unit: per vehicle when ``teu_per_vehicle`` is set (road: a truck
    carries ``teu_per_vehicle`` TEU or ``feu_per_vehicle`` FEU), else per TEU with an FEU at
    ``feu_teu_ratio`` (else ``Defaults.feu_teu_ratio``). ``driving_hours_per_day`` (road) is
    the daily driving allowance of one driver, ``team_driving_hours_per_day`` of two;
    ``frequency_per_week`` (sea) the default sailings a week. ``by_country`` overrides
    figures for links whose ``from`` place is in that country (ISO 3166 alpha-2).
    """

    speed_kmh: float
    cost_usd_per_teu_km: float
    co2_kg_per_teu_km: float
    by_country: Mapping[str, CountryDefaults] = field(default_factory=dict)
    driving_hours_per_day: float | None = None
    team_driving_hours_per_day: float | None = None
    frequency_per_week: float | None = None
    teu_per_vehicle: int | None = None
    feu_per_vehicle: int | None = None
    feu_teu_ratio: float | None = None
    provenance: Figure = Figure()
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Variability:
    __reduce__ = _reduce

    """Default spreads for the pessimistic transit time: a component's high figure is its
    planning figure x (1 + the fraction of its kind), unless a record states its own."""

    moving: float = 0.0
    border: float = 0.0
    terminal: float = 0.0
    provenance: Figure = Figure()
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Defaults:
    __reduce__ = _reduce

    """Network-wide defaults so that a record needs only what differs.

    ``transfer`` is the default cost of a change of mode, ``gauge_change`` of a change of
    rail gauge, ``handling`` of seaport handling, ``rail_terminal`` of loading or unloading a
    train where a route starts or ends by rail. ``feu_teu_ratio`` converts per-TEU CO2 and
    terminal charges (and the rates of modes without their own ratio) to a 40-foot
    container.
    """

    modes: Mapping[str, ModeDefaults]
    transfer: Handling = Handling()
    gauge_change: Handling = Handling()
    handling: Handling = Handling()
    rail_terminal: Handling = Handling()
    variability: Variability = Variability()
    feu_teu_ratio: float = 2.0
    #: FEU/TEU of CO2 (cargo mass); else ``feu_teu_ratio``.
    feu_co2_ratio: float | None = None
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Network:
    __reduce__ = _reduce

    """A whole network as loaded from a manifest and the files it includes."""

    name: str
    format_version: int
    currency: str
    price_year: int
    defaults: Defaults
    places: tuple[Place, ...] = ()
    links: tuple[Link, ...] = ()
    crossings: tuple[Crossing, ...] = ()
    terminals: tuple[Terminal, ...] = ()
    sources: tuple[Source, ...] = ()
    projects: tuple[Project, ...] = ()
    title: str | None = None
    description: str | None = None
    #: Manifest path as given, and the files read (manifest first), in load order.
    manifest: str = ""
    files: tuple[str, ...] = ()
    #: ``sha256:`` of the manifest and included files' bytes, in a stable order; after a
    #: scenario, of the network's hash and the scenario's (corridor.format.patch).
    content_hash: str = ""
    #: Scenarios applied to the network as loaded, in order.
    scenarios: tuple[ScenarioRef, ...] = ()
    loc: Loc | None = field(default=None, compare=False)

    def place(self, place_id: str) -> Place:
        """Return the place with id ``place_id``; raise ``KeyError`` if there is none."""
        for p in self.places:
            if p.id == place_id:
                return p
        raise KeyError(place_id)

    def places_by_id(self) -> dict[str, Place]:
        return {p.id: p for p in self.places}
