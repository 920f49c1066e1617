"""Problems found in network files, and the registry of their codes.

A :class:`Problem` is a value: the loader and the checks collect them instead of stopping at
the first. Every code is registered once in :data:`CODES`, with its severity and a title,
and documented in ``docs/error-codes.md`` with a failing example; a test keeps the two in
step. Codes are never reused: retire one by leaving it here marked ``retired``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from corridor.textutil import clip, printable

__all__ = ["Severity", "Code", "CODES", "Problem", "problem", "sort_problems"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str


def _codes(*rows: tuple[str, Severity, str]) -> dict[str, Code]:
    out: dict[str, Code] = {}
    for code, sev, title in rows:
        assert code not in out, f"code {code} registered twice"
        out[code] = Code(code, sev, title)
    return out


#: Every problem code, once. E = error, W = warning. Groups: 0xx files and YAML,
#: 1xx fields and types, 2xx ids and references, 3xx geography and topology, 4xx provenance,
#: 5xx scenarios.
CODES: dict[str, Code] = _codes(
    ("E001", "error", "file not found or unreadable"),
    ("E002", "error", "not a regular file"),
    ("E003", "error", "file too large"),
    ("E004", "error", "file is not UTF-8 text"),
    ("E005", "error", "YAML syntax error"),
    ("E006", "error", "duplicate mapping key"),
    ("E007", "error", "alias expansion limit exceeded"),
    ("E008", "error", "nesting too deep"),
    ("E009", "error", "include matches no file"),
    ("E010", "error", "include points outside the network folder"),
    ("E011", "error", "file included twice or include cycle"),
    ("E012", "error", "symbolic link loop"),
    ("E013", "error", "more than one YAML document in a file"),
    ("E014", "error", "YAML tag not allowed"),
    ("E015", "error", "not a network manifest"),
    ("W016", "warning", "included file holds no records"),
    ("E101", "error", "wrong type"),
    ("E102", "error", "required field missing"),
    ("E103", "error", "unknown field"),
    ("E104", "error", "value not allowed"),
    ("E105", "error", "number must be positive and finite"),
    ("E106", "error", "negative or non-finite cost or time"),
    ("E107", "error", "latitude or longitude out of range"),
    ("E108", "error", "unknown country code"),
    ("E109", "error", "unsupported format version"),
    ("E110", "error", "invalid id"),
    ("E113", "error", "invalid date, month or closure period"),
    ("E112", "error", "empty list where at least one value is needed"),
    ("E111", "error", "number outside its allowed range"),
    ("W101", "warning", "ambiguous plain scalar"),
    ("E201", "error", "duplicate id"),
    ("E202", "error", "ids differ only in case"),
    ("E203", "error", "unknown place"),
    ("E204", "error", "link or crossing joins a place to itself"),
    ("E205", "error", "unknown source"),
    ("E206", "error", "gauge given for a mode without gauges, or missing for rail"),
    ("E207", "error", "unknown project"),
    ("E301", "error", "distance shorter than the great-circle distance"),
    ("W302", "warning", "distance implausibly long"),
    ("E303", "error", "land link between countries without a crossing"),
    ("E304", "error", "rail gauge change without a transfer"),
    ("E305", "error", "crossing joins places in the same country"),
    ("E306", "error", "mode not allowed here"),
    ("W307", "warning", "place unreachable"),
    ("W308", "warning", "seaport unreachable from inland"),
    ("W309", "warning", "file not part of any network"),
    ("W310", "warning", "YAML file that is not a network file"),
    ("E310", "error", "network has no places"),
    ("W320", "warning", "terminal operation without figures: the default block is missing"),
    ("W401", "warning", "figure without a source or an estimate"),
    ("E501", "error", "not a scenario file, or unsupported scenario_version"),
    ("E502", "error", "scenario names an unknown record"),
    ("E503", "error", "scenario path names no settable field"),
    ("E504", "error", "scenario adds a record that exists already"),
    ("E505", "error", "ambiguous id in open or close"),
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem at a position. ``line``/``col`` are 1-based, 0 when unknown.

    ``path`` locates the value inside the file's data, e.g. ``links[3].to``.
    """

    code: str
    message: str
    file: str
    line: int = 0
    col: int = 0
    path: str = ""

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.col, self.code, self.message)

    def __str__(self) -> str:
        return (
            f"{printable(self.file)}:{self.line}:{self.col}: {self.code} {printable(self.message)}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.col,
            "path": self.path,
        }


def problem(
    code: str, message: str, file: str, line: int = 0, col: int = 0, path: str = ""
) -> Problem:
    """Make a problem, checking that ``code`` is registered. A message longer than
    :data:`MAX_MESSAGE` characters is cut (values quoted in it should already be cut by
    :func:`corridor.textutil.clip`; this is the backstop), and so is ``path``."""
    if code not in CODES:
        raise KeyError(f"unregistered problem code {code}")
    if len(message) > MAX_MESSAGE:
        message = clip(message, MAX_MESSAGE)
    if len(path) > MAX_MESSAGE:
        path = clip(path, MAX_MESSAGE)
    return Problem(code, message, file, line, col, path)


#: The longest message (and data path) a problem keeps, in characters.
MAX_MESSAGE = 1000


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sort by file, line, column (then code and message, so the order is total) and drop
    exact duplicates."""
    return sorted(set(problems), key=Problem.sort_key)
