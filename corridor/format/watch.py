"""Watched questions: the routes and port comparisons whose answers ``corridor diff`` shows
before and after a change to the network.

A watch file is a small YAML file (``docs/diff.md`` describes it; its JSON Schema is
:func:`watch_schema`)::

    routes:
      - {from: Tashkent, to: Karachi}
      - {from: Almaty, to: Gwadar, by: cost, include_planned: true}
    compare:
      - {from: Almaty, ports: [Karachi, Gwadar, Bandar Abbas]}

It is read with the project's safe loader (:mod:`corridor.format.yamlsafe`) and typed by the
same builder as network files (:mod:`corridor.format.build`), so its problems carry the same
stable codes (E0xx for the file and YAML, E1xx for fields) at file:line:col. Without a
watch file, :func:`default_watch` gives the main origin-gateway pairs of the corridor.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor.format.problems import Problem, problem, sort_problems
from corridor.format.spec import Entity, F
from corridor.model import MODES

__all__ = [
    "RouteQuestion",
    "CompareQuestion",
    "Watch",
    "DEFAULT_ORIGINS",
    "DEFAULT_PORTS",
    "default_watch",
    "load_watch",
    "read_watch",
    "watch_schema",
]

OBJECTIVES = ("time", "cost", "distance", "co2", "generalized")

#: The default watched questions: every origin to every gateway port, and a port
#: comparison from every origin over these ports (names, resolved in each network).
DEFAULT_ORIGINS: tuple[str, ...] = ("Tashkent", "Almaty", "Kabul", "Minsk")
DEFAULT_PORTS: tuple[str, ...] = ("Karachi", "Port Qasim", "Gwadar", "Bandar Abbas", "Chabahar")


@dataclass(frozen=True, slots=True)
class RouteQuestion:
    """``corridor route FROM TO`` with these options."""

    origin: str
    destination: str
    objective: str = "time"
    modes: tuple[str, ...] = MODES
    avoid: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    include_planned: bool = False

    @property
    def label(self) -> str:
        return f"{self.origin} -> {self.destination}" + _suffix(self)


@dataclass(frozen=True, slots=True)
class CompareQuestion:
    """``corridor compare FROM --ports ...`` (``ports`` empty: every seaport reached)."""

    origin: str
    ports: tuple[str, ...] = ()
    objective: str = "time"
    modes: tuple[str, ...] = MODES
    avoid: tuple[str, ...] = ()
    include_planned: bool = False

    @property
    def label(self) -> str:
        return f"ports from {self.origin}" + _suffix(self)


def _suffix(q: RouteQuestion | CompareQuestion) -> str:
    parts = [f"by {q.objective}"]
    if set(q.modes) != set(MODES):
        parts.append(",".join(q.modes) + " only")
    if q.avoid:
        parts.append("avoiding " + ", ".join(q.avoid))
    if isinstance(q, RouteQuestion) and q.via:
        parts.append("via " + ", ".join(q.via))
    if q.include_planned:
        parts.append("with planned links")
    return " (" + "; ".join(parts) + ")"


@dataclass(frozen=True, slots=True)
class Watch:
    """The questions to ask both networks; ``source`` is the watch file, or ``None`` for
    the default set."""

    routes: tuple[RouteQuestion, ...]
    compares: tuple[CompareQuestion, ...]
    source: str | None = None


def default_watch(*, known: Sequence[set[str]] = ()) -> Watch:
    """The default questions: each of :data:`DEFAULT_ORIGINS` to each of
    :data:`DEFAULT_PORTS` by time, and a comparison of those ports from each origin.

    ``known``: for each network, the folded names and ids of its places; a place named in
    a default question that none of them knows is left out (so the default set of a
    network without, say, Minsk does not fill the diff with unknown places)."""
    def ok(name: str) -> bool:
        return not known or any(name.casefold() in k for k in known)

    origins = [o for o in DEFAULT_ORIGINS if ok(o)]
    ports = [p for p in DEFAULT_PORTS if ok(p)]
    routes = tuple(RouteQuestion(o, p) for o in origins for p in ports)
    compares = tuple(CompareQuestion(o, tuple(ports)) for o in origins) if ports else ()
    return Watch(routes, compares, None)


# --------------------------------------------------------------------------- the file

_COMMON = (
    F("by", "enum", enum=OBJECTIVES, doc="What to minimize (default time)."),
    F("modes", "enumlist", enum=MODES, doc="Allowed modes (default all)."),
    F("avoid", "strlist", doc="Places, countries (ISO code) or crossing ids to avoid."),
    F("include_planned", "bool", doc="Use planned and under-construction links too."),
)

WATCH_ROUTE = Entity("watched route", (
    F("from", "str", required=True, doc="Origin: id, name or alias."),
    F("to", "str", required=True, doc="Destination: id, name or alias."),
    F("via", "strlist", doc="Waypoints, in order."),
    *_COMMON,
), "A route whose answer is watched (corridor route FROM TO).")

WATCH_COMPARE = Entity("watched comparison", (
    F("from", "str", required=True, doc="Origin: id, name or alias."),
    F("ports", "strlist", doc="Candidate ports (default: every seaport reached by land)."),
    *_COMMON,
), "A port comparison whose answer is watched (corridor compare FROM).")

WATCH_FILE = Entity("watch file", (
    F("routes", "seq", doc="Watched routes."),
    F("compare", "seq", doc="Watched port comparisons."),
), "Questions corridor diff asks both networks.")


def load_watch(path: str | Path) -> tuple[Watch | None, list[Problem]]:
    """Read and check a watch file: ``(watch, problems)``; ``watch`` is ``None`` when the
    file has errors. Problems use the network-file codes (E001-E014 reading and YAML,
    E101-E104 fields). Never raises for bad content."""
    from corridor.format.build import _INVALID, Builder, Index
    from corridor.format.network import _display
    from corridor.format.yamlsafe import DEFAULT_LIMITS, Map, Seq, load_file

    p = Path(path)
    display = _display(p)
    problems: list[Problem] = []
    root, _, more = load_file(p, display, DEFAULT_LIMITS)
    problems.extend(more)
    if root is None:
        if not more:
            problems.append(problem("E102", "empty watch file; give routes and/or compare",
                                    display, 1, 1))
        return None, sort_problems(problems)
    b = Builder(display, problems, Index())
    routes: list[RouteQuestion] = []
    compares: list[CompareQuestion] = []
    if not isinstance(root, Map):
        problems.append(problem("E101", "a watch file is a mapping with routes and/or "
                                "compare", display, root.line, root.col))
        return None, sort_problems(problems)
    for key, node in root.items.items():
        if key not in WATCH_FILE.by_name:
            problems.append(problem("E103", f"unknown field '{key}' in a watch file; use "
                                    "routes or compare", display, root.keys[key].line,
                                    root.keys[key].col, key))
            continue
        if not isinstance(node, Seq):
            problems.append(problem("E101", f"'{key}' must be a list", display, node.line,
                                    node.col, key))
            continue
        entity = WATCH_ROUTE if key == "routes" else WATCH_COMPARE
        for i, item in enumerate(node.items):
            got = b.fields(item, entity, f"{key}[{i}]")
            if got is _INVALID:
                continue
            v: dict[str, Any] = got[0]
            common: dict[str, Any] = {
                "objective": v.get("by", "time"),
                "modes": tuple(m for m in MODES if m in v.get("modes", MODES)),
                "avoid": tuple(v.get("avoid", ())),
                "include_planned": v.get("include_planned", False),
            }
            if "modes" in v and not v["modes"]:
                problems.append(problem("E104", "'modes' must name at least one mode",
                                        display, item.line, item.col, f"{key}[{i}].modes"))
                continue
            if key == "routes":
                routes.append(RouteQuestion(v["from"], v["to"], via=tuple(v.get("via", ())),
                                            **common))
            else:
                compares.append(CompareQuestion(v["from"], tuple(v.get("ports", ())),
                                                **common))
    if not routes and not compares and not any(x.severity == "error" for x in problems):
        problems.append(problem("E102", "the watch file asks nothing; give routes and/or "
                                "compare", display, root.line, root.col))
    problems = sort_problems(problems)
    if any(x.severity == "error" for x in problems):
        return None, problems
    return Watch(tuple(routes), tuple(compares), display), problems


def read_watch(path: str | Path) -> Watch:
    """:func:`load_watch` for commands: the watch, or :class:`InputFileError` (exit 2)
    with every problem; a missing file is a :class:`UsageError`."""
    from corridor.errors import InputFileError, UsageError

    if not Path(path).is_file():
        raise UsageError(f"{path}: no such watch file")
    watch, problems = load_watch(path)
    if watch is None:
        n = sum(1 for x in problems if x.severity == "error")
        raise InputFileError(f"the watch file {path} has {n} error{'' if n == 1 else 's'}",
                             problems)
    return watch


def watch_schema() -> dict[str, Any]:
    """JSON Schema (draft-07) of watch files, from the same field specs the loader uses."""
    from corridor.format.jsonschema import _entity

    def item(e: Entity) -> dict[str, Any]:
        return _entity(e)

    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://corridor.invalid/schema/watch-v1.json",
        "title": "corridor diff watch file",
        "description": WATCH_FILE.doc,
        "type": "object",
        "properties": {
            "routes": {"type": "array", "items": item(WATCH_ROUTE),
                       "description": "Watched routes."},
            "compare": {"type": "array", "items": item(WATCH_COMPARE),
                        "description": "Watched port comparisons."},
        },
        "additionalProperties": False,
    }


def watch_schema_text() -> str:
    return json.dumps(watch_schema(), indent=2, ensure_ascii=False) + "\n"
