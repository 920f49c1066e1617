"""Entry point of the ``corridor`` command and of ``python -m corridor``.

The Typer app lives in the repository's top-level ``cli.py``. The wheel ships it as
``corridor/cli.py``; a source checkout or an editable install has it as the top-level
module ``cli``. Both are the same file.
"""

from __future__ import annotations

from types import ModuleType


def cli_module() -> ModuleType:
    """Return the module holding the Typer app, wherever this install keeps it."""
    import importlib

    try:
        return importlib.import_module("corridor.cli")
    except ModuleNotFoundError as err:
        if err.name != "corridor.cli":
            raise
        return importlib.import_module("cli")


def main() -> None:
    """Run the command, flush its output, and leave without tearing the heap down.

    Freeing millions of objects one by one at interpreter shutdown took about 5 s after a
    query on 10^5 places (issue 14); once stdout and stderr are flushed nothing is left to
    do, so the process ends with :func:`os._exit` and the command's exit code. Only the
    console entry does this: the Typer app (``cli_module().app``) and tests are unchanged.
    """
    import sys

    try:
        cli_module().main()
        code = 0
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise  # a message to print: leave it to the interpreter
        code = exc.code or 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)  # the normal way out reports what flushing met
    import os

    os._exit(code)


if __name__ == "__main__":
    main()
