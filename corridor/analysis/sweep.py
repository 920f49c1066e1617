"""Break-even sweeps: vary one parameter over a range and find where the best option changes.

>>> s = sweep(network, "Tashkent", to="Jebel Ali", parameter="value-of-time",
...           start=0, stop=20, objective="generalized")                     # doctest: +SKIP
>>> [(c.at, c.before.label, c.after.label) for c in s.changes]             # doctest: +SKIP

The **question** is either a route (``question="route"``: the best route from ``origin`` to
``to`` by ``objective``, as :func:`corridor.engine.routing.find_route` answers it) or a port
comparison (``question="compare"``: the best gateway port, as
:func:`corridor.analysis.compare.compare_ports` ranks them, door to ``to`` when given). Each
value of the parameter is one call of that query function; this module never joins legs itself.

The **parameter** is one of:

- ``value-of-time``: USD per TEU-hour of the ``generalized`` objective (it changes nothing
  else, so it needs ``objective="generalized"``);
- ``containers``: the number of containers (a whole number, at least 1);
- a **figure** of the network, addressed as in a scenario's ``set``
  (``crossings.CHAMAN.b_to_a.hours``, ``links.<id>.cost_usd_per_teu_km``,
  ``defaults.modes.rail.cost_usd_per_teu_km``): each value is applied with
  :func:`corridor.format.patch.set_value` (the scenario patch) before the question is asked.

The **option** of an answer is what tells answers apart: for a route, its physical path
(the ids of its links and crossings in order); for a comparison, the best port's id. An
answer with no route (no reachable port) is the option ``None``.

The **method**: the answer is computed at ``steps`` values evenly spaced from ``start`` to
``stop`` (both included; for a whole-number parameter, rounded and without repeats). Between
two neighbouring samples whose options differ, the change is located by **bisection**: the
interval is halved, keeping the half whose ends still differ (both halves when the middle
is a third option), until it is no wider than ``tolerance`` (at least 1 for a whole-number
parameter, whose change is then exact: between two consecutive numbers). A change is
reported as the interval ``(below, above]``: the option ``before`` is best at ``below``,
``after`` at ``above``; ``at`` is its midpoint (for whole numbers, ``above``). A change that
reverts between two neighbouring samples is not seen: more ``steps`` look closer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corridor.engine.options import QueryOptions, check_options, provenance_of
from corridor.engine.places import place_index
from corridor.engine.planned import PlannedArg
from corridor.engine.routing import (
    DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    Avoid,
    PlaceRef,
    Provenance,
    Route,
)
from corridor.errors import NoRouteError, UsageError
from corridor.model import Network
from corridor.textutil import printable

if TYPE_CHECKING:
    from corridor.format.scenario import FieldPath

__all__ = [
    "PARAMETERS",
    "MAX_STEPS",
    "Parameter",
    "Outcome",
    "Sample",
    "Change",
    "Sweep",
    "sweep",
    "parse_vary",
]

#: Most samples a sweep takes.
MAX_STEPS = 1000


@dataclass(frozen=True, slots=True)
class Parameter:
    """What a sweep varies: ``name`` (``value-of-time``, or a figure's path as
    :func:`corridor.format.scenario.parse_path` reads it), ``label`` for people, ``unit`` (may be
    empty), ``integer`` for whole-number parameters, and ``base`` (the value the question
    has without the sweep; ``None`` for a figure left empty, whose default applies)."""

    name: str
    label: str
    unit: str
    integer: bool
    base: float | None

    @property
    def is_figure(self) -> bool:
        """Whether this is a figure of the network (a path such as
        ``crossings.CHAMAN.a_to_b.hours``)."""
        return "." in self.name

    @property
    def subject(self) -> str:
        """The parameter in a sentence: ``the value of time``, ``crossings.X.a_to_b.hours``."""
        return self.label if self.is_figure else f"the {self.label}"

    @property
    def title(self) -> str:
        """The parameter as a heading: ``Value of time``, ``crossings.X.a_to_b.hours``."""
        return self.label if self.is_figure else self.label[:1].upper() + self.label[1:]

    def format(self, value: float, decimals: int) -> str:
        """``12.4 USD per TEU-hour``, ``3``: a value with its unit."""
        text = f"{value:.0f}" if self.integer else f"{value:.{decimals}f}"
        return f"{text} {self.unit}" if self.unit else text


#: The parameters that need no change to the network, by name: (label, unit, integer).
PARAMETERS: dict[str, tuple[str, str, bool]] = {
    "value-of-time": ("value of time", "USD per TEU-hour", False),
    "containers": ("number of containers", "", True),
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """The best option at one value: ``option`` (``None``: no route), ``label`` for people,
    and its figures (``None`` without a route): transit ``hours``, ``cost_usd`` for the
    shipment, and ``objective_value``."""

    option: str | None
    label: str
    hours: float | None = None
    cost_usd: float | None = None
    objective_value: float | None = None


@dataclass(frozen=True, slots=True)
class Sample:
    """The best option at one sampled ``value``."""

    value: float
    best: Outcome


@dataclass(frozen=True, slots=True)
class Change:
    """The best option changes from ``before`` (best at ``below``) to ``after`` (best at
    ``above``) somewhere in ``(below, above]``; ``at`` is the reported point."""

    below: float
    above: float
    at: float
    before: Outcome
    after: Outcome


@dataclass(frozen=True, slots=True)
class Sweep:
    """A parameter swept over ``[start, stop]``: the best option at each sample (in
    increasing value) and each change of the best option (in increasing value).

    ``question`` is ``route`` or ``compare``; ``destination`` is ``None`` for a comparison
    priced to the port gate. ``evaluations`` counts the query calls made (samples and
    bisection). ``decimals`` is how many decimals the tolerance justifies when showing a
    value.
    """

    question: str
    origin: PlaceRef
    destination: PlaceRef | None
    objective: str
    options: QueryOptions
    via: tuple[str, ...]
    ports: tuple[str, ...] | None
    parameter: Parameter
    start: float
    stop: float
    steps: int
    tolerance: float
    samples: tuple[Sample, ...]
    changes: tuple[Change, ...]
    evaluations: int
    provenance: Provenance

    @property
    def decimals(self) -> int:
        if self.parameter.integer:
            return 0
        return max(0, math.ceil(-math.log10(self.tolerance)))

    def describe(self, change: Change, names: dict[str | None, str] | None = None) -> str:
        """One sentence: ``Bandar Abbas (IRBND) overtakes Gwadar (PKGWD) for Kabul → Jebel
        Ali when crossings.CHAMAN.a_to_b.hours rises above 16.20 h (Gwadar (PKGWD) is best
        below)``. ``names`` may give shorter names of options (by option) than their
        labels."""
        what = f"{self.origin.name} → {self.destination.name}" if self.destination else (
            f"cargo from {self.origin.name}")
        p = self.parameter
        value = p.format(change.at, self.decimals)
        verb = "reaches" if p.integer else "rises above"
        when = f"{p.subject} {verb} {value}"
        names = names or {}
        before = names.get(change.before.option, change.before.label)
        after = names.get(change.after.option, change.after.label)
        if change.after.option is None:
            return f"{before} stops being possible for {what} when {when}"
        if change.before.option is None:
            return f"{after} becomes possible for {what} when {when}"
        return f"{after} overtakes {before} for {what} when {when} ({before} is best below)"


def parse_vary(text: str) -> tuple[str, float, float]:
    """``"value-of-time=0:50"`` -> ``("value-of-time", 0.0, 50.0)``: a parameter and its
    range as typed on the command line. Raises UsageError for another shape."""
    name, sep, rng = str(text).rpartition("=")
    lo, colon, hi = rng.partition(":")
    try:
        if not sep or not colon or not name.strip():
            raise ValueError
        start, stop = float(lo), float(hi)
    except ValueError:
        raise UsageError(f"--vary {printable(str(text))!r}: use PARAMETER=START:STOP, e.g. "
                         "value-of-time=0:50") from None
    return name.strip(), start, stop


# --------------------------------------------------------------------------- options


def _route_option(route: Route) -> Outcome:
    from corridor.analysis.pareto import route_summary

    ids = [leg.ref or "" for leg in route.legs if leg.kind in ("link", "crossing")]
    t = route.totals
    return Outcome(option=">".join(ids), label=route_summary(route) or "(already there)",
                   hours=t.hours, cost_usd=t.cost_usd, objective_value=t.objective_value)


def _question(
    network: Network,
    question: str,
    origin: str,
    to: str | None,
    *,
    objective: str,
    opts: QueryOptions,
    via: Sequence[str],
    ports: Sequence[str] | None,
) -> Callable[[Network, int, float], Outcome]:
    """The query as a function of (network, containers, value of time) -> best option."""
    if question == "route":
        from corridor.engine.routing import find_route

        assert to is not None

        def best_route(net: Network, containers: int, vot: float) -> Outcome:
            try:
                r = find_route(net, origin, to, objective=objective, modes=opts.modes,
                               avoid=opts.avoid, via=via, include_planned=opts.include_planned,
                               cargo=opts.cargo, containers=containers,
                               value_of_time_usd_per_hour=vot)
            except NoRouteError:
                return Outcome(None, "no route")
            return _route_option(r)

        return best_route
    from corridor.analysis.compare import compare_ports

    def best_port(net: Network, containers: int, vot: float) -> Outcome:
        try:
            c = compare_ports(net, origin, ports=ports, to=to, objective=objective,
                              modes=opts.modes, avoid=opts.avoid,
                              include_planned=opts.include_planned, cargo=opts.cargo,
                              containers=containers, value_of_time_usd_per_hour=vot)
        except NoRouteError:
            return Outcome(None, "no reachable port")
        b = c.best
        if b is None or b.route is None:
            return Outcome(None, "no reachable port")
        t = b.route.totals
        return Outcome(option=b.port.id, label=f"{b.port.name} ({b.port.id})", hours=t.hours,
                       cost_usd=t.cost_usd, objective_value=t.objective_value)

    return best_port


#: Units of figures, by field name (a figure whose name is not here has no unit).
FIGURE_UNITS: dict[str, str] = {
    "hours": "h",
    "cost_usd": "USD",
    "distance_km": "km",
    "speed_kmh": "km/h",
    "cost_usd_per_teu_km": "USD per TEU-km",
    "co2_kg_per_teu_km": "kg CO2 per TEU-km",
}


def _read(network: Network, fp: FieldPath) -> float | None:
    """The figure at ``fp`` as ``network`` gives it; ``None`` when the field is empty (its
    default applies) or cannot be read."""
    obj: Any
    if fp.id is None:
        obj = network.defaults
    else:
        key = "place" if fp.section == "terminals" else "id"
        obj = next((r for r in getattr(network, fp.section) if getattr(r, key) == fp.id), None)
    try:
        for seg in fp.fields:
            if obj is None:
                return None
            if isinstance(obj, dict):
                obj = obj.get(seg)
            elif isinstance(obj, tuple):
                obj = obj[int(seg)]
            else:
                obj = getattr(obj, seg)
    except (AttributeError, ValueError, IndexError):
        return None
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        return None
    return float(obj)


def _figure(network: Network, name: str, start: float, stop: float) -> tuple[Parameter, Any]:
    """A figure parameter and its parsed path; raises UsageError for a path that names no
    number field of a record of ``network``, or a range the field cannot take."""
    from corridor.format.patch import set_value
    from corridor.format.scenario import ScenarioError, parse_path

    try:
        fp = parse_path(name)
        if fp.spec.kind not in ("number", "int"):
            raise UsageError(f"--vary {printable(name)!r}: {fp.fields[-1]} is not a number; a "
                             "sweep varies a figure")
        for v in (start, stop):
            set_value(network, fp, int(v) if fp.spec.kind == "int" else v)
    except ScenarioError as err:
        raise UsageError(f"--vary {printable(str(err))}") from None
    unit = FIGURE_UNITS.get(fp.fields[-1], "")
    base = _read(network, fp)
    return Parameter(name=str(fp), label=str(fp), unit=unit, integer=fp.spec.kind == "int",
                     base=base), fp


def _parameter(name: str, opts: QueryOptions, objective: str) -> Parameter:
    if name not in PARAMETERS:
        raise UsageError(f"unknown parameter {printable(name)!r}; use one of "
                         + ", ".join(PARAMETERS) + ", or a figure such as "
                         "crossings.<id>.a_to_b.hours")
    label, unit, integer = PARAMETERS[name]
    if name == "value-of-time" and objective != "generalized":
        raise UsageError("the value of time only weighs in the generalized objective; "
                         "sweep it with --by generalized")
    base = float(opts.containers) if name == "containers" else opts.value_of_time_usd_per_hour
    return Parameter(name=name, label=label, unit=unit, integer=integer, base=base)


def _grid(start: float, stop: float, steps: int, integer: bool) -> list[float]:
    if integer:
        return sorted({float(round(start + i * (stop - start) / (steps - 1)))
                       for i in range(steps)})
    return [start + i * (stop - start) / (steps - 1) for i in range(steps)]


# --------------------------------------------------------------------------- public


def sweep(
    network: Network,
    origin: str,
    *,
    parameter: str,
    start: float,
    stop: float,
    to: str | None = None,
    question: str = "route",
    ports: Sequence[str] | None = None,
    steps: int = 11,
    tolerance: float | None = None,
    objective: str = "generalized",
    modes: Iterable[str] | None = None,
    avoid: Iterable[str] | Avoid = (),
    via: Sequence[str] = (),
    include_planned: PlannedArg = False,
    cargo: str = "teu",
    containers: int = 1,
    value_of_time_usd_per_hour: float = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
) -> Sweep:
    """Vary ``parameter`` from ``start`` to ``stop`` and report the best option of the
    question at each of ``steps`` samples, and every change of the best option located by
    bisection to ``tolerance`` (default: a thousandth of the range; 1 for whole-number
    parameters). See the module documentation for the question, the parameters and the
    method; the other options are those of ``find_route`` and ``compare_ports``.

    Raises UsageError (unknown parameter or question; ``start >= stop``; values the
    parameter cannot take; ``steps`` outside 2..1000; ``tolerance`` not above zero, or finer
    than a millionth of the range; ``to`` missing for a route; ``via`` or ``ports`` with
    the other question), UnknownPlaceError or AmbiguousPlaceError.
    """
    if question not in ("route", "compare"):
        raise UsageError(f"unknown question {printable(str(question))!r}; use route or compare")
    opts = check_options(
        network, objective=objective, modes=modes, avoid=avoid,
        include_planned=include_planned, cargo=cargo, containers=containers,
        value_of_time_usd_per_hour=value_of_time_usd_per_hour)
    start, stop = float(start), float(stop)
    if not (math.isfinite(start) and math.isfinite(stop)) or not start < stop:
        raise UsageError(f"the range must go up: start {start:g} is not below stop {stop:g}")
    figure: Any = None
    if "." in parameter:
        param, figure = _figure(network, parameter, start, stop)
    else:
        param = _parameter(parameter, opts, objective)
    if param.integer and (start != int(start) or stop != int(stop)):
        raise UsageError(f"{param.label} ranges over whole numbers")
    if param.name == "containers" and (start < 1 or start != int(start) or stop != int(stop)):
        raise UsageError("containers range over whole numbers of at least 1")
    if param.name == "value-of-time" and start < 0:
        raise UsageError("the value of time cannot be negative")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 2 <= steps <= MAX_STEPS:
        raise UsageError(f"steps must be a whole number from 2 to {MAX_STEPS}")
    span = stop - start
    if param.integer:
        tol = 1.0 if tolerance is None else max(1.0, float(tolerance))
    else:
        tol = span / 1000 if tolerance is None else float(tolerance)
        if not tol > 0 or not math.isfinite(tol) or tol < span * 1e-6:
            raise UsageError("tolerance must be above zero and at least a millionth of the "
                             "range")
    idx = place_index(network)
    o = idx.resolve(origin)
    dest = idx.resolve(to) if to is not None else None
    if question == "route":
        if dest is None:
            raise UsageError("a route sweep needs a destination (--to); for a port "
                             "comparison use --compare")
        if ports is not None:
            raise UsageError("--ports belongs to a port comparison (--compare)")
        via_ids = tuple(idx.resolve(v).id for v in via)
        port_ids = None
    else:
        if via:
            raise UsageError("--via belongs to a route sweep, not a port comparison")
        via_ids = ()
        port_ids = None if ports is None else tuple(idx.resolve(p).id for p in ports)

    ask = _question(network, question, o.id, None if dest is None else dest.id,
                    objective=objective, opts=opts, via=via_ids, ports=port_ids)
    memo: dict[float, Outcome] = {}

    def at(value: float) -> Outcome:
        if value not in memo:
            if figure is not None:
                from corridor.format.patch import set_value

                v: float | int = int(value) if param.integer else value
                memo[value] = ask(set_value(network, figure, v), opts.containers,
                                  opts.value_of_time_usd_per_hour)
            elif param.name == "containers":
                memo[value] = ask(network, int(value), opts.value_of_time_usd_per_hour)
            else:
                memo[value] = ask(network, opts.containers, value)
        return memo[value]

    def refine(lo: float, a: Outcome, hi: float, b: Outcome) -> list[Change]:
        if a.option == b.option:
            return []
        if hi - lo <= tol:
            mid = hi if param.integer else (lo + hi) / 2
            return [Change(below=lo, above=hi, at=mid, before=a, after=b)]
        mid = float(math.floor((lo + hi) / 2)) if param.integer else (lo + hi) / 2
        m = at(mid)
        return refine(lo, a, mid, m) + refine(mid, m, hi, b)

    grid = _grid(start, stop, steps, param.integer)
    samples = [Sample(v, at(v)) for v in grid]
    changes: list[Change] = []
    for s1, s2 in zip(samples, samples[1:], strict=False):
        changes.extend(refine(s1.value, s1.best, s2.value, s2.best))
    return Sweep(
        question=question,
        origin=PlaceRef.of(o),
        destination=None if dest is None else PlaceRef.of(dest),
        objective=objective,
        options=opts,
        via=via_ids,
        ports=port_ids,
        parameter=param,
        start=start,
        stop=stop,
        steps=steps,
        tolerance=tol,
        samples=tuple(samples),
        changes=tuple(changes),
        evaluations=len(memo),
        provenance=provenance_of(network),
    )

