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
from pathlib import Path
from typing import Callable, NoReturn, TypeVar

import typer

from corridor import __version__
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
        typer.echo(f"corridor {__version__}")
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


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
