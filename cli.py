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
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional, TypeVar

import typer

from corridor.errors import CorridorError

if TYPE_CHECKING:
    from corridor.model import Network

T = TypeVar("T")

app = typer.Typer(
    name="corridor",
    help="Freight routes, transit times, costs and emissions on the "
    "Belarus-Russia-Kazakhstan-Uzbekistan-Afghanistan-Pakistan corridor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

NETWORK_HELP = (
    "Network folder or its manifest file (default: $CORRIDOR_NETWORK, else the bundled network)."
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
    """The network a command should use: the option, else ``$CORRIDOR_NETWORK``, else None
    (the library then picks the bundled network)."""
    if option is not None:
        return option
    env = os.environ.get("CORRIDOR_NETWORK")
    return Path(env) if env else None


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


@app.command()
def validate(
    paths: list[Path] = typer.Argument(
        None, help="Network folders, manifests, YAML files, or folders of networks "
        "(default: $CORRIDOR_NETWORK, else the bundled network).", show_default=False),
    format: ValidateFormat = typer.Option(ValidateFormat.text, "--format", "-f",
                                          help="Output format."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    max_problems: int = typer.Option(
        200, "--max-problems", min=0, help="Show at most this many problems; 0 for all."),
) -> None:
    """Check network files; report every problem as file:line:col: CODE message.

    Exit codes: 0 no errors; 1 errors (or warnings with --strict); 2 usage error.
    """
    from corridor.render.validate import render
    from corridor.validate import validate as run_validate

    targets = list(paths or [])
    if not targets:
        default = network_path(None)
        if default is not None:
            targets = [default]
    report = _run(lambda: run_validate(targets))
    emit(render(format.value, report, strict=strict, max_problems=max_problems))
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


class Cargo(str, Enum):
    teu = "teu"
    feu = "feu"


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class InfoFormat(str, Enum):
    table = "table"
    json = "json"


# Options shared by the query commands, declared once.
OriginArg = Annotated[str, typer.Argument(metavar="FROM", show_default=False,
                                          help="Origin: id, UN/LOCODE, name or alias.")]
ByOpt = Annotated[RouteBy, typer.Option("--by", help="What to minimize (and rank by).")]
ModesOpt = Annotated[str, typer.Option("--modes", help="Allowed modes, comma-separated.")]
AvoidOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP045 (Typer reads it)
    "--avoid", show_default=False,
    help="Place, country (ISO code) or crossing id to avoid; repeatable.")]
PlannedOpt = Annotated[bool, typer.Option(
    "--include-planned", help="Use planned and under-construction links too.")]
CargoOpt = Annotated[Cargo, typer.Option("--cargo", help="Container size (scales cost, CO2).")]
ContainersOpt = Annotated[int, typer.Option("--containers", min=1,
                                            help="Number of containers.")]
VotOpt = Annotated[float, typer.Option(
    "--value-of-time", min=0.0,
    help="USD per TEU-hour, for --by generalized (cost + value of time x hours).")]
NetworkOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045 (Typer reads it)
    "--network", help=NETWORK_HELP, show_default=False)]
ALL_MODES = "road,rail,sea"


def _network(option: Path | None) -> Network:
    """Load the network a query command uses (see :func:`network_path`)."""
    from corridor.network import load_network

    return _run(lambda: load_network(network_path(option)))


