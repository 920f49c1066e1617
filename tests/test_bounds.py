"""Every figure and option is bounded, so every total is finite (issue 9, class 5).

A figure outside its range is E111 at its position; an option outside its range is a usage
error; and on random valid networks whose figures sit at the edges of their ranges, every
total of route, matrix and reach is finite and renders as JSON (which refuses NaN/Infinity).
"""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, example_with
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.errors import NoRouteError, UsageError
from corridor.format.jsonschema import network_schema
from corridor.format.network import load
from corridor.format.spec import (
    BOUNDS,
    ENTITIES,
    MAX_CONTAINERS,
    MAX_VALUE_OF_TIME_USD_PER_HOUR,
    bound_of,
)
from corridor.format.validate import validate


def _codes(folder: Path) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in validate([folder]).problems if p.severity == "error"]


def test_every_number_field_has_a_finite_bound() -> None:
    for entity in ENTITIES.values():
        for f in entity.fields:
            b = bound_of(f)
            if f.kind in ("number", "int"):
                assert b is not None and math.isfinite(b.hi), (entity.name, f.name)
                if f.sign == "pos":
                    assert b.lo > 0, f"{entity.name}.{f.name}: a positive field needs lo > 0"


@pytest.mark.parametrize(("field", "value"), [
    ("speed_kmh", "5e-324"), ("speed_kmh", "1001"), ("distance_km", "40076"),
    ("hours", "1e308"), ("hours", "0.0001"), ("cost_usd", "1.5e9"),
    ("cost_usd_per_teu_km", "10001"), ("co2_kg_per_teu_km", "1e4"),
])
def test_a_link_figure_outside_its_range_is_E111(tmp_path: Path, field: str, value: str) -> None:
    extra = ("links:\n  - {from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 700, "
             f"{field}: {value}, estimate: x}}\n").replace("distance_km: 700, distance_km",
                                                           "distance_km")
    got = _codes(example_with(tmp_path, extra))
    assert ("E111", f"links[0].{field}") in got


@pytest.mark.parametrize(("where", "text"), [
    ("defaults.feu_teu_ratio", "feu_teu_ratio: 1000"),
    ("defaults.modes.road.speed_kmh", "speed_kmh: 0.01"),
])
def test_a_default_outside_its_range_is_E111(tmp_path: Path, where: str, text: str) -> None:
    folder = example_with(tmp_path)
    manifest = folder / "network.yaml"
    body = manifest.read_text()
    if where == "defaults.feu_teu_ratio":
        body = body.replace("defaults:\n", f"defaults:\n  {text}\n", 1)
    else:
        body = re.sub(r"(road: \{speed_kmh: )[0-9.]+", r"\g<1>0.01", body, count=1)
    manifest.write_text(body)
    assert ("E111", where) in _codes(folder)


def test_values_at_the_edges_are_accepted(tmp_path: Path) -> None:
    extra = ("links:\n  - {from: AFHRT, to: AF-MAZAR, mode: road, id: fast, distance_km: 40075, hours: "
             "100000, cost_usd: 1e9, co2_kg_per_teu_km: 1000, estimate: x}\n"
             "  - {from: AF-MAZAR, to: AFHRT, mode: road, distance_km: 40075, speed_kmh: 0.1, "
             "cost_usd_per_teu_km: 10000, id: slow, estimate: x}\n")
    assert _codes(example_with(tmp_path, extra)) == []


def test_schema_carries_the_bounds() -> None:
    link = network_schema()["definitions"]["link"]["properties"]
    assert link["speed_kmh"]["minimum"] == BOUNDS["speed_kmh"].lo
    assert link["speed_kmh"]["maximum"] == BOUNDS["speed_kmh"].hi
    assert link["cost_usd"] == {**link["cost_usd"], "minimum": 0, "maximum": 1e9}
    direction = network_schema()["definitions"]["direction"]["properties"]
    assert direction["hours"]["minimum"] == 0


def test_cli_literals_equal_the_library_bounds() -> None:
    cli = (ROOT / "cli.py").read_text(encoding="utf-8")
    assert f'"--containers", min=1, max={MAX_CONTAINERS:_}' in cli
    assert f"max={MAX_VALUE_OF_TIME_USD_PER_HOUR:_}" in cli


