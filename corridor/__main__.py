"""Entry point of the ``corridor`` command and of ``python -m corridor``.

The Typer app lives in the repository's top-level ``cli.py``. The wheel ships it as
``corridor/cli.py``; a source checkout or an editable install has it as the top-level
module ``cli``. Both are the same file.

:func:`main` runs the app and owns two process-level behaviours:

- every error, a usage error from option parsing included, is one ``error: ...`` line on
  stderr (exit 2 for usage errors), the same style as the library's errors in ``cli.py``;
- a reader that stops early (``corridor route ... | head -1``) ends the command quietly the
  way it ends ``cat``: by the default SIGPIPE action (POSIX), or, where there is no SIGPIPE,
  by exit 0 without a traceback.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType
from typing import Any

__all__ = ["cli_module", "main", "run"]

#: Exit code of a usage error (bad option, missing argument).
USAGE_EXIT = 2


def cli_module() -> ModuleType:
    """Return the module holding the Typer app, wherever this install keeps it."""
    import importlib

    try:
        return importlib.import_module("corridor.cli")
    except ModuleNotFoundError as err:
        if err.name != "corridor.cli":
            raise
        return importlib.import_module("cli")


def _click_exceptions() -> Any:
    """Click's exception classes (Typer below 0.29 vendors click as ``typer._click``)."""
    try:
        from typer._click import exceptions
    except ImportError:  # pragma: no cover - a Typer that depends on click instead
        from click import exceptions  # type: ignore[no-redef]
    return exceptions


def _error(message: str) -> None:
    from corridor.textutil import printable

    sys.stderr.write(f"error: {printable(message)}\n")


def run(args: list[str] | None = None) -> int:
    """Run the command line with ``args`` (default: ``sys.argv[1:]``); return the exit code.

    Parsing errors are rendered as ``error: ...`` lines on stderr with exit code 2 instead of
    Click's framed box."""
    exc = _click_exceptions()
    app = cli_module().app
    try:
        code = app(args=args, prog_name="corridor", standalone_mode=False)
    except exc.NoArgsIsHelpError as err:
        sys.stderr.write(err.format_message().rstrip("\n") + "\n")
        return USAGE_EXIT
    except exc.UsageError as err:
        where = err.ctx.command_path if err.ctx is not None else "corridor"
        _error(f"{err.format_message()} (see '{where} --help')")
        return USAGE_EXIT
    except exc.ClickException as err:
        _error(err.format_message())
        return int(err.exit_code)
    except exc.Abort:
        _error("aborted")
        return 1
    return code if isinstance(code, int) else 0


def _quiet_broken_pipe() -> None:
    """Let a closed stdout end the process the way it ends ``cat``: by SIGPIPE."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def main() -> None:
    """Console-script entry point: run the command, flush its output, and leave without
    tearing the heap down.

    Freeing millions of objects one by one at interpreter shutdown took about 5 s after a
    query on 10^5 places (issue 14); once stdout and stderr are flushed nothing is left to
    do, so the process ends with :func:`os._exit` and the command's exit code. Only the
    console entry does this: :func:`run`, the Typer app and tests are unchanged.
    """
    _quiet_broken_pipe()
    try:
        code = run()
        sys.stdout.flush()
    except BrokenPipeError:  # no SIGPIPE on this platform: the reader left, not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)  # the normal way out reports what flushing met
    os._exit(code)


if __name__ == "__main__":
    main()
