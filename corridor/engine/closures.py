"""Closures by date: which recorded closures a route meets, and routing on a departure date.

Links and crossings may carry ``closures`` (recurring months, or date ranges; see
``docs/network-format.md``). Without a departure date no closure is applied, but a route
lists the closures of the records it uses (:func:`closure_notes`), so a reader knows that a
date could change the answer. With a departure date, :func:`find_routes_on` applies them by
the rule of ``docs/route-json.md`` ("Departure dates"):

- cargo leaves at 00:00 on the departure date; a leg *starts* ``h`` hours later, where ``h``
  is the sum of the hours of the legs before it, on day ``departure + floor(h / 24)``;
- a link or crossing is unusable for a leg when one of its closures is in force on the day
  that leg starts (a closure is in force on every day of its months, or from its ``from``
  day to its ``to`` day, both included);
- search: find the best route with no record left out; if a leg of it starts on a day its
  record is closed, leave that record out and search again; stop when the best route meets
  no closure (at most :data:`MAX_ROUNDS` searches, each leaving out at least one more
  record). A record left out stays out for the rest of the search, even if another route
  would reach it on a day it is open: the answer is a route that is open on every day it
  is used, not always the best such route (an exact answer needs a time-dependent search).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from corridor.engine.routing import Route
from corridor.errors import NoRouteError
from corridor.model import Closure, Crossing, Link, Network

__all__ = [
    "MAX_ROUNDS",
    "ClosureNote",
    "RouteCalendar",
    "closable_records",
    "closure_notes",
    "leg_days",
    "find_routes_on",
    "attach_notes",
]

#: Searches at most, each leaving out one more closed record.
MAX_ROUNDS = 25


@dataclass(frozen=True, slots=True)
class ClosureNote:
    """A closure of a link or crossing a route uses (``kind`` ``link`` or ``crossing``,
    ``id``). With a departure date, ``reached`` is the day the leg starts and ``in_force``
    whether the closure is in force then; without one both are ``None``."""

    kind: str
    id: str
    closure: Closure
    reached: date | None = None
    in_force: bool | None = None


@dataclass(frozen=True, slots=True)
class RouteCalendar:
    """What dates mean for a route: the ``departure`` date (``None`` without ``--date``),
    the closures of the records it uses (``notes``), and the closures that left records out
    of the search because a route reached them on a day they were closed (``left_out``, with
    that day in ``reached``)."""

    departure: date | None
    notes: tuple[ClosureNote, ...] = ()
    left_out: tuple[ClosureNote, ...] = ()


def closable_records(network: Network) -> dict[tuple[str, str], Link | Crossing]:
    """``(kind, id)`` -> the links and crossings that carry closures."""
    out: dict[tuple[str, str], Link | Crossing] = {}
    for lk in network.links:
        if lk.closures:
            out.setdefault(("link", lk.id), lk)
    for c in network.crossings:
        if c.closures:
            out.setdefault(("crossing", c.id), c)
    return out


def leg_days(route: Any, departure: date) -> list[date]:
    """The day each leg of ``route`` starts, leaving at 00:00 on ``departure``."""
    days = []
    elapsed = 0.0
    for leg in route.legs:
        days.append(departure + timedelta(days=int(elapsed // 24)))
        elapsed += leg.hours
    return days


def closure_notes(
    network: Network, route: Any, departure: date | None = None,
    records: dict[tuple[str, str], Link | Crossing] | None = None,
) -> tuple[ClosureNote, ...]:
    """The closures of the records ``route`` uses, in leg order (each record once); with
    ``departure``, each with the day its leg starts and whether it is in force then."""
    records = closable_records(network) if records is None else records
    if not records:
        return ()
    days = leg_days(route, departure) if departure is not None else [None] * len(route.legs)
    out: list[ClosureNote] = []
    seen: set[tuple[str, str]] = set()
    for leg, day in zip(route.legs, days, strict=True):
        key = (leg.kind, leg.ref or "")
        rec = records.get(key)
        if rec is None or key in seen:
            continue
        seen.add(key)
        for cl in rec.closures:
            out.append(ClosureNote(key[0], key[1], cl, day,
                                   None if day is None else cl.in_force(day)))
    return tuple(out)


def _close(network: Network, keys: Iterable[tuple[str, str]]) -> Network:
    keys = set(keys)
    links = tuple(replace(lk, status="closed") if ("link", lk.id) in keys else lk
                  for lk in network.links)
    xs = tuple(replace(c, status="closed") if ("crossing", c.id) in keys else c
               for c in network.crossings)
    return replace(network, links=links, crossings=xs)


def _describe(n: ClosureNote) -> str:
    cl = n.closure
    if cl.months:
        when = "months " + ",".join(str(m) for m in cl.months)
    else:
        assert cl.from_date is not None
        when = cl.from_date.isoformat() + " to " + (cl.to_date.isoformat() if cl.to_date
                                                    else "open end")
    day = f" on {n.reached.isoformat()}" if n.reached is not None else ""
    return f"{n.kind} {n.id}{day} ({cl.reason}; closed {when})"


def find_routes_on(
    network: Network,
    origin: str,
    destination: str,
    *,
    departure: date,
    k: int = 1,
    **options: Any,
) -> tuple[Route, ...]:
    """Up to ``k`` routes as :func:`corridor.engine.routing.find_routes` gives them, leaving at
    00:00 on ``departure``, using no link or crossing on a day one of its closures is in
    force (the rule of this module's docstring). Each route's ``calendar`` says the
    departure, the closures of its records and those that left records out.

    Raises what ``find_routes`` raises; NoRouteError names the closures that cut the
    routes when they did.
    """
    from corridor.engine.routing import find_routes

    records = closable_records(network)
    left_out: list[ClosureNote] = []
    net = network
    for _ in range(MAX_ROUNDS):
        try:
            routes = find_routes(net, origin, destination, k=k, **options)
        except NoRouteError as err:
            if not left_out:
                raise
            raise NoRouteError(f"{err}; on departure {departure.isoformat()} these were "
                               "closed when reached: "
                               + "; ".join(_describe(n) for n in left_out)) from None
        hits = [n for n in closure_notes(net, routes[0], departure, records) if n.in_force]
        if not hits:
            break
        first: dict[tuple[str, str], ClosureNote] = {}
        for n in hits:
            first.setdefault((n.kind, n.id), n)
        left_out.extend(first.values())
        net = _close(net, first)
    else:
        raise NoRouteError(f"no route found open on every day it is used after {MAX_ROUNDS} "
                           f"searches from departure {departure.isoformat()}")
    keep: list[Route] = []
    for r in routes:
        notes = closure_notes(net, r, departure, records)
        if any(n.in_force for n in notes):
            continue  # an alternative that meets a closure on the day it gets there
        cal = RouteCalendar(departure, notes, tuple(left_out))
        prov = replace(r.provenance, content_hash=network.content_hash)
        keep.append(replace(r, calendar=cal, provenance=prov, rank=len(keep) + 1))
    return tuple(keep)


def _records_of(network: Network, routes: Sequence[Route]) -> dict[tuple[str, str],
                                                                     Link | Crossing]:
    """:func:`closable_records` restricted to the records ``routes`` use. A network from
    the cache that indexes the links carrying closures
    (:meth:`corridor.format.cache.LazyNetwork.closable_links`) decodes only those links."""
    closable = getattr(network, "closable_links", None)
    indices = None if closable is None else closable()
    wanted = {(leg.kind, leg.ref) for r in routes for leg in r.legs if leg.ref is not None}
    if indices is None:
        everything = closable_records(network)
        return {k: v for k, v in everything.items() if k in wanted}
    out: dict[tuple[str, str], Link | Crossing] = {}
    for i in indices:
        lk = network.link(i)  # type: ignore[attr-defined]
        if ("link", lk.id) in wanted:
            out.setdefault(("link", lk.id), lk)
    for c in network.crossings:
        if c.closures and ("crossing", c.id) in wanted:
            out.setdefault(("crossing", c.id), c)
    return out


def attach_notes(network: Network, routes: Sequence[Route]) -> tuple[Route, ...]:
    """``routes`` with their ``calendar`` holding the closures of the records they use
    (no departure date: nothing applied); unchanged when there are none."""
    records = _records_of(network, routes)
    if not records:
        return tuple(routes)
    out = []
    for r in routes:
        notes = closure_notes(network, r, None, records)
        out.append(replace(r, calendar=RouteCalendar(None, notes)) if notes else r)
    return tuple(out)

