"""Resolving what a user typed to a place (corridor.engine.places)."""

from __future__ import annotations

import pytest
from netbuilder import net, place

from corridor.engine.places import resolve_place
from corridor.errors import AmbiguousPlaceError, UnknownPlaceError

NET = net(
    places=[
        place("PKKHI", "PK", name="Karachi", aliases=["KHI"]),
        place("PKBQM", "PK", name="Port Qasim", aliases=["Bin Qasim"]),
        place("AF-MAZAR", "AF", name="Mazār-i-Sharīf", aliases=["Mazar"]),
        place("PKHDD", "PK", name="Hyderabad"),
        place("INHYD", "IN", name="Hyderabad"),
        place("AF-TORKHAM", "AF", name="Torkham"),
        place("PK-TORKHAM", "PK", name="Torkham"),
    ]
)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("PKKHI", "PKKHI"),
        ("pkkhi", "PKKHI"),
        ("PK KHI", "PKKHI"),
        ("Karachi", "PKKHI"),
        ("KARACHI", "PKKHI"),
        ("  karachi ", "PKKHI"),
        ("khi", "PKKHI"),
        ("bin qasim", "PKBQM"),
        ("Mazar-i-Sharif", "AF-MAZAR"),
        ("mazār-i-sharīf", "AF-MAZAR"),
        ("af-mazar", "AF-MAZAR"),
        ("AF-TORKHAM", "AF-TORKHAM"),
    ],
)
def test_resolves_id_locode_name_alias_ignoring_case_and_diacritics(
    query: str, expected: str
) -> None:
    assert resolve_place(NET, query).id == expected


def test_ambiguous_name_lists_candidates() -> None:
    with pytest.raises(AmbiguousPlaceError) as info:
        resolve_place(NET, "hyderabad")
    assert info.value.candidates == ("Hyderabad (INHYD, IN)", "Hyderabad (PKHDD, PK)")
    assert "name it by id" in str(info.value)


def test_unknown_name_suggests_closest() -> None:
    with pytest.raises(UnknownPlaceError) as info:
        resolve_place(NET, "Karachy")
    assert info.value.candidates[0] == "Karachi (PKKHI, PK)"
    assert "did you mean" in str(info.value)


def test_unknown_without_anything_close() -> None:
    with pytest.raises(UnknownPlaceError) as info:
        resolve_place(NET, "zzzzqqq")
    assert info.value.candidates == ()


def test_control_characters_are_escaped_in_messages() -> None:
    with pytest.raises(UnknownPlaceError) as info:
        resolve_place(NET, "Kara\x1b[2Jchi")
    assert "\x1b" not in str(info.value)
