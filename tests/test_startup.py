"""Start-up stays lean: --help and validate never import networkx (or Rich tables for --help)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from typer.testing import CliRunner
from corridor.__main__ import cli_module
app = cli_module().app
result = CliRunner().invoke(app, ARGS, env={"NO_COLOR": "1"})
print(json.dumps({"exit": result.exit_code, "networkx": "networkx" in sys.modules}))
"""


def _probe(args: list[str]) -> dict[str, object]:
    code = PROBE.replace("ARGS", repr(args))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_help_does_not_import_networkx() -> None:
    assert _probe(["--help"]) == {"exit": 0, "networkx": False}


def test_validate_does_not_import_networkx() -> None:
    got = _probe(["validate", str(ROOT / "tests" / "golden" / "valid" / "example")])
    assert got == {"exit": 0, "networkx": False}


def test_import_corridor_is_light() -> None:
    code = "import sys, corridor; print(sorted(m for m in ('networkx', 'rich', 'typer', 'yaml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
