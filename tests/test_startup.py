"""Start-up stays lean: --help and validate never import networkx (or Rich tables for --help)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Modules only the chart and map options may import.
OPTIONAL = ("matplotlib", "corridor.render.chart", "corridor.render.map", "folium")

PROBE = """
import json, sys
OPTIONAL = OPTIONAL_NAMES
from typer.testing import CliRunner
from corridor.__main__ import cli_module
app = cli_module().app
result = CliRunner().invoke(app, ARGS, env={"NO_COLOR": "1"})
print(json.dumps({"exit": result.exit_code, "networkx": "networkx" in sys.modules,
                  "yaml": "yaml" in sys.modules,
                  "optional": sorted(m for m in OPTIONAL if m in sys.modules)}))
"""


def _probe(args: list[str], env: dict[str, str] | None = None,
           yaml: bool = False) -> dict[str, object]:
    import os

    code = PROBE.replace("ARGS", repr(args)).replace("OPTIONAL_NAMES", repr(OPTIONAL))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={**os.environ, **(env or {})}).stdout
    got: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    if not yaml:
        del got["yaml"]
    return got


def test_help_does_not_import_networkx() -> None:
    assert _probe(["--help"]) == {"exit": 0, "networkx": False, "optional": []}


def test_validate_does_not_import_networkx() -> None:
    got = _probe(["validate", str(ROOT / "tests" / "golden" / "valid" / "example")])
    assert got == {"exit": 0, "networkx": False, "optional": []}


def test_queries_without_chart_or_map_do_not_import_them() -> None:
    """matplotlib and the map code load only for --chart and --map; a route searches the
    compiled arrays, so networkx is not imported either."""
    got = _probe(["route", "Tashkent", "Karachi", "--format", "markdown"])
    assert got == {"exit": 0, "networkx": False, "optional": []}


def test_a_repeated_route_reads_neither_yaml_nor_networkx(tmp_path: Path) -> None:
    """The second run of a query finds the network and its compiled graph in the cache:
    it imports neither PyYAML nor networkx (issue 14)."""
    env = {"CORRIDOR_CACHE_DIR": str(tmp_path / "cache")}
    first = _probe(["route", "Tashkent", "Karachi", "--format", "json"], env, yaml=True)
    assert first == {"exit": 0, "networkx": False, "yaml": True, "optional": []}
    assert any(p.name.startswith("network-graph-") for p in (tmp_path / "cache").iterdir())
    again = _probe(["route", "Tashkent", "Karachi", "--format", "json"], env, yaml=True)
    assert again == {"exit": 0, "networkx": False, "yaml": False, "optional": []}


def test_import_corridor_is_light() -> None:
    code = "import sys, corridor; print(sorted(m for m in ('networkx', 'rich', 'typer', 'yaml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
