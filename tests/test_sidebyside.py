"""Side by side: each column equals the query on the scenario's network."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from clirun import runners
from conftest import example_with
from test_scenario import PORT_EXTRA

from corridor.analysis.compare import compare_ports
from corridor.analysis.sidebyside import ports_side_by_side, routes_side_by_side, scenario_variants
from corridor.engine.routing import find_route
from corridor.format.network import load_network
from corridor.format.patch import with_scenarios
from corridor.render.sidebyside import SCENARIOS_FORMATS

run, jrun = runners("scenarios")


@pytest.fixture
def world(tmp_path: Path):
    folder = example_with(tmp_path / "net", PORT_EXTRA)
    slow = tmp_path / "slow.yaml"
    slow.write_text("scenario_version: 1\nname: slow-border\nset:\n"
                    "  crossings.TERMEZ-HAIRATAN.a_to_b.hours: 40\n", encoding="utf-8")
    shut = tmp_path / "shut.yaml"
    shut.write_text("scenario_version: 1\nname: shut\nclose: [TERMEZ-HAIRATAN]\n",
                    encoding="utf-8")
    return folder, load_network(folder, cache=False), [slow, shut]


def test_route_columns_equal_find_route_per_scenario(world) -> None:
    _, net, files = world
    nets = scenario_variants(net, files)
    sbs = routes_side_by_side(nets, "UZTER", "AF-MAZAR", objective="time")
    base, slow, shut = sbs.rows[0].cases
    assert [c.variant.label for c in (base, slow, shut)] == ["base", "slow-border", "shut"]
    want_base = find_route(net, "UZTER", "AF-MAZAR")
    want_slow = find_route(with_scenarios(net, [files[0]]), "UZTER", "AF-MAZAR")
    assert base.route == want_base and slow.route == want_slow
    assert slow.delta_hours == pytest.approx(want_slow.totals.hours - want_base.totals.hours)
    assert slow.delta_hours > 0 and base.delta_hours is None
    assert shut.route is None and "no route" in (shut.reason or "")
    assert slow.variant.content_hash == nets[1].content_hash
    assert slow.variant.scenarios[0].path.endswith("slow.yaml")


def test_port_columns_equal_compare_per_scenario(world) -> None:
    _, net, files = world
    nets = scenario_variants(net, files)
    sbs = ports_side_by_side(nets, "UZTER", to="AEJEA")
    assert [r.port.id for r in sbs.rows] == ["UZ-PORT"]
    for case, n in zip(sbs.rows[0].cases, nets, strict=True):
        want = compare_ports(n, "UZTER", to="AEJEA").ports[0]
        assert case.route == want.route and case.rank == want.rank
    assert sbs.best == ("UZ-PORT", "UZ-PORT", "UZ-PORT")


def test_cli_formats(world) -> None:
    folder, net, files = world
    args = ["UZTER", "AF-MAZAR", "--scenario", str(files[0]), "--scenario", str(files[1])]
    doc = jrun(folder, *args)
    assert doc["schema"] == "corridor.scenarios/1" and doc["question"] == "route"
    assert [v["label"] for v in doc["variants"]] == ["base", "slow-border", "shut"]
    cases = doc["rows"][0]["cases"]
    want = find_route(with_scenarios(net, [files[0]]), "UZTER", "AF-MAZAR").totals
    assert cases[1]["totals"]["hours"] == round(want.hours, 2)
    assert cases[1]["delta"]["hours"] > 0 and cases[0]["delta"] is None
    assert cases[2]["reachable"] is False
    res = run(folder, *args, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["variant"] for r in rows] == ["base", "slow-border", "shut"]
    assert float(rows[1]["hours"]) == cases[1]["totals"]["hours"]
    md = run(folder, *args, "--format", "markdown").stdout
    assert "| slow-border |" in md and md.startswith("### ")
    table = run(folder, *args).stdout
    assert "slow-border" in table and "no route" in table
    doc = jrun(folder, "UZTER", "AEJEA", "--compare", "--scenario", str(files[0]))
    assert doc["question"] == "compare" and doc["best"] == ["UZ-PORT", "UZ-PORT"]


def test_cli_usage_errors(world) -> None:
    folder, _, files = world
    assert run(folder, "UZTER", "AF-MAZAR").exit_code == 2
    assert run(folder, "UZTER", "--scenario", str(files[0])).exit_code == 2
    res = run(folder, "UZTER", "AF-MAZAR", "--scenario", str(files[0]), "-f", "xml")
    assert res.exit_code == 2


def test_renderers_are_registered() -> None:
    assert SCENARIOS_FORMATS.names == ("json", "csv", "table", "markdown")


def test_dated_route_question(world, tmp_path: Path) -> None:
    folder, net, _ = world
    winter = tmp_path / "winter.yaml"
    winter.write_text("scenario_version: 1\nname: winter\nset:\n"
                      "  crossings.TERMEZ-HAIRATAN.closures:\n"
                      "    - {months: [1], reason: ice, estimate: x}\n", encoding="utf-8")
    doc = jrun(folder, "UZTER", "AF-MAZAR", "--scenario", str(winter), "--date", "2026-01-05")
    assert doc["departure"] == "2026-01-05"
    base, cut = doc["rows"][0]["cases"]
    assert base["reachable"] is True and cut["reachable"] is False
    assert "closed when reached" in cut["reason"]
    doc = jrun(folder, "UZTER", "AF-MAZAR", "--scenario", str(winter), "--date", "2026-06-05")
    assert doc["rows"][0]["cases"][1]["delta"]["hours"] == 0
