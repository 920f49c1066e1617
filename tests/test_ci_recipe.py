"""The README's GitHub Actions recipe for a data repository works: its ``run:`` steps are run
with bash on a throw-away git repository (a base branch and a pull-request branch that
changes a network), as GitHub would run them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from corridor.format.scaffold import init_network

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None,
                                reason="needs git and bash")


def recipe() -> dict[str, Any]:
    m = re.search(r"<!-- ci-recipe -->\n```yaml\n(.*?)```", README, re.S)
    assert m, "README lost its CI recipe"
    doc: dict[str, Any] = yaml.safe_load(m.group(1))
    return doc


def steps() -> list[tuple[str, str]]:
    """(name, script) of the recipe's run steps, without the install step (the test runs
    the corridor of this checkout)."""
    out = []
    for step in recipe()["jobs"]["check"]["steps"]:
        if "run" in step and not step["run"].startswith("pip install"):
            out.append((step["name"], step["run"]))
    return out


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


def make_repo(tmp_path: Path) -> Path:
    """A data repository with networks/mine on main, 'origin/main' pointing there, and a
    pull-request branch checked out that slows a border crossing and adds a network."""
    repo = tmp_path / "data"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    init_network(repo / "networks" / "mine")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "-q", "-b", "pr")
    crossings = repo / "networks" / "mine" / "crossings.yaml"
    text = crossings.read_text(encoding="utf-8")
    m = re.search(r"(id: TERMEZ-HAIRATAN-ROAD.*?a_to_b: \{hours: )([\d.]+)", text, re.S)
    assert m, "the bundled network lost the Termez-Hairatan road crossing"
    crossings.write_text(text[:m.start(2)] + "99" + text[m.end(2):], encoding="utf-8")
    init_network(repo / "networks" / "other")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "slower Termez")
    return repo


def run_step(repo: Path, script: str, summary: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` as a workflow step would, with a ``corridor`` on PATH that is this
    checkout's (``python -m corridor``), whatever is installed."""
    bin_dir = repo.parent / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "corridor"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m corridor "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "GITHUB_BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary),
           "PATH": str(bin_dir) + os.pathsep + os.environ["PATH"],
           "PYTHONPATH": str(ROOT), "CORRIDOR_NO_CACHE": "1", "NO_COLOR": "1"}
    env.pop("CORRIDOR_NETWORK", None)
    return subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env,
                          capture_output=True, text=True, check=False)


def test_recipe_validates_and_posts_the_diff(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    summary = tmp_path / "summary.md"
    (validate_name, validate), (diff_name, diff) = steps()
    done = run_step(repo, validate, summary)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "### corridor validate: ok" in summary.read_text()
    done = run_step(repo, diff, summary)
    assert done.returncode == 0, done.stdout + done.stderr
    text = summary.read_text()
    assert "## corridor diff" in text
    assert "| ~ | crossing | `TERMEZ-HAIRATAN-ROAD` | a_to_b.hours |" in text
    assert "New network: `networks/other`" in text
    assert (tmp_path / "base" / "networks" / "mine" / "network.yaml").is_file()


def test_recipe_fails_on_a_broken_network(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    places = repo / "networks" / "mine" / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + "  - {id: X}\n", encoding="utf-8")
    (_, validate), _ = steps()
    done = run_step(repo, validate, tmp_path / "summary.md")
    assert done.returncode == 1
    assert "::error file=networks/mine/places.yaml" in done.stdout
