"""Typing YAML nodes by the schema, and building model records from them.

Scalars are typed by what the field expects (YAML 1.2 core rules for numbers and booleans),
never by YAML 1.1 guessing: ``country: NO`` is the string ``"NO"``, ``id: 012`` the string
``"012"``, ``distance_km: 1e3`` the number 1000. Where a YAML 1.1 tool would read a value
differently, a W101 warning says so and suggests quoting. Values are never silently
changed: what cannot be typed is an error at its line and column.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any, TypeVar

from corridor.format.countries import COUNTRIES
from corridor.format.problems import Problem, problem
from corridor.format.spec import ENTITIES, Entity, F
from corridor.format.yamlsafe import Map, Node, Scalar, Seq
from corridor.model import (
    Closure,
    CountryDefaults,
    Crossing,
    Defaults,
    Direction,
    Figure,
    Handling,
    Link,
    Loc,
    ModeDefaults,
    Place,
    Project,
    Source,
    Terminal,
    Transfer,
    Variability,
)
from corridor.textutil import clip as _q
from corridor.textutil import did_you_mean

__all__ = ["Index", "Builder"]

R = TypeVar("R")

_MISSING: Any = object()
_INVALID: Any = object()

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = {".inf": math.inf, ".Inf": math.inf, ".INF": math.inf, "+.inf": math.inf,
        "+.Inf": math.inf, "+.INF": math.inf, "-.inf": -math.inf, "-.Inf": -math.inf,
        "-.INF": -math.inf, ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan}
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_YAML11_BOOL = frozenset({
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
    "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
})
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\Z")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z")
_YAML11_NUMBER = re.compile(
    r"[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?"
    r"|\.[0-9_]+(?:[eE][-+][0-9]+)?)\Z"
)
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?\Z")


def _yaml11_reading(text: str) -> str | None:
    """What a YAML 1.1 loader (PyYAML) would turn this plain scalar into, if not a string."""
    if text in _YAML11_BOOL:
        return "true" if text.lower() in ("y", "yes", "true", "on") else "false"
    if text in _NULLS:
        return "null"
    if _SEXAGESIMAL.match(text):
        return "a base-60 number"
    if _YAML11_NUMBER.match(text) or text in _INF:
        return "a number"
    if _TIMESTAMP.match(text):
        return "a date"
    return None


class Index:
    """Where each record was written: file, node and data path, for precise problems."""

    __slots__ = ("_where",)

    def __init__(self) -> None:
        self._where: dict[int, tuple[str, Map, str]] = {}

    def add(self, record: object, file: str, node: Map, path: str) -> None:
        self._where[id(record)] = (file, node, path)

    def update(self, other: Index) -> None:
        """Add every entry of ``other`` (its records must stay alive as long as this)."""
        self._where.update(other._where)

    def locate(self, record: object, field: str | None = None) -> tuple[str, int, int, str]:
        """``(file, line, col, path)`` of ``record`` or of one of its fields."""
        got = self._where.get(id(record))
        if got is None:
            return ("", 0, 0, "")
        file, node, path = got
        if field is not None:
            value = node.items.get(field)
            if value is not None:
                return (file, value.line, value.col, f"{path}.{field}")
        return (file, node.line, node.col, path)


class Builder:
    """Types the nodes of one file and builds records, collecting problems."""

    def __init__(self, file: str, problems: list[Problem], index: Index) -> None:
        self.file = file
        self.problems = problems
        self.index = index

    # -- problems -----------------------------------------------------------------------
    def _p(self, code: str, message: str, node: Node | Scalar, path: str) -> None:
        self.problems.append(problem(code, message, self.file, node.line, node.col, path))

    # -- scalars ------------------------------------------------------------------------
    def _scalar(self, node: Node, f: F, path: str, what: str) -> Scalar | None:
        if isinstance(node, Scalar):
            return node
        got = "a mapping" if isinstance(node, Map) else "a list"
        self._p("E101", f"'{f.name}' must be {what}, got {got}", node, path)
        return None

    def _str(self, node: Node, f: F, path: str) -> Any:
        s = self._scalar(node, f, path, "a string")
        if s is None:
            return _INVALID
        if s.plain:
            reading = _yaml11_reading(s.value)
            if reading is not None:
                self._p("W101", f"'{f.name}: {_q(s.value)}' is read as the string '{_q(s.value)}', "
                        f"but YAML 1.1 tools read it as {reading}; quote it: "
                        f"{f.name}: \"{_q(s.value)}\"", s, path)
        return s.value

    def _number(self, node: Node, f: F, path: str) -> Any:
        s = self._scalar(node, f, path, "a number")
        if s is None:
            return _INVALID
        text = s.value
        if not s.plain:
            self._p("E101", f"'{f.name}' must be a number, got the quoted string '{_q(text)}'; "
                    "remove the quotes", s, path)
            return _INVALID
        if _INT_RE.match(text):
            if len(text) > 400:
                self._p("E101", f"'{f.name}' is a number with too many digits", s, path)
                return _INVALID
            digits = text.lstrip("+-")
            if len(digits) > 1 and digits[0] == "0":
                self._p("W101", f"'{f.name}: {_q(text)}' is read as {int(text)}, but YAML 1.1 "
                        "tools read a leading 0 as octal; drop the leading zeros", s, path)
            return int(text) if len(text) < 19 else float(text)
        if _FLOAT_RE.match(text):
            return float(text)
        if text in _INF:
            return _INF[text]
        if _SEXAGESIMAL.match(text):
            self._p("E101", f"'{f.name}: {_q(text)}' is not a number (YAML 1.1 tools read it as "
                    "a base-60 number); write the value in decimal", s, path)
        elif "_" in text and _YAML11_NUMBER.match(text):
            self._p("E101", f"'{f.name}: {_q(text)}' is not a number here; write it without "
                    "underscores", s, path)
        else:
            self._p("E101", f"'{f.name}' must be a number, got '{_q(text)}'", s, path)
        return _INVALID

    def _int(self, node: Node, f: F, path: str) -> Any:
        value = self._number(node, f, path)
        if value is _INVALID:
            return value
        if isinstance(value, float):
            if value.is_integer() and math.isfinite(value):
                return int(value)
            s = node  # a float where a whole number is needed
            self._p("E101", f"'{f.name}' must be a whole number, got {value:g}", s, path)
            return _INVALID
        return value

    def _bool(self, node: Node, f: F, path: str) -> Any:
        s = self._scalar(node, f, path, "true or false")
        if s is None:
            return _INVALID
        if s.plain and s.value in _TRUE:
            return True
        if s.plain and s.value in _FALSE:
            return False
        hint = ""
        if s.value in _YAML11_BOOL:
            hint = f" (YAML 1.1 tools read '{_q(s.value)}' as a boolean; write true or false)"
        self._p("E101", f"'{f.name}' must be true or false, got '{_q(s.value)}'{hint}", s, path)
        return _INVALID

    # -- fields -------------------------------------------------------------------------
    def value(self, node: Node, f: F, path: str) -> Any:
        kind = f.kind
        if isinstance(node, Scalar) and node.plain and node.value in _NULLS:
            return _MISSING
        if kind == "date":
            return self._date(node, f, path)
        if kind == "months":
            return self._months(node, f, path)
        if kind in ("str", "id", "ref", "project"):
            v = self._str(node, f, path)
            if v is not _INVALID and kind == "id" and not _ID_RE.match(v):
                self._p("E110", f"invalid id '{_q(v)}': use letters, digits, '_', '.' and '-', "
                        "starting with a letter or digit", node, path)
                return _INVALID
            return v
        if kind == "number" or kind == "lat" or kind == "lon":
            v = self._number(node, f, path)
            if v is _INVALID:
                return v
            if kind == "lat" and not -90.0 <= v <= 90.0:
                self._p("E107", f"latitude {v} is outside -90..90", node, path)
                return _INVALID
            if kind == "lon" and not -180.0 <= v <= 180.0:
                self._p("E107", f"longitude {v} is outside -180..180", node, path)
                return _INVALID
            return self._signed(v, f, node, path)
        if kind == "int":
            v = self._int(node, f, path)
            return v if v is _INVALID else self._signed(v, f, node, path)
        if kind == "bool":
            return self._bool(node, f, path)
        if kind == "country":
            v = self._str(node, f, path)
            if v is not _INVALID and v not in COUNTRIES:
                hint = ""
                if v.upper() in COUNTRIES:
                    hint = f"; did you mean '{v.upper()}'?"
                self._p("E108", f"unknown country code '{_q(v)}' (ISO 3166-1 alpha-2 expected)"
                        f"{hint}", node, path)
                return _INVALID
            return v
        if kind == "enum":
            return self._enum(node, f, path)
        if kind in ("strlist", "enumlist", "sources"):
            if kind == "sources" and isinstance(node, Scalar):
                v = self._str(node, f, path)
                return v if v is _INVALID else (v,)
            if not isinstance(node, Seq):
                self._p("E101", f"'{f.name}' must be a list", node, path)
                return _INVALID
            if f.required and not node.items:
                self._p("E112", f"'{f.name}' must list at least one value"
                        + (f" ({', '.join(f.enum)})" if f.enum else ""), node, path)
                return _INVALID
            out = []
            for i, item in enumerate(node.items):
                item_path = f"{path}[{i}]"
                v = self._enum(item, f, item_path) if kind == "enumlist" else \
                    self._str(item, f, item_path)
                if v is not _INVALID:
                    out.append(v)
            return tuple(out)
        if kind == "latlonlist":
            return self._latlonlist(node, f, path)
        if kind == "obj":
            return self.fields(node, ENTITIES[f.entity], path)
        if kind == "objlist":
            if not isinstance(node, Seq):
                self._p("E101", f"'{f.name}' must be a list", node, path)
                return _INVALID
            entity = ENTITIES[f.entity]
            items = []
            for i, item in enumerate(node.items):
                got = self.fields(item, entity, f"{path}[{i}]")
                if got is not _INVALID:
                    items.append(got)
            return items
        if kind == "objmap":
            if not isinstance(node, Map):
                self._p("E101", f"'{f.name}' must be a mapping", node, path)
                return _INVALID
            entity = ENTITIES[f.entity]
            out_map: dict[str, Any] = {}
            for key, item in node.items.items():
                key_node = node.keys[key]
                if f.keys == "mode" and key not in ("road", "rail", "sea"):
                    self._p("E104", f"unknown mode '{_q(key)}' in '{f.name}'"
                            + _suggest(key, ("road", "rail", "sea")), key_node, path)
                    continue
                if f.keys == "country" and key not in COUNTRIES:
                    self._p("E108", f"unknown country code '{_q(key)}'", key_node, path)
                    continue
                got = self.fields(item, entity, f"{path}.{key}")
                if got is not _INVALID:
                    out_map[key] = got
            return out_map
        raise AssertionError(f"unknown field kind {kind}")  # pragma: no cover

    def _latlonlist(self, node: Node, f: F, path: str) -> Any:
        """A list of [lat, lon] pairs: each a list of exactly two numbers, lat in -90..90
        and lon in -180..180 (E101 for the shape, E107 for the range)."""
        if not isinstance(node, Seq):
            self._p("E101", f"'{f.name}' must be a list of [lat, lon] pairs", node, path)
            return _INVALID
        out: list[tuple[float, float]] = []
        bad = False
        for i, item in enumerate(node.items):
            item_path = f"{path}[{i}]"
            if not isinstance(item, Seq) or len(item.items) != 2:
                self._p("E101", f"'{f.name}' item must be a [lat, lon] pair of two numbers",
                        item, item_path)
                bad = True
                continue
            lat = self.value(item.items[0], F(f.name, "lat"), f"{item_path}[0]")
            lon = self.value(item.items[1], F(f.name, "lon"), f"{item_path}[1]")
            if lat is _INVALID or lon is _INVALID or lat is _MISSING or lon is _MISSING:
                if lat is _MISSING or lon is _MISSING:
                    self._p("E101", f"'{f.name}' item must be a [lat, lon] pair of two numbers",
                            item, item_path)
                bad = True
                continue
            out.append((float(lat), float(lon)))
        return _INVALID if bad else tuple(out)

    def _date(self, node: Node, f: F, path: str) -> Any:
        """A calendar date written YYYY-MM-DD, quoted or not (no W101: YAML 1.1 tools
        reading it as a date is what is meant)."""
        s = self._scalar(node, f, path, "a date YYYY-MM-DD")
        if s is None:
            return _INVALID
        text = s.value
        if _DATE_RE.match(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        self._p("E113", f"'{f.name}' must be a date YYYY-MM-DD, got '{text}'", s, path)
        return _INVALID

    def _months(self, node: Node, f: F, path: str) -> Any:
        if not isinstance(node, Seq) or not node.items:
            self._p("E101", f"'{f.name}' must be a non-empty list of months 1-12", node, path)
            return _INVALID
        out: list[int] = []
        for i, item in enumerate(node.items):
            v = self._int(item, f, f"{path}[{i}]")
            if v is _INVALID:
                continue
            if not 1 <= v <= 12:
                self._p("E113", f"month {v} is not 1-12", item, f"{path}[{i}]")
                continue
            if v in out:
                self._p("E113", f"month {v} is listed twice", item, f"{path}[{i}]")
                continue
            out.append(v)
        return tuple(out) if len(out) == len(node.items) else _INVALID

    def _signed(self, v: Any, f: F, node: Node, path: str) -> Any:
        if f.sign == "pos" and not (v > 0 and math.isfinite(v)):
            self._p("E105", f"'{f.name}' must be a positive finite number, got {v}", node, path)
            return _INVALID
        if f.sign == "nonneg" and not (v >= 0 and math.isfinite(v)):
            self._p("E106", f"'{f.name}' must be zero or more and finite, got {v}", node, path)
            return _INVALID
        if not f.sign and isinstance(v, float) and not math.isfinite(v):
            self._p("E105", f"'{f.name}' must be finite, got {v}", node, path)
            return _INVALID
        b = f.bound
        if b is not None:
            lo = 0 if f.sign == "nonneg" else b.lo
            if not lo <= v <= b.hi:
                self._p("E111", f"'{f.name}' must be between {lo:,g} and {b.hi:,g} "
                        f"({b.why}), got {v:g}", node, path)
                return _INVALID
        return v

    def _enum(self, node: Node, f: F, path: str) -> Any:
        v = self._str(node, f, path)
        if v is _INVALID or v in f.enum:
            return v
        self._p("E104", f"'{f.name}' must be one of {', '.join(f.enum)}; got '{_q(v)}'"
                + _suggest(v, f.enum), node, path)
        return _INVALID

    def fields(self, node: Node, entity: Entity, path: str) -> Any:
        """Type a mapping by ``entity``: ``(values, node, path)``, or ``_INVALID`` when a
        required field is missing or invalid (the problems are already recorded)."""
        if not isinstance(node, Map):
            got = "a list" if isinstance(node, Seq) else f"'{_q(node.value)}'"
            self._p("E101", f"expected a mapping ({entity.doc.rstrip('.').lower()}), "
                    f"got {got}", node, path)
            return _INVALID
        out: dict[str, Any] = {}
        empty: list[str] = []
        by_name = entity.by_name
        for key, value in node.items.items():
            f = by_name.get(key)
            if f is None:
                where = "the manifest" if entity.name == "manifest" else f"a {entity.name}"
                msg = f"unknown field '{_q(key)}' in {where}"
                if entity.name == "fragment" and key in ENTITIES["manifest"].by_name:
                    msg += "; only the manifest (network.yaml) may have it"
                else:
                    msg += _suggest(key, by_name)
                self._p("E103", msg, node.keys[key], f"{path}.{key}" if path else key)
                continue
            v = self.value(value, f, f"{path}.{key}" if path else key)
            if v is _MISSING:
                empty.append(key)
            elif v is not _INVALID:
                out[key] = v
        complete = True
        for f in entity.fields:
            if not f.required or f.name in out:
                continue
            complete = False
            if f.name not in node.items:
                self._p("E102", f"{entity.name} is missing required field '{f.name}'",
                        node, path)
            elif f.name in empty:
                self._p("E102", f"required field '{f.name}' is empty", node.items[f.name],
                        f"{path}.{f.name}")
        if not complete:
            return _INVALID
        return (out, node, path)

    # -- records ------------------------------------------------------------------------
    def _loc(self, node: Map) -> Loc:
        return Loc(self.file, node.line, node.col)

    def _record(self, record: R, node: Map, path: str) -> R:
        self.index.add(record, self.file, node, path)
        return record

    def source(self, got: tuple[dict[str, Any], Map, str]) -> Source:
        v, node, path = got
        return self._record(Source(
            id=v["id"], title=v["title"], publisher=v.get("publisher"), year=v.get("year"),
            url=v.get("url"), accessed=v.get("accessed"), note=v.get("note"),
            loc=self._loc(node)), node, path)

    def project(self, got: tuple[dict[str, Any], Map, str]) -> Project:
        v, node, path = got
        return self._record(Project(
            id=v["id"], name=v["name"], description=v.get("description"),
            status=v.get("status"), provenance=_figure(v), loc=self._loc(node)), node, path)

    def closures(self, items: list[tuple[dict[str, Any], Map, str]]) -> tuple[Closure, ...]:
        """Closure records; an entry that is neither months nor a date range, or whose
        range ends before it starts, is reported and left out."""
        out = []
        for v, node, path in items:
            months, start, end = v.get("months"), v.get("from"), v.get("to")
            if months is not None and (start is not None or end is not None):
                self._p("E113", "a closure has either months or a from/to date range, "
                        "not both", node, path)
                continue
            if months is None and start is None:
                if "months" in node.items or "from" in node.items:
                    continue  # its value was invalid: reported already
                where = node.items.get("to", node)
                self._p("E102", "a closure needs months (recurring) or from (a date range)",
                        where, path)
                continue
            if start is not None and end is not None and end < start:
                self._p("E113", f"closure ends ({end.isoformat()}) before it starts "
                        f"({start.isoformat()})", node.items["to"], f"{path}.to")
                continue
            out.append(self._record(Closure(
                reason=v["reason"], months=months or (), from_date=start, to_date=end,
                provenance=_figure(v), loc=self._loc(node)), node, path))
        return tuple(out)

    def place(self, got: tuple[dict[str, Any], Map, str]) -> Place:
        v, node, path = got
        return self._record(Place(
            id=v["id"], name=v["name"], country=v["country"], kind=v["kind"],
            lat=float(v["lat"]), lon=float(v["lon"]), aliases=v.get("aliases", ()),
            provenance=_figure(v), loc=self._loc(node)), node, path)

    def link(self, got: tuple[dict[str, Any], Map, str]) -> Link:
        v, node, path = got
        mode = v["mode"]
        return self._record(Link(
            id=v.get("id") or f"{v['from']}-{v['to']}-{mode}",
            from_id=v["from"], to_id=v["to"], mode=mode,
            distance_km=float(v["distance_km"]),
            hours=_opt_float(v.get("hours")), speed_kmh=_opt_float(v.get("speed_kmh")),
            cost_usd=_opt_float(v.get("cost_usd")),
            cost_usd_per_teu_km=_opt_float(v.get("cost_usd_per_teu_km")),
            co2_kg_per_teu_km=_opt_float(v.get("co2_kg_per_teu_km")),
            gauge_mm=v.get("gauge_mm"), status=v.get("status", "operational"),
            oneway=v.get("oneway", False), name=v.get("name"),
            frequency_per_week=_opt_float(v.get("frequency_per_week")),
            wait_hours=_opt_float(v.get("wait_hours")),
            wait_hours_high=_opt_float(v.get("wait_hours_high")),
            project=v.get("project"), closures=self.closures(v.get("closures", [])),
            provenance=_figure(v), loc=self._loc(node),
            waypoints=v.get("waypoints", ())), node, path)

    def _direction(self, got: tuple[dict[str, Any], Map, str], parent: Figure) -> Direction:
        v, node, path = got
        fig = _figure(v)
        if not fig.source and fig.estimate is None:
            fig = Figure(parent.source, parent.estimate, fig.note)
        return self._record(Direction(
            hours=float(v["hours"]), cost_usd=float(v.get("cost_usd", 0.0)),
            hours_high=_opt_float(v.get("hours_high")),
            provenance=fig, loc=self._loc(node)), node, path)

    def crossing(self, got: tuple[dict[str, Any], Map, str]) -> Crossing:
        v, node, path = got
        fig = _figure(v)
        return self._record(Crossing(
            id=v["id"], name=v["name"], a=v["a"], b=v["b"], modes=v["modes"],
            a_to_b=self._direction(v["a_to_b"], fig), b_to_a=self._direction(v["b_to_a"], fig),
            distance_km=float(v.get("distance_km", 0.0)), status=v.get("status", "operational"),
            project=v.get("project"), closures=self.closures(v.get("closures", [])),
            provenance=fig, loc=self._loc(node)), node, path)

    def handling(self, got: tuple[dict[str, Any], Map, str]) -> Handling:
        v, node, path = got
        return self._record(Handling(
            hours=_opt_float(v.get("hours")), cost_usd=_opt_float(v.get("cost_usd")),
            import_hours=_opt_float(v.get("import_hours")),
            export_hours=_opt_float(v.get("export_hours")),
            wait_hours=_opt_float(v.get("wait_hours")),
            hours_high=_opt_float(v.get("hours_high")),
            wait_hours_high=_opt_float(v.get("wait_hours_high")),
            provenance=_figure(v), loc=self._loc(node)), node, path)

    def terminal(self, got: tuple[dict[str, Any], Map, str]) -> Terminal:
        v, node, path = got
        transfers = []
        for t, tnode, tpath in v.get("transfers", ()):
            transfers.append(self._record(Transfer(
                from_mode=t["from"], to_mode=t["to"], from_gauge_mm=t.get("from_gauge_mm"),
                to_gauge_mm=t.get("to_gauge_mm"), hours=_opt_float(t.get("hours")),
                cost_usd=_opt_float(t.get("cost_usd")), oneway=t.get("oneway", False),
                wait_hours=_opt_float(t.get("wait_hours")),
                hours_high=_opt_float(t.get("hours_high")),
                wait_hours_high=_opt_float(t.get("wait_hours_high")),
                provenance=_figure(t), loc=self._loc(tnode)), tnode, tpath))
        handling = self.handling(v["handling"]) if "handling" in v else None
        rail = self.handling(v["rail_terminal"]) if "rail_terminal" in v else None
        return self._record(Terminal(
            place=v["place"], name=v.get("name"), transfers=tuple(transfers),
            handling=handling, rail_terminal=rail, loc=self._loc(node)), node, path)

    def defaults(self, got: tuple[dict[str, Any], Map, str]) -> Defaults:
        v, node, path = got
        modes: dict[str, ModeDefaults] = {}
        for mode, (m, mnode, mpath) in v.get("modes", {}).items():
            base_fig = _figure(m)
            by_country: dict[str, CountryDefaults] = {}
            for cc, (c, cnode, cpath) in m.get("by_country", {}).items():
                by_country[cc] = self._record(CountryDefaults(
                    **{k: _opt_float(c.get(k)) for k in _COUNTRY_FIGURES},
                    provenance=_figure(c), loc=self._loc(cnode)), cnode, cpath)
            modes[mode] = self._record(ModeDefaults(
                speed_kmh=float(m["speed_kmh"]),
                cost_usd_per_teu_km=float(m["cost_usd_per_teu_km"]),
                co2_kg_per_teu_km=float(m["co2_kg_per_teu_km"]),
                driving_hours_per_day=_opt_float(m.get("driving_hours_per_day")),
                team_driving_hours_per_day=_opt_float(m.get("team_driving_hours_per_day")),
                frequency_per_week=_opt_float(m.get("frequency_per_week")),
                teu_per_vehicle=m.get("teu_per_vehicle"),
                feu_per_vehicle=m.get("feu_per_vehicle"),
                feu_teu_ratio=_opt_float(m.get("feu_teu_ratio")),
                by_country=by_country, provenance=base_fig, loc=self._loc(mnode)), mnode, mpath)
        kwargs: dict[str, Any] = {}
        for key in ("transfer", "gauge_change", "handling", "rail_terminal"):
            if key in v:
                kwargs[key] = self.handling(v[key])
        if "variability" in v:
            x, xnode, xpath = v["variability"]
            kwargs["variability"] = self._record(Variability(
                moving=float(x.get("moving", 0.0)), border=float(x.get("border", 0.0)),
                terminal=float(x.get("terminal", 0.0)), provenance=_figure(x),
                loc=self._loc(xnode)), xnode, xpath)
        return self._record(Defaults(
            modes=modes, feu_teu_ratio=float(v.get("feu_teu_ratio", 2.0)),
            feu_co2_ratio=_opt_float(v.get("feu_co2_ratio")),
            loc=self._loc(node), **kwargs), node, path)


_COUNTRY_FIGURES = ("speed_kmh", "cost_usd_per_teu_km", "co2_kg_per_teu_km",
                    "driving_hours_per_day", "team_driving_hours_per_day", "frequency_per_week")


def _suggest(word: str, choices: Any) -> str:
    hits = did_you_mean(word, choices, n=1)
    return f"; did you mean '{hits[0]}'?" if hits else ""


def _figure(v: dict[str, Any]) -> Figure:
    return Figure(source=v.get("source", ()), estimate=v.get("estimate"), note=v.get("note"))


def _opt_float(x: Any) -> float | None:
    return None if x is None else float(x)
