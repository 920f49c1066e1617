"""The console entry point: one error style, exit 2 for usage, quiet on a closed pipe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from conftest import ROOT

from corridor.__main__ import run


@pytest.mark.parametrize("args", [
    ["route"],                                  # missing argument
    ["route", "A", "B", "--bogus"],             # unknown option
    ["route", "A", "B", "--containers", "0"],   # out of range
    ["route", "A", "B", "--by", "speed"],       # bad choice
    ["nosuchcommand"],
])
def test_usage_errors_are_one_error_line(args: list[str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert run(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "--help" in lines[0]
    assert not any(ch in err for ch in "╭│╰")


def test_domain_errors_keep_the_same_style(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["route", "Nowhere-at-all", "Kabul"]) == 1
    assert capsys.readouterr().err.startswith("error: unknown place")


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert run(["route", "--help"]) == 0
    assert "Usage" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["nodes"], ["route", "Almaty", "Karachi"],
                                  ["validate", "--format", "json"], ["route", "--bogus"]])
def test_a_closed_pipe_ends_quietly(args: list[str]) -> None:
    """``corridor ... | head -1``: no traceback, and not exit 1. The reader is gone before
    the command writes, so every write meets a closed pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "corridor", *args], cwd=ROOT,
                              stdout=write_end, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "NO_COLOR": "1"}, check=False)
    finally:
        os.close(write_end)
    assert "Traceback" not in proc.stderr and "Broken" not in proc.stderr, proc.stderr
    expected = 2 if "--bogus" in args else -signal.SIGPIPE
    assert proc.returncode in (0, expected), (proc.returncode, proc.stderr)
