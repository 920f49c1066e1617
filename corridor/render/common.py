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
    from corridor.engine.routing import PlaceRef, Provenance
    from corridor.model import ScenarioRef

__all__ = [
    "Registry", "rnd", "place_dict", "provenance_dict", "route_provenance", "dump_json", "usd",
    "provenance_text", "scenario_names",
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
    """Write ``doc`` as JSON (indent 2, trailing newline). Characters are written as they
    are, except on a stream whose encoding cannot show them: there the document is written
    with ``\\uXXXX`` escapes instead (the same JSON value), never raising."""
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    encoding = getattr(out, "encoding", None)
    if encoding:
        try:
            text.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            text = json.dumps(doc, indent=2, ensure_ascii=True, allow_nan=False) + "\n"
    out.write(text)


def scenario_names(p: Any) -> tuple[str, ...]:
    """The scenarios an answer's provenance names, in order: its ``scenarios`` (names, or
    records with a ``name``/``id``) if it has them, else its ``scenario`` if set."""
    many = getattr(p, "scenarios", None)
    if many:
        return tuple(str(getattr(s, "name", None) or getattr(s, "id", None) or s) for s in many)
    one = getattr(p, "scenario", None)
    return (str(one),) if one else ()


def provenance_text(p: Any) -> str:
    """The line that ends every query's table: ``network corridor sha256:59a23a89b273``
    (name and the first 12 hex digits of the content hash), then ``· scenario NAME`` for
    each scenario applied."""
    text = f"network {printable(p.network)} {p.content_hash[:19]}"
    names = scenario_names(p)
    if names:
        text += f"  ·  scenario{'s' if len(names) > 1 else ''} " + ", ".join(
            printable(n) for n in names)
    return text


def usd(x: float) -> str:
    """``1234.5`` -> ``"1,234"`` (whole dollars, thousands separators)."""
    return f"{x:,.0f}"
