"""Scenario files: a versioned YAML overlay that changes a network by record id.

A scenario is read with the network's safe loader (:mod:`corridor.format.yamlsafe`) and typed by
the network's field spec (:mod:`corridor.format.spec`), so a figure in a scenario obeys exactly
the rules it obeys in a network file, with problems at file:line:col and the same codes.
This module reads and types a scenario (no network needed); :mod:`corridor.format.patch` applies
it to a network. ``docs/scenario-format.md`` is the contract.

.. code-block:: yaml

    scenario_version: 1
    name: chaman-dwell-halved
    description: Chaman AF -> PK dwell halved by the new terminal.
    set:
      crossings.CHAMAN-ROAD.a_to_b.hours: 12
      defaults.modes.rail.cost_usd_per_teu_km: 0.05
    open: [trans-afghan]
    close: [TORKHAM]
    add:
      links:
        - {from: A, to: B, mode: road, distance_km: 80, estimate: x}
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError
from corridor.format.build import _INVALID, _MISSING, Builder, Index
from corridor.format.problems import Problem, problem, sort_problems
from corridor.format.spec import ENTITIES, FRAGMENT, Entity, F
from corridor.format.yamlsafe import DEFAULT_LIMITS, Limits, Map, Node, Scalar, Seq, load_file
from corridor.model import (
    Crossing,
    Link,
    Loc,
    Place,
    Project,
    Source,
    Terminal,
)
from corridor.textutil import did_you_mean

__all__ = [
    "SCENARIO_VERSION",
    "SECTION_ENTITIES",
    "FieldPath",
    "SetOp",
    "RefOp",
    "Added",
    "Scenario",
    "ScenarioError",
    "ScenarioLoad",
    "parse_path",
    "load_scenario",
    "is_scenario_file",
]

SCENARIO_VERSION = 1

#: The first segment of a ``set`` path and the entity of its records; ``defaults`` has no
#: record id.
SECTION_ENTITIES: dict[str, str] = {
    "places": "place",
    "links": "link",
    "crossings": "crossing",
    "terminals": "terminal",
    "sources": "source",
    "projects": "project",
    "defaults": "defaults",
}

#: Fields that say what a record is, not a figure of it: a scenario cannot set them (close
#: the record and add another instead).
FIXED_FIELDS = frozenset({"id", "from", "to", "a", "b", "place", "mode"})

#: The top-level keys of a scenario file, in order.
TOP_KEYS = ("scenario_version", "name", "description", "set", "open", "close", "add")


class ScenarioError(CorridorError):
    """A scenario could not be read or applied; ``problems`` says where and why (exit 1)."""

    def __init__(self, message: str, problems: list[Problem] | tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class FieldPath:
    """A parsed ``set`` path: ``section``, record ``id`` (None for ``defaults``), and the
    ``fields`` walked inside the record (map keys and list indexes as strings), the last
    one a settable field whose spec is ``spec``."""

    section: str
    id: str | None
    fields: tuple[str, ...]
    spec: F

    def __str__(self) -> str:
        head = self.section if self.id is None else f"{self.section}.{self.id}"
        return ".".join((head, *self.fields))


@dataclass(frozen=True, slots=True)
class SetOp:
    """``set: {path: value}``: ``value`` is typed as the field's model value."""

    path: FieldPath
    value: Any
    loc: Loc
    #: Position of the value (where a problem with the new figure is reported).
    value_loc: Loc


@dataclass(frozen=True, slots=True)
class RefOp:
    """One item of ``open`` or ``close``: a link, crossing or project id, optionally
    prefixed ``link:``, ``crossing:`` or ``project:``."""

    ref: str
    kind: str | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Added:
    """Records a scenario adds (``add:``), built like a network file's."""

    places: tuple[Place, ...] = ()
    links: tuple[Link, ...] = ()
    crossings: tuple[Crossing, ...] = ()
    terminals: tuple[Terminal, ...] = ()
    sources: tuple[Source, ...] = ()
    projects: tuple[Project, ...] = ()


@dataclass(frozen=True, slots=True)
class Scenario:
    """A scenario file as read: its operations in the order they apply (``add``, then
    ``set``, ``open``, ``close``)."""

    name: str
    path: str
    content_hash: str
    description: str | None = None
    version: int = SCENARIO_VERSION
    add: Added = Added()
    sets: tuple[SetOp, ...] = ()
    opens: tuple[RefOp, ...] = ()
    closes: tuple[RefOp, ...] = ()
    #: Where each added record was written (for checks of the patched network).
    index: Index = field(default_factory=Index, compare=False, repr=False)


