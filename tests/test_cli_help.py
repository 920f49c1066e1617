"""Every command's --help ends with real examples, and they run; shell completion offers
place ids and names of the network in use without importing networkx."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clirun import ENV
from conftest import example_with
from typer.testing import CliRunner

import cli
from corridor.complete import place_completions
from corridor.format.scaffold import init_network

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = sorted(c.name or c.callback.__name__ for c in cli.app.registered_commands
                  if c.callback is not None)


def test_every_command_has_examples() -> None:
    assert sorted(cli.EXAMPLES) == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_help_ends_with_the_examples(command: str) -> None:
    res = CliRunner(env=ENV).invoke(cli.app, [command, "--help"], terminal_width=200)
    assert res.exit_code == 0
    lines = [ln.strip() for ln in res.stdout.splitlines() if ln.strip()]
    examples = list(cli.EXAMPLES[command])
    assert lines[-len(examples) - 1:] == ["Examples:", *examples]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder with my-network/ and base/ (copies of the bundled network) and watch.yaml."""
    d = tmp_path_factory.mktemp("examples")
    init_network(d / "my-network")
    init_network(d / "base")
    (d / "watch.yaml").write_text("routes:\n  - {from: Tashkent, to: Karachi}\n")
    for name in ("torkham-closed.yaml", "chaman-dwell-halved.yaml"):
        shutil.copy(ROOT / "networks" / "scenarios" / name, d / name)
    old = os.getcwd()
    os.chdir(d)
    yield d
    os.chdir(old)


def _first_command(example: str) -> list[str]:
    """The example up to its first shell operator, without the leading 'corridor'."""
    words: list[str] = []
    for w in shlex.split(example):
        if w in (">", ">>", "&&", "|"):
            break
        words.append(w)
    assert words[0] == "corridor"
    return words[1:]


EXAMPLE_RUNS = [(c, e) for c in sorted(cli.EXAMPLES) for e in cli.EXAMPLES[c]]


@pytest.mark.parametrize(("command", "example"), EXAMPLE_RUNS)
def test_examples_run(command: str, example: str, workdir: Path) -> None:
    args = _first_command(example)
    if command == "init":
        args = [args[0], str(workdir / "fresh" / command)]
    res = CliRunner(env=ENV).invoke(cli.app, args, catch_exceptions=False)
    assert res.exit_code == 0, (example, res.stderr)


# --------------------------------------------------------------------------- completion


def test_place_completions_from_the_network(tmp_path: Path) -> None:
    net = example_with(tmp_path)
    got = place_completions(net, "ma")
    assert got == [("Mazar", "AF-MAZAR"), ("Mazar-i-Sharif", "AF-MAZAR")]
    assert place_completions(net, "uz") == [("UZTER", "Termez (UZ)")]
    assert place_completions(net, "UZTER,ha", separator=",") == [
        ("UZTER,Hairatan", "AFHRT")]
    assert place_completions(tmp_path / "missing", "a") == []


def _complete(words: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    code = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "import cli\n"
        "r = CliRunner().invoke(cli.app, [], prog_name='corridor', env={"
        "'_CORRIDOR_COMPLETE': 'complete_zsh', '_TYPER_COMPLETE_ARGS': " + repr(words) + "})\n"
        "print(json.dumps({'out': r.stdout, 'networkx': 'networkx' in sys.modules}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={**os.environ, **(env or {})}).stdout
    doc: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return doc


def test_shell_completion_uses_the_network_in_use_without_networkx(tmp_path: Path) -> None:
    got = _complete("corridor route Tash")
    assert '"Tashkent"' in got["out"] and got["networkx"] is False
    net = example_with(tmp_path)
    got = _complete(f"corridor route --network {net} Ter")
    assert '"Termez"' in got["out"] and "Tashkent" not in got["out"]
    got = _complete("corridor compare Almaty --ports Karachi,Gwa")
    assert '"Karachi,Gwadar"' in got["out"]
