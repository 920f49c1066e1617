"""What a change to a network does: the records it adds, removes and changes, and how the
answers to watched questions move.

>>> d = diff_networks(old, new)                       # doctest: +SKIP
>>> [(c.kind, c.id, c.status) for c in d.records]     # doctest: +SKIP
>>> [(a.label, a.best_changed) for a in d.answers]    # doctest: +SKIP

Records are matched by kind and key: places, links, crossings and sources by ``id``,
terminals by ``place``, plus one ``network`` record (name, title, currency, price year) and
one ``defaults`` record. A changed record lists every field that differs, by a dotted path
(``a_to_b.hours``, ``modes.rail.by_country.KZ.speed_kmh``, ``transfers[0].cost_usd``) with
the old and the new value. Positions in the files are not compared.

Each watched question (:mod:`corridor.format.watch`) is answered on both networks by the query
functions themselves (:func:`corridor.engine.routing.find_route`,
:func:`corridor.analysis.compare.compare_ports`), so a diff shows exactly what ``corridor route``
and ``corridor compare`` would say before and after.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from corridor.errors import CorridorError, UsageError
from corridor.format.watch import CompareQuestion, RouteQuestion, Watch, default_watch
from corridor.model import Network

__all__ = [
    "FieldChange",
    "RecordChange",
    "Figures",
    "PortFigures",
    "Answer",
    "NetworkDiff",
    "diff_records",
    "diff_networks",
    "parse_max_change",
    "Thresholds",
]

#: Model attribute -> the field name written in the YAML files.
_YAML_NAMES = {"from_id": "from", "to_id": "to", "from_mode": "from", "to_mode": "to"}
_SKIP = frozenset({"loc"})


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a record that differs: ``path`` as in the YAML (``a_to_b.hours``);
    ``old``/``new`` are JSON values, ``None`` when absent on that side."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class RecordChange:
    """A record ``added``, ``removed`` or ``changed``. ``where`` is ``file:line:col`` of
    the record in the new network (the old one when removed), or ``""``."""

    kind: str
    id: str
    status: str
    fields: tuple[FieldChange, ...] = ()
    where: str = ""


@dataclass(frozen=True, slots=True)
class Figures:
    """One answer on one network: ``route`` is the place ids in order; ``error`` is set
    (and the figures are ``None``) when there was no answer, e.g. no route."""

    hours: float | None = None
    cost_usd: float | None = None
    distance_km: float | None = None
    route: tuple[str, ...] = ()
    signature: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True)
class PortFigures:
    """One candidate port of a comparison, before and after (rank ``None``: unreachable)."""

    port: str
    name: str
    old_rank: int | None
    new_rank: int | None
    old: Figures
    new: Figures


@dataclass(frozen=True, slots=True)
class Answer:
    """A watched question answered on both networks.

    ``kind`` is ``route`` or ``compare``. ``old``/``new`` are the route's figures, or the
    best port's for a comparison (with ``old_best``/``new_best`` its id). ``best_changed``
    is True when the best route (its links and crossings in order) or the best port is
    not the same, or when one side has an answer and the other has none.
    """

    kind: str
    label: str
    question: RouteQuestion | CompareQuestion
    old: Figures
    new: Figures
    best_changed: bool
    old_best: str | None = None
    new_best: str | None = None
    ports: tuple[PortFigures, ...] = ()

    @property
    def change_hours(self) -> float | None:
        return _delta(self.old.hours, self.new.hours)

    @property
    def change_cost_usd(self) -> float | None:
        return _delta(self.old.cost_usd, self.new.cost_usd)

    def relative_change(self) -> float:
        """The largest relative change of time or cost over the answer and (for a
        comparison) every port: ``0.1`` is 10 %. ``inf`` when an answer appears or goes."""
        pairs = [(self.old, self.new)] + [(p.old, p.new) for p in self.ports]
        worst = 0.0
        for a, b in pairs:
            if (a.error is None) != (b.error is None):
                return math.inf
            for x, y in ((a.hours, b.hours), (a.cost_usd, b.cost_usd)):
                if x is None or y is None:
                    continue
                r = abs(y - x) / abs(x) if x else (0.0 if y == 0 else math.inf)
                worst = max(worst, r)
        return worst


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


@dataclass(frozen=True, slots=True)
class Side:
    """One network of a diff: name, content hash and manifest path."""

    name: str
    content_hash: str
    manifest: str


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a diff fails (exit 1): ``fail_if_best_changes``, and ``max_change`` as a
    fraction (0.1 = 10 %) that no watched answer's time or cost may move by more than."""

    fail_if_best_changes: bool = False
    max_change: float | None = None