# -- options ----------------------------------------------------------------------------

def test_library_refuses_unbounded_options() -> None:
    from netbuilder import corridor_net

    from corridor.analysis.matrix import od_matrix

    net = corridor_net()
    for kw in ({"containers": MAX_CONTAINERS + 1}, {"containers": 10**400},
               {"value_of_time_usd_per_hour": math.inf},
               {"value_of_time_usd_per_hour": math.nan},
               {"value_of_time_usd_per_hour": MAX_VALUE_OF_TIME_USD_PER_HOUR * 2}):
        with pytest.raises(UsageError):
            od_matrix(net, ["UZTAS"], ["AFHRT"], **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("args", [
    ["--value-of-time", "inf"], ["--value-of-time", "nan"], ["--value-of-time", "-1"],
    ["--containers", "100001"], ["--containers", "9" * 400],
])
def test_cli_refuses_unbounded_options(args: list[str]) -> None:
    from clirun import runners

    run, _ = runners("route")
    result = run(["Tashkent", "Kabul", "--by", "generalized", *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


# -- property: every total is finite ----------------------------------------------------

def _edge(name: str, *, zero: bool = False) -> st.SearchStrategy[float]:
    b = BOUNDS[name]
    lo = 0.0 if zero else b.lo
    return st.one_of(st.sampled_from([lo, b.hi]), st.floats(lo, b.hi))


@st.composite
def extreme_networks(draw: Any) -> dict[str, str]:
    """Two countries joined by a road+rail crossing; a chain of road and rail links in
    each; every figure drawn from the edges of its range."""
    n_uz = draw(st.integers(1, 4))
    n_af = draw(st.integers(1, 4))
    ids = [f"UZ-P{i}" for i in range(n_uz)] + [f"AF-P{i}" for i in range(n_af)]
    places = "\n".join(
        f"  - {{id: {pid}, name: {pid}, country: {pid[:2]}, kind: city, lat: 37, lon: 67, "
        "estimate: x}" for pid in ids)

    def fig(name: str, zero: bool = False) -> str:
        return repr(draw(_edge(name, zero=zero)))

    def link(a: str, b: str, mode: str) -> str:
        parts = [f"from: {a}", f"to: {b}", f"mode: {mode}", f"distance_km: {fig('distance_km')}"]
        time = draw(st.sampled_from(["", "hours", "speed_kmh"]))
        if time:
            parts.append(f"{time}: {fig(time)}")
        cost = draw(st.sampled_from(["", "cost_usd", "cost_usd_per_teu_km"]))
        if cost:
            parts.append(f"{cost}: {fig(cost, zero=True)}")
        if draw(st.booleans()):
            parts.append(f"co2_kg_per_teu_km: {fig('co2_kg_per_teu_km', zero=True)}")
        if mode == "rail":
            parts.append("gauge_mm: 1520")
        return "  - {" + ", ".join(parts) + ", estimate: x}"

    links = []
    for country, n in (("UZ", n_uz), ("AF", n_af)):
        for i in range(n - 1):
            for mode in ("road", "rail"):
                links.append(link(f"{country}-P{i}", f"{country}-P{i + 1}", mode))
    # The crossing's places need rail lines for a rail crossing: a short spur on each side.
    for pid, spur in ((f"UZ-P{n_uz - 1}", "UZ-SPUR"), ("AF-P0", "AF-SPUR")):
        places += (f"\n  - {{id: {spur}, name: {spur}, country: {spur[:2]}, kind: junction, "
                   "lat: 37, lon: 67, estimate: x}")
        links.append(link(pid, spur, "rail"))
    direction = ("{hours: " + fig("hours", zero=True) + ", cost_usd: "
                 + fig("cost_usd", zero=True) + "}")
    crossing = (f"  - {{id: X, name: X, a: UZ-P{n_uz - 1}, b: AF-P0, modes: [road, rail], "
                f"a_to_b: {direction}, b_to_a: {direction}, "
                f"distance_km: {fig('distance_km', zero=True)}, estimate: x}}")
    modes = "\n".join(
        f"    {m}: {{speed_kmh: {fig('speed_kmh')}, cost_usd_per_teu_km: "
        f"{fig('cost_usd_per_teu_km', zero=True)}, co2_kg_per_teu_km: "
        f"{fig('co2_kg_per_teu_km', zero=True)}, estimate: x}}" for m in ("road", "rail"))
    handling = "{hours: " + fig("hours", zero=True) + ", cost_usd: " + \
        fig("cost_usd", zero=True) + ", estimate: x}"
    manifest = (
        "format_version: 1\nname: extreme\ncurrency: USD\nprice_year: 2024\n"
        f"defaults:\n  feu_teu_ratio: {fig('feu_teu_ratio')}\n  transfer: {handling}\n"
        f"  gauge_change: {handling}\n  handling: {handling}\n  modes:\n{modes}\n"
        f"places:\n{places}\nlinks:\n" + "\n".join(links) + f"\ncrossings:\n{crossing}\n")
    return {"network.yaml": manifest}


def _all_numbers(doc: Any) -> list[float]:
    if isinstance(doc, dict):
        return [x for v in doc.values() for x in _all_numbers(v)]
    if isinstance(doc, list):
        return [x for v in doc for x in _all_numbers(v)]
    return [doc] if isinstance(doc, float) else []


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=extreme_networks(), objective=st.sampled_from(
    ["time", "cost", "distance", "co2", "generalized"]))
def test_every_total_is_finite(tmp_path_factory: pytest.TempPathFactory,
                               files: dict[str, str], objective: str) -> None:
    from corridor.analysis.matrix import od_matrix
    from corridor.analysis.reach import reach
    from corridor.engine.routing import find_routes
    from corridor.render.analysis import render
    from corridor.render.route import render_routes

    folder = tmp_path_factory.mktemp("extreme")
    (folder / "network.yaml").write_text(files["network.yaml"], encoding="utf-8")
    result = load(folder)
    errors = [str(p) for p in result.errors]
    assert errors == [] and result.network is not None, errors
    net = result.network
    ids = [p.id for p in net.places]
    kw: dict[str, Any] = {"cargo": "feu", "containers": MAX_CONTAINERS}
    vot = MAX_VALUE_OF_TIME_USD_PER_HOUR
    out = io.StringIO()
    try:
        routes = find_routes(net, ids[0], ids[-1], objective=objective,
                             value_of_time_usd_per_hour=vot, k=2, **kw)
    except NoRouteError:
        pass
    else:
        for r in routes:
            t = r.totals
            for name in ("distance_km", "hours", "cost_usd", "co2_kg", "swd_kmh", "swod_kmh",
                         "objective_value"):
                assert math.isfinite(getattr(t, name)), (name, t)
        render_routes(routes, "json", out)
    m = od_matrix(net, ids, ids, objective=objective, value_of_time_usd_per_hour=vot, **kw)
    render("matrix", m, "json", out)
    rep = reach(net, ids[0], max_hours=1e300, **kw)
    render("reach", rep, "json", out)
    out.seek(0)
    text = out.getvalue()
    assert "Infinity" not in text and "NaN" not in text
    decoder = json.JSONDecoder()
    pos = 0
    while pos < len(text.rstrip()):
        doc, end = decoder.raw_decode(text, pos)
        assert all(math.isfinite(x) for x in _all_numbers(doc))
        pos = end + 1


def test_places_at_the_same_coordinates_validate(tmp_path: Path) -> None:
    """A long link between two places at one point is W302, not a ZeroDivisionError."""
    extra = ("places:\n  - {id: AF-TWIN, name: Twin, country: AF, kind: city, lat: 37.23, "
             "lon: 67.42, estimate: x}\nlinks:\n  - {from: AFHRT, to: AF-TWIN, mode: road, "
             "distance_km: 500, estimate: x}\n")
    probs = validate([example_with(tmp_path, extra)]).problems
    assert [p.code for p in probs if p.path == "links[0].distance_km"] == ["W302"]
