"""What every renderer shares: the format registry and the JSON building blocks.

JSON output everywhere is built from these, so rounding, place objects, provenance and
the document's bytes (indent 2, UTF-8, trailing newline) are the same in every command.
Light on purpose: no Rich, no routing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TextIO, TypeVar

from corridor.errors import UsageError
from corridor.textutil import printable

if TYPE_CHECKING:
    from corridor.model import ScenarioRef
    from corridor.routing import PlaceRef, Provenance

__all__ = [
    "Registry", "rnd", "place_dict", "provenance_dict", "route_provenance", "dump_json", "usd",
]

F = TypeVar("F", bound=Callable[..., Any])


class Registry(Generic[F]):
    """Renderers keyed by format name, in registration order."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._fns: dict[str, F] = {}

    def register(self, name: str) -> Callable[[F], F]:
        def deco(fn: F) -> F:
            self._fns[name] = fn
            return fn

        return deco

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._fns)

    def get(self, name: str) -> F:
        """The renderer for ``name``; raises UsageError listing the formats."""
        try:
            return self._fns[name]
        except KeyError:
            raise UsageError(
                f"unknown format {printable(name)!r} for {self.what}; use one of "
                + ", ".join(self._fns)
            ) from None


def rnd(x: float | None, nd: int) -> float | None:
    """``x`` rounded to ``nd`` decimals for JSON/CSV (None stays None; never ``-0.0``)."""
    if x is None:
        return None
    v = round(float(x), nd)
    return 0.0 if v == 0 else v


def place_dict(p: PlaceRef) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "country": p.country, "lat": rnd(p.lat, 6),
            "lon": rnd(p.lon, 6)}


def provenance_dict(network: str, content_hash: str, tool_version: str,
                    scenarios: tuple[ScenarioRef, ...] = (),
                    manifest: str | None = None) -> dict[str, Any]:
    """What an answer was computed from (the ``provenance`` key of every JSON document).
    ``manifest``: the network's manifest path as shown to the user, when known."""
    net: dict[str, Any] = {"name": network, "content_hash": content_hash}
    if manifest:
        net["manifest"] = manifest
    return {
        "network": net,
        "scenarios": [{"name": s.name, "path": s.path, "content_hash": s.content_hash,
                       "applied_to": s.applied_to} for s in scenarios],
        "tool": {"name": "corridor", "version": tool_version},
    }


def route_provenance(p: Provenance) -> dict[str, Any]:
    return provenance_dict(p.network, p.content_hash, p.tool_version, p.scenarios, p.manifest)


def dump_json(doc: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def usd(x: float) -> str:
    """``1234.5`` -> ``"1,234"`` (whole dollars, thousands separators)."""
    return f"{x:,.0f}"
