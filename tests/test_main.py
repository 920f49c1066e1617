"""The console entry ends with os._exit after flushing: exit codes and output stay whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "corridor", *args], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})


def test_output_is_complete_and_exit_zero() -> None:
    done = _run("route", "Tashkent", "Karachi", "--format", "json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["schema"] == "corridor.route/1"


def test_domain_failure_exits_one_with_its_message() -> None:
    done = _run("route", "Tashkent", "Nowhere-at-all")
    assert done.returncode == 1
    assert "Nowhere-at-all" in done.stderr and done.stdout == ""


def test_usage_error_exits_two() -> None:
    done = _run("route", "--no-such-option")
    assert done.returncode == 2
    assert "--no-such-option" in done.stderr