@dataclass
class ScenarioLoad:
    scenario: Scenario | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _settable(entity: Entity) -> list[str]:
    return [f.name for f in entity.fields if f.name not in FIXED_FIELDS]


def _walk(entity: Entity, segs: list[str]) -> F | tuple[str, int]:
    """The spec of the field ``segs`` names inside ``entity``, or why not (a message and
    how many segments were understood before it)."""
    i = 0
    while i < len(segs):
        name = segs[i]
        f = entity.by_name.get(name)
        if f is None or name in FIXED_FIELDS:
            hits = did_you_mean(name, _settable(entity), n=1)
            hint = f"; did you mean '{hits[0]}'?" if hits else ""
            what = "cannot be set (close the record and add another)" if f else "is no field"
            return f"'{name}' {what} of a {entity.name}{hint}", i
        last = i == len(segs) - 1
        if f.kind == "obj":
            if last:
                return f"'{name}' is a group of fields; name one, e.g. '{name}.hours'", i
            entity = ENTITIES[f.entity]
            i += 1
            continue
        if f.kind == "objmap" or (f.kind == "objlist" and f.entity != "closure"):
            if i + 2 > len(segs) - 1:
                key = "mode" if f.keys == "mode" else "country" if f.keys else "index"
                return (f"'{name}' needs a {key} and a field after it, e.g. "
                        f"'{name}.<{key}>.…'", i)
            if f.kind == "objlist" and not segs[i + 1].isdigit():
                return f"'{name}' is a list: give an index from 0, e.g. '{name}.0.hours'", i
            entity = ENTITIES[f.entity]
            i += 2
            continue
        if not last:
            return f"'{name}' is a single figure; nothing is inside it", i
        return f
    return "the path names no field", 0  # pragma: no cover - segs is never empty


def parse_path(text: str) -> FieldPath:
    """Parse a ``set`` path such as ``crossings.CHAMAN.a_to_b.hours`` or
    ``defaults.modes.rail.cost_usd_per_teu_km``. Record ids may contain dots: the id is
    what is left between the section and the longest field path that fits.

    Raises :class:`ScenarioError` with the reason (no position) when it names no field.
    """
    segs = text.split(".")
    section = segs[0]
    if section not in SECTION_ENTITIES:
        hits = did_you_mean(section, SECTION_ENTITIES, n=1)
        hint = f"; did you mean '{hits[0]}'?" if hits else ""
        raise ScenarioError(f"'{text}': a path starts with one of "
                            f"{', '.join(SECTION_ENTITIES)}{hint}")
    entity = ENTITIES[SECTION_ENTITIES[section]]
    if section == "defaults":
        if len(segs) < 2:
            raise ScenarioError(f"'{text}': name a field of defaults")
        got = _walk(entity, segs[1:])
        if not isinstance(got, F):
            raise ScenarioError(f"'{text}': {got[0]}")
        return FieldPath(section, None, tuple(segs[1:]), got)
    if len(segs) < 3 or not all(segs[1:]):
        raise ScenarioError(f"'{text}': write {section}.<id>.<field>")
    # The error of the reading that understood most of the path says the most.
    best = ("", -1)
    for k in range(1, len(segs) - 1):
        got = _walk(entity, segs[-k:])
        if isinstance(got, F):
            return FieldPath(section, ".".join(segs[1:-k]), tuple(segs[-k:]), got)
        if got[1] > best[1]:
            best = got
    raise ScenarioError(f"'{text}': {best[0]}")


