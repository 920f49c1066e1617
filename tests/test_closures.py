"""Departure dates: closures apply on the day each leg starts; without a date they are
listed, never applied."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from clirun import runners
from conftest import example_with
from netbuilder import crossing, link, net, place

from corridor.engine.closures import find_routes_on, leg_days
from corridor.engine.routing import find_route
from corridor.errors import NoRouteError
from corridor.model import Closure

DAY = date(2026, 1, 10)


def two_borders(x_closures=(), y_closures=()):
    """A -(road 2400 km, 48 h)- B; B to C (AF) by crossing X (10 h) or Y (30 h)."""
    return net(
        places=[place("A"), place("B"), place("C", "AF")],
        links=[link("A", "B", km=2400)],
        crossings=[crossing("X", "B", "C", ab=(10, 100), closures=tuple(x_closures)),
                   crossing("Y", "B", "C", ab=(30, 100), closures=tuple(y_closures))],
    )


def crossing_ids(route) -> list[str]:
    return [c.id for c in route.crossings]


def test_leg_days_count_from_midnight_of_departure() -> None:
    r = find_route(two_borders(), "A", "C")
    assert [leg.hours for leg in r.legs] == [48.0, 10.0]
    assert leg_days(r, DAY) == [DAY, date(2026, 1, 12)]


def test_a_closure_applies_on_the_day_the_leg_starts_not_on_departure() -> None:
    # X closes on day 2 after departure, the day the crossing leg starts.
    closed_later = Closure(reason="strike", from_date=date(2026, 1, 12),
                           to_date=date(2026, 1, 12))
    n = two_borders(x_closures=[closed_later])
    (r,) = find_routes_on(n, "A", "C", departure=DAY)
    expected = find_route(replace(n, crossings=tuple(
        replace(c, status="closed") if c.id == "X" else c for c in n.crossings)), "A", "C")
    assert crossing_ids(r) == ["Y"] and r.legs == expected.legs and r.totals == expected.totals
    assert [(x.id, x.reached, x.in_force) for x in r.calendar.left_out] == [
        ("X", date(2026, 1, 12), True)]
    assert r.provenance.content_hash == n.content_hash
    # Leaving a day earlier, X is reached on the 11th, when it is open.
    (early,) = find_routes_on(n, "A", "C", departure=date(2026, 1, 9))
    assert crossing_ids(early) == ["X"] and early.calendar.left_out == ()
    assert [(x.id, x.in_force) for x in early.calendar.notes] == [("X", False)]


def test_recurring_months_and_open_ended_ranges() -> None:
    winter = Closure(reason="snow", months=(12, 1, 2))
    n = two_borders(x_closures=[winter])
    assert crossing_ids(find_routes_on(n, "A", "C", departure=DAY)[0]) == ["Y"]
    assert crossing_ids(find_routes_on(n, "A", "C", departure=date(2026, 6, 1))[0]) == ["X"]
    forever = Closure(reason="shut", from_date=date(2020, 1, 1))
    n = two_borders(x_closures=[forever], y_closures=[forever])
    with pytest.raises(NoRouteError, match="closed when reached: crossing X on 2026-01-12"):
        find_routes_on(n, "A", "C", departure=DAY)


def test_without_a_date_closures_are_listed_not_applied() -> None:
    winter = Closure(reason="snow", months=(1,))
    n = two_borders(x_closures=[winter])
    r = find_route(n, "A", "C")
    assert crossing_ids(r) == ["X"]
    assert r.calendar is not None and r.calendar.departure is None
    assert [(x.id, x.closure.reason, x.in_force) for x in r.calendar.notes] == [
        ("X", "snow", None)]
    assert find_route(two_borders(), "A", "C").calendar is None


def test_cli_date(tmp_path: Path) -> None:
    folder = example_with(tmp_path / "net", (
        "links:\n  - {id: alt, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 200,"
        " estimate: x}\n"))
    (folder / "links.yaml").write_text((folder / "links.yaml").read_text().replace(
        "    estimate: \"great-circle 59 km x 1.27 circuity\"\n",
        "    estimate: \"great-circle 59 km x 1.27 circuity\"\n"
        "    closures:\n      - {months: [1], reason: flood, estimate: x}\n", 1))
    run, jrun = runners("route")
    plain = jrun(folder, "AFHRT", "AF-MAZAR", "--modes", "road")
    assert [leg["ref"] for leg in plain["legs"]] == ["AFHRT-AF-MAZAR-road"]
    assert plain["closures"]["departure"] is None
    assert [(c["id"], c["months"], c["in_force"]) for c in plain["closures"]["on_route"]] == [
        ("AFHRT-AF-MAZAR-road", [1], None)]
    jan = jrun(folder, "AFHRT", "AF-MAZAR", "--modes", "road", "--date", "2026-01-05")
    assert [leg["ref"] for leg in jan["legs"]] == ["alt"]
    assert jan["closures"]["departure"] == "2026-01-05"
    assert [(c["id"], c["reached"]) for c in jan["closures"]["left_out"]] == [
        ("AFHRT-AF-MAZAR-road", "2026-01-05")]
    table = run(folder, "AFHRT", "AF-MAZAR", "--modes", "road").stdout
    assert "not applied; give --date" in table
    bad = run(folder, "AFHRT", "AF-MAZAR", "--date", "2026-13-01")
    assert bad.exit_code == 2 and "not a date" in bad.stderr


def test_compare_lists_the_closures_of_each_option(tmp_path: Path) -> None:
    from test_scenario import PORT_EXTRA

    folder = example_with(tmp_path / "net", PORT_EXTRA.replace(
        "  - {from: UZTER, to: UZ-PORT, mode: road, distance_km: 20, estimate: x}\n",
        "  - {from: UZTER, to: UZ-PORT, mode: road, distance_km: 20, estimate: x,"
        " closures: [{months: [2], reason: flood, estimate: x}]}\n"))
    _, jrun = runners("compare")
    doc = jrun(folder, "UZTER")
    (port,) = doc["ports"]
    assert [(c["id"], c["months"], c["reason"]) for c in port["closures"]] == [
        ("UZTER-UZ-PORT-road", [2], "flood")]
