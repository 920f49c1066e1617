"""Which links and crossings a query may use: operational ones, plus the planned and
under-construction ones of the projects it opens.

``include_planned`` (the library option behind ``--include-planned``) is normalized to a
:data:`Planned` value: ``False`` (operational records only), ``True`` (every planned and
under-construction record, the bare flag) or a frozenset of project ids (only the planned
and under-construction records whose ``project`` is one of them). Closed records are never
usable. :func:`usable` is the one rule the graph build applies.

Pure Python, no heavy imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, Union

from corridor.errors import CorridorError
from corridor.model import Crossing, Link, Network
from corridor.textutil import did_you_mean, fold, printable

__all__ = [
    "ALL",
    "Planned",
    "PlannedArg",
    "UnknownProjectError",
    "resolve_planned",
    "usable",
    "planned_json",
    "project_records",
]

#: The word that opens every project (``--include-planned all``, or the bare flag).
ALL = "all"

Planned = Union[bool, frozenset[str]]  # noqa: UP007 (runtime alias on 3.10)
#: What callers may pass: a bool, ``"all"``, a project id or a comma-separated list of
#: them, or an iterable of ids (an empty one means False).
PlannedArg = Union[bool, str, Iterable[str], None]  # noqa: UP007


class _Record(Protocol):
    @property
    def status(self) -> str: ...

    @property
    def project(self) -> str | None: ...


class UnknownProjectError(CorridorError):
    """``--include-planned`` names no project of the network (exit 1, like an unknown
    place); the message lists the closest project ids."""


def resolve_planned(network: Network, value: PlannedArg) -> Planned:
    """Normalize ``value`` against ``network``'s projects.

    Project names are matched by id, case-insensitively, then by name; ``all`` anywhere
    means every project. Raises :class:`UnknownProjectError` for a name that is no project.
    """
    if value is None or value is False:
        return False
    if value is True:
        return True
    items = [value] if isinstance(value, str) else list(value)
    names = [n.strip() for item in items for n in str(item).split(",") if n.strip()]
    if not names:
        return False
    if any(fold(n) == ALL for n in names):
        return True
    by_key: dict[str, str] = {}
    for p in network.projects:
        by_key.setdefault(fold(p.id), p.id)
    for p in network.projects:
        by_key.setdefault(fold(p.name), p.id)
    out: set[str] = set()
    for n in names:
        pid = by_key.get(fold(n))
        if pid is None:
            known = [p.id for p in network.projects]
            hits = did_you_mean(n, known, n=3)
            if hits:
                hint = "; did you mean " + " or ".join(f"'{h}'" for h in hits) + "?"
            elif known:
                hint = "; projects: " + ", ".join(sorted(known))
            else:
                hint = "; this network declares no projects"
            raise UnknownProjectError(
                f"unknown project {printable(n)!r}{hint} (--include-planned alone, or "
                f"'--include-planned {ALL}', opens every planned record)")
        out.add(pid)
    return frozenset(out)


def usable(record: _Record, planned: Planned) -> bool:
    """Whether a link or crossing is in the routing graph: operational always; closed
    never; planned and under-construction ones when every planned record is open, or when
    their project is one of those opened."""
    status = record.status
    if status == "operational":
        return True
    if status == "closed" or planned is False:
        return False
    if planned is True:
        return True
    return record.project is not None and record.project in planned


def planned_json(planned: Planned) -> bool | list[str]:
    """How machine output shows the option: ``false``, ``true`` (all), or the project ids
    opened, sorted."""
    return planned if isinstance(planned, bool) else sorted(planned)


def project_records(network: Network) -> dict[str, tuple[str, ...]]:
    """Project id -> ids of the links and crossings that name it, in file order."""
    out: dict[str, list[str]] = {p.id: [] for p in network.projects}
    records: tuple[Link | Crossing, ...] = (*network.links, *network.crossings)
    for rec in records:
        if rec.project is not None:
            out.setdefault(rec.project, []).append(rec.id)
    return {k: tuple(v) for k, v in out.items()}


def planned_words(planned: Planned) -> str:
    """For table headings: ``""``, ``"with planned links"`` or ``"with project(s) a, b"``."""
    if planned is False:
        return ""
    if planned is True:
        return "with planned links"
    ids = sorted(planned)
    return ("with project " if len(ids) == 1 else "with projects ") + ", ".join(ids)