def is_scenario_file(path: Path) -> bool:
    """Whether a YAML file is a scenario: a top-level ``scenario_version`` key in its first
    few kilobytes."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return False
    return any(line.startswith(b"scenario_version:") for line in head.splitlines())


def _display(path: Path) -> str:
    from corridor.format.network import _display as display

    return display(path)


def load_scenario(
    path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS
) -> ScenarioLoad:
    """Read and type one scenario file; never raises for bad data. Ids are not checked
    here (that needs the network: :func:`corridor.format.patch.check_scenario`)."""
    p = Path(path)
    display = _display(p)
    root, raw, problems = load_file(p, display, limits)
    if root is None:
        if not problems:
            problems.append(problem("E501", "empty file; a scenario needs scenario_version: "
                                    f"{SCENARIO_VERSION} and a name", display, 1, 1))
        return ScenarioLoad(None, sort_problems(problems))
    b = Builder(display, problems, Index())
    scenario = _read(b, root, display, raw or b"")
    return ScenarioLoad(scenario, sort_problems(problems))


def _read(b: Builder, root: Node, display: str, raw: bytes) -> Scenario | None:
    if not isinstance(root, Map) or "scenario_version" not in root.items:
        line, col = root.line, root.col
        b.problems.append(problem("E501", "not a scenario file (no scenario_version); a "
                                  f"scenario is a mapping with scenario_version: "
                                  f"{SCENARIO_VERSION}", display, line, col))
        return None
    items = root.items
    for key in items:
        if key not in TOP_KEYS:
            hits = did_you_mean(key, TOP_KEYS, n=1)
            hint = f"; did you mean '{hits[0]}'?" if hits else ""
            b._p("E103", f"unknown field '{key}' in a scenario{hint}", root.keys[key], key)
    version = b.value(items["scenario_version"], F("scenario_version", "int"),
                      "scenario_version")
    if version is _INVALID or version is _MISSING:
        return None
    if version != SCENARIO_VERSION:
        b._p("E501", f"scenario_version {version} is not supported; this corridor reads "
             f"version {SCENARIO_VERSION}", items["scenario_version"], "scenario_version")
        return None
    name = _text(b, root, "name", required=True)
    description = _text(b, root, "description")
    added, index = _add(b, items.get("add"))
    sets = _sets(b, items.get("set"))
    opens = _refs(b, items.get("open"), "open")
    closes = _refs(b, items.get("close"), "close")
    if name is None:
        return None
    digest = "sha256:" + hashlib.sha256(raw).hexdigest()
    return Scenario(name=name, path=display, content_hash=digest, description=description,
                    add=added, sets=sets, opens=opens, closes=closes, index=index)


def _text(b: Builder, root: Map, key: str, *, required: bool = False) -> str | None:
    node = root.items.get(key)
    if node is None:
        if required:
            b._p("E102", f"scenario is missing required field '{key}'", root, "")
        return None
    v = b.value(node, F(key, "str"), key)
    if v is _MISSING:
        if required:
            b._p("E102", f"required field '{key}' is empty", node, key)
        return None
    return None if v is _INVALID else str(v)


def _loc(b: Builder, node: Node | Scalar) -> Loc:
    return Loc(b.file, node.line, node.col)


def _sets(b: Builder, node: Node | None) -> tuple[SetOp, ...]:
    if node is None or (isinstance(node, Scalar) and node.plain and node.value in ("", "~")):
        return ()
    if not isinstance(node, Map):
        b._p("E101", "'set' must be a mapping of path: value", node, "set")
        return ()
    out = []
    for key, value in node.items.items():
        key_node = node.keys[key]
        where = f"set.{key}"
        try:
            fp = parse_path(key)
        except ScenarioError as err:
            b._p("E503", str(err), key_node, where)
            continue
        f = fp.spec
        if f.kind == "objlist":  # closures: a whole list
            got = b.value(value, f, where)
            v: Any = _INVALID if got is _INVALID else (
                () if got is _MISSING else b.closures(got))
        else:
            v = b.value(value, f, where)
            if v is _MISSING:
                if f.required:
                    b._p("E102", f"'{key}' cannot be emptied: the field is required",
                         value, where)
                    continue
                v = None
            elif v is not _INVALID and f.kind in ("number", "lat", "lon"):
                v = float(v)
        if v is _INVALID:
            continue
        out.append(SetOp(fp, v, _loc(b, key_node), _loc(b, value)))
    return tuple(out)


_PREFIXES = ("link", "crossing", "project")


def _refs(b: Builder, node: Node | None, key: str) -> tuple[RefOp, ...]:
    if node is None:
        return ()
    if isinstance(node, Scalar):
        items: list[Node] = [node]
    elif isinstance(node, Seq):
        items = node.items
    else:
        b._p("E101", f"'{key}' must be a list of link, crossing or project ids", node, key)
        return ()
    out = []
    for i, item in enumerate(items):
        v = b.value(item, F(key, "str"), f"{key}[{i}]")
        if v is _INVALID or v is _MISSING:
            continue
        kind, sep, ref = str(v).partition(":")
        if not sep:
            kind, ref = "", str(v)
        elif kind not in _PREFIXES:
            b._p("E104", f"'{v}': a prefix is one of {', '.join(p + ':' for p in _PREFIXES)}",
                 item, f"{key}[{i}]")
            continue
        out.append(RefOp(ref.strip(), kind or None, _loc(b, item)))
    return tuple(out)


def _add(b: Builder, node: Node | None) -> tuple[Added, Index]:
    if node is None:
        return Added(), b.index
    got = b.fields(node, FRAGMENT, "add")
    if got is _INVALID:
        return Added(), b.index
    values = got[0]
    make = {"places": b.place, "links": b.link, "crossings": b.crossing,
            "terminals": b.terminal, "sources": b.source, "projects": b.project}
    built: dict[str, Any] = {name: tuple(make[name](x) for x in values.get(name, ()))
                             for name in make}
    return Added(**built), b.index
