"""The ``corridor`` command line: a thin Typer skin over the ``corridor`` library.

Each command parses its options, calls one library function and hands the result to a
renderer from ``corridor.render``. Errors become exit codes in one place, ``_run``:

====  ===========================================================================
code  meaning
====  ===========================================================================
0     success
1     a domain failure: validation errors, no route, unknown or ambiguous place
2     a usage error: bad option or argument, a path that does not exist
====  ===========================================================================

Results go to stdout; diagnostics go to stderr. Heavy modules (networkx, Rich tables) are
imported inside the commands that need them so that ``--help`` and ``validate`` start fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional, TypeVar

import typer
from typer.core import TyperGroup

from corridor.errors import CorridorError
from corridor.render.terminal import table_width

if TYPE_CHECKING:
    from datetime import date

    from corridor.model import Network

T = TypeVar("T")

#: The option that may stand alone (every project) or take a project id.
PLANNED_FLAG = "--include-planned"


def planned_argv(command: Any, args: list[str]) -> list[str]:
    """Let ``--include-planned`` stand alone: write ``--include-planned all`` wherever the
    token after it is not its value.

    The token after it is its value only when it is not an option and the command has a
    positional argument left over without it (``route --include-planned trans-afghan A B``
    has three positionals for two places; optional arguments such as the TO of
    ``scenarios`` do not count as places). Leftovers go to the last bare flags first.
    ``--include-planned=ID`` is always a value. Typer has no options with optional values.
    """
    value_opts: set[str] = set()
    slots = 0
    for p in command.params:
        if getattr(p, "param_type_name", "") == "argument":
            if p.required:
                slots += p.nargs if p.nargs > 0 else 1_000_000
        elif not getattr(p, "is_flag", False) and p.opts != [PLANNED_FLAG]:
            value_opts.update(p.opts)
            value_opts.update(getattr(p, "secondary_opts", ()))
    positions: set[int] = set()
    flags: list[int] = []
    i = 0
    while i < len(args):
        t = args[i]
        if t == "--":
            positions.update(range(i + 1, len(args)))
            break
        if t == PLANNED_FLAG:
            flags.append(i)
        elif t in value_opts:
            i += 1
        elif not (t.startswith("-") and len(t) > 1):
            positions.add(i)
        i += 1
    extra = len(positions) - slots
    takes: set[int] = set()
    for j in reversed(flags):
        if extra > 0 and j + 1 in positions:
            takes.add(j)
            extra -= 1
    out: list[str] = []
    for i, t in enumerate(args):
        out.append(t)
        if i in flags and i not in takes:
            out.append("all")
    return out


class _Group(TyperGroup):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if PLANNED_FLAG in args:
            for n, t in enumerate(args):
                cmd = self.commands.get(t)
                if cmd is not None:
                    args = args[: n + 1] + planned_argv(cmd, args[n + 1 :])
                    break
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_Group,
    name="corridor",
    help="Freight routes, transit times, costs and emissions on the "
    "Belarus-Russia-Kazakhstan-Uzbekistan-Afghanistan-Pakistan corridor.",
    no_args_is_help=True,
    epilog="Examples:\n  corridor route Tashkent Karachi --by cost\n  corridor compare Almaty "
    "--to 'Jebel Ali'\n  corridor validate --strict",
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: One or two real examples ending each command's --help (tests/test_cli_help.py runs them
#: in a folder holding copies of the bundled network as my-network/ and base/, and a
#: watch.yaml; only the part before a shell operator is run).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "validate": ("corridor validate my-network --strict",
                 "corridor validate . --format github"),
    "route": ("corridor route Tashkent Karachi --by cost",
              "corridor route Almaty Gwadar --include-planned --alternatives 3",
              "corridor route Minsk Karachi --pareto"),
    "compare": ("corridor compare Almaty --to 'Jebel Ali' --by cost",
                "corridor compare Tashkent --ports Karachi,Gwadar,Chabahar"),
    "matrix": ("corridor matrix --from Tashkent,Almaty --to-kind seaport --by cost",),
    "reach": ("corridor reach Tashkent --within 5d --kind seaport",),
    "nodes": ("corridor nodes karachi", "corridor nodes --country PK --kind seaport"),
    "info": ("corridor info", "corridor info --network my-network --format json"),
    "schema": ("corridor schema > network.schema.json", "corridor schema --watch",
               "corridor schema --scenario"),
    "scenarios": ("corridor scenarios Kabul Peshawar --scenario torkham-closed.yaml",
                  "corridor scenarios Tashkent 'Jebel Ali' --compare --scenario "
                  "chaman-dwell-halved.yaml --scenario torkham-closed.yaml"),
    "init": ("corridor init my-copy && cd my-copy && corridor validate",),
    "diff": ("corridor diff base my-network --format markdown >> summary.md",
             "corridor diff base my-network --watch watch.yaml --fail-if-best-changes"),
    "sweep": ("corridor sweep Almaty --to Karachi --vary value-of-time=0:60",
              "corridor sweep Kabul --compare --by time "
              "--vary crossings.CHAMAN.a_to_b.hours=0:48"),
}


def _epilog(command: str) -> str:
    return "Examples:\n" + "\n".join("  " + e for e in EXAMPLES[command])


NETWORK_HELP = (
    "Network folder or its manifest file (default: $CORRIDOR_NETWORK, else ./network.yaml or "
    "the nearest one above, else the bundled network)."
)


def _version_callback(value: bool) -> None:
    if value:
        import corridor

        typer.echo(f"corridor {corridor.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    """Freight routing on the corridor and Pakistan's seaports."""
    from corridor.render.terminal import install_error_handler

    # A terminal or file that cannot show a character gets an ASCII stand-in, never a
    # UnicodeEncodeError (docs/outputs.md).
    install_error_handler(sys.stdout, sys.stderr)


