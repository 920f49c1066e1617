"""Per-TEU figures of links, crossings, transfers and handling (corridor.engine.costs)."""

from __future__ import annotations

import pytest
from netbuilder import DEFAULTS, crossing, link, transfer

from corridor.engine import costs
from corridor.model import Defaults, Handling, ModeDefaults


def test_link_defaults_derive_hours_cost_and_co2_from_distance() -> None:
    f = costs.link_figures(link("A", "B", "road", 200), DEFAULTS)
    assert f.distance_km == 200
    assert f.hours == pytest.approx(4.0)  # 200 km / 50 km/h
    assert f.cost_usd == pytest.approx(200.0)  # 1 USD/km
    assert f.co2_kg == pytest.approx(20.0)  # 0.1 kg/km
    assert f.moving_hours == f.hours


def test_link_own_figures_win_over_defaults() -> None:
    lk = link("A", "B", "rail", 400, hours=7, cost_usd=123, co2_kg_per_teu_km=0.5)
    f = costs.link_figures(lk, DEFAULTS)
    assert (f.hours, f.cost_usd, f.co2_kg) == (7, 123, pytest.approx(200.0))


def test_link_speed_and_rate_override_defaults() -> None:
    lk = link("A", "B", "road", 300, speed_kmh=60, cost_usd_per_teu_km=2.0)
    f = costs.link_figures(lk, DEFAULTS)
    assert f.hours == pytest.approx(5.0)
    assert f.cost_usd == pytest.approx(600.0)


def test_country_defaults_apply_by_from_place_country_field_by_field() -> None:
    d = Defaults(
        modes={
            "road": ModeDefaults(
                speed_kmh=50,
                cost_usd_per_teu_km=1.0,
                co2_kg_per_teu_km=0.1,
                by_country={"AF": ModeDefaults(speed_kmh=25, cost_usd_per_teu_km=None,  # type: ignore[arg-type]
                                               co2_kg_per_teu_km=None)},  # type: ignore[arg-type]
            )
        }
    )
    lk = link("A", "B", "road", 100)
    af = costs.link_figures(lk, d, country="AF")
    uz = costs.link_figures(lk, d, country="UZ")
    assert af.hours == pytest.approx(4.0) and uz.hours == pytest.approx(2.0)
    assert af.cost_usd == uz.cost_usd == pytest.approx(100.0)  # AF gives no rate: mode default


def test_transfer_defaults_mode_change_vs_gauge_change() -> None:
    assert costs.transfer_figures(transfer("rail", "road"), DEFAULTS) == costs.Figures(
        hours=5, cost_usd=100)
    assert costs.transfer_figures(transfer("rail", "rail"), DEFAULTS) == costs.Figures(
        hours=10, cost_usd=200)
    own = costs.transfer_figures(transfer("rail", "road", hours=1, cost_usd=None), DEFAULTS)
    assert (own.hours, own.cost_usd) == (1, 100)


def test_missing_defaults_count_as_zero() -> None:
    d = Defaults(modes={})
    assert costs.transfer_figures(transfer("rail", "road"), d) == costs.Figures()
    assert costs.handling_figures(None, d) == costs.Figures()
    f = costs.link_figures(link("A", "B", "road", 100), d)
    assert (f.hours, f.cost_usd, f.co2_kg) == (0, 0, 0)


def test_handling_port_figures_else_default() -> None:
    assert costs.handling_figures(Handling(hours=30), DEFAULTS) == costs.Figures(
        hours=30, cost_usd=150)
    assert costs.handling_figures(None, DEFAULTS) == costs.Figures(hours=12, cost_usd=150)


def test_crossing_charged_by_direction_with_distance_as_moving_free() -> None:
    c = crossing("X", "A", "B", ab=(10, 200), ba=(3, 50), distance_km=4)
    ab = costs.crossing_figures(c, DEFAULTS, a_to_b=True, mode="road")
    ba = costs.crossing_figures(c, DEFAULTS, a_to_b=False, mode="road")
    assert (ab.hours, ab.cost_usd, ba.hours, ba.cost_usd) == (10, 200, 3, 50)
    assert ab.distance_km == 4 and ab.moving_hours == 0
    assert ab.co2_kg == pytest.approx(0.4)  # 4 km x 0.1 kg/km by road


