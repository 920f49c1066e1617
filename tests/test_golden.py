"""Golden folders: valid networks validate clean under --strict; invalid ones give exactly
the problems listed in their expected.txt (file:line:col: CODE message)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.format.validate import validate

GOLDEN = Path(__file__).parent / "golden"
VALID = sorted(p for p in (GOLDEN / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (GOLDEN / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", VALID, ids=lambda p: p.name)
def test_valid_network_is_clean_under_strict(folder: Path) -> None:
    report = validate([folder])
    assert [str(p) for p in report.problems] == []
    assert not report.failed(strict=True)


@pytest.mark.parametrize("folder", INVALID, ids=lambda p: p.name)
def test_invalid_network_gives_expected_problems(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)
    report = validate(["."])
    got = [str(p) for p in report.problems]
    expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert got == expected
    assert report.failed()
