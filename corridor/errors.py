"""One exception tree for the library, rooted in :class:`CorridorError`.

The CLI turns these into exit codes in one place (``cli.py``): a ``CorridorError`` is a
domain failure (exit 1); :class:`UsageError` is a usage error (exit 2). Third-party errors
are wrapped with ``raise ... from err`` so that callers never see networkx or PyYAML types.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corridor.format.problems import Problem

__all__ = [
    "CorridorError",
    "UsageError",
    "NetworkError",
    "PlaceError",
    "UnknownPlaceError",
    "AmbiguousPlaceError",
    "NoRouteError",
    "InputFileError",
    "MissingExtraError",
]


class CorridorError(Exception):
    """Base of every error the library raises on purpose."""

    #: Exit code the CLI uses for this error.
    exit_code: int = 1


class UsageError(CorridorError):
    """The request itself is malformed (bad option value, missing path): exit code 2."""

    exit_code = 2


class NetworkError(CorridorError):
    """A network could not be loaded because of errors in its files.

    ``problems`` holds every problem found (errors and warnings), sorted by position.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


class PlaceError(CorridorError):
    """A place name did not resolve to exactly one place."""

    def __init__(self, message: str, query: str, candidates: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.query = query
        self.candidates = tuple(candidates)


class UnknownPlaceError(PlaceError):
    """No place matches; ``candidates`` holds the closest names."""


class AmbiguousPlaceError(PlaceError):
    """Several places match; ``candidates`` holds them."""


class NoRouteError(CorridorError):
    """No route satisfies the request; the message says why when that can be told."""


class InputFileError(UsageError):
    """A file given to a command (e.g. a ``corridor diff`` watch file) has errors; exit 2.

    ``problems`` holds every problem found, sorted by position.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


class MissingExtraError(UsageError):
    """An option needs an optional dependency that is not installed (e.g. ``--chart``
    needs matplotlib: ``pip install 'corridor[charts]'``); the message says how to install
    it. Exit code 2, like a usage error: the installation, not the data, must change."""