@app.command()
def route(
    origin: OriginArg,
    destination: Annotated[str, typer.Argument(metavar="TO", show_default=False,
                                               help="Destination.")],
    by: ByOpt = RouteBy.time,
    modes: ModesOpt = ALL_MODES,
    avoid: AvoidOpt = None,
    via: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--via", show_default=False, help="Waypoint, visited in order; repeatable.")] = None,
    alternatives: Annotated[int, typer.Option(
        "--alternatives", "-k", min=1, max=20,
        help="Show the K best routes that differ in their physical path.")] = 1,
    include_planned: PlannedOpt = False,
    cargo: CargoOpt = Cargo.teu,
    containers: ContainersOpt = 1,
    value_of_time: VotOpt = 2.0,
    format: Annotated[RouteFormat, typer.Option("--format", "-f",
                                                help="Output format.")] = RouteFormat.table,
    network: NetworkOpt = None,
) -> None:
    """Best route from FROM to TO by time, cost, distance, CO2 or generalized cost.

    Exit codes: 0 a route; 1 no route, or an unknown or ambiguous place; 2 usage error.
    """
    from corridor.render.route import render_routes
    from corridor.routing import find_routes

    net = _network(network)
    routes = _run(lambda: find_routes(
        net, origin, destination, k=alternatives, objective=by.value, modes=_split(modes),
        avoid=avoid or [], via=via or [], include_planned=include_planned, cargo=cargo.value,
        containers=containers, value_of_time_usd_per_hour=value_of_time))
    render_routes(routes, format.value, sys.stdout)


@app.command()
def schema() -> None:
    """Print the JSON Schema of network files (for editors and yaml-language-server)."""
    from corridor.jsonschema import schema_text

    emit(schema_text())


# --------------------------------------------------------------------------- analyses
# compare, matrix, reach (routing graph) and nodes, info (no graph, no networkx).


def _split(text: str | None) -> list[str]:
    """``"Tashkent, Almaty"`` -> ``["Tashkent", "Almaty"]``."""
    return [x.strip() for x in (text or "").split(",") if x.strip()]


@app.command()
def compare(
    origin: OriginArg,
    to: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--to", show_default=False,
        help="Overseas destination (e.g. 'Jebel Ali'): price each option door to it through "
        "the port, with port handling and the sea leg.")] = None,
    ports: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--ports", show_default=False,
        help="Candidate ports, comma-separated names or ids (default: every seaport FROM "
        "reaches by land).")] = None,
    by: ByOpt = RouteBy.time,
    modes: ModesOpt = ALL_MODES,
    avoid: AvoidOpt = None,
    include_planned: PlannedOpt = False,
    cargo: CargoOpt = Cargo.teu,
    containers: ContainersOpt = 1,
    value_of_time: VotOpt = 2.0,
    format: Annotated[TableFormat, typer.Option("--format", "-f",
                                                help="Output format.")] = TableFormat.table,
    network: NetworkOpt = None,
) -> None:
    """Rank gateway seaports for cargo from FROM, with the gap to the best.

    Exit codes: 0 a ranking (unreachable ports are listed with the reason); 1 an unknown or
    ambiguous place, or no candidate port reachable; 2 usage error.
    """
    from corridor.compare import compare_ports
    from corridor.render.analysis import render

    port_list = _split(ports) if ports is not None else None
    net = _network(network)
    result = _run(lambda: compare_ports(
        net, origin, ports=port_list, to=to, objective=by.value, modes=_split(modes),
        avoid=avoid or [], include_planned=include_planned, cargo=cargo.value,
        containers=containers, value_of_time_usd_per_hour=value_of_time))
    render("compare", result, format.value, sys.stdout)
    if result.best is None:
        _err("error: none of the candidate ports is reachable (each has its reason in the output)")
        raise typer.Exit(code=1)