def _err(message: str) -> None:
    """Print a diagnostic to stderr, plain text (no markup is interpreted)."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def _fail(err: CorridorError) -> NoReturn:
    from corridor.textutil import printable

    _err(f"error: {printable(str(err))}")
    problems = getattr(err, "problems", ())
    errors = [p for p in problems if p.severity == "error"]
    for p in errors[:10]:
        _err(f"  {p}")
    if len(errors) > 10:
        _err(f"  ... and {len(errors) - 10} more")
    raise typer.Exit(code=err.exit_code) from None


def _run(fn: Callable[[], T]) -> T:
    """Call ``fn``; turn library errors into a message on stderr and their exit code."""
    try:
        return fn()
    except CorridorError as err:
        _fail(err)


def network_path(option: Path | None) -> Path | None:
    """The network a command should use: the option, else ``$CORRIDOR_NETWORK``, else the
    ``network.yaml`` of the working directory or the nearest folder above, else None (the
    library then picks the bundled network). See :func:`corridor.format.network.choose_network`."""
    from corridor.format.network import choose_network

    choice = choose_network(option)
    return None if choice.origin == "bundled" else choice.path


def emit(result: object) -> None:
    """Print a renderer's result to stdout: strings as they are, Rich renderables through a
    console (colour only on a terminal, never with NO_COLOR; long lines are not wrapped)."""
    if isinstance(result, str):
        sys.stdout.write(result)
        sys.stdout.flush()
        return
    from rich.console import Console

    Console(highlight=False, soft_wrap=True).print(result)


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


@app.command(epilog=_epilog("validate"))
def validate(
    paths: list[Path] = typer.Argument(
        None, help="Network folders, manifests, YAML files, or folders of networks "
        "(default: $CORRIDOR_NETWORK, else ./network.yaml or the nearest one above, else the "
        "bundled network).", show_default=False),
    format: ValidateFormat = typer.Option(ValidateFormat.text, "--format", "-f",
                                          help="Output format."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    max_problems: int = typer.Option(
        200, "--max-problems", min=0, help="Show at most this many problems; 0 for all."),
    network: Optional[Path] = typer.Option(  # noqa: UP045 (Typer reads it)
        None, "--network", show_default=False,
        help="The network scenario files are checked against (default: $CORRIDOR_NETWORK, "
        "else the bundled network)."),
) -> None:
    """Check network and scenario files; report every problem as file:line:col: CODE
    message. A file with a top-level scenario_version is a scenario, e.g.
    corridor validate networks/scenarios/torkham-closed.yaml.

    Exit codes: 0 no errors; 1 errors (or warnings with --strict); 2 usage error.
    """
    from corridor.format.validate import validate as run_validate
    from corridor.render.validate import render

    targets = list(paths or [])
    if not targets:
        default = network_path(None)
        if default is not None:
            targets = [default]
    report = _run(lambda: run_validate(targets, network=network_path(network)))
    emit(render(format.value, report, strict=strict, max_problems=max_problems))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if format is ValidateFormat.github and summary_file:
        from corridor.render.validate import render_step_summary

        try:
            with open(summary_file, "a", encoding="utf-8") as fh:
                fh.write(render_step_summary(report, strict=strict))
        except OSError as err:
            _err(f"warning: cannot write the step summary to {summary_file}: {err.strerror}")
    if report.failed(strict=strict):
        raise typer.Exit(code=1)


class RouteBy(str, Enum):
    time = "time"
    cost = "cost"
    distance = "distance"
    co2 = "co2"
    generalized = "generalized"


class RouteFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    geojson = "geojson"
    markdown = "markdown"


class Cargo(str, Enum):
    teu = "teu"
    feu = "feu"


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class InfoFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    geojson = "geojson"


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    geojson = "geojson"


def _complete_place(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: place ids and names of the network the command would use."""
    from corridor.complete import place_completions

    return place_completions(network_path(ctx.params.get("network")), incomplete)


