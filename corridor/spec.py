"""The fields of network format v1, defined once.

The builder (:mod:`corridor.build`) types and checks YAML by these specs, and the JSON
Schema shipped for editors (:mod:`corridor.jsonschema`) is generated from them, so the two
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
#   obj (a nested entity), objlist (a list of entities), objmap (a mapping key -> entity).


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
    *_PROV,
), "A road, rail or sea link between two places.")

DIRECTION = Entity("direction", (
    F("hours", "number", required=True, sign="nonneg", doc="Dwell time at the crossing."),
    F("cost_usd", "number", sign="nonneg", doc="Fees per TEU/truck."),
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
    *_PROV,
), "A change of mode or gauge allowed at a terminal.")

HANDLING = Entity("handling", (
    F("hours", "number", sign="nonneg"),
    F("cost_usd", "number", sign="nonneg"),
    *_PROV,
), "Time and cost per container.")

TERMINAL = Entity("terminal", (
    F("place", "ref", required=True),
    F("name", "str"),
    F("transfers", "objlist", entity="transfer"),
    F("handling", "obj", entity="handling", doc="Seaport handling between land and sea."),
), "What a place allows: transfers and port handling.")

MODE_DEFAULTS = Entity("mode_defaults", (
    F("speed_kmh", "number", required=True, sign="pos"),
    F("cost_usd_per_teu_km", "number", required=True, sign="nonneg"),
    F("co2_kg_per_teu_km", "number", required=True, sign="nonneg"),
    F("by_country", "objmap", entity="country_defaults", keys="country"),
    *_PROV,
), "Effective speed, rate and emission factor of a mode.")

COUNTRY_DEFAULTS = Entity("country_defaults", (
    F("speed_kmh", "number", sign="pos"),
    F("cost_usd_per_teu_km", "number", sign="nonneg"),
    F("co2_kg_per_teu_km", "number", sign="nonneg"),
    *_PROV,
), "Overrides of a mode's defaults in one country.")

DEFAULTS = Entity("defaults", (
    F("modes", "objmap", required=True, entity="mode_defaults", keys="mode"),
    F("transfer", "obj", entity="handling", doc="Default change of mode."),
    F("gauge_change", "obj", entity="handling", doc="Default change of rail gauge."),
    F("handling", "obj", entity="handling", doc="Default seaport handling."),
    F("feu_teu_ratio", "number", sign="pos"),
), "Network-wide defaults.")

_SECTION_FIELDS = (
    F("places", "objlist", entity="place"),
    F("links", "objlist", entity="link"),
    F("crossings", "objlist", entity="crossing"),
    F("terminals", "objlist", entity="terminal"),
    F("sources", "objlist", entity="source"),
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
              MODE_DEFAULTS, COUNTRY_DEFAULTS, DEFAULTS, MANIFEST, FRAGMENT)
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
