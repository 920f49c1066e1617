"""Checks: YAML in, problems out, asserting code, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import example_with

from corridor.format.validate import validate


def problems_in_extra(tmp_path: Path, extra: str) -> list[tuple[str, int, int]]:
    example_with(tmp_path, extra)
    return [(p.code, p.line, p.col) for p in validate([tmp_path]).problems
            if p.file.endswith("extra.yaml")]


def test_example_network_is_clean(example_net: Path) -> None:
    report = validate([example_net])
    assert report.problems == () and not report.failed(strict=True)


CASES = [
    # unknown field with a suggestion; position of the key
    ("places:\n  - {id: AF-KABUL, name: Kabul, country: AF, kind: city, lat: 34.5, lon: 69.2, sorce: x}\n",
     [("E103", 2, "sorce"), ("W307", 2, "{"), ("W401", 2, "{")]),
    # missing required field at the mapping
    ("places:\n  - {id: AF-KABUL, name: Kabul, country: AF, lat: 34.5, lon: 69.2, estimate: x}\n",
     [("E102", 2, "{")]),
    # unknown place reference at the field
    ("links:\n  - {from: AFHRT, to: AF-KABL, mode: road, distance_km: 400, estimate: x}\n",
     [("E203", 2, "AF-KABL")]),
    # self-loop
    ("links:\n  - {id: l, from: AFHRT, to: AFHRT, mode: road, distance_km: 4, estimate: x}\n",
     [("E204", 2, "AFHRT,")]),
    # non-positive distance, negative cost, non-finite hours
    ("links:\n  - {id: l, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: -3, estimate: x}\n"
     "  - {id: m, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 80, cost_usd: -1, estimate: x}\n"
     "  - {id: nn, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 80, hours: .inf, estimate: x}\n",
     [("E105", 2, "-3"), ("E106", 3, "-1"), ("E105", 4, ".inf")]),
    # out-of-range coordinates and unknown country
    ("places:\n  - {id: AF-X, name: X, country: ZZ, kind: city, lat: 34.5, lon: 269.2, estimate: x}\n",
     [("E108", 2, "ZZ"), ("E107", 2, "269.2")]),
    # duplicate ids and ids differing only in case
    ("sources:\n  - {id: arfc2023, title: again}\n  - {id: ARFC2023, title: shouted}\n",
     [("E201", 2, "arfc2023"), ("E202", 3, "ARFC2023")]),
    # distance shorter than the great circle; implausibly long
    ("links:\n  - {id: s, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 20, estimate: x}\n"
     "  - {id: t, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 900, estimate: x}\n",
     [("E301", 2, "20,"), ("W302", 3, "900")]),
    # land link across a border
    ("links:\n  - {id: x, from: UZTER, to: AF-MAZAR, mode: road, distance_km: 90, estimate: x}\n",
     [("E303", 2, "{")]),
    # gauge change with no transfer
    ("links:\n  - {id: g, from: AFHRT, to: AF-MAZAR, mode: rail, gauge_mm: 1435, distance_km: 80, estimate: x}\n",
     []),  # reported at the places, see test below
    # unknown source; figure without provenance
    ("links:\n  - {id: u, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 80, source: nope}\n"
     "  - {id: v, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 80}\n",
     [("E205", 2, "nope"), ("W401", 3, "{")]),
    # unknown mode with a suggestion
    ("links:\n  - {id: w, from: AFHRT, to: AF-MAZAR, mode: rial, gauge_mm: 1520, distance_km: 80, estimate: x}\n",
     [("E104", 2, "rial")]),
]


@pytest.mark.parametrize("extra, expected", CASES, ids=[c[1][0][0] if c[1] else "none" for c in CASES])
def test_check_cases(tmp_path: Path, extra: str, expected) -> None:
    """Expected positions are given as (code, line, token): the column is where the token
    starts on that line of the extra file (the E204 self-loop points at the 'to' value)."""
    lines = extra.splitlines()
    want = []
    for code, line, token in expected:
        text = lines[line - 1]
        col = text.index(token, text.index("to:") if code == "E204" else 0) + 1
        want.append((code, line, col))
    assert problems_in_extra(tmp_path, extra) == sorted(want, key=lambda t: (t[1], t[2], t[0]))


def test_gauge_break_without_transfer_is_reported_at_the_place(tmp_path: Path) -> None:
    example_with(tmp_path, "links:\n  - {id: g, from: AFHRT, to: AF-MAZAR, mode: rail, gauge_mm: 1435, distance_km: 80, estimate: x}\n")
    e304 = [p for p in validate([tmp_path]).problems if p.code == "E304"]
    assert {p.file.rsplit("/", 1)[-1] for p in e304} == {"places.yaml"}
    assert "1435 mm, 1520 mm" in e304[0].message


def test_gauge_change_transfer_silences_e304(tmp_path: Path) -> None:
    example_with(tmp_path, (
        "links:\n  - {id: g, from: AFHRT, to: AF-MAZAR, mode: rail, gauge_mm: 1435, distance_km: 80, estimate: x}\n"
        "terminals:\n  - place: AF-MAZAR\n    transfers:\n      - {from: rail, to: rail, from_gauge_mm: 1520, to_gauge_mm: 1435, estimate: x}\n"
        "  - place: UZTER\n    transfers: []\n"))
    # AFHRT still has both gauges without a transfer
    e304 = [p for p in validate([tmp_path]).problems if p.code == "E304"]
    assert len(e304) == 1 and "AFHRT" in e304[0].message


def test_did_you_mean_in_messages(tmp_path: Path) -> None:
    example_with(tmp_path, "links:\n  - {from: AFHRT, to: AF-MAZR, mode: road, distance_km: 80, estimate: x}\n")
    msgs = [p.message for p in validate([tmp_path]).problems if p.code == "E203"]
    assert msgs == ["unknown place 'AF-MAZR'; did you mean 'AF-MAZAR'?"]


def test_crossing_in_one_country(tmp_path: Path) -> None:
    got = problems_in_extra(tmp_path, (
        "crossings:\n  - {id: X, name: X, a: AFHRT, b: AF-MAZAR, modes: [road],"
        " a_to_b: {hours: 1}, b_to_a: {hours: 1}, estimate: x}\n"))
    assert got == [("E305", 2, 5)]


def test_sea_link_needs_port_handling(tmp_path: Path) -> None:
    got = problems_in_extra(tmp_path, (
        "places:\n  - {id: PKKHI, name: Karachi, country: PK, kind: seaport, lat: 24.85, lon: 66.98, estimate: x}\n"
        "  - {id: AEJEA, name: Jebel Ali, country: AE, kind: seaport, lat: 25.01, lon: 55.06, estimate: x}\n"
        "links:\n  - {from: PKKHI, to: AEJEA, mode: sea, distance_km: 1300, estimate: x}\n"
        "terminals:\n  - {place: AEJEA, handling: {hours: 24, estimate: x}}\n"))
    assert ("E306", 5, 12) in got, got


def test_problems_are_sorted_by_file_line_column(tmp_path: Path) -> None:
    example_with(tmp_path, (
        "links:\n  - {from: AFHRT, to: X1, mode: road, distance_km: 80, estimate: x}\n"
        "  - {from: X2, to: AFHRT, mode: road, distance_km: 80, estimate: x}\n"))
    probs = validate([tmp_path]).problems
    keys = [(p.file, p.line, p.col) for p in probs]
    assert keys == sorted(keys) and len(probs) >= 2


def test_all_problems_across_files_are_collected(tmp_path: Path) -> None:
    example_with(tmp_path, "places: 3\n")
    (tmp_path / "links.yaml").write_text("links:\n  - {from: AFHRT, mode: road}\n")
    codes = {p.code for p in validate([tmp_path]).problems}
    assert {"E101", "E102"} <= codes