def _complete_places(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion of the last item of a comma-separated list of places."""
    from corridor.complete import place_completions

    return place_completions(network_path(ctx.params.get("network")), incomplete,
                             separator=",")


# Options shared by the query commands, declared once.
OriginArg = Annotated[str, typer.Argument(metavar="FROM", show_default=False,
                                          autocompletion=_complete_place,
                                          help="Origin: id, UN/LOCODE, name or alias.")]
ByOpt = Annotated[RouteBy, typer.Option("--by", help="What to minimize (and rank by).")]
ModesOpt = Annotated[str, typer.Option("--modes", help="Allowed modes, comma-separated.")]
AvoidOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP045 (Typer reads it)
    "--avoid", show_default=False, autocompletion=_complete_place,
    help="Places, countries (ISO code) or crossing ids to avoid, comma-separated; "
    "repeatable.")]
PlannedOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP045 (Typer reads it)
    PLANNED_FLAG, metavar="[PROJECT]", show_default=False,
    help="Use planned and under-construction links too: alone, those of every project; "
    "with a project id (repeatable or comma-separated; 'corridor info' lists them), only "
    "that project's, e.g. --include-planned trans-afghan.")]
CargoOpt = Annotated[Cargo, typer.Option("--cargo", help="Container size (scales cost, CO2).")]
# The bounds are corridor.format.spec.MAX_CONTAINERS and MAX_VALUE_OF_TIME_USD_PER_HOUR (literals
# here so that --help does not import the model; tests/test_bounds.py keeps them equal).
ContainersOpt = Annotated[int, typer.Option("--containers", min=1, max=100_000,
                                            help="Number of containers.")]
VotOpt = Annotated[float, typer.Option(
    "--value-of-time", min=0.0, max=1_000_000.0,
    help="USD per TEU-hour, for --by generalized (cost + value of time x hours).")]
DriversOpt = Annotated[int, typer.Option(
    "--drivers", min=1, max=2,
    help="Drivers per truck: 2 drives the network's team allowance (AETR: 16.8 h a day).")]
DrivingHoursOpt = Annotated[Optional[float], typer.Option(  # noqa: UP045 (Typer reads it)
    "--driving-hours", show_default=False,
    help="Hours a truck is driven in 24, replacing the network's allowance (0 < H <= 24).")]
NetworkOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045 (Typer reads it)
    "--network", help=NETWORK_HELP, show_default=False)]
ScenarioOpt = Annotated[Optional[list[Path]], typer.Option(  # noqa: UP045 (Typer reads it)
    "--scenario", metavar="FILE", show_default=False,
    help="Scenario file that changes the network before the query (figures, open or closed "
    "records, added records; docs/scenario-format.md); repeatable, applied in order, e.g. "
    "--scenario networks/scenarios/torkham-closed.yaml.")]
WidthOpt = Annotated[Optional[int], typer.Option(  # noqa: UP045 (Typer reads it)
    "--width", min=20, show_default=False,
    help="Lay tables out in N columns (default: $COLUMNS, else the terminal's width; "
    "piped output takes the tables' natural width).")]
ChartOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045 (Typer reads it)
    "--chart", show_default=False, metavar="FILE",
    help="Also draw the time/cost-distance chart to FILE (.svg or .png; needs "
    "pip install 'corridor[charts]').")]
MapOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045 (Typer reads it)
    "--map", show_default=False, metavar="FILE",
    help="Also write a self-contained HTML map to FILE (works offline).")]
ALL_MODES = "road,rail,sea"


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` -> a date; UsageError otherwise."""
    from datetime import date as _date

    from corridor.errors import UsageError

    try:
        if len(text) != 10:
            raise ValueError
        return _date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date YYYY-MM-DD") from None


def _network(option: Path | None, scenarios: list[Path] | None = None) -> Network:
    """Load the network a query command uses (see :func:`network_path`), with the
    ``--scenario`` files applied in order."""
    from corridor.format.network import load_network

    net = _run(lambda: load_network(network_path(option)))
    if scenarios:
        from corridor.format.patch import with_scenarios

        net = _run(lambda: with_scenarios(net, scenarios))
    return net


def _check_chart(chart: Path | None) -> None:
    """Fail early (exit 2) on a chart file name or a missing matplotlib, before any query."""
    if chart is not None:
        from corridor.render.chart import chart_format, require_matplotlib

        _run(lambda: chart_format(chart))
        _run(require_matplotlib)


def _save(path: Path, write: Callable[[], None]) -> None:
    """Run ``write`` (it writes ``path``); an OS error is a usage error (exit 2)."""
    from corridor.errors import UsageError
    from corridor.textutil import printable

    try:
        write()
    except OSError as err:
        _fail(UsageError(f"cannot write {printable(str(path))}: {err.strerror or err}"))


@app.command(epilog=_epilog("route"))
def route(
    origin: OriginArg,
    destination: Annotated[str, typer.Argument(metavar="TO", show_default=False,
                                               autocompletion=_complete_place,
                                               help="Destination.")],
    by: ByOpt = RouteBy.time,
    modes: ModesOpt = ALL_MODES,
    avoid: AvoidOpt = None,
    via: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--via", show_default=False, autocompletion=_complete_place,
        help="Waypoint, visited in order; repeatable.")] = None,
    alternatives: Annotated[int, typer.Option(
        "--alternatives", "-k", min=1, max=20,
        help="Show the K best routes that differ in their physical path.")] = 1,
    include_planned: PlannedOpt = None,
    cargo: CargoOpt = Cargo.teu,
    containers: ContainersOpt = 1,
    value_of_time: VotOpt = 2.0,
    drivers: DriversOpt = 1,
    driving_hours: DrivingHoursOpt = None,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Break every leg into its components (moving, rest, waiting, "
        "border, handling, transfer, terminal) with the record, rule and source of each "
        "figure.")] = False,
    departure: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--date", metavar="YYYY-MM-DD", show_default=False,
        help="Departure date: no link or crossing is used on a day one of its recorded "
        "closures is in force (leaving at 00:00; docs/route-json.md), e.g. --date "
        "2026-01-15.")] = None,
    format: Annotated[RouteFormat, typer.Option("--format", "-f",
                                                help="Output format.")] = RouteFormat.table,
    network: NetworkOpt = None,
    scenario: ScenarioOpt = None,
    width: WidthOpt = None,
    chart: ChartOpt = None,
    map_file: MapOpt = None,
    pareto: Annotated[bool, typer.Option(
        "--pareto", help="List the routes no other route beats on both time and cost "
        "(the time-cost front), fastest first; --by and --alternatives do not apply.")] = False,
    max_labels: Annotated[int, typer.Option(
        "--max-labels", min=1, help="With --pareto: stop the search after this many labels "
        "(the front is then marked cut).")] = 200_000,
) -> None:
    """Best route from FROM to TO by time, cost, distance, CO2 or generalized cost.

    Times are planning figures with a pessimistic P90 beside them; --by time minimizes the
    planning figure (docs/operating-model.md says why P90 cannot be minimized exactly).
    --pareto lists instead every route that no other route beats on both time and cost.

    Exit codes: 0 a route; 1 no route, or an unknown or ambiguous place; 2 usage error
    (also: --chart without matplotlib installed, or a file that cannot be written).
    """
    if pareto:
        _route_pareto(origin, destination, modes=modes, avoid=avoid, via=via,
                      include_planned=include_planned, cargo=cargo, containers=containers,
                      alternatives=alternatives, max_labels=max_labels, fmt=format.value,
                      network=network, scenario=scenario, dated=departure is not None,
                      drivers=drivers, driving_hours=driving_hours, explain=explain)
        return
    from corridor.engine.routing import find_routes
    from corridor.render.route import render_routes

    _check_chart(chart)
    day = _run(lambda: parse_date(departure)) if departure is not None else None
    net = _network(network, scenario)
    opts: dict[str, Any] = dict(
        k=alternatives, objective=by.value, modes=_split(modes),
        avoid=_split_each(avoid), via=via or [], include_planned=include_planned,
        cargo=cargo.value, containers=containers, value_of_time_usd_per_hour=value_of_time,
        drivers=drivers, driving_hours_per_day=driving_hours)
    if day is not None:
        from corridor.engine.closures import find_routes_on

        routes = _run(lambda: find_routes_on(net, origin, destination, departure=day, **opts))
    else:
        routes = _run(lambda: find_routes(net, origin, destination, **opts))
    if chart is not None:
        from corridor.render.chart import chart_title, draw_chart, route_series

        _save(chart, lambda: draw_chart(route_series(routes), chart,
                                        **chart_title(routes[0])))
    if map_file is not None:
        from corridor.render.map import route_map, write_map

        _save(map_file, lambda: write_map(route_map(routes, net), str(map_file)))
    if explain:
        from corridor.analysis.explain import explain_route
        from corridor.render.explain import render_explained

        if format.value not in ("table", "json", "csv"):
            from corridor.errors import UsageError

            _fail(UsageError("--explain has table, json and csv forms"))
        with table_width(width):
            render_explained([(r, explain_route(net, r)) for r in routes], format.value,
                             sys.stdout)
        return
    with table_width(width):
        render_routes(routes, format.value, sys.stdout, network=net)