@dataclass(frozen=True, slots=True)
class NetworkDiff:
    """Everything ``corridor diff`` reports; ``broken`` lists the thresholds not met,
    one sentence each (empty: the diff passes)."""

    old: Side
    new: Side
    records: tuple[RecordChange, ...]
    answers: tuple[Answer, ...]
    watch_source: str | None
    thresholds: Thresholds
    broken: tuple[str, ...]
    tool_version: str

    @property
    def counts(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "changed": 0}
        for r in self.records:
            out[r.status] += 1
        return out


# --------------------------------------------------------------------------- records


def _json(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _flatten(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """``(path, scalar)`` for every leaf of a record (dataclasses, mappings and tuples of
    records are walked; tuples of scalars are one leaf)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name in _SKIP:
                continue
            name = _YAML_NAMES.get(f.name, f.name)
            if f.name == "provenance":  # source/estimate/note sit on the record in YAML
                yield from _flatten(getattr(value, f.name), prefix)
                continue
            yield from _flatten(getattr(value, f.name), f"{prefix}.{name}" if prefix else name)
    elif isinstance(value, Mapping):
        for k in sorted(value):
            yield from _flatten(value[k], f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(value, tuple) and any(dataclasses.is_dataclass(v) for v in value):
        for i, v in enumerate(value):
            yield from _flatten(v, f"{prefix}[{i}]")
    else:
        yield prefix, _json(value)


def _field_changes(old: Any, new: Any) -> tuple[FieldChange, ...]:
    a = dict(_flatten(old, ""))
    b = dict(_flatten(new, ""))
    order = list(a) + [k for k in b if k not in a]
    return tuple(FieldChange(k, a.get(k), b.get(k)) for k in order if a.get(k) != b.get(k))


def _keyed(network: Network) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    meta = {"name": network.name, "title": network.title, "description": network.description,
            "currency": network.currency, "price_year": network.price_year,
            "format_version": network.format_version}
    out[("network", network.name)] = meta
    out[("defaults", "defaults")] = network.defaults
    for kind, records, key in (("place", network.places, "id"), ("link", network.links, "id"),
                               ("crossing", network.crossings, "id"),
                               ("terminal", network.terminals, "place"),
                               ("source", network.sources, "id")):
        for r in records:
            out[(kind, getattr(r, key))] = r
    return out


_KIND_ORDER = {k: i for i, k in enumerate(
    ("network", "defaults", "place", "link", "crossing", "terminal", "source"))}


def _where(record: Any) -> str:
    loc = getattr(record, "loc", None)
    return str(loc) if loc is not None else ""


def diff_records(old: Network, new: Network) -> tuple[RecordChange, ...]:
    """Records added, removed and changed from ``old`` to ``new``, ordered by kind
    (network, defaults, places, links, crossings, terminals, sources) then key. The
    ``network`` record is matched whatever its name."""
    a, b = _keyed(old), _keyed(new)
    a[("network", "")] = a.pop(("network", old.name))
    b[("network", "")] = b.pop(("network", new.name))
    out: list[RecordChange] = []
    for key in sorted(set(a) | set(b), key=lambda k: (_KIND_ORDER[k[0]], k[1])):
        kind, rid = key
        shown = new.name if kind == "network" else rid
        if key not in a:
            out.append(RecordChange(kind, shown, "added", _field_changes(None, b[key]),
                                    _where(b[key])))
        elif key not in b:
            out.append(RecordChange(kind, shown, "removed", _field_changes(a[key], None),
                                    _where(a[key])))
        else:
            changes = _field_changes(a[key], b[key])
            if changes:
                out.append(RecordChange(kind, shown, "changed", changes, _where(b[key])))
    return tuple(out)


# --------------------------------------------------------------------------- answers


def _route_figures(network: Network, q: RouteQuestion) -> Figures:
    from corridor.engine.routing import find_route

    try:
        r = find_route(network, q.origin, q.destination, objective=q.objective,
                       modes=q.modes, avoid=q.avoid, via=q.via,
                       include_planned=q.include_planned)
    except UsageError:
        raise
    except CorridorError as err:
        return Figures(error=str(err))
    return Figures(hours=r.totals.hours, cost_usd=r.totals.cost_usd,
                   distance_km=r.totals.distance_km, route=tuple(p.id for p in r.places),
                   signature=tuple(f"{leg.kind}:{leg.ref}" for leg in r.legs
                                   if leg.kind in ("link", "crossing")))


def _answer_route(old: Network, new: Network, q: RouteQuestion) -> Answer:
    a, b = _route_figures(old, q), _route_figures(new, q)
    changed = (a.error is None) != (b.error is None) or a.signature != b.signature
    return Answer("route", q.label, q, a, b, changed)


def _comparison(network: Network, q: CompareQuestion) -> tuple[Any | None, str | None]:
    from corridor.analysis.compare import compare_ports

    try:
        return compare_ports(network, q.origin, ports=list(q.ports) or None,
                             objective=q.objective, modes=q.modes, avoid=q.avoid,
                             include_planned=q.include_planned), None
    except UsageError as err:
        if q.ports:
            raise
        return None, str(err)  # e.g. no candidate seaport on this network
    except CorridorError as err:
        return None, str(err)


def _option_figures(opt: Any) -> Figures:
    if opt is None:
        return Figures(error="not a candidate")
    if not opt.reachable or opt.route is None:
        return Figures(error=opt.reason or "unreachable")
    t = opt.route.totals
    return Figures(hours=t.hours, cost_usd=t.cost_usd, distance_km=t.distance_km,
                   route=tuple(p.id for p in opt.route.places))


def _answer_compare(old: Network, new: Network, q: CompareQuestion) -> Answer:
    ca, ea = _comparison(old, q)
    cb, eb = _comparison(new, q)
    opts_a = {o.port.id: o for o in ca.ports} if ca else {}
    opts_b = {o.port.id: o for o in cb.ports} if cb else {}
    ids = list(opts_a) + [i for i in opts_b if i not in opts_a]
    ports = []
    for pid in ids:
        oa, ob = opts_a.get(pid), opts_b.get(pid)
        either = ob if ob is not None else oa
        assert either is not None
        name = either.port.name
        ports.append(PortFigures(pid, name, oa.rank if oa else None, ob.rank if ob else None,
                                 _option_figures(oa), _option_figures(ob)))
    best_a = ca.best if ca else None
    best_b = cb.best if cb else None
    fa = _option_figures(best_a) if best_a else Figures(error=ea or "no port reachable")
    fb = _option_figures(best_b) if best_b else Figures(error=eb or "no port reachable")
    ida = best_a.port.id if best_a else None
    idb = best_b.port.id if best_b else None
    return Answer("compare", q.label, q, fa, fb, ida != idb, ida, idb, tuple(ports))


def _known(network: Network) -> set[str]:
    out: set[str] = set()
    for p in network.places:
        out.add(p.id.casefold())
        out.add(p.name.casefold())
        out.update(a.casefold() for a in p.aliases)
    return out


def diff_networks(
    old: Network,
    new: Network,
    *,
    watch: Watch | None = None,
    thresholds: Thresholds = Thresholds(),
) -> NetworkDiff:
    """Compare two networks: records (see :func:`diff_records`) and the answers to
    ``watch`` (default: :func:`corridor.format.watch.default_watch`, limited to places either
    network knows by id, name or alias). A question whose place is unknown, or that has
    no route, on one side is answered with its error there.

    Raises UsageError for a watched question with bad options or, in a comparison that
    names its ports, a port that is not a seaport.
    """
    from corridor import __version__

    if watch is None:
        watch = default_watch(known=[_known(old), _known(new)])
    answers = [_answer_route(old, new, q) for q in watch.routes]
    answers += [_answer_compare(old, new, q) for q in watch.compares]
    broken: list[str] = []
    if thresholds.fail_if_best_changes:
        moved = [a.label for a in answers if a.best_changed]
        if moved:
            broken.append(f"the best route or port changed for {len(moved)} watched "
                          f"question{'' if len(moved) == 1 else 's'} (--fail-if-best-changes)")
    if thresholds.max_change is not None:
        over = [a for a in answers if a.relative_change() > thresholds.max_change]
        if over:
            broken.append(f"{len(over)} watched answer{'' if len(over) == 1 else 's'} moved "
                          f"by more than {thresholds.max_change * 100:g}% in time or cost "
                          "(--max-change)")
    return NetworkDiff(
        old=Side(old.name, old.content_hash, old.manifest),
        new=Side(new.name, new.content_hash, new.manifest),
        records=diff_records(old, new),
        answers=tuple(answers),
        watch_source=watch.source,
        thresholds=thresholds,
        broken=tuple(broken),
        tool_version=__version__,
    )


_PCT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%?\s*$")


def parse_max_change(text: str) -> float:
    """``"10%"`` or ``"10"`` -> ``0.1`` (a percentage). Raises UsageError otherwise."""
    m = _PCT.match(text)
    if not m:
        raise UsageError(f"--max-change must be a percentage such as 10%, got {text!r}")
    return float(m.group(1)) / 100.0
