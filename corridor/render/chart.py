"""Time/cost–distance charts (the UNESCAP corridor chart), drawn with matplotlib.

Cumulative transit time (days, top panel) and cumulative cost (USD, bottom panel) against
cumulative distance (km), one line per route: a leg on the move rises with distance; a
border crossing, a transfer, port handling or transshipment is (almost) a vertical step,
marked and labelled. One line per route of ``corridor route -k``, or per port of
``corridor compare``. The figures come from the route's legs only
(:func:`chart_series`), so the chart always matches the table and JSON.

matplotlib is an optional extra (``pip install 'corridor[charts]'``); without it,
:func:`require_matplotlib` raises :class:`corridor.errors.MissingExtraError` (exit 2).
Files are SVG or PNG by their extension; SVG output is deterministic (no date, fixed ids,
text kept as text) and each line is a group with id ``time-KEY`` / ``cost-KEY`` (``KEY`` is
the route's rank or the port's id) so tools can find the series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from corridor.errors import MissingExtraError, UsageError

if TYPE_CHECKING:
    from corridor.analysis.compare import Comparison
    from corridor.engine.routing import Leg, Route

__all__ = ["Point", "Series", "chart_series", "route_series", "comparison_series",
           "chart_title", "comparison_chart_title",
           "draw_chart", "require_matplotlib", "chart_format", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'corridor[charts]'"
FORMATS = ("svg", "png")

#: Step kinds that are drawn as marked (vertical) steps.
STEP_KINDS = ("crossing", "transfer", "handling", "transshipment")


@dataclass(frozen=True, slots=True)
class Point:
    """The running totals after a leg (or ``(0, 0, 0)`` at the origin). ``step`` labels a
    leg that is a stop (crossing, transfer, handling), else ``None``; ``kind`` is the leg's
    kind (``origin`` for the first point)."""

    distance_km: float
    hours: float
    cost_usd: float
    kind: str = "origin"
    step: str | None = None


@dataclass(frozen=True, slots=True)
class Series:
    """One line of the chart: ``key`` (rank or port id), ``label`` and its points."""

    key: str
    label: str
    points: tuple[Point, ...]


def _step_label(leg: Leg, names: dict[str, str]) -> str | None:
    if leg.kind == "link":
        return None
    at = names.get(leg.to_id, leg.to_id)
    if leg.kind == "crossing":
        return f"border {leg.ref or at}"
    if leg.kind == "handling":
        return f"port {at}"
    if leg.kind == "transshipment":
        return f"transshipment {at}"
    if leg.from_mode == leg.mode:
        return f"gauge {at}"
    return f"{leg.from_mode}→{leg.mode} {at}"


def chart_series(route: Route, key: str, label: str) -> Series:
    """The chart line of ``route``: running distance, hours and cost after each leg."""
    names = {p.id: p.name for p in route.places}
    km = h = usd = 0.0
    pts = [Point(0.0, 0.0, 0.0)]
    for leg in route.legs:
        km += leg.distance_km
        h += leg.hours
        usd += leg.cost_usd
        pts.append(Point(km, h, usd, leg.kind, _step_label(leg, names)))
    return Series(key, label, tuple(pts))


def route_series(routes: Sequence[Route]) -> list[Series]:
    """One series per route, keyed by rank."""
    many = len(routes) > 1
    return [chart_series(r, str(r.rank),
                         (f"#{r.rank} " if many else "")
                         + f"{r.origin.name} → {r.destination.name}") for r in routes]


def comparison_series(c: Comparison) -> list[Series]:
    """One series per reachable port, keyed by port id, best first."""
    return [chart_series(x.route, x.port.id, f"#{x.rank} {x.port.name} ({x.port.id})")
            for x in c.ports if x.route is not None and x.rank is not None]


def chart_title(route: Route) -> dict[str, str]:
    """``title`` and ``subtitle`` (the provenance line) of a route's chart."""
    from corridor.render.common import provenance_text
    from corridor.render.route import OBJECTIVE_WORDS, _cargo

    return {"title": f"{route.origin.name} ({route.origin.id}) → {route.destination.name} "
                     f"({route.destination.id})  ·  "
                     f"{OBJECTIVE_WORDS.get(route.objective, route.objective)}  ·  "
                     f"{_cargo(route)}",
            "subtitle": provenance_text(route.provenance)}


def comparison_chart_title(c: Comparison) -> dict[str, str]:
    """``title`` and ``subtitle`` of a comparison's chart."""
    from corridor.render.common import provenance_text

    head = f"Gateway ports for cargo from {c.origin.name} ({c.origin.id})"
    if c.destination is not None:
        head += f" to {c.destination.name} ({c.destination.id})"
    return {"title": head, "subtitle": provenance_text(c.provenance)}


