"""The README shows real output: every `$ corridor ...` example block is re-run and compared."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.__main__ import cli_module

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```\n(\$ (?:cd \S+ && )?corridor .*?)```", README, re.S)


def _examples() -> list[tuple[str, str, str]]:
    """(working dir, command, expected output) for each `$ corridor` line in a block."""
    out = []
    for block in BLOCKS:
        parts = re.split(r"^\$ ", block, flags=re.M)
        for part in parts[1:]:
            command, _, expected = part.partition("\n")
            cwd = "."
            m = re.match(r"cd (\S+) && (.*)", command)
            if m:
                cwd, command = m.group(1), m.group(2)
            out.append((cwd, command, expected.rstrip("\n")))
    return out


EXAMPLES = _examples()


def test_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("cwd, command, expected", EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_readme_example_output_is_current(cwd: str, command: str, expected: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    head = None
    m = re.match(r"(.*) \| head -(\d+)$", command)
    if m:
        command, head = m.group(1), int(m.group(2))
    args = shlex.split(command)[1:]
    monkeypatch.chdir(ROOT / cwd)
    app = cli_module().app
    seen = []
    for width in ("80", "100", "120", "130"):
        env = {"COLUMNS": width, "NO_COLOR": "1", "CORRIDOR_NETWORK": ""}
        result = CliRunner().invoke(app, args, env=env)
        lines = [ln.rstrip() for ln in result.stdout.rstrip("\n").splitlines()]
        if head is not None:
            lines = lines[:head]
        got = "\n".join(lines)
        if got == expected:
            return
        seen.append(got)
    assert expected == seen[1], f"README example '{command}' is out of date (shown at 100 columns)"


def test_readme_commands_install_and_test() -> None:
    first = re.findall(r"```sh\n(.*?)\n```", README, re.S)[:2]
    assert "pip install ." in first[0] and "corridor route" in first[0]
    assert "pip install '.[test]'" in first[1] and "pytest" in first[1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert first[1] in ci, ".ci/run must run the README's test command"
    assert os.access(ROOT / ".ci" / "run", os.X_OK)


def test_readme_calibration_table_is_current() -> None:
    """The calibration table in the README is what tools/calibrate.py prints now (issue 8:
    README shows the table), so a data change cannot leave it stale."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("refresh_readme",
                                                  ROOT / "tools" / "refresh_readme.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    table = tool.calibration_table()
    assert table.startswith("| case | kind | reported |")
    assert table in README, "README calibration table is out of date: run tools/refresh_readme.py"
