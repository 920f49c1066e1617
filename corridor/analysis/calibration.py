"""Calibration: the model against published transit figures.

Each case in ``calibration/cases.yaml`` is one shipment or service as a public source reported
it (see that file's header for the kinds). :func:`run_cases` answers every case the network
can answer with :func:`corridor.engine.routing.find_route` (fastest route, the case's modes and
waypoints) and compares the model's figure with the reported one:

- ``days`` or ``hours``: ratio = model / reported;
- ``days_range: [lo, hi]``: ratio = model / midpoint, and ``in_range`` says whether the model
  lies within it;
- ``km`` only: a distance case, ratio of kilometres (kept out of the time statistics).

What the model's time covers follows what the source measured (the case's ``scope``, else
its kind): ``door`` (default) the whole route; ``line-haul`` (the default for ``section``
cases: an operator's running time between two stations) the hours of the link legs only;
``port-to-port`` the route without the port handling where it starts and ends (a sailing and
the wait for it).

The summary (:func:`summarize`) gives, over the time cases other than lower bounds, the
median ratio, the share within ±35 %, the cases outside ±60 % and the ``lower_bound`` cases
the model beats (a faster
vehicle than freight: the model must not be faster). No figure here is tuned per case: the
table shows what the network's sourced rules give.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError
from corridor.model import Network

__all__ = ["Case", "Result", "Summary", "load_cases", "run_cases", "summarize"]


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    origin: str
    destination: str
    modes: tuple[str, ...]
    via: tuple[str, ...]
    kind: str
    reported: Mapping[str, Any]
    source: str
    note: str = ""
    needs: tuple[str, ...] = ()
    cause: str = ""
    scope: str = "door"


@dataclass(frozen=True, slots=True)
class Result:
    case: Case
    #: ``time`` or ``distance``; ``None`` when the network cannot answer the case.
    measure: str | None
    model: float | None = None
    reported: float | None = None
    ratio: float | None = None
    model_days: float | None = None
    model_p90_days: float | None = None
    model_km: float | None = None
    in_range: bool | None = None
    unanswered: str = ""


@dataclass(frozen=True, slots=True)
class Summary:
    time_cases: int
    median_ratio: float | None
    within_35: int
    outside_60: tuple[str, ...]
    below_lower_bound: tuple[str, ...]
    unanswered: tuple[str, ...]


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def load_cases(path: str | Path) -> list[Case]:
    """Read the cases of a calibration file (a trusted file of the repository, read with
    PyYAML's safe loader)."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise CorridorError(f"cannot read calibration cases {path}: {err}") from err
    cases = []
    for raw in data.get("cases", []):
        cases.append(Case(
            id=str(raw["id"]),
            origin=str(raw["from"]),
            destination=str(raw["to"]),
            modes=_tuple(raw.get("modes")),
            via=_tuple(raw.get("via")),
            kind=str(raw.get("kind", "")),
            reported=dict(raw.get("reported") or {}),
            source=str(raw.get("source", "")),
            note=str(raw.get("note", "")),
            needs=_tuple(raw.get("needs")),
            cause=str(raw.get("cause", "")),
            scope=str(raw.get("scope") or ("line-haul" if raw.get("kind") == "section"
                                           else "door")),
        ))
    return cases


def _reported_time(rep: Mapping[str, Any]) -> tuple[float, tuple[float, float] | None] | None:
    """Reported time in hours (and the range in hours), or None."""
    if "hours" in rep:
        return float(rep["hours"]), None
    if "days" in rep:
        return 24.0 * float(rep["days"]), None
    if "days_range" in rep:
        lo, hi = (24.0 * float(x) for x in rep["days_range"])
        return (lo + hi) / 2.0, (lo, hi)
    return None


def run_cases(network: Network, cases: Iterable[Case], **options: Any) -> list[Result]:
    """Answer each case on ``network`` (fastest route; ``options`` go to ``find_route``)."""
    from corridor.engine.routing import find_route
    from corridor.errors import NoRouteError, UnknownPlaceError, UsageError

    out: list[Result] = []
    for case in cases:
        try:
            route = find_route(
                network, case.origin, case.destination, objective="time",
                modes=case.modes or None, via=case.via, **options,
            )
        except (UnknownPlaceError, NoRouteError, UsageError) as err:
            out.append(Result(case, None, unanswered=str(err)))
            continue
        t = route.totals
        p90: float | None = t.p90_hours
        hours = _scoped_hours(route, case.scope)
        if hours != t.hours:
            p90 = None
        rep_t = _reported_time(case.reported)
        common: dict[str, Any] = {
            "model_days": t.days,
            "model_p90_days": None if p90 is None else p90 / 24.0,
            "model_km": t.distance_km,
        }
        common["model_days"] = hours / 24.0
        if rep_t is not None:
            rep_hours, rng = rep_t
            in_range = None if rng is None else rng[0] <= hours <= rng[1]
            out.append(Result(case, "time", model=hours, reported=rep_hours,
                              ratio=hours / rep_hours, in_range=in_range, **common))
        elif "km" in case.reported:
            km = float(case.reported["km"])
            out.append(Result(case, "distance", model=t.distance_km, reported=km,
                              ratio=t.distance_km / km, **common))
        else:
            out.append(Result(case, None, unanswered="no reported time or distance", **common))
    return out


def _scoped_hours(route: Any, scope: str) -> float:
    legs = list(route.legs)
    if scope == "line-haul":
        return float(sum(leg.hours for leg in legs if leg.kind == "link"))
    if scope == "port-to-port":
        if legs and legs[0].kind == "handling":
            legs = legs[1:]
        if legs and legs[-1].kind == "handling":
            legs = legs[:-1]
        return float(sum(leg.hours for leg in legs))
    if scope != "door":
        raise CorridorError(f"unknown calibration scope {scope!r}")
    return float(route.totals.hours)


def summarize(results: Sequence[Result]) -> Summary:
    """Median model/reported ratio over the time cases, the share within ±35 %, and the
    cases outside ±60 % or faster than a lower bound."""
    timed = [r for r in results if r.measure == "time" and r.ratio is not None]
    # A lower bound (a car, a passenger train) only says the model must not be faster: its
    # ratio is checked against 1, not counted in the median or the ±35 % share.
    ratios = [r.ratio for r in timed if r.ratio is not None and r.case.kind != "lower_bound"]
    return Summary(
        time_cases=len(ratios),
        median_ratio=statistics.median(ratios) if ratios else None,
        within_35=sum(1 for x in ratios if 0.65 <= x <= 1.35),
        outside_60=tuple(r.case.id for r in timed
                         if r.ratio is not None and r.case.kind != "lower_bound"
                         and not 0.4 <= r.ratio <= 1.6),
        below_lower_bound=tuple(r.case.id for r in timed
                                if r.case.kind == "lower_bound" and r.ratio is not None
                                and r.ratio < 1.0),
        unanswered=tuple(r.case.id for r in results if r.measure is None),
    )