def require_matplotlib() -> None:
    """Raise :class:`MissingExtraError` (exit 2) when matplotlib cannot be imported."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MissingExtraError(
            f"charts need matplotlib, which is not installed: {INSTALL_HINT}") from None


def chart_format(path: str | Path) -> str:
    """``svg`` or ``png`` from the file name; UsageError otherwise."""
    ext = Path(path).suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise UsageError(f"chart file must end in .svg or .png, not {Path(path).name!r}")
    return ext


def draw_chart(series: Sequence[Series], path: str | Path, *, title: str,
               subtitle: str = "") -> None:
    """Draw ``series`` into ``path`` (SVG or PNG by extension). Raises UsageError for
    another extension, MissingExtraError without matplotlib, OSError if it cannot write."""
    fmt = chart_format(path)
    require_matplotlib()
    import matplotlib
    from matplotlib.figure import Figure

    rc: dict[str, Any] = {"svg.hashsalt": "corridor", "svg.fonttype": "none", "font.size": 9,
          "axes.spines.top": False, "axes.spines.right": False}
    with cast(Any, matplotlib).rc_context(rc):
        fig = Figure(figsize=(10, 7.5), layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True)
        colours = matplotlib.colormaps["tab10"]
        placed: dict[str, list[tuple[str, float, float, int]]] = {"time": [], "cost": []}
        top_x = max((p.distance_km for s in series for p in s.points), default=0.0) or 1.0
        top_h = max((p.hours / 24.0 for s in series for p in s.points), default=0.0) or 1.0
        top_c = max((p.cost_usd for s in series for p in s.points), default=0.0) or 1.0
        scales = {"time": (top_x, top_h), "cost": (top_x, top_c)}
        for n, s in enumerate(series):
            colour = colours(n % 10)
            xs = [p.distance_km for p in s.points]
            for ax, ys, what in ((top, [p.hours / 24.0 for p in s.points], "time"),
                                 (bottom, [p.cost_usd for p in s.points], "cost")):
                (line,) = ax.plot(xs, ys, color=colour, linewidth=1.8, label=s.label)
                line.set_gid(f"{what}-{s.key}")
                steps = [(x, y, p) for x, y, p in zip(xs, ys, s.points, strict=True)
                         if p.kind in STEP_KINDS]
                if steps:
                    (marks,) = ax.plot([x for x, _, _ in steps], [y for _, y, _ in steps],
                                       linestyle="none", marker="o", markersize=3.5,
                                       color=colour)
                    marks.set_gid(f"{what}-steps-{s.key}")
                _label_steps(ax, xs, ys, s.points, colour, many=len(series),
                             placed=placed[what], scale=scales[what])
        top.set_ylabel("cumulative time (days)")
        bottom.set_ylabel("cumulative cost (USD)")
        bottom.set_xlabel("cumulative distance (km)")
        for ax in (top, bottom):
            ax.grid(True, color="#dddddd", linewidth=0.6)
            ax.set_xlim(left=0)
            ax.set_ylim(bottom=0)
        bottom.yaxis.set_major_formatter(
            matplotlib.ticker.FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
        top.legend(loc="upper left", frameon=False)
        fig.suptitle(title, fontweight="bold")
        if subtitle:
            bottom.annotate(subtitle, xy=(0, 0), xycoords="figure fraction",
                            xytext=(6, 4), textcoords="offset points", fontsize=7,
                            color="#666666")
        fig.savefig(str(path), format=fmt, dpi=120,
                    metadata={"Date": None} if fmt == "svg" else {"Software": None})


def _label_steps(ax: Any, xs: Sequence[float], ys: Sequence[float],
                 points: Sequence[Point], colour: Any, *, many: int,
                 placed: list[tuple[str, float, float, int]], scale: tuple[float, float]) -> None:
    """Label the steps of one line: every step for a single line; for several lines only
    border crossings and port handling, smaller. A step the lines share (same label at the
    same point) is labelled once; a label close to one already placed moves down a line."""
    sx, sy = scale
    for x, y, p in zip(xs, ys, points, strict=True):
        if p.step is None or p.kind not in STEP_KINDS:
            continue
        if many > 1 and p.kind not in ("crossing", "handling"):
            continue
        nx, ny = x / sx, y / sy
        if any(t == p.step and abs(nx - px) < 1e-6 and abs(ny - py) < 1e-6
               for t, px, py, _ in placed):
            continue
        near = [k for _, px, py, k in placed if abs(nx - px) < 0.15 and abs(ny - py) < 0.04]
        shift = (max(near) + 1) if near else 0
        placed.append((p.step, nx, ny, shift))
        ax.annotate(p.step, xy=(x, y), xytext=(4, -2 - 9 * shift), textcoords="offset points",
                    fontsize=7 if many == 1 else 6, color=colour, va="top", ha="left")
