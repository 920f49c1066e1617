"""Renderers of break-even sweeps (``corridor sweep``): ``table`` (Rich), ``json``
(``corridor.sweep/1``, documented in ``docs/analysis-json.md``) and ``csv`` (one row per
sample, then one per change).

JSON and CSV come from the records only, rounded as every other document (hours and USD to
0.01, days to 0.001, objective values to 0.001; parameter values to 6 decimals), so the same
input gives the same bytes. Rich is imported only by the table renderer.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any, TextIO

from corridor.analysis.sweep import Outcome, Sweep
from corridor.engine.planned import planned_json
from corridor.render.common import Registry, dump_json, place_dict, rnd, route_provenance, usd
from corridor.textutil import printable

__all__ = ["SWEEP_FORMATS", "SWEEP_SCHEMA", "sweep_to_dict", "option_letters", "render_sweep"]

SWEEP_SCHEMA = "corridor.sweep/1"

SWEEP_FORMATS: Registry[Callable[[Sweep, TextIO], None]] = Registry("sweep")

OBJECTIVE_WORDS = {
    "time": "fastest",
    "cost": "cheapest",
    "distance": "shortest",
    "co2": "lowest CO2",
    "generalized": "lowest generalized cost",
}


def render_sweep(result: Sweep, fmt: str, out: TextIO) -> None:
    """Write ``result`` to ``out`` in format ``fmt``; raises UsageError for an unknown one."""
    SWEEP_FORMATS.get(fmt)(result, out)


def option_letters(s: Sweep) -> dict[str | None, str]:
    """A short name per option for tables: ``A``, ``B``, … in order of first appearance
    as the value increases (``-`` for no route)."""
    out: dict[str | None, str] = {None: "-"}
    for option in _labels(s):
        if option not in out:
            n = len(out) - 1
            out[option] = chr(ord("A") + n) if n < 26 else f"#{n + 1}"
    return out


def _num(x: float) -> str:
    """``6.0`` -> ``6``, ``2.5`` -> ``2.5`` (at most 6 decimals)."""
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _labels(s: Sweep) -> dict[str | None, str]:
    """Every option seen with its label, in order of increasing value (samples and changes
    merged; at equal values a sample comes first)."""
    events = sorted([(x.value, 0, x.best) for x in s.samples]
                    + [(c.at, 1, c.after) for c in s.changes], key=lambda e: (e[0], e[1]))
    labels: dict[str | None, str] = {}
    for _, _, o in events:
        labels.setdefault(o.option, o.label)
    return labels


def _outcome(o: Outcome) -> dict[str, Any]:
    return {
        "option": o.option,
        "label": o.label,
        "hours": rnd(o.hours, 2),
        "days": rnd(None if o.hours is None else o.hours / 24.0, 3),
        "cost_usd": rnd(o.cost_usd, 2),
        "objective_value": rnd(o.objective_value, 3),
    }


def sweep_to_dict(s: Sweep) -> dict[str, Any]:
    """The documented JSON object of a sweep (``corridor.sweep/1``)."""
    o = s.options
    p = s.parameter
    labels = _labels(s)
    return {
        "schema": SWEEP_SCHEMA,
        "question": s.question,
        "origin": place_dict(s.origin),
        "destination": None if s.destination is None else place_dict(s.destination),
        "objective": s.objective,
        "parameter": {"name": p.name, "label": p.label, "unit": p.unit, "integer": p.integer,
                      "base": rnd(p.base, 6)},
        "range": {"start": rnd(s.start, 6), "stop": rnd(s.stop, 6), "steps": s.steps,
                  "tolerance": rnd(s.tolerance, 6)},
        "options": {
            "modes": list(o.modes),
            "avoid": {"places": list(o.avoid_places), "countries": list(o.avoid_countries),
                      "crossings": list(o.avoid_crossings)},
            "via": list(s.via),
            "ports": None if s.ports is None else list(s.ports),
            "include_planned": planned_json(o.include_planned),
            "cargo": o.cargo,
            "containers": o.containers,
            "value_of_time_usd_per_hour": rnd(o.value_of_time_usd_per_hour, 4),
        },
        "best_options": [{"option": k, "label": v} for k, v in labels.items()],
        "samples": [{"value": rnd(x.value, 6), "best": _outcome(x.best)} for x in s.samples],
        "changes": [
            {"below": rnd(c.below, 6), "above": rnd(c.above, 6), "at": rnd(c.at, 6),
             "before": _outcome(c.before), "after": _outcome(c.after), "text": s.describe(c)}
            for c in s.changes
        ],
        "evaluations": s.evaluations,
        "provenance": route_provenance(s.provenance),
    }


@SWEEP_FORMATS.register("table")
def sweep_table(s: Sweep, out: TextIO) -> None:
    """The best option at each sample, the changes as sentences, and the options by
    letter."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, highlight=False, emoji=False)
    p = s.parameter
    what = (f"best route {s.origin.name} ({s.origin.id}) → {s.destination.name} "
            f"({s.destination.id})" if s.question == "route" and s.destination else
            f"best gateway port for cargo from {s.origin.name} ({s.origin.id})"
            + (f" to {s.destination.name} ({s.destination.id})" if s.destination else ""))
    unit = f" {p.unit}" if p.unit else ""
    head = (f"{p.title} from {_num(s.start)} to {_num(s.stop)}{unit}"
            f"  ·  {what}  ·  "
            f"{OBJECTIVE_WORDS.get(s.objective, s.objective)} ({s.objective})")
    console.print(Text(printable(head), style="bold"))
    letters = option_letters(s)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(p.title, justify="right", overflow="fold")
    table.add_column("Best", overflow="fold")
    table.add_column("Days", justify="right")
    table.add_column("USD", justify="right")
    table.add_column("Objective", justify="right")
    compare = s.question == "compare"
    for x in s.samples:
        b = x.best
        name = b.label if compare or b.option is None else letters[b.option]
        table.add_row(_num(x.value), Text(printable(name)),
                      "" if b.hours is None else f"{b.hours / 24:.2f}",
                      "" if b.cost_usd is None else usd(b.cost_usd),
                      "" if b.objective_value is None else f"{b.objective_value:,.1f}")
    console.print(table)
    tol = p.format(s.tolerance, s.decimals)
    if s.changes:
        console.print(Text(f"Where the best option changes (bisection to {tol}):",
                           style="bold"))
        for c in s.changes:
            text = s.describe(c, None if compare else letters)
            console.print(Text(printable("  " + text)))
    else:
        console.print(Text("The best option is the same over the whole range (sampled at "
                           f"{len(s.samples)} values).", style="bold"))
    if not compare and any(opt is not None for opt in _labels(s)):
        console.print(Text("Routes:", style="bold"))
        for opt, label in _labels(s).items():
            if opt is not None:
                console.print(Text(printable(f"  {letters[opt]}  {label}")))
    pr = s.provenance
    console.print(Text(f"{s.evaluations} queries  ·  network {printable(pr.network)} "
                       f"{pr.content_hash[:19]}", style="dim"))


@SWEEP_FORMATS.register("json")
def sweep_json(s: Sweep, out: TextIO) -> None:
    dump_json(sweep_to_dict(s), out)


SWEEP_CSV = (
    "kind", "value", "below", "above", "option", "label", "from_option", "from_label", "hours",
    "days", "cost_usd", "objective_value",
)


@SWEEP_FORMATS.register("csv")
def sweep_csv(s: Sweep, out: TextIO) -> None:
    """``sample`` rows (the best option at each value), then ``change`` rows (``value`` is
    where it changes, ``from_*`` the option before, figures those of the option after)."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(SWEEP_CSV)

    def figs(o: Outcome) -> list[Any]:
        d = _outcome(o)
        return [d["hours"], d["days"], d["cost_usd"], d["objective_value"]]

    for x in s.samples:
        row = ["sample", rnd(x.value, 6), None, None, x.best.option, x.best.label, None, None,
               *figs(x.best)]
        w.writerow(["" if v is None else v for v in row])
    for c in s.changes:
        row = ["change", rnd(c.at, 6), rnd(c.below, 6), rnd(c.above, 6), c.after.option,
               c.after.label, c.before.option, c.before.label, *figs(c.after)]
        w.writerow(["" if v is None else v for v in row])
