"""The operating model of docs/operating-model.md: rest, waits, gates, handling by direction,
rail terminals, shipment pricing, P90, and the independent router's four repro networks."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from netbuilder import DEFAULTS, crossing, link, net, place, terminal, transfer
from test_routing import small_networks

from corridor.engine.routing import find_route, find_routes
from corridor.errors import NoRouteError, UsageError
from corridor.format.network import load_network
from corridor.model import CountryDefaults, Handling, Variability

REPROS = Path(__file__).parent / "repros"


def kinds(route: Any) -> list[str]:
    return [leg.kind for leg in route.legs]


def with_modes(**changes: Any) -> Any:
    modes = dict(DEFAULTS.modes)
    for mode, kw in changes.items():
        modes[mode] = replace(modes[mode], **kw)
    return replace(DEFAULTS, modes=modes)


def truck_net(**road: Any) -> Any:
    d = with_modes(road={"speed_kmh": 45, **road})
    return net(places=[place("A"), place("B")], links=[link("A", "B", "road", 450)], defaults=d)


# --------------------------------------------------------------------------- road


def test_rest_follows_the_daily_driving_allowance() -> None:
    n = truck_net(driving_hours_per_day=9, team_driving_hours_per_day=16.8)
    (leg,) = find_route(n, "A", "B").legs
    assert leg.moving_hours == pytest.approx(10)
    assert leg.rest_hours == pytest.approx(10 * (24 / 9 - 1))
    assert leg.hours == pytest.approx(10 + 10 * (24 / 9 - 1))
    team = find_route(n, "A", "B", drivers=2).legs[0]
    assert team.rest_hours == pytest.approx(10 * (24 / 16.8 - 1))
    assert find_route(n, "A", "B", driving_hours_per_day=24).legs[0].rest_hours == 0
    # The option is recorded with the answer.
    assert find_route(n, "A", "B", drivers=2).options.drivers == 2


def test_two_drivers_without_a_team_figure_double_the_allowance() -> None:
    n = truck_net(driving_hours_per_day=9)
    leg = find_route(n, "A", "B", drivers=2).legs[0]
    assert leg.rest_hours == pytest.approx(10 * (24 / 18 - 1))


def test_country_allowance_beats_the_mode_default() -> None:
    n = truck_net(driving_hours_per_day=9,
                  by_country={"UZ": CountryDefaults(driving_hours_per_day=12)})
    assert find_route(n, "A", "B").legs[0].rest_hours == pytest.approx(10 * (24 / 12 - 1))


def test_no_allowance_means_no_rest() -> None:
    assert find_route(truck_net(), "A", "B").legs[0].rest_hours == 0


@pytest.mark.parametrize("bad", [0, -1, 25, math.inf, math.nan])
def test_driving_hours_option_is_bounded(bad: float) -> None:
    with pytest.raises(UsageError):
        find_route(truck_net(), "A", "B", driving_hours_per_day=bad)
    with pytest.raises(UsageError):
        find_route(truck_net(), "A", "B", drivers=3)


# --------------------------------------------------------------------------- sea


def sea_net(**link_kw: Any) -> Any:
    d = with_modes(sea={"frequency_per_week": 2})
    return net(
        places=[place("P", kind="seaport"), place("H", "AE", kind="seaport")],
        links=[link("P", "H", "sea", 500, **link_kw)],
        terminals=[terminal("P", handling=Handling(hours=20, cost_usd=100, export_hours=30,
                                                   import_hours=50))],
        defaults=d,
    )


def test_sailing_wait_is_half_the_headway_and_a_whole_one_pessimistic() -> None:
    r = find_route(sea_net(), "P", "H")
    assert kinds(r) == ["handling", "link", "handling"]
    sail = r.legs[1]
    assert sail.wait_hours == pytest.approx(168 / 2 / 2)
    assert sail.moving_hours == pytest.approx(500 / 25)
    assert sail.high_hours - sail.hours == pytest.approx(168 / 2 / 2 + 0.0)  # moving var 0
    # A link's own frequency beats the default; a stated wait beats both.
    assert find_route(sea_net(frequency_per_week=7), "P", "H").legs[1].wait_hours == \
        pytest.approx(12)
    stated = find_route(sea_net(wait_hours=48, wait_hours_high=168), "P", "H").legs[1]
    assert (stated.wait_hours, stated.high_hours - stated.hours) == (48, 120)


def test_port_handling_is_direction_aware() -> None:
    out = find_route(sea_net(), "P", "H")
    back = find_route(sea_net(), "H", "P")
    assert (out.legs[0].name, out.legs[0].hours) == ("export", 30)
    assert (back.legs[-1].name, back.legs[-1].hours) == ("import", 50)
    # H declares nothing: the defaults, import there and export when leaving it.
    assert out.legs[-1].hours == DEFAULTS.handling.hours
    assert back.legs[0].cost_usd == DEFAULTS.handling.cost_usd


def test_port_charges_do_not_depend_on_the_modes_allowed() -> None:
    n = sea_net()
    a = find_route(n, "P", "H")
    b = find_route(n, "P", "H", modes=["sea"])
    assert (a.totals.hours, a.totals.cost_usd) == (b.totals.hours, b.totals.cost_usd)


# --------------------------------------------------------------------------- rail


def rail_net() -> Any:
    d = replace(DEFAULTS, rail_terminal=Handling(hours=6, cost_usd=60, wait_hours=24),
                transfer=Handling(hours=5, cost_usd=100, wait_hours=12))
    return net(
        places=[place("A"), place("B"), place("C")],
        links=[link("A", "B", "rail", 400), link("B", "C", "road", 100)],
        terminals=[terminal("B", [transfer("rail", "road")])],
        defaults=d,
    )


def test_rail_origin_pays_loading_and_the_wait_for_a_train() -> None:
    r = find_route(rail_net(), "A", "C")
    assert kinds(r) == ["terminal", "link", "transfer", "link"]
    load = r.legs[0]
    assert (load.name, load.hours, load.wait_hours, load.cost_usd) == ("loading", 30, 24, 60)
    # A change onto road does not wait for a train; the way back onto rail does.
    assert r.legs[2].wait_hours == 0
    back = find_route(rail_net(), "C", "A")
    assert kinds(back) == ["link", "transfer", "link", "terminal"]
    assert back.legs[1].wait_hours == 12
    assert (back.legs[-1].name, back.legs[-1].hours, back.legs[-1].wait_hours) == \
        ("unloading", 6, 0)


# --------------------------------------------------------------------------- cargo


def test_trucks_are_priced_per_vehicle_and_boxes_per_box() -> None:
    d = with_modes(road={"teu_per_vehicle": 2, "feu_per_vehicle": 1},
                   sea={"feu_teu_ratio": 1.5})
    d = replace(d, feu_teu_ratio=1.4, feu_co2_ratio=2.0)
    n = net(places=[place("A"), place("P", kind="seaport"), place("H", "AE", kind="seaport")],
            links=[link("A", "P", "road", 100), link("P", "H", "sea", 1000)],
            terminals=[terminal("P", handling=Handling(hours=10, cost_usd=100))], defaults=d)

    def costs(**kw: Any) -> list[float]:
        return [leg.cost_usd for leg in find_route(n, "A", "H", **kw).legs]

    one = costs()
    assert costs(containers=2) == [one[0], one[1] * 2, one[2] * 2, one[3] * 2]  # 1 truck
    assert costs(containers=3)[0] == one[0] * 2  # 2 trucks
    feu = costs(cargo="feu", containers=2)
    assert feu[0] == one[0] * 2 and feu[2] == pytest.approx(one[2] * 2 * 1.5)
    assert feu[1] == pytest.approx(one[1] * 2 * 1.4)  # handling: box units
    co2 = find_route(n, "A", "H", cargo="feu").totals.co2_kg
    assert co2 == pytest.approx(find_route(n, "A", "H").totals.co2_kg * 2.0)


# --------------------------------------------------------------------------- P90


def test_p90_is_planning_plus_root_sum_square_of_leg_excesses() -> None:
    d = replace(DEFAULTS, variability=Variability(moving=0.1, border=1.5, terminal=0.5))
    n = net(places=[place("A2", "UZ"), place("A", "UZ"), place("B", "AF"), place("C", "AF")],
            links=[link("A2", "A", "road", 100), link("C", "B", "road", 200)],
            crossings=[crossing("X", "A", "B", ab=(10, 50), ba=(10, 50))], defaults=d)
    r = find_route(n, "A2", "C")
    excess = [leg.high_hours - leg.hours for leg in r.legs]
    assert excess == pytest.approx([0.1 * 2, 1.5 * 10, 0.1 * 4])
    rss = math.sqrt(sum(e * e for e in excess))
    assert r.totals.p90_hours == pytest.approx(r.totals.hours + rss)
    assert r.totals.p90_days == pytest.approx(r.totals.p90_hours / 24)


# --------------------------------------------------------------------------- components


def test_components_add_up_to_their_leg_on_the_bundled_network() -> None:
    bundled = load_network(None)
    for o, d in [("Tashkent", "Karachi"), ("Minsk", "Karachi"), ("Almaty", "Jebel Ali"),
                 ("Bandar Abbas", "Tashkent"), ("Karachi", "Jebel Ali")]:
        for r in find_routes(bundled, o, d, k=2, objective="cost"):
            for leg in r.legs:
                assert leg.components, (o, d, leg)
                assert sum(c.hours for c in leg.components) == pytest.approx(leg.hours)
                assert sum(c.high_hours for c in leg.components) == pytest.approx(leg.high_hours)
                assert sum(c.cost_usd for c in leg.components) == pytest.approx(leg.cost_usd)
                assert sum(c.co2_kg for c in leg.components) == pytest.approx(leg.co2_kg)
                assert sum(c.distance_km for c in leg.components) == \
                    pytest.approx(leg.distance_km)
                for c in leg.components:
                    assert c.rule and c.refs, c  # every figure says where it comes from
                    for _, record in c.refs:
                        assert record is None or getattr(record, "loc", None) is not None


def test_route_from_a_place_to_itself_is_empty() -> None:
    bundled = load_network(None)
    for p in ("Tashkent", "Jebel Ali", "Karachi"):
        r = find_route(bundled, p, p)
        assert r.legs == () and r.totals.hours == 0 and r.totals.cost_usd == 0


# --------------------------------------------------------------------------- repros


def repro(name: str) -> Any:
    return load_network(REPROS / name / "network.yaml", cache=False)


def test_repro_phantom_gauge() -> None:
    n = repro("phantom-gauge")
    r = find_route(n, "KZ-C", "UZ-B")
    assert (r.totals.hours, r.totals.cost_usd) == (pytest.approx(31.5), pytest.approx(320))
    back = find_route(n, "UZ-B", "KZ-C")
    assert (back.totals.hours, back.totals.cost_usd) == (pytest.approx(32.5), pytest.approx(330))


def test_repro_ashore_does_not_depend_on_options() -> None:
    n = repro("ashore-depends-on-options")
    plain = find_route(n, "UZ-P", "AE-H")
    planned = find_route(n, "UZ-P", "AE-H", include_planned=True)
    assert plain.totals.cost_usd == planned.totals.cost_usd == pytest.approx(100 + 500 + 50)
    allm = find_route(n, "UZ-Q", "AE-H")
    sea = find_route(n, "UZ-Q", "AE-H", modes=["sea"])
    assert allm.totals.cost_usd == sea.totals.cost_usd == pytest.approx(100 + 550 + 50)


def test_repro_sea_override_follows_the_declared_from() -> None:
    n = repro("sea-override-direction")
    there = find_route(n, "UZ-P", "AE-H")
    back = find_route(n, "AE-H", "UZ-P")
    for r in (there, back):
        (sail,) = [leg for leg in r.legs if leg.kind == "link"]
        assert (sail.hours, sail.cost_usd) == (pytest.approx(100), pytest.approx(2000))


@pytest.mark.parametrize("name", ["transfer-chain-needs-usable-line-closed",
                                  "transfer-chain-needs-usable-line-planned"])
def test_repro_transfer_chain_needs_no_usable_line(name: str) -> None:
    r = find_route(repro(name), "UZ-A", "UZ-B")
    assert kinds(r) == ["link", "transfer", "transfer", "link"]
    assert (r.totals.hours, r.totals.cost_usd) == (pytest.approx(36.5), pytest.approx(490))


# --------------------------------------------------------------------------- properties

SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@SETTINGS
@given(small_networks(), st.sampled_from(["time", "cost", "distance", "co2"]),
       st.sampled_from([("road",), ("sea",), ("rail", "sea"), ("road", "rail")]))
def test_allowing_more_never_makes_the_best_answer_worse(network: Any, objective: str,
                                                        modes: tuple[str, ...]) -> None:
    """More modes or planned links only add edges: the best value can only fall."""
    o, d = network.places[0].id, network.places[-1].id

    def best(**kw: Any) -> float | None:
        try:
            return find_route(network, o, d, objective=objective, **kw).totals.objective_value
        except NoRouteError:
            return None

    narrow = best(modes=list(modes))
    assume(narrow is not None)
    for wider in (best(), best(modes=list(modes), include_planned=True),
                  best(include_planned=True)):
        assert wider is not None and wider <= narrow * (1 + 1e-9) + 1e-6


@SETTINGS
@given(small_networks())
def test_every_total_is_finite_and_p90_at_least_planning(network: Any) -> None:
    o, d = network.places[0].id, network.places[-1].id
    try:
        r = find_route(network, o, d, include_planned=True)
    except NoRouteError:
        assume(False)
        return
    t = r.totals
    for x in (t.hours, t.cost_usd, t.co2_kg, t.distance_km, t.p90_hours):
        assert math.isfinite(x)
    assert t.p90_hours >= t.hours - 1e-9
    assert t.hours == pytest.approx(t.moving_hours + t.delay_hours)



# --------------------------------------------------------------------------- alternatives


def test_alternatives_differ_in_their_corridor() -> None:
    """All five alternatives Almaty -> Karachi used to be near-copies through Chaman; now
    each uses another sequence of border crossings, ranked by the objective, and Torkham
    and Chaman both appear."""
    from corridor.engine import graph
    from corridor.engine.routing import _crossings_of  # noqa: F401 (the rule under test)

    bundled = load_network(None)
    routes = find_routes(bundled, "Almaty", "Karachi", k=6)
    corridors = [tuple(c.id for c in r.crossings) for r in routes]
    assert len(set(corridors)) == len(corridors) == 6
    assert any("CHAMAN" in c for c in corridors)
    assert any("TORKHAM" in c for c in corridors)
    values = [r.totals.objective_value for r in routes]
    assert values == sorted(values)
    assert graph.OBJECTIVES  # the module is importable without side effects


def test_alternatives_fill_with_other_paths_when_one_corridor_exists() -> None:
    from netbuilder import corridor_net

    routes = find_routes(corridor_net(), "UZTAS", "PKKHI", k=3)
    assert len(routes) == 3
    assert len({tuple(c.id for c in r.crossings) for r in routes}) == 1
    assert len({tuple(leg.ref for leg in r.legs) for r in routes}) == 3


def test_a_missing_default_block_is_a_warning_not_a_silent_zero(tmp_path: Path) -> None:
    from corridor.format.validate import validate

    src = (REPROS / "transfer-chain-needs-usable-line-closed" / "network.yaml").read_text()
    lines = [ln for ln in src.splitlines() if not ln.lstrip().startswith(("transfer:",
                                                                          "gauge_change:"))]
    (tmp_path / "network.yaml").write_text("\n".join(lines) + "\n")
    codes = [p.code for p in validate([str(tmp_path / "network.yaml")]).problems]
    assert codes.count("W320") == 4  # hours and cost of both blocks


@pytest.mark.parametrize("kw", [{"containers": 10**9}, {"containers": 0},
                                {"value_of_time_usd_per_hour": math.inf},
                                {"value_of_time_usd_per_hour": math.nan}])
def test_library_refuses_unbounded_options(kw: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        find_route(truck_net(), "A", "B", **kw)


def test_compare_explain_gives_each_port_its_components() -> None:
    import json

    from typer.testing import CliRunner

    from corridor.__main__ import cli_module

    res = CliRunner().invoke(cli_module().app, ["compare", "Tashkent", "--ports",
                                                 "Karachi,Gwadar", "--explain", "--format",
                                                 "json"], env={"CORRIDOR_NETWORK": ""})
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    for port in doc["ports"]:
        if not port["reachable"]:
            assert port["legs"] is None
            continue
        total = sum(c["hours"] for leg in port["legs"] for c in leg["components"])
        assert total == pytest.approx(port["totals"]["hours"], abs=0.05)


def test_containers_count_the_trucks() -> None:
    d = with_modes(road={"teu_per_vehicle": 2, "feu_per_vehicle": 1})
    n = net(places=[place("A"), place("B")], links=[link("A", "B", "road", 100)], defaults=d)
    assert find_route(n, "A", "B", containers=3).vehicles == (("road", 2),)
    assert find_route(n, "A", "B", containers=3, cargo="feu").trucks == 3
    assert find_route(truck_net(), "A", "B").vehicles == ()  # priced per box: no count


@SETTINGS
@given(small_networks(), st.sampled_from([1, 2]), st.sampled_from(["teu", "feu"]),
       st.integers(1, 5))
def test_fast_link_figures_equal_the_explained_ones(network: Any, drivers: int, cargo: str,
                                                    containers: int) -> None:
    """Graph builds price links on a fast path; --explain recomputes them with components.
    Both must give the same floats, to the last bit."""
    from corridor.engine.costs import Operating, link_figures

    d = replace(network.defaults, variability=Variability(moving=0.13),
                modes={**network.defaults.modes,
                       "road": replace(network.defaults.modes["road"], driving_hours_per_day=9,
                                       teu_per_vehicle=2),
                       "sea": replace(network.defaults.modes["sea"], frequency_per_week=3)})
    op = Operating(cargo=cargo, containers=containers, drivers=drivers)
    for lk in network.links:
        for country in ("UZ", "AF", None):
            fast = link_figures(lk, d, country=country, op=op)
            full = link_figures(lk, d, country=country, op=op, explain=True)
            assert fast == replace(full, components=()), lk


def test_fast_link_figures_equal_the_explained_ones_on_the_bundled_network() -> None:
    from corridor.engine.costs import Operating, link_figures

    bundled = load_network(None)
    country = {p.id: p.country for p in bundled.places}
    for op in (Operating(), Operating(cargo="feu", containers=3, drivers=2)):
        for lk in bundled.links:
            c = country.get(lk.from_id)
            fast = link_figures(lk, bundled.defaults, country=c, op=op)
            full = link_figures(lk, bundled.defaults, country=c, op=op, explain=True)
            assert fast == replace(full, components=()), lk.id


def test_compare_takes_the_drivers_option() -> None:
    from corridor.analysis.compare import compare_ports

    bundled = load_network(None)
    one = compare_ports(bundled, "Tashkent", ports=["Karachi"])
    two = compare_ports(bundled, "Tashkent", ports=["Karachi"], drivers=2)
    assert two.options.drivers == 2
    assert one.ports[0].route is not None and two.ports[0].route is not None
    assert two.ports[0].route.totals.hours < one.ports[0].route.totals.hours
    assert two.ports[0].route.totals.rest_hours < one.ports[0].route.totals.rest_hours
