"""The fields of network format v1, defined once.

The builder (:mod:`corridor.format.build`) types and checks YAML by these specs, and the JSON
Schema shipped for editors (:mod:`corridor.format.jsonschema`) is generated from them, so the two
cannot drift. ``docs/network-format.md`` explains them for people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corridor.model import MODES, PLACE_KINDS, STATUSES

__all__ = [
    "F", "Entity", "ENTITIES", "MANIFEST", "FRAGMENT", "SECTIONS", "FORMAT_VERSION",
    "Bound", "BOUNDS", "bound_of", "MAX_CONTAINERS", "MAX_VALUE_OF_TIME_USD_PER_HOUR",
]

FORMAT_VERSION = 1

# Field kinds:
#   str, id, ref (a place id), country, int, bool, enum, strlist, sources (one id or a list),
#   number with sign "pos" (> 0) or "nonneg" (>= 0), lat, lon,
#   latlonlist (a list of [lat, lon] pairs, each two numbers in range),
#   obj (a nested entity), objlist (a list of entities), objmap (a mapping key -> entity),
#   date (YYYY-MM-DD, quoted or not), months (a list of month numbers 1-12),
#   project (a project id).


@dataclass(frozen=True)
class F:
    name: str
    kind: str
    required: bool = False
    sign: str = ""
    enum: tuple[str, ...] = ()
    entity: str = ""
    #: For objmap: what the keys are ("mode" or "country").
    keys: str = ""
    doc: str = ""

    @property
    def bound(self) -> Bound | None:
        """The allowed range of a number field (see :data:`BOUNDS`); None otherwise."""
        return bound_of(self)


@dataclass(frozen=True)
class Entity:
    name: str
    fields: tuple[F, ...]
    doc: str = ""
    by_name: dict[str, F] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})


_PROV = (
    F("source", "sources", doc="Source id, or list of ids, from the network's sources."),
    F("estimate", "str", doc="How the figures were estimated when no source gives them."),
    F("note", "str", doc="Anything else, e.g. a conflicting figure from another source."),
)

SOURCE = Entity("source", (
    F("id", "id", required=True),
    F("title", "str", required=True),
    F("publisher", "str"),
    F("year", "int"),
    F("url", "str"),
    F("accessed", "str", doc="Date the source was read, YYYY-MM-DD."),
    F("note", "str"),
), "A reference that figures cite by id.")

PROJECT = Entity("project", (
    F("id", "id", required=True, doc="Cited by the project field of links and crossings."),
    F("name", "str", required=True),
    F("description", "str"),
    F("status", "enum", enum=STATUSES, doc="The project's stage, for people."),
    *_PROV,
), "A named project that planned and under-construction records belong to.")

CLOSURE = Entity("closure", (
    F("months", "months", doc="Recurring: months of every year (1-12) when it is closed."),
    F("from", "date", doc="First day closed, YYYY-MM-DD (a date range)."),
    F("to", "date", doc="Last day closed, YYYY-MM-DD, inclusive; omitted: open-ended."),
    F("reason", "str", required=True, doc="Why it is closed, e.g. winter snow on the pass."),
    *_PROV,
), "A period when a link or crossing cannot be used: months, or from/to dates.")

_USE = (
    F("project", "project", doc="Id of the project (in projects) this record belongs to."),
    F("closures", "objlist", entity="closure", doc="Periods when it cannot be used."),
)

PLACE = Entity("place", (
    F("id", "id", required=True, doc="UN/LOCODE where one exists, else CC-NAME."),
    F("name", "str", required=True),
    F("aliases", "strlist", doc="Other names and codes."),
    F("country", "country", required=True, doc="ISO 3166-1 alpha-2 code."),
    F("kind", "enum", required=True, enum=PLACE_KINDS),
    F("lat", "lat", required=True, doc="Latitude, decimal degrees (WGS 84)."),
    F("lon", "lon", required=True, doc="Longitude, decimal degrees (WGS 84)."),
    *_PROV,
), "A place: city, junction, station, border post, dry port or port.")

LINK = Entity("link", (
    F("id", "id", doc="Defaults to FROM-TO-mode."),
    F("from", "ref", required=True),
    F("to", "ref", required=True),
    F("mode", "enum", required=True, enum=MODES),
    F("distance_km", "number", required=True, sign="pos"),
    F("hours", "number", sign="pos", doc="Travel time; else distance_km / speed."),
    F("speed_kmh", "number", sign="pos", doc="Effective speed for this link."),
    F("cost_usd", "number", sign="nonneg", doc="Cost per TEU; else distance x rate."),
    F("cost_usd_per_teu_km", "number", sign="nonneg"),
    F("co2_kg_per_teu_km", "number", sign="nonneg"),
    F("gauge_mm", "int", sign="pos", doc="Rail gauge; required for rail."),
    F("status", "enum", enum=STATUSES),
    F("oneway", "bool"),
    F("name", "str"),
    F("frequency_per_week", "number", sign="pos",
      doc="Sea: sailings a week; the planning wait is half the headway, the pessimistic one "
          "a whole headway. Else the mode/country default."),
    F("wait_hours", "number", sign="nonneg",
      doc="A wait stated outright (an irregular ferry), replacing the frequency rule."),
    F("wait_hours_high", "number", sign="nonneg", doc="Pessimistic figure of wait_hours."),
    F("waypoints", "latlonlist", doc="Intermediate [lat, lon] points between from and to, "
      "in travel order (e.g. a sea lane); for drawing only, distance_km is not changed."),
    *_USE,
    *_PROV,
), "A road, rail or sea link between two places.")

DIRECTION = Entity("direction", (
    F("hours", "number", required=True, sign="nonneg", doc="Dwell time at the crossing."),
    F("cost_usd", "number", sign="nonneg",
      doc="Fees per pricing unit of the mode (a truck, a TEU)."),
    F("hours_high", "number", sign="nonneg",
      doc="Pessimistic dwell (high end of the source's range); else defaults.variability."),
    *_PROV,
), "Dwell time and fees in one direction of travel.")

CROSSING = Entity("crossing", (
    F("id", "id", required=True),
    F("name", "str", required=True),
    F("a", "ref", required=True),
    F("b", "ref", required=True),
    F("modes", "enumlist", required=True, enum=("road", "rail")),
    F("a_to_b", "obj", required=True, entity="direction"),
    F("b_to_a", "obj", required=True, entity="direction"),
    F("distance_km", "number", sign="nonneg"),
    F("status", "enum", enum=STATUSES),
    *_USE,
    *_PROV,
), "A border crossing between place a and place b in another country.")

TRANSFER = Entity("transfer", (
    F("from", "enum", required=True, enum=MODES),
    F("to", "enum", required=True, enum=MODES),
    F("from_gauge_mm", "int", sign="pos"),
    F("to_gauge_mm", "int", sign="pos"),
    F("hours", "number", sign="nonneg"),
    F("cost_usd", "number", sign="nonneg"),
    F("oneway", "bool"),
    F("wait_hours", "number", sign="nonneg",
      doc="Wait for a train after a change onto rail (wagon supply, train formation)."),
    F("hours_high", "number", sign="nonneg", doc="Pessimistic figure of hours."),
    F("wait_hours_high", "number", sign="nonneg", doc="Pessimistic figure of wait_hours."),
    *_PROV,
), "A change of mode or gauge allowed at a terminal.")

HANDLING = Entity("handling", (
    F("hours", "number", sign="nonneg"),
    F("cost_usd", "number", sign="nonneg"),
    F("import_hours", "number", sign="nonneg", doc="Seaports: ship to land; else hours."),
    F("export_hours", "number", sign="nonneg", doc="Seaports: land to ship; else hours."),
    F("wait_hours", "number", sign="nonneg",
      doc="Wait for a train after the operation (rail terminals, changes onto rail)."),
    F("hours_high", "number", sign="nonneg", doc="Pessimistic figure of hours."),
    F("wait_hours_high", "number", sign="nonneg", doc="Pessimistic figure of wait_hours."),
    *_PROV,
), "Time and cost per container.")

TERMINAL = Entity("terminal", (
    F("place", "ref", required=True),
    F("name", "str"),
    F("transfers", "objlist", entity="transfer"),
    F("handling", "obj", entity="handling", doc="Seaport handling between land and sea."),
    F("rail_terminal", "obj", entity="handling",
      doc="Loading/unloading a train where a route starts/ends by rail here."),
), "What a place allows: transfers, port handling, rail terminal.")

_OPERATING = (
    F("driving_hours_per_day", "number", sign="pos",
      doc="Road: hours one driver may drive in 24 h; rest fills the rest of the day."),
    F("team_driving_hours_per_day", "number", sign="pos",
      doc="Road: the same for a crew of two drivers (--drivers 2)."),
    F("frequency_per_week", "number", sign="pos", doc="Sea: default sailings a week."),
)

MODE_DEFAULTS = Entity("mode_defaults", (
    F("speed_kmh", "number", required=True, sign="pos"),
    F("cost_usd_per_teu_km", "number", required=True, sign="nonneg"),
    F("co2_kg_per_teu_km", "number", required=True, sign="nonneg"),
    F("by_country", "objmap", entity="country_defaults", keys="country"),
    *_OPERATING,
    F("teu_per_vehicle", "int", sign="pos",
      doc="Price per vehicle carrying this many TEU (road: a truck); else per TEU."),
    F("feu_per_vehicle", "int", sign="pos", doc="FEU a vehicle carries (with teu_per_vehicle)."),
    F("feu_teu_ratio", "number", sign="pos",
      doc="Rate of an FEU relative to a TEU for this mode; else defaults.feu_teu_ratio."),
    *_PROV,
), "Effective speed, rate and emission factor of a mode, and its operating rules.")

COUNTRY_DEFAULTS = Entity("country_defaults", (
    F("speed_kmh", "number", sign="pos"),
    F("cost_usd_per_teu_km", "number", sign="nonneg"),
    F("co2_kg_per_teu_km", "number", sign="nonneg"),
    *_OPERATING,
    *_PROV,
), "Overrides of a mode's defaults in one country.")

VARIABILITY = Entity("variability", (
    F("moving", "number", sign="nonneg", doc="Fraction added to moving and rest time."),
    F("border", "number", sign="nonneg", doc="Fraction added to border dwell."),
    F("terminal", "number", sign="nonneg",
      doc="Fraction added to handling, transfers, rail terminals and waits for trains."),
    *_PROV,
), "Default spreads for the pessimistic (P90) transit time.")

DEFAULTS = Entity("defaults", (
    F("modes", "objmap", required=True, entity="mode_defaults", keys="mode"),
    F("transfer", "obj", entity="handling", doc="Default change of mode."),
    F("gauge_change", "obj", entity="handling", doc="Default change of rail gauge."),
    F("handling", "obj", entity="handling", doc="Default seaport handling."),
    F("rail_terminal", "obj", entity="handling",
      doc="Default loading/unloading of a train at a rail origin/destination."),
    F("variability", "obj", entity="variability"),
    F("feu_teu_ratio", "number", sign="pos",
      doc="FEU/TEU for terminal charges and modes without their own ratio."),
    F("feu_co2_ratio", "number", sign="pos",
      doc="FEU/TEU of CO2 (cargo mass); else feu_teu_ratio."),
), "Network-wide defaults.")

_SECTION_FIELDS = (
    F("places", "objlist", entity="place"),
    F("links", "objlist", entity="link"),
    F("crossings", "objlist", entity="crossing"),
    F("terminals", "objlist", entity="terminal"),
    F("sources", "objlist", entity="source"),
    F("projects", "objlist", entity="project"),
)
SECTIONS = tuple(f.name for f in _SECTION_FIELDS)

MANIFEST = Entity("manifest", (
    F("format_version", "int", required=True),
    F("name", "str", required=True),
    F("title", "str"),
    F("description", "str"),
    F("currency", "enum", required=True, enum=("USD",)),
    F("price_year", "int", required=True),
    F("include", "strlist", doc="Files to read, relative to the manifest; globs allowed."),
    F("defaults", "obj", required=True, entity="defaults"),
    *_SECTION_FIELDS,
), "The manifest of a network (network.yaml).")

FRAGMENT = Entity("fragment", _SECTION_FIELDS, "A file included by a manifest.")

ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (SOURCE, PLACE, LINK, DIRECTION, CROSSING, TRANSFER, HANDLING, TERMINAL,
              MODE_DEFAULTS, COUNTRY_DEFAULTS, VARIABILITY, DEFAULTS, MANIFEST, FRAGMENT,
              PROJECT, CLOSURE)
}


# -- bounds of numbers ---------------------------------------------------------------------
# Every number field has a finite range that a real network never leaves, so that every
# total a query computes is finite (a route has at most as many legs as the network has
# records; each leg's time, cost and CO2 is bounded by these figures and the option bounds
# below). Values outside the range are E111. docs/network-format.md ("Ranges") lists them.


@dataclass(frozen=True)
class Bound:
    """``lo``: the smallest value allowed (for a field with sign "pos", the smallest
    positive value; a "nonneg" field may also be 0); ``hi``: the largest."""

    lo: float
    hi: float
    why: str


#: Field name -> its range. A name means the same quantity in every entity.
BOUNDS: dict[str, Bound] = {
    "distance_km": Bound(0.001, 40_075.0, "1 m up to the Earth's equatorial circumference"),
    "hours": Bound(0.001, 100_000.0, "3.6 s up to about 11 years"),
    "speed_kmh": Bound(0.1, 1_000.0, "walking a barge up to faster than any freight"),
    "cost_usd": Bound(0.0, 1e9, "up to a billion USD per TEU"),
    "cost_usd_per_teu_km": Bound(0.0, 10_000.0, "up to 10,000 USD per TEU-km"),
    "co2_kg_per_teu_km": Bound(0.0, 1_000.0, "up to a tonne of CO2 per TEU-km"),
    "gauge_mm": Bound(300, 3_000, "narrower and wider than any railway built"),
    "from_gauge_mm": Bound(300, 3_000, "as gauge_mm"),
    "to_gauge_mm": Bound(300, 3_000, "as gauge_mm"),
    "feu_teu_ratio": Bound(0.5, 10.0, "an FEU costs between half and ten times a TEU"),
    "year": Bound(1000, 3000, "a calendar year"),
    "price_year": Bound(1900, 2200, "a calendar year of prices"),
    "format_version": Bound(0, 1_000_000, "a version number"),
}

#: Number fields a later format adds without a range of their own get this one (a field
#: without a sign, which may be negative, gets -1e9 to 1e9).
DEFAULT_BOUND = Bound(0.001, 1e9, "a finite figure up to a billion")
_SIGNED_DEFAULT_BOUND = Bound(-1e9, 1e9, "a finite figure within a billion either way")


def bound_of(f: F) -> Bound | None:
    """The range of number field ``f``; None for a field that is not a number."""
    if f.kind not in ("number", "int"):
        return None
    if f.name in BOUNDS:
        return BOUNDS[f.name]
    return DEFAULT_BOUND if f.sign else _SIGNED_DEFAULT_BOUND


#: Query options, bounded for the same reason (see docs/network-format.md, "Ranges").
MAX_CONTAINERS = 100_000
MAX_VALUE_OF_TIME_USD_PER_HOUR = 1_000_000.0
