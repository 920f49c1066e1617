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
from typing import NoReturn, TypeVar

import typer

from corridor.errors import CorridorError

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


@app.command()
def route(
    origin: str = typer.Argument(..., metavar="FROM", help="Origin: id, UN/LOCODE, name or alias."),
    destination: str = typer.Argument(..., metavar="TO", help="Destination."),
    by: RouteBy = typer.Option(RouteBy.time, "--by", help="What to minimize."),
    modes: str = typer.Option("road,rail,sea", "--modes",
                              help="Allowed modes, comma-separated."),
    avoid: list[str] = typer.Option(
        [], "--avoid", help="Place, country (ISO code) or crossing id to avoid; repeatable."),
    via: list[str] = typer.Option([], "--via", help="Waypoint, visited in order; repeatable."),
    alternatives: int = typer.Option(
        1, "--alternatives", "-k", min=1, max=20,
        help="Show the K best routes that differ in their physical path."),
    include_planned: bool = typer.Option(
        False, "--include-planned", help="Use planned and under-construction links too."),
    cargo: Cargo = typer.Option(Cargo.teu, "--cargo", help="Container size (scales cost, CO2)."),
    containers: int = typer.Option(1, "--containers", min=1, help="Number of containers."),
    value_of_time: float = typer.Option(
        2.0, "--value-of-time", min=0.0,
        help="USD per TEU-hour, for --by generalized (cost + value of time x hours)."),
    format: RouteFormat = typer.Option(RouteFormat.table, "--format", "-f",
                                       help="Output format."),
    network: Path = typer.Option(None, "--network", help=NETWORK_HELP, show_default=False),
) -> None:
    """Best route from FROM to TO by time, cost, distance, CO2 or generalized cost.

    Exit codes: 0 a route; 1 no route, or an unknown or ambiguous place; 2 usage error.
    """
    from corridor.network import load_network
    from corridor.render.route import render_routes
    from corridor.routing import find_routes

    mode_list = [m.strip() for m in modes.split(",") if m.strip()]
    net = _run(lambda: load_network(network_path(network)))
    routes = _run(lambda: find_routes(
        net, origin, destination, k=alternatives, objective=by.value, modes=mode_list,
        avoid=avoid, via=via, include_planned=include_planned, cargo=cargo.value,
        containers=containers, value_of_time_usd_per_hour=value_of_time))
    render_routes(routes, format.value, sys.stdout)


@app.command()
def schema() -> None:
    """Print the JSON Schema of network files (for editors and yaml-language-server)."""
    from corridor.jsonschema import schema_text

    emit(schema_text())


# --------------------------------------------------------------------------- analyses
# compare, matrix, reach (routing graph) and nodes, info (no graph, no networkx).


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class InfoFormat(str, Enum):
    table = "table"
    json = "json"


def _split(text: str | None) -> list[str]:
    """``"Tashkent, Almaty"`` -> ``["Tashkent", "Almaty"]``."""
    return [x.strip() for x in (text or "").split(",") if x.strip()]