def _route_pareto(origin: str, destination: str, *, modes: str, avoid: list[str] | None,
                  via: list[str] | None, include_planned: list[str] | None, cargo: Cargo,
                  containers: int, alternatives: int, max_labels: int, fmt: str,
                  network: Path | None, scenario: list[Path] | None, dated: bool,
                  drivers: int, driving_hours: float | None, explain: bool) -> None:
    """``route --pareto``: the time-cost front (a cut front is noted on stderr)."""
    from corridor.analysis.pareto import pareto_front
    from corridor.errors import UsageError
    from corridor.render.pareto import render_front

    if alternatives != 1:
        _fail(UsageError("--pareto lists every route on the time-cost front; "
                         "drop --alternatives"))
    if dated:
        _fail(UsageError("--pareto does not apply closures by date; drop --date (each "
                         "point still lists the recorded closures of its route)"))
    if explain:
        _fail(UsageError("--pareto lists routes in brief; explain one of them with "
                         "'corridor route ... --explain' (and --via to pin it)"))
    net = _network(network, scenario)
    front = _run(lambda: pareto_front(
        net, origin, destination, modes=_split(modes), avoid=_split_each(avoid),
        via=via or [], include_planned=include_planned, cargo=cargo.value,
        containers=containers, drivers=drivers, driving_hours_per_day=driving_hours,
        max_labels=max_labels))
    render_front(front, fmt, sys.stdout)
    if not front.complete and fmt != "table":
        _err("warning: " + front.cut_note())
    if not front.points:
        _err(f"error: no route found within --max-labels {max_labels}")
        raise typer.Exit(code=1)


