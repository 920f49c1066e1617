"""Which network a command uses (option, $CORRIDOR_NETWORK, ./network.yaml or the nearest
above, bundled) and says it used; folder walks that skip hidden folders, virtual
environments and git-ignored paths; YAML files that are not network files (W310);
``validate --format github`` writing $GITHUB_STEP_SUMMARY; ``corridor init``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clirun import ENV
from conftest import example_with
from typer.testing import CliRunner

import cli
from corridor.errors import CorridorError, UsageError
from corridor.format.network import (
    bundled_network_path,
    choose_network,
    find_network,
    load_network,
)
from corridor.format.scaffold import init_network
from corridor.format.validate import validate


@pytest.fixture
def chdir(tmp_path: Path) -> Iterator[Any]:
    old = os.getcwd()

    def go(path: Path) -> None:
        os.chdir(path)

    yield go
    os.chdir(old)


def run(*args: str, env: dict[str, str | None] | None = None) -> Any:
    return CliRunner(env={**ENV, **(env or {})}).invoke(cli.app, list(args),
                                                        catch_exceptions=False)


# --------------------------------------------------------------------------- discovery


def test_find_network_walks_up_like_git(tmp_path: Path) -> None:
    net = example_with(tmp_path / "net")
    deep = net / "a" / "b"
    deep.mkdir(parents=True)
    assert find_network(deep) == (net / "network.yaml").absolute()
    assert find_network(net) == (net / "network.yaml").absolute()
    above = find_network(tmp_path)  # a folder above holds no network of ours
    assert above is None or net not in above.parents


def test_a_network_yaml_that_is_not_a_manifest_is_passed_over(tmp_path: Path) -> None:
    example_with(tmp_path)
    inner = tmp_path / "tool"
    inner.mkdir()
    (inner / "network.yaml").write_text("subnet: 10.0.0.0/8\n", encoding="utf-8")
    assert find_network(inner) == (tmp_path / "network.yaml").absolute()


def test_choose_network_precedence(tmp_path: Path) -> None:
    example_with(tmp_path)
    here = (tmp_path / "network.yaml").absolute()
    assert choose_network("x", environ={"CORRIDOR_NETWORK": "y"}, cwd=tmp_path).origin \
        == "option"
    got = choose_network(None, environ={"CORRIDOR_NETWORK": "y"}, cwd=tmp_path)
    assert (got.path, got.origin) == (Path("y"), "environment")
    got = choose_network(None, environ={}, cwd=tmp_path)
    assert (got.path, got.origin) == (here, "folder")
    empty = tmp_path.parent / (tmp_path.name + "-empty")
    empty.mkdir()
    if find_network(empty) is None:  # no network.yaml above the temporary folder
        assert choose_network(None, environ={}, cwd=empty).origin == "bundled"


def test_validate_without_path_checks_the_folder_network(tmp_path: Path, chdir: Any) -> None:
    net = example_with(tmp_path, "links:\n  - {from: AFHRT, to: NOWHERE, mode: road, "
                                 "distance_km: 5, estimate: x}\n")
    (net / "sub").mkdir()
    chdir(net / "sub")
    res = run("validate")
    assert res.exit_code == 1
    assert "E203" in res.stdout
    assert f"(example: {net / 'network.yaml'})" in res.stdout
    # the library does the same
    assert any(p.code == "E203" for p in validate().problems)
    # $CORRIDOR_NETWORK and a PATH still win
    bundled = str(bundled_network_path().parent)
    assert run("validate", env={"CORRIDOR_NETWORK": bundled}).exit_code == 0
    assert run("validate", bundled).exit_code == 0


def test_queries_use_the_folder_network_and_say_so(tmp_path: Path, chdir: Any) -> None:
    net = example_with(tmp_path)
    chdir(net)
    res = run("route", "Termez", "Mazar", "-f", "json")
    assert res.exit_code == 0, res.stderr
    prov = json.loads(res.stdout)["provenance"]["network"]
    assert prov["name"] == "example" and prov["manifest"] == "network.yaml"
    # --network wins over the folder
    res = run("route", "Tashkent", "Karachi", "-f", "json", "--network",
              str(bundled_network_path()))
    assert json.loads(res.stdout)["provenance"]["network"]["name"] == "corridor"


def test_cached_network_reports_the_manifest_from_this_folder(tmp_path: Path,
                                                              chdir: Any) -> None:
    net = example_with(tmp_path / "net")
    chdir(tmp_path)
    first = load_network(net / "network.yaml")
    chdir(net)
    again = load_network(net / "network.yaml")
    assert (first.manifest, again.manifest) == (os.path.join("net", "network.yaml"),
                                                "network.yaml")


# --------------------------------------------------------------------------- folder walks


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_folder_walk_skips_hidden_venvs_and_git_ignored(tmp_path: Path) -> None:
    example_with(tmp_path / "networks" / "ex")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: [push]\njobs: {}\n")
    venv = tmp_path / "env"
    (venv / "lib").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr\n")
    (venv / "lib" / "broken.yaml").write_text("places: [\n")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "broken.yaml").write_text("places: [\n")
    (tmp_path / ".gitignore").write_text("build/\n")
    # not a git work tree: .gitignore means nothing, build/ is read
    outside = {(Path(p.file).parent.name, p.code) for p in validate([tmp_path]).problems}
    assert ("build", "E005") in outside
    _git(tmp_path, "init", "-q")
    report = validate([tmp_path])
    assert report.problems == ()
    assert [n.name for n in report.networks] == ["example"]
    assert not any(".github" in f or "env" in Path(f).parts for f in report.files)


def test_yaml_that_is_not_a_network_file_is_a_warning(tmp_path: Path) -> None:
    example_with(tmp_path / "networks" / "ex")
    (tmp_path / "docker-compose.yaml").write_text("services:\n  web: {image: x}\n")
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    (tmp_path / "stray.yaml").write_text("places:\n  - {id: X, nam: Y}\n")
    report = validate([tmp_path])
    got = sorted((os.path.basename(p.file), p.code) for p in report.problems)
    assert ("docker-compose.yaml", "W310") in got and ("list.yaml", "W310") in got
    assert not any(f in ("docker-compose.yaml", "list.yaml") and c != "W310" for f, c in got)
    assert ("stray.yaml", "W309") in got and ("stray.yaml", "E103") in got
    # a lone file given on the command line too
    single = validate([tmp_path / "docker-compose.yaml"])
    assert [p.code for p in single.problems] == ["W310"]
    assert not single.failed() and single.failed(strict=True)


# --------------------------------------------------------------------------- step summary


def test_github_format_writes_the_step_summary(tmp_path: Path) -> None:
    net = example_with(tmp_path / "net", "links:\n  - {from: AFHRT, to: NOWHERE, mode: road, "
                                         "distance_km: 5, estimate: x}\n")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    res = run("validate", str(net), "-f", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert res.exit_code == 1
    text = summary.read_text()
    assert text.startswith("earlier step\n### corridor validate: failed\n")
    assert "| E203 | error | 1 | unknown place |" in text
    assert "extra.yaml:2:" in text
    assert "::error " not in text
    # other formats leave it alone
    run("validate", str(net), "-f", "json", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert summary.read_text() == text


# --------------------------------------------------------------------------- init


def test_init_copies_the_bundled_network(tmp_path: Path) -> None:
    target = tmp_path / "mine" / "net"
    result = init_network(target)
    assert "README.md" in result.files and "network.yaml" in result.files
    copy = load_network(target, cache=False)
    assert copy.content_hash == load_network(None, cache=False).content_hash
    assert not validate([target]).failed(strict=True)


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(CorridorError) as err:
        init_network(tmp_path)
    assert err.value.exit_code == 1
    assert sorted(os.listdir(tmp_path)) == ["keep.txt"]
    res = run("init", str(tmp_path))
    assert res.exit_code == 1 and "not empty" in res.stderr
    with pytest.raises(UsageError):
        init_network(tmp_path / "keep.txt")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("init", str(empty)).exit_code == 0
    assert (empty / "network.yaml").is_file()