@app.command()
def compare(
    origin: str = typer.Argument(..., metavar="FROM", help="Origin: id, UN/LOCODE, name or alias."),
    to: str = typer.Option(
        None, "--to", show_default=False,
        help="Overseas destination (e.g. 'Jebel Ali'): price each option door to it through "
        "the port, with port handling and the sea leg."),
    ports: str = typer.Option(
        None, "--ports", show_default=False,
        help="Candidate ports, comma-separated names or ids (default: every seaport FROM "
        "reaches by land)."),
    by: RouteBy = typer.Option(RouteBy.time, "--by", help="What to minimize and rank by."),
    modes: str = typer.Option("road,rail,sea", "--modes", help="Allowed modes, comma-separated."),
    avoid: list[str] = typer.Option(
        [], "--avoid", help="Place, country (ISO code) or crossing id to avoid; repeatable."),
    include_planned: bool = typer.Option(
        False, "--include-planned", help="Use planned and under-construction links too."),
    cargo: Cargo = typer.Option(Cargo.teu, "--cargo", help="Container size (scales cost, CO2)."),
    containers: int = typer.Option(1, "--containers", min=1, help="Number of containers."),
    value_of_time: float = typer.Option(
        2.0, "--value-of-time", min=0.0,
        help="USD per TEU-hour, for --by generalized (cost + value of time x hours)."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
    network: Path = typer.Option(None, "--network", help=NETWORK_HELP, show_default=False),
) -> None:
    """Rank gateway seaports for cargo from FROM, with the gap to the best.

    Exit codes: 0 a ranking (unreachable ports are listed with the reason); 1 an unknown or
    ambiguous place, or no candidate port reachable; 2 usage error.
    """
    from corridor.compare import compare_ports
    from corridor.network import load_network
    from corridor.render.analysis import render

    port_list = _split(ports) if ports is not None else None
    net = _run(lambda: load_network(network_path(network)))
    result = _run(lambda: compare_ports(
        net, origin, ports=port_list, to=to, objective=by.value, modes=_split(modes),
        avoid=avoid, include_planned=include_planned, cargo=cargo.value,
        containers=containers, value_of_time_usd_per_hour=value_of_time))
    render("compare", result, format.value, sys.stdout)
    if result.best is None:
        _err("error: none of the candidate ports is reachable (each has its reason in the output)")
        raise typer.Exit(code=1)


@app.command()
def matrix(
    origins: str = typer.Option(None, "--from", show_default=False,
                                help="Origins, comma-separated names or ids."),
    destinations: str = typer.Option(None, "--to", show_default=False,
                                     help="Destinations, comma-separated names or ids."),
    from_kind: str = typer.Option(None, "--from-kind", show_default=False,
                                  help="Add every place of this kind (e.g. seaport) to the "
                                  "origins."),
    to_kind: str = typer.Option(None, "--to-kind", show_default=False,
                                help="Add every place of this kind to the destinations."),
    by: RouteBy = typer.Option(RouteBy.time, "--by", help="What picks each route."),
    modes: str = typer.Option("road,rail,sea", "--modes", help="Allowed modes, comma-separated."),
    avoid: list[str] = typer.Option(
        [], "--avoid", help="Place, country (ISO code) or crossing id to avoid; repeatable."),
    include_planned: bool = typer.Option(
        False, "--include-planned", help="Use planned and under-construction links too."),
    cargo: Cargo = typer.Option(Cargo.teu, "--cargo", help="Container size (scales cost, CO2)."),
    containers: int = typer.Option(1, "--containers", min=1, help="Number of containers."),
    value_of_time: float = typer.Option(
        2.0, "--value-of-time", min=0.0,
        help="USD per TEU-hour, for --by generalized (cost + value of time x hours)."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
    network: Path = typer.Option(None, "--network", help=NETWORK_HELP, show_default=False),
) -> None:
    """Origin x destination table of transit time, cost and distance.

    One shortest-path search per origin. Exit codes: 0 a matrix (pairs without a route are
    marked); 1 an unknown or ambiguous place; 2 usage error.
    """
    from corridor.errors import UsageError
    from corridor.matrix import od_matrix, places_of_kind
    from corridor.network import load_network
    from corridor.render.analysis import render

    if origins is None and from_kind is None:
        _fail(UsageError("give origins with --from and/or --from-kind"))
    if destinations is None and to_kind is None:
        _fail(UsageError("give destinations with --to and/or --to-kind"))
    net = _run(lambda: load_network(network_path(network)))
    os_ = _split(origins) + (_run(lambda: places_of_kind(net, from_kind)) if from_kind else [])
    ds = _split(destinations) + (_run(lambda: places_of_kind(net, to_kind)) if to_kind else [])
    result = _run(lambda: od_matrix(
        net, os_, ds, objective=by.value, modes=_split(modes), avoid=avoid,
        include_planned=include_planned, cargo=cargo.value, containers=containers,
        value_of_time_usd_per_hour=value_of_time))
    render("matrix", result, format.value, sys.stdout)


@app.command()
def reach(
    origin: str = typer.Argument(..., metavar="FROM", help="Origin: id, UN/LOCODE, name or alias."),
    within: str = typer.Option(..., "--within", show_default=False,
                               help="Budget: days (5d), hours (72h) or USD (2500usd)."),
    kind: str = typer.Option(None, "--kind", show_default=False,
                             help="Only places of this kind (e.g. seaport)."),
    modes: str = typer.Option("road,rail,sea", "--modes", help="Allowed modes, comma-separated."),
    avoid: list[str] = typer.Option(
        [], "--avoid", help="Place, country (ISO code) or crossing id to avoid; repeatable."),
    include_planned: bool = typer.Option(
        False, "--include-planned", help="Use planned and under-construction links too."),
    cargo: Cargo = typer.Option(Cargo.teu, "--cargo", help="Container size (scales cost)."),
    containers: int = typer.Option(1, "--containers", min=1, help="Number of containers."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
    network: Path = typer.Option(None, "--network", help=NETWORK_HELP, show_default=False),
) -> None:
    """Places reachable from FROM within a time or cost budget, nearest first.

    Exit codes: 0 the list (possibly empty); 1 an unknown or ambiguous place; 2 usage error
    (e.g. a malformed budget).
    """
    from corridor.network import load_network
    from corridor.reach import parse_budget
    from corridor.reach import reach as run_reach
    from corridor.render.analysis import render

    budget = _run(lambda: parse_budget(within))
    net = _run(lambda: load_network(network_path(network)))
    result = _run(lambda: run_reach(
        net, origin, budget=budget, kind=kind, modes=_split(modes), avoid=avoid,
        include_planned=include_planned, cargo=cargo.value, containers=containers))
    render("reach", result, format.value, sys.stdout)


@app.command()
def nodes(
    query: str = typer.Argument(None, metavar="[QUERY]", show_default=False,
                                help="Part of an id, name or alias (case and accents ignored)."),
    country: str = typer.Option(None, "--country", show_default=False,
                                help="Only places in this country (ISO alpha-2, e.g. PK)."),
    kind: str = typer.Option(None, "--kind", show_default=False,
                             help="Only places of this kind (e.g. seaport, border_post)."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
    network: Path = typer.Option(None, "--network", help=NETWORK_HELP, show_default=False),
) -> None:
    """List and search places.

    Exit codes: 0 places found; 1 nothing matches (closest names on stderr); 2 usage error.
    """
    from corridor.catalog import search_places
    from corridor.network import load_network
    from corridor.render.catalog import NODES_FORMATS

    net = _run(lambda: load_network(network_path(network)))
    result = _run(lambda: search_places(net, query, country=country, kind=kind))
    NODES_FORMATS.get(format.value)(result, sys.stdout)


@app.command()
def info(
    format: InfoFormat = typer.Option(InfoFormat.table, "--format", "-f", help="Output format."),
    network: Path = typer.Option(None, "--network", help=NETWORK_HELP, show_default=False),
) -> None:
    """Summarize a network: counts by mode, status and country; crossings; seaports;
    planned projects; sources; format version and content hash."""
    from corridor.catalog import summarize
    from corridor.network import load_network
    from corridor.render.catalog import INFO_FORMATS

    net = _run(lambda: load_network(network_path(network)))
    INFO_FORMATS.get(format.value)(summarize(net), sys.stdout)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