@app.command(epilog=_epilog("schema"))
def schema(
    watch: Annotated[bool, typer.Option(
        "--watch", help="The schema of corridor diff watch files instead.")] = False,
    scenario: bool = typer.Option(False, "--scenario",
                                  help="The schema of scenario files instead."),
) -> None:
    """Print the JSON Schema of network files (for editors and yaml-language-server), or
    with --watch of diff watch files, or with --scenario of scenario files."""
    if watch:
        from corridor.format.watch import watch_schema_text

        emit(watch_schema_text())
        return
    from corridor.format.jsonschema import scenario_schema_text, schema_text

    emit(scenario_schema_text() if scenario else schema_text())


# --------------------------------------------------------------------------- analyses
# compare, matrix, reach (routing graph) and nodes, info (no graph, no networkx).


def _split(text: str | None) -> list[str]:
    """``"Tashkent, Almaty"`` -> ``["Tashkent", "Almaty"]``."""
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def _split_each(texts: list[str] | None) -> list[str]:
    """A repeatable option whose values may be comma lists: ``["PK,AF", "Chaman"]`` ->
    ``["PK", "AF", "Chaman"]``."""
    return [x for text in texts or () for x in _split(text)]


@app.command(epilog=_epilog("compare"))
def compare(
    origin: OriginArg,
    to: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--to", show_default=False, autocompletion=_complete_place,
        help="Overseas destination (e.g. 'Jebel Ali'): price each option door to it through "
        "the port, with port handling and the sea leg.")] = None,
    ports: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--ports", show_default=False, autocompletion=_complete_places,
        help="Candidate ports, comma-separated names or ids (default: every seaport FROM "
        "reaches by land).")] = None,
    by: ByOpt = RouteBy.time,
    modes: ModesOpt = ALL_MODES,
    avoid: AvoidOpt = None,
    include_planned: PlannedOpt = None,
    cargo: CargoOpt = Cargo.teu,
    containers: ContainersOpt = 1,
    value_of_time: VotOpt = 2.0,
    drivers: DriversOpt = 1,
    driving_hours: DrivingHoursOpt = None,
    format: Annotated[CompareFormat, typer.Option("--format", "-f",
                                                  help="Output format.")] = CompareFormat.table,
    network: NetworkOpt = None,
    scenario: ScenarioOpt = None,
    width: WidthOpt = None,
    chart: ChartOpt = None,
    map_file: MapOpt = None,
    explain: Annotated[bool, typer.Option(
        "--explain", help="After the ranking, break each port's route into its components "
        "with the record, rule and source of each figure (as route --explain).")] = False,
) -> None:
    """Rank gateway seaports for cargo from FROM, with the gap to the best.

    Exit codes: 0 a ranking (unreachable ports are listed with the reason); 1 an unknown or
    ambiguous place, or no candidate port reachable; 2 usage error (also: --chart without
    matplotlib installed, or a file that cannot be written).
    """
    from corridor.analysis.compare import compare_ports
    from corridor.render.analysis import render

    _check_chart(chart)
    port_list = _split(ports) if ports is not None else None
    net = _network(network, scenario)
    result = _run(lambda: compare_ports(
        net, origin, ports=port_list, to=to, objective=by.value, modes=_split(modes),
        avoid=_split_each(avoid), include_planned=include_planned, cargo=cargo.value,
        containers=containers, value_of_time_usd_per_hour=value_of_time, drivers=drivers,
        driving_hours_per_day=driving_hours))
    if chart is not None:
        from corridor.render.chart import comparison_chart_title, comparison_series, draw_chart

        _save(chart, lambda: draw_chart(comparison_series(result), chart,
                                        **comparison_chart_title(result)))
    if map_file is not None:
        from corridor.render.map import comparison_map, write_map

        _save(map_file, lambda: write_map(comparison_map(result, net), str(map_file)))
    if explain:
        from corridor.render.explain import render_compare_explained

        with table_width(width):
            _run(lambda: render_compare_explained(result, net, format.value, sys.stdout))
    elif format is CompareFormat.geojson:
        from corridor.render.common import dump_json
        from corridor.render.geojson import comparison_to_geojson

        dump_json(comparison_to_geojson(result, net), sys.stdout)
    else:
        with table_width(width):
            render("compare", result, format.value, sys.stdout)
    if result.best is None:
        _err("error: none of the candidate ports is reachable (each has its reason in the output)")
        raise typer.Exit(code=1)


