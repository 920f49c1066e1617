"""Running a `corridor` command on a network folder through Typer's CliRunner, for tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

import cli

#: A fixed width, no colour, and no network from the environment.
ENV: dict[str, str | None] = {"COLUMNS": "120", "NO_COLOR": "1", "CORRIDOR_NETWORK": None,
                              "GITHUB_STEP_SUMMARY": None}


def runners(
    command: str | None,
) -> tuple[Callable[..., Any], Callable[..., dict[str, Any]]]:
    """``(run, jrun)`` for ``corridor COMMAND ... --network NETDIR``: ``run`` returns the
    CliRunner result; ``jrun`` adds ``--format json``, asserts exit 0 and a silent stderr,
    and returns the parsed document. ``command`` None: the first argument is the command."""
    prefix = [command] if command else []

    def run(netdir: Path, *args: str) -> Any:
        return CliRunner(env=ENV).invoke(cli.app, [*prefix, *args, "--network", str(netdir)],
                                         catch_exceptions=False)

    def jrun(netdir: Path, *args: str) -> dict[str, Any]:
        res = run(netdir, *args, "--format", "json")
        assert res.exit_code == 0, res.stderr
        assert res.stderr == ""
        doc: dict[str, Any] = json.loads(res.stdout)
        return doc

    return run, jrun
