"""Projects and closures in network files: typing, references, positions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import example_with

from corridor.format.network import load
from corridor.format.validate import validate
from corridor.model import Closure

LINK = "  - id: l\n    from: AFHRT\n    to: AF-MAZAR\n    mode: road\n    distance_km: 80\n    estimate: x\n"


def extra_problems(tmp_path: Path, extra: str) -> list[tuple[str, int, int]]:
    example_with(tmp_path, extra)
    return [(p.code, p.line, p.col) for p in validate([tmp_path]).problems
            if p.file.endswith("extra.yaml")]


def test_projects_and_closures_load_into_records(tmp_path: Path) -> None:
    example_with(tmp_path, (
        "projects:\n  - {id: p1, name: Project one, status: planned, estimate: x}\n"
        "links:\n" + LINK + "    project: p1\n    status: planned\n    closures:\n"
        "      - {months: [12, 1, 2], reason: snow, estimate: x}\n"
        "      - {from: 2025-10-12, to: \"2025-11-20\", reason: dispute, source: arfc2023}\n"
        "      - {from: 2026-01-01, reason: open-ended, estimate: x}\n"))
    result = load(tmp_path)
    assert result.errors == [] and result.network is not None
    net = result.network
    assert [(p.id, p.name, p.status) for p in net.projects] == [("p1", "Project one", "planned")]
    lk = next(lk for lk in net.links if lk.id == "l")
    assert lk.project == "p1"
    winter, dispute, endless = lk.closures
    assert winter.months == (12, 1, 2) and winter.from_date is None
    assert (dispute.from_date, dispute.to_date) == (date(2025, 10, 12), date(2025, 11, 20))
    assert dispute.provenance.source == ("arfc2023",)
    assert endless.to_date is None
    assert [p.code for p in result.problems] == []


def test_closure_in_force_is_inclusive_and_recurring() -> None:
    rng = Closure(reason="r", from_date=date(2025, 10, 12), to_date=date(2025, 11, 20))
    assert not rng.in_force(date(2025, 10, 11))
    assert rng.in_force(date(2025, 10, 12)) and rng.in_force(date(2025, 11, 20))
    assert not rng.in_force(date(2025, 11, 21))
    assert Closure(reason="r", from_date=date(2025, 1, 1)).in_force(date(2099, 1, 1))
    winter = Closure(reason="r", months=(12, 1))
    assert winter.in_force(date(2030, 12, 31)) and winter.in_force(date(2031, 1, 1))
    assert not winter.in_force(date(2031, 2, 1))


def test_unknown_project_is_an_error_with_did_you_mean(tmp_path: Path) -> None:
    example_with(tmp_path, "projects:\n  - {id: trans-afghan, name: T}\nlinks:\n" + LINK
                 + "    project: trans-afgan\n")
    probs = [p for p in validate([tmp_path]).problems if p.code == "E207"]
    assert [(p.line, p.col, p.message) for p in probs] == [
        (10, 14, "unknown project 'trans-afgan'; did you mean 'trans-afghan'?")]


def test_duplicate_project_ids(tmp_path: Path) -> None:
    got = extra_problems(tmp_path, "projects:\n  - {id: p, name: A}\n  - {id: p, name: B}\n")
    assert got == [("E201", 3, 10)]


def test_bad_dates_and_months_are_reported_at_their_position(tmp_path: Path) -> None:
    got = extra_problems(tmp_path, "links:\n" + LINK + "    closures:\n"
                         "      - {from: 2025-02-30, reason: a, estimate: x}\n"
                         "      - {months: [0, 13, 1, 1], reason: b, estimate: x}\n"
                         "      - {from: 25-1-1, reason: c, estimate: x}\n")
    assert got == [("E113", 9, 16), ("E113", 10, 19), ("E113", 10, 22), ("E113", 10, 29),
                   ("E113", 11, 16)]


def test_a_closure_is_one_period(tmp_path: Path) -> None:
    got = extra_problems(tmp_path, "links:\n" + LINK + "    closures:\n"
                         "      - {months: [1], from: 2025-01-01, reason: both, estimate: x}\n"
                         "      - {to: 2025-01-01, reason: no start, estimate: x}\n"
                         "      - {from: 2025-02-01, to: 2025-01-01, reason: backwards, estimate: x}\n"
                         "      - {months: [1]}\n")
    assert got == [("E113", 9, 9), ("E102", 10, 14), ("E113", 11, 32), ("E102", 12, 9)]


def test_closure_without_provenance_warns_and_unknown_source_errs(tmp_path: Path) -> None:
    got = extra_problems(tmp_path, "links:\n" + LINK + "    closures:\n"
                         "      - {months: [1], reason: a}\n"
                         "      - {months: [2], reason: b, source: nope}\n")
    assert got == [("W401", 9, 9), ("E205", 10, 42)]


def test_dates_are_not_w101(tmp_path: Path) -> None:
    got = extra_problems(tmp_path, "links:\n" + LINK + "    closures:\n"
                         "      - {from: 2025-01-01, reason: a, estimate: x}\n")
    assert got == []


def test_every_crossing_direction_is_checked_for_provenance(tmp_path: Path) -> None:
    # Two crossings; the first one's direction has no provenance: W401 at that direction.
    got = extra_problems(tmp_path, (
        "places:\n  - {id: AF-X, name: X, country: AF, kind: city, lat: 37.3, lon: 67.4,"
        " estimate: x}\n"
        "crossings:\n"
        "  - {id: C1, name: C1, a: UZTER, b: AF-X, modes: [road], a_to_b: {hours: 1},"
        " b_to_a: {hours: 1, estimate: x}}\n"
        "  - {id: C2, name: C2, a: UZTER, b: AFHRT, modes: [road], a_to_b: {hours: 1, estimate: x},"
        " b_to_a: {hours: 1, estimate: x}}\n"))
    assert got == [("W401", 4, 66)]