@app.command(epilog=_epilog("matrix"))
def matrix(
    origins: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--from", show_default=False, autocompletion=_complete_places,
        help="Origins, comma-separated names or ids.")] = None,
    destinations: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--to", show_default=False, autocompletion=_complete_places,
        help="Destinations, comma-separated names or ids.")] = None,
    from_kind: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--from-kind", show_default=False,
        help="Add every place of this kind (e.g. seaport) to the origins.")] = None,
    to_kind: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--to-kind", show_default=False,
        help="Add every place of this kind to the destinations.")] = None,
    by: ByOpt = RouteBy.time,
    modes: ModesOpt = ALL_MODES,
    avoid: AvoidOpt = None,
    include_planned: PlannedOpt = None,
    cargo: CargoOpt = Cargo.teu,
    containers: ContainersOpt = 1,
    drivers: DriversOpt = 1,
    driving_hours: DrivingHoursOpt = None,
    value_of_time: VotOpt = 2.0,
    format: Annotated[TableFormat, typer.Option("--format", "-f",
                                                help="Output format.")] = TableFormat.table,
    network: NetworkOpt = None,
    scenario: ScenarioOpt = None,
    width: WidthOpt = None,
    workers: Annotated[int, typer.Option(
        "--workers", help="Spread the origins over this many processes (large matrices).",
        min=1)] = 1,
) -> None:
    """Origin x destination table of transit time, cost and distance.

    One shortest-path search per origin. Exit codes: 0 a matrix (pairs without a route are
    marked); 1 an unknown or ambiguous place; 2 usage error.
    """
    from corridor.analysis.matrix import od_matrix, places_of_kind
    from corridor.errors import UsageError
    from corridor.render.analysis import render

    if origins is None and from_kind is None:
        _fail(UsageError("give origins with --from and/or --from-kind"))
    if destinations is None and to_kind is None:
        _fail(UsageError("give destinations with --to and/or --to-kind"))
    net = _network(network, scenario)
    os_ = _split(origins) + (_run(lambda: places_of_kind(net, from_kind)) if from_kind else [])
    ds = _split(destinations) + (_run(lambda: places_of_kind(net, to_kind)) if to_kind else [])
    result = _run(lambda: od_matrix(
        net, os_, ds, objective=by.value, modes=_split(modes), avoid=_split_each(avoid),
        include_planned=include_planned, cargo=cargo.value, containers=containers,
        value_of_time_usd_per_hour=value_of_time, workers=workers, drivers=drivers,
        driving_hours_per_day=driving_hours))
    with table_width(width):
        render("matrix", result, format.value, sys.stdout)


@app.command(epilog=_epilog("reach"))
def reach(
    origin: OriginArg,
    within: Annotated[str, typer.Option(
        "--within", show_default=False,
        help="Budget: days (5d), hours (72h) or USD (2500usd).")],
    kind: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--kind", show_default=False, help="Only places of this kind (e.g. seaport).")] = None,
    modes: ModesOpt = ALL_MODES,
    avoid: AvoidOpt = None,
    include_planned: PlannedOpt = None,
    cargo: CargoOpt = Cargo.teu,
    containers: ContainersOpt = 1,
    drivers: DriversOpt = 1,
    driving_hours: DrivingHoursOpt = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f",
                                                help="Output format.")] = TableFormat.table,
    network: NetworkOpt = None,
    scenario: ScenarioOpt = None,
    width: WidthOpt = None,
) -> None:
    """Places reachable from FROM within a time or cost budget, nearest first.

    Exit codes: 0 the list (possibly empty); 1 an unknown or ambiguous place; 2 usage error
    (e.g. a malformed budget).
    """
    from corridor.analysis.reach import parse_budget
    from corridor.analysis.reach import reach as run_reach
    from corridor.render.analysis import render

    budget = _run(lambda: parse_budget(within))
    net = _network(network, scenario)
    result = _run(lambda: run_reach(
        net, origin, budget=budget, kind=kind, modes=_split(modes), avoid=_split_each(avoid),
        include_planned=include_planned, cargo=cargo.value, containers=containers,
        drivers=drivers, driving_hours_per_day=driving_hours))
    with table_width(width):
        render("reach", result, format.value, sys.stdout)


class ScenariosFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@app.command(epilog=_epilog("scenarios"))
def scenarios(
    origin: OriginArg,
    destination: Annotated[Optional[str], typer.Argument(  # noqa: UP045
        metavar="[TO]", show_default=False,
        help="Destination: the route FROM -> TO; with --compare, the overseas destination "
        "(optional).")] = None,
    scenario: Annotated[Optional[list[Path]], typer.Option(  # noqa: UP045
        "--scenario", metavar="FILE", show_default=False,
        help="Scenario file; each is applied alone to the base network and becomes a "
        "column (repeatable).")] = None,
    compare_ports_: Annotated[bool, typer.Option(
        "--compare", help="Ask the gateway-port comparison (as 'corridor compare') instead "
        "of the route.")] = False,
    ports: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--ports", show_default=False,
        help="With --compare: candidate ports, comma-separated.")] = None,
    by: ByOpt = RouteBy.time,
    modes: ModesOpt = ALL_MODES,
    avoid: AvoidOpt = None,
    include_planned: PlannedOpt = None,
    cargo: CargoOpt = Cargo.teu,
    containers: ContainersOpt = 1,
    value_of_time: VotOpt = 2.0,
    departure: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--date", metavar="YYYY-MM-DD", show_default=False,
        help="Route question only: departure date, as in 'corridor route --date'.")] = None,
    format: Annotated[ScenariosFormat, typer.Option(
        "--format", "-f", help="Output format.")] = ScenariosFormat.table,
    network: NetworkOpt = None,
) -> None:
    """The same question under the base network and each scenario, side by side, with the
    difference to the base.

    corridor scenarios Kabul Karachi --scenario networks/scenarios/torkham-closed.yaml

    corridor scenarios Tashkent 'Jebel Ali' --compare --scenario a.yaml --scenario b.yaml

    Exit codes: 0 the table (variants without a route say why); 1 an unknown or ambiguous
    place, a scenario with errors, or no port reachable on the base network; 2 usage error.
    """
    from corridor.analysis.sidebyside import (
        ports_side_by_side,
        routes_side_by_side,
        scenario_variants,
    )
    from corridor.errors import UsageError
    from corridor.render.sidebyside import SCENARIOS_FORMATS

    if not scenario:
        _fail(UsageError("give at least one --scenario FILE to set beside the base"))
    if destination is None and not compare_ports_:
        _fail(UsageError("give TO for a route, or --compare for the gateway ports"))
    if ports is not None and not compare_ports_:
        _fail(UsageError("--ports goes with --compare"))
    if departure is not None and compare_ports_:
        _fail(UsageError("--date goes with the route question, not --compare"))
    day = _run(lambda: parse_date(departure)) if departure is not None else None
    base = _network(network)
    nets = _run(lambda: scenario_variants(base, scenario or []))
    common: dict[str, Any] = dict(
        objective=by.value, modes=_split(modes), avoid=_split_each(avoid),
        include_planned=include_planned, cargo=cargo.value, containers=containers,
        value_of_time_usd_per_hour=value_of_time)
    if compare_ports_:
        result = _run(lambda: ports_side_by_side(
            nets, origin, to=destination,
            ports=_split(ports) if ports is not None else None, **common))
    else:
        assert destination is not None
        result = _run(lambda: routes_side_by_side(nets, origin, destination, departure=day,
                                                  **common))
    SCENARIOS_FORMATS.get(format.value)(result, sys.stdout)


