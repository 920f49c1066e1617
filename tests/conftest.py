"""Shared fixtures: small networks written to temporary folders."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent

# In CI (CI=true, as .ci/run runs) property tests draw the same examples every run, so a
# submission never fails on a random draw that no change caused; locally they explore anew.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
DOCS = ROOT / "docs"


def example_files() -> dict[str, str]:
    """The complete example network of docs/network-format.md, file name -> text."""
    text = (DOCS / "network-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"`([\w./-]+\.yaml)`:\n\n```yaml\n(.*?)```", text, re.S)
    return dict(blocks)


def write_network(folder: Path, files: dict[str, str]) -> Path:
    for name, body in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(body), encoding="utf-8")
    return folder


def example_with(folder: Path, extra: str | None = None) -> Path:
    """The docs example network, plus ``extra`` as an included file ``extra.yaml``."""
    files = example_files()
    if extra is not None:
        files["network.yaml"] = files["network.yaml"].replace(
            "include:\n", "include:\n  - extra.yaml\n", 1)
        files["extra.yaml"] = extra
    return write_network(folder, files)


@pytest.fixture
def example_net(tmp_path: Path) -> Path:
    return example_with(tmp_path)


@pytest.fixture(autouse=True, scope="session")
def _private_network_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the user's network cache."""
    import os

    os.environ["CORRIDOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("corridor-cache"))