@app.command()
def matrix(
    origins: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--from", show_default=False, help="Origins, comma-separated names or ids.")] = None,
    destinations: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--to", show_default=False, help="Destinations, comma-separated names or ids.")] = None,
    from_kind: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--from-kind", show_default=False,
        help="Add every place of this kind (e.g. seaport) to the origins.")] = None,
    to_kind: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--to-kind", show_default=False,
        help="Add every place of this kind to the destinations.")] = None,
    by: ByOpt = RouteBy.time,
    modes: ModesOpt = ALL_MODES,
    avoid: AvoidOpt = None,
    include_planned: PlannedOpt = False,
    cargo: CargoOpt = Cargo.teu,
    containers: ContainersOpt = 1,
    value_of_time: VotOpt = 2.0,
    format: Annotated[TableFormat, typer.Option("--format", "-f",
                                                help="Output format.")] = TableFormat.table,
    network: NetworkOpt = None,
    workers: Annotated[int, typer.Option(
        "--workers", help="Spread the origins over this many processes (large matrices).",
        min=1)] = 1,
) -> None:
    """Origin x destination table of transit time, cost and distance.

    One shortest-path search per origin. Exit codes: 0 a matrix (pairs without a route are
    marked); 1 an unknown or ambiguous place; 2 usage error.
    """
    from corridor.errors import UsageError
    from corridor.matrix import od_matrix, places_of_kind
    from corridor.render.analysis import render

    if origins is None and from_kind is None:
        _fail(UsageError("give origins with --from and/or --from-kind"))
    if destinations is None and to_kind is None:
        _fail(UsageError("give destinations with --to and/or --to-kind"))
    net = _network(network)
    os_ = _split(origins) + (_run(lambda: places_of_kind(net, from_kind)) if from_kind else [])
    ds = _split(destinations) + (_run(lambda: places_of_kind(net, to_kind)) if to_kind else [])
    result = _run(lambda: od_matrix(
        net, os_, ds, objective=by.value, modes=_split(modes), avoid=avoid or [],
        include_planned=include_planned, cargo=cargo.value, containers=containers,
        value_of_time_usd_per_hour=value_of_time, workers=workers))
    render("matrix", result, format.value, sys.stdout)


@app.command()
def reach(
    origin: OriginArg,
    within: Annotated[str, typer.Option(
        "--within", show_default=False,
        help="Budget: days (5d), hours (72h) or USD (2500usd).")],
    kind: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--kind", show_default=False, help="Only places of this kind (e.g. seaport).")] = None,
    modes: ModesOpt = ALL_MODES,
    avoid: AvoidOpt = None,
    include_planned: PlannedOpt = False,
    cargo: CargoOpt = Cargo.teu,
    containers: ContainersOpt = 1,
    format: Annotated[TableFormat, typer.Option("--format", "-f",
                                                help="Output format.")] = TableFormat.table,
    network: NetworkOpt = None,
) -> None:
    """Places reachable from FROM within a time or cost budget, nearest first.

    Exit codes: 0 the list (possibly empty); 1 an unknown or ambiguous place; 2 usage error
    (e.g. a malformed budget).
    """
    from corridor.reach import parse_budget
    from corridor.reach import reach as run_reach
    from corridor.render.analysis import render

    budget = _run(lambda: parse_budget(within))
    net = _network(network)
    result = _run(lambda: run_reach(
        net, origin, budget=budget, kind=kind, modes=_split(modes), avoid=avoid or [],
        include_planned=include_planned, cargo=cargo.value, containers=containers))
    render("reach", result, format.value, sys.stdout)


@app.command()
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
) -> None:
    """List and search places.

    Exit codes: 0 places found; 1 nothing matches (closest names on stderr); 2 usage error.
    """
    from corridor.catalog import search_places
    from corridor.render.catalog import NODES_FORMATS

    net = _network(network)
    result = _run(lambda: search_places(net, query, country=country, kind=kind))
    NODES_FORMATS.get(format.value)(result, sys.stdout)


@app.command()
def info(
    format: Annotated[InfoFormat, typer.Option("--format", "-f",
                                               help="Output format.")] = InfoFormat.table,
    network: NetworkOpt = None,
) -> None:
    """Summarize a network: counts by mode, status and country; crossings; seaports;
    planned projects; sources; format version and content hash."""
    from corridor.catalog import summarize
    from corridor.render.catalog import INFO_FORMATS

    INFO_FORMATS.get(format.value)(summarize(_network(network)), sys.stdout)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