@app.command(epilog=_epilog("sweep"))
def sweep(
    origin: OriginArg,
    vary: Annotated[str, typer.Option(
        "--vary", show_default=False, metavar="PARAM=START:STOP",
        help="The parameter and its range: value-of-time=0:50 (USD per TEU-hour), "
        "containers=1:40, or a figure addressed as in a scenario's set, e.g. "
        "crossings.CHAMAN.a_to_b.hours=0:48.")],
    to: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--to", show_default=False,
        help="Destination: the best route FROM -> TO; with --compare, the overseas "
        "destination of the ports.")] = None,
    compare: Annotated[bool, typer.Option(
        "--compare", help="Ask for the best gateway port (as corridor compare) instead of "
        "the best route.")] = False,
    ports: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--ports", show_default=False,
        help="With --compare: candidate ports, comma-separated.")] = None,
    steps: Annotated[int, typer.Option(
        "--steps", min=2, max=1000, help="Values sampled, evenly from START to STOP.")] = 11,
    tolerance: Annotated[Optional[float], typer.Option(  # noqa: UP045
        "--tolerance", show_default=False,
        help="Bisect each change to an interval this wide (default: a thousandth of the "
        "range; 1 for containers).")] = None,
    by: Annotated[RouteBy, typer.Option(
        "--by", help="What to minimize (and rank by).")] = RouteBy.generalized,
    modes: ModesOpt = ALL_MODES,
    avoid: AvoidOpt = None,
    via: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--via", show_default=False, help="Waypoint of the route; repeatable.")] = None,
    include_planned: PlannedOpt = None,
    cargo: CargoOpt = Cargo.teu,
    containers: ContainersOpt = 1,
    value_of_time: VotOpt = 2.0,
    format: Annotated[TableFormat, typer.Option("--format", "-f",
                                                help="Output format.")] = TableFormat.table,
    network: NetworkOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Vary one parameter over a range: the best option at each value, and where it changes.

    Each change is found by bisection to --tolerance, not just by sampling.

    Exit codes: 0 a sweep (options without a route are listed as such); 1 an unknown or
    ambiguous place, or a --scenario with errors; 2 usage error (including a --vary figure
    that names no record or field).
    """
    from corridor.analysis.sweep import parse_vary
    from corridor.analysis.sweep import sweep as run_sweep
    from corridor.render.sweep import render_sweep

    name, start, stop = _run(lambda: parse_vary(vary))
    net = _network(network, scenario)
    result = _run(lambda: run_sweep(
        net, origin, parameter=name, start=start, stop=stop, to=to,
        question="compare" if compare else "route",
        ports=_split(ports) if ports is not None else None, steps=steps, tolerance=tolerance,
        objective=by.value, modes=_split(modes), avoid=_split_each(avoid), via=via or [],
        include_planned=include_planned, cargo=cargo.value, containers=containers,
        value_of_time_usd_per_hour=value_of_time))
    render_sweep(result, format.value, sys.stdout)


@app.command(epilog=_epilog("nodes"))
def nodes(
    query: Annotated[Optional[str], typer.Argument(  # noqa: UP045
        metavar="[QUERY]", show_default=False,
        help="Part of an id, name or alias (case and accents ignored).")] = None,
    country: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--country", show_default=False,
        help="Only places in this country (ISO alpha-2, e.g. PK).")] = None,
    kind: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--kind", show_default=False,
        help="Only places of this kind (e.g. seaport, border_post).")] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f",
                                                help="Output format.")] = TableFormat.table,
    network: NetworkOpt = None,
    width: WidthOpt = None,
) -> None:
    """List and search places.

    Exit codes: 0 places found; 1 nothing matches (closest names on stderr); 2 usage error.
    """
    from corridor.analysis.catalog import search_places
    from corridor.render.catalog import NODES_FORMATS

    net = _network(network)
    result = _run(lambda: search_places(net, query, country=country, kind=kind))
    with table_width(width):
        NODES_FORMATS.get(format.value)(result, sys.stdout)


@app.command(epilog=_epilog("info"))
def info(
    format: Annotated[InfoFormat, typer.Option("--format", "-f",
                                               help="Output format.")] = InfoFormat.table,
    network: NetworkOpt = None,
    width: WidthOpt = None,
    map_file: MapOpt = None,
) -> None:
    """Summarize a network: counts by mode, status and country; crossings; seaports;
    planned projects; sources; format version and content hash. ``--format geojson``: the
    whole network as GeoJSON (links, crossings, places)."""
    from corridor.analysis.catalog import summarize
    from corridor.render.catalog import INFO_FORMATS

    net = _network(network)
    summary = summarize(net)
    if map_file is not None:
        from corridor.render.map import network_map, write_map

        _save(map_file, lambda: write_map(network_map(net), str(map_file)))
    if format is InfoFormat.geojson:
        from corridor.render.common import dump_json
        from corridor.render.geojson import network_to_geojson

        dump_json(network_to_geojson(net, summary), sys.stdout)
        return
    with table_width(width):
        INFO_FORMATS.get(format.value)(summary, sys.stdout)


@app.command(epilog=_epilog("init"))
def init(
    folder: Annotated[Path, typer.Argument(
        metavar="DIR", show_default=False,
        help="New or empty folder to copy the bundled network into.")],
) -> None:
    """Copy the bundled network, with its README, into DIR as a starting point to edit.

    Inside DIR (or below it) every command then uses the copy. Exit codes: 0 copied; 1 DIR
    is not empty (nothing is written) or cannot be written; 2 usage error (DIR is a file).
    """
    from corridor.format.scaffold import init_network

    result = _run(lambda: init_network(folder))
    _err(f"copied the bundled network ({len(result.files)} files) into {result.folder}; "
         f"edit it there, and check it with: cd {result.folder} && corridor validate")


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command(epilog=_epilog("diff"))
def diff(
    old: Annotated[Path, typer.Argument(show_default=False,
                                        help="The network before: folder or manifest.")],
    new: Annotated[Path, typer.Argument(show_default=False,
                                        help="The network after: folder or manifest.")],
    watch: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--watch", show_default=False,
        help="YAML file of watched routes and port comparisons (default: the main "
        "origin-gateway pairs; see docs/diff.md).")] = None,
    fail_if_best_changes: Annotated[bool, typer.Option(
        "--fail-if-best-changes", help="Exit 1 if the best route or port of a watched "
        "question changes.")] = False,
    max_change: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--max-change", show_default=False,
        help="Exit 1 if a watched answer's time or cost moves by more than this (e.g. "
        "10%).")] = None,
    format: Annotated[DiffFormat, typer.Option("--format", "-f",
                                               help="Output format.")] = DiffFormat.text,
) -> None:
    """What changed from network OLD to NEW: records added, removed and changed (field by
    field), and how the watched routes and port rankings move.

    Exit codes: 0 the diff (whatever it shows); 1 a threshold option is broken, or a
    network has errors; 2 usage error (a path that does not exist, a bad watch file).
    """
    from corridor.analysis.diff import Thresholds, diff_networks, parse_max_change
    from corridor.format.network import load_network
    from corridor.format.watch import read_watch
    from corridor.render.diff import render_diff

    limit = _run(lambda: parse_max_change(max_change)) if max_change is not None else None
    questions = _run(lambda: read_watch(watch)) if watch is not None else None
    net_old = _run(lambda: load_network(old))
    net_new = _run(lambda: load_network(new))
    result = _run(lambda: diff_networks(
        net_old, net_new, watch=questions,
        thresholds=Thresholds(fail_if_best_changes=fail_if_best_changes, max_change=limit)))
    emit(render_diff(result, format.value))
    for broken in result.broken:
        _err(f"error: {broken}")
    if result.broken:
        raise typer.Exit(code=1)


def main() -> None:
    """Run the app the way the ``corridor`` command does (one error style, quiet on a closed
    pipe): see :mod:`corridor.__main__`."""
    from corridor.__main__ import main as entry

    entry()


if __name__ == "__main__":
    main()
