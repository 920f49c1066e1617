"""`corridor validate` through Typer's CliRunner: formats, exit codes, stdout vs stderr."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import example_with
from typer.testing import CliRunner

from corridor.__main__ import cli_module

app = cli_module().app
ENV = {"COLUMNS": "120", "NO_COLOR": "1", "CORRIDOR_NETWORK": ""}


def run(*args: str) -> object:
    runner = CliRunner()
    return runner.invoke(app, list(args), env=ENV, catch_exceptions=False)


@pytest.fixture
def bad_net(tmp_path: Path) -> Path:
    return example_with(tmp_path, (
        "links:\n  - {from: AFHRT, to: AF-MAZR, mode: road, distance_km: 75, estimate: x}\n"
        "  - {id: v, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 80}\n"))


@pytest.fixture
def warn_net(tmp_path: Path) -> Path:
    return example_with(tmp_path, "links:\n  - {id: v, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 80}\n")


def test_clean_network_exits_0(example_net: Path) -> None:
    r = run("validate", str(example_net))
    assert r.exit_code == 0
    assert (f"ok: 0 errors, 0 warnings in 4 files (example: {example_net / 'network.yaml'})"
            in r.stdout)


def test_text_lists_problems_as_file_line_col_code(bad_net: Path) -> None:
    r = run("validate", str(bad_net))
    assert r.exit_code == 1
    lines = [ln for ln in r.stdout.splitlines() if re.match(r"\S+:\d+:\d+: [EW]\d{3} ", ln)]
    assert any(ln.endswith("extra.yaml:2:23: E203 unknown place 'AF-MAZR'; did you mean 'AF-MAZAR'?")
               for ln in lines)
    assert "failed: 1 error, 1 warning in 5 files" in r.stdout


def test_warnings_pass_unless_strict(warn_net: Path) -> None:
    assert run("validate", str(warn_net)).exit_code == 0
    r = run("validate", "--strict", str(warn_net))
    assert r.exit_code == 1 and "--strict: warnings fail" in r.stdout


def test_json_shape(bad_net: Path) -> None:
    r = run("validate", "--format", "json", str(bad_net))
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert set(doc) == {"tool", "ok", "strict", "summary", "networks", "files", "problems", "truncated"}
    assert doc["ok"] is False and doc["summary"]["errors"] == 1 and doc["summary"]["warnings"] == 1
    assert doc["summary"]["by_code"] == {"E203": 1, "W401": 1}
    p = doc["problems"][0]
    assert set(p) == {"code", "severity", "message", "file", "line", "column", "path"}
    assert (p["code"], p["line"], p["column"], p["path"]) == ("E203", 2, 23, "links[0].to")
    assert doc["networks"][0]["content_hash"].startswith("sha256:")


def test_json_is_deterministic(bad_net: Path) -> None:
    assert run("validate", "-f", "json", str(bad_net)).stdout == \
        run("validate", "-f", "json", str(bad_net)).stdout


def test_github_annotations(bad_net: Path) -> None:
    r = run("validate", "--format", "github", str(bad_net))
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    err = [ln for ln in lines if ln.startswith("::error ")]
    assert len(err) == 1
    assert re.fullmatch(r"::error file=\S+extra\.yaml,line=2,col=23,title=E203 unknown place::"
                        r"unknown place 'AF-MAZR'; did you mean 'AF-MAZAR'\?", err[0])
    assert any(ln.startswith("::warning ") and "W401" in ln for ln in lines)


def test_sarif(bad_net: Path) -> None:
    r = run("validate", "--format", "sarif", str(bad_net))
    doc = json.loads(r.stdout)
    assert doc["version"] == "2.1.0"
    run0 = doc["runs"][0]
    assert {rule["id"] for rule in run0["tool"]["driver"]["rules"]} == {"E203", "W401"}
    res = [x for x in run0["results"] if x["ruleId"] == "E203"][0]
    assert res["level"] == "error"
    region = res["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 2, "startColumn": 23}


def test_missing_path_is_usage_error(tmp_path: Path) -> None:
    r = run("validate", str(tmp_path / "nope"))
    assert r.exit_code == 2
    assert "no such file or folder" in r.stderr and r.stdout == ""


def test_bad_format_is_usage_error(example_net: Path) -> None:
    assert run("validate", "--format", "xml", str(example_net)).exit_code == 2


def test_flood_is_summarized(tmp_path: Path) -> None:
    rows = "".join(f"  - {{from: AFHRT, to: NOPE{i}, mode: road, distance_km: 75, estimate: x}}\n"
                   for i in range(300))
    example_with(tmp_path, "links:\n" + rows)
    r = run("validate", str(tmp_path), "--max-problems", "20")
    assert r.exit_code == 1
    assert "... and 280 more problems not shown (E203 x280)" in r.stdout
    assert len(r.stdout.splitlines()) < 40
    doc = json.loads(run("validate", "-f", "json", str(tmp_path), "--max-problems", "20").stdout)
    assert doc["truncated"] == 280 and len(doc["problems"]) == 20


def test_control_characters_are_escaped(tmp_path: Path) -> None:
    example_with(tmp_path, "links:\n  - {from: AFHRT, to: \"X\\e[31mY\", mode: road, distance_km: 75, estimate: x}\n")
    for fmt in ("text", "github"):
        out = run("validate", "-f", fmt, str(tmp_path)).stdout
        assert "\x1b" not in out and "\\x1b[31m" in out


def test_folder_of_networks_and_stray_files(tmp_path: Path) -> None:
    example_with(tmp_path / "nets" / "one")
    (tmp_path / "nets" / "stray.yaml").write_text("places: []\n")
    r = run("validate", "-f", "json", str(tmp_path / "nets"))
    doc = json.loads(r.stdout)
    assert [n["name"] for n in doc["networks"]] == ["example"]
    assert doc["summary"]["by_code"] == {"W309": 1}
    assert r.exit_code == 0
    assert run("validate", "--strict", str(tmp_path / "nets")).exit_code == 1


def test_env_network_is_the_default(example_net: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["validate"], env={**ENV, "CORRIDOR_NETWORK": str(example_net)})
    assert r.exit_code == 0 and f"(example: {example_net / 'network.yaml'})" in r.stdout


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("corridor ")
    r = run("--help")
    assert r.exit_code == 0 and "validate" in r.stdout
