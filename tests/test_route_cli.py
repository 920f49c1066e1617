"""``corridor route`` through typer.testing.CliRunner: every option and format, and the
errors (exit codes and stderr). Meaning is asserted through ``--format json``."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from netbuilder import corridor_net, write_network
from typer.testing import CliRunner

import cli

ENV = {"COLUMNS": "120", "NO_COLOR": None, "CORRIDOR_NETWORK": None}


@pytest.fixture(scope="module")
def netdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("net")
    write_network(corridor_net(), folder)
    return folder


def run(netdir: Path, *args: str, env: dict[str, str | None] | None = None) -> Any:
    runner = CliRunner(env={**ENV, **(env or {})})
    return runner.invoke(cli.app, ["route", *args, "--network", str(netdir)],
                         catch_exceptions=False)


def jrun(netdir: Path, *args: str) -> dict[str, Any]:
    res = run(netdir, *args, "--format", "json")
    assert res.exit_code == 0, res.stderr
    assert res.stderr == ""
    doc: dict[str, Any] = json.loads(res.stdout)
    return doc


def modes(doc: dict[str, Any]) -> set[str]:
    return {leg["mode"] for leg in doc["legs"] if leg["kind"] == "link"}


def test_json_shape(netdir: Path) -> None:
    doc = jrun(netdir, "Tashkent", "Karachi")
    assert list(doc) == [
        "schema", "origin", "destination", "objective", "options", "rank", "legs", "totals",
        "crossings", "places", "closures", "alternatives", "provenance",
    ]
    assert doc["schema"] == "corridor.route/1"
    assert doc["origin"]["id"] == "UZTAS" and doc["destination"]["id"] == "PKKHI"
    assert doc["objective"] == "time"
    leg = doc["legs"][0]
    for key in ("kind", "from", "to", "mode", "distance_km", "hours", "cost_usd", "co2_kg"):
        assert key in leg
    t = doc["totals"]
    assert t["hours"] == pytest.approx(sum(x["hours"] for x in doc["legs"]), abs=0.05)
    assert t["borders_crossed"] == 2
    assert [c["id"] for c in doc["crossings"]] == ["TERMEZ-HAIRATAN", "TORKHAM"]
    prov = doc["provenance"]
    assert prov["network"]["name"] == "test"
    assert prov["network"]["content_hash"].startswith("sha256:")
    assert prov["scenarios"] == []
    assert prov["tool"]["name"] == "corridor"
    assert doc["alternatives"] == []


def test_json_is_byte_identical(netdir: Path) -> None:
    args = ("Tashkent", "Jebel Ali", "--alternatives", "3", "--include-planned", "--format",
            "json")
    assert run(netdir, *args).stdout == run(netdir, *args).stdout


@pytest.mark.parametrize("by", ["time", "cost", "distance", "co2", "generalized"])
def test_by(netdir: Path, by: str) -> None:
    doc = jrun(netdir, "UZTAS", "PKKHI", "--by", by)
    assert doc["objective"] == by


def test_by_cost_is_cheaper_than_by_time(netdir: Path) -> None:
    fast = jrun(netdir, "UZTAS", "PKKHI", "--by", "time")["totals"]
    cheap = jrun(netdir, "UZTAS", "PKKHI", "--by", "cost")["totals"]
    assert cheap["cost_usd"] < fast["cost_usd"] and cheap["hours"] > fast["hours"]


def test_value_of_time(netdir: Path) -> None:
    doc = jrun(netdir, "UZTAS", "PKKHI", "--by", "generalized", "--value-of-time", "1000")
    assert doc["options"]["value_of_time_usd_per_hour"] == 1000
    assert doc["totals"]["hours"] == jrun(netdir, "UZTAS", "PKKHI")["totals"]["hours"]


def test_modes(netdir: Path) -> None:
    doc = jrun(netdir, "UZTAS", "PKKHI", "--modes", "road", "--by", "cost")
    assert modes(doc) == {"road"}
    assert doc["options"]["modes"] == ["road"]


def test_avoid_repeatable(netdir: Path) -> None:
    doc = jrun(netdir, "UZTAS", "PKKHI", "--avoid", "Jebel Ali", "--avoid", "ae")
    assert doc["options"]["avoid"] == {"places": ["AEJEA"], "countries": ["AE"],
                                       "crossings": []}


@pytest.mark.parametrize("command", ["route", "compare", "matrix", "reach"])
def test_avoid_takes_comma_lists_like_modes(netdir: Path, command: str) -> None:
    """``--avoid A,B`` means ``--avoid A --avoid B`` in every command that has --avoid."""
    from clirun import runners

    crun, _ = runners(command)
    args = {"route": ["UZTAS", "PKKHI"], "compare": ["UZTAS"],
            "matrix": ["--from", "UZTAS", "--to", "PKKHI"],
            "reach": ["UZTAS", "--within", "30d"]}[command]
    docs = []
    for avoid in (["--avoid", "Jebel Ali, ae"], ["--avoid", "Jebel Ali", "--avoid", "ae"]):
        res = crun(netdir, *args, *avoid, "--format", "json")
        assert res.exit_code in (0, 1), res.output
        docs.append(json.loads(res.stdout)["options"]["avoid"])
    assert docs[0] == docs[1] == {"places": ["AEJEA"], "countries": ["AE"], "crossings": []}


def test_avoid_crossing_leaves_no_route(netdir: Path) -> None:
    res = run(netdir, "UZTAS", "PKKHI", "--avoid", "TORKHAM")
    assert res.exit_code == 1
    assert "avoiding crossing TORKHAM" in res.stderr
    assert res.stdout == ""
    assert "Traceback" not in res.output


def test_via(netdir: Path) -> None:
    doc = jrun(netdir, "UZTAS", "PKKHI", "--via", "Kabul", "--via", "Peshawar")
    assert doc["options"]["via"] == ["AFKBL", "PKPEW"]
    ids = [p["id"] for p in doc["places"]]
    assert ids.index("AFKBL") < ids.index("PKPEW")


def test_alternatives(netdir: Path) -> None:
    doc = jrun(netdir, "UZTAS", "PKKHI", "--alternatives", "3")
    assert len(doc["alternatives"]) == 2
    ranks = [doc["rank"]] + [a["rank"] for a in doc["alternatives"]]
    assert ranks == [1, 2, 3]
    hours = [doc["totals"]["hours"]] + [a["totals"]["hours"] for a in doc["alternatives"]]
    assert hours == sorted(hours)


def test_include_planned(netdir: Path) -> None:
    without = jrun(netdir, "UZTAS", "AFKBL", "--by", "cost")
    with_ = jrun(netdir, "UZTAS", "AFKBL", "--by", "cost", "--include-planned")
    assert with_["options"]["include_planned"] is True
    assert "planned" in {leg["status"] for leg in with_["legs"]}
    assert "planned" not in {leg["status"] for leg in without["legs"]}
    assert with_["totals"]["cost_usd"] < without["totals"]["cost_usd"]


def test_cargo_and_containers(netdir: Path) -> None:
    one = jrun(netdir, "UZTAS", "PKKHI")["totals"]
    feu = jrun(netdir, "UZTAS", "PKKHI", "--cargo", "feu", "--containers", "2")
    t = feu["totals"]
    assert feu["options"]["cargo"] == "feu" and feu["options"]["containers"] == 2
    assert t["hours"] == one["hours"]
    assert t["cost_usd"] == pytest.approx(one["cost_usd"] * 3.6)
    assert t["co2_kg"] == pytest.approx(one["co2_kg"] * 3.6, rel=1e-3)


def test_csv(netdir: Path) -> None:
    res = run(netdir, "UZTAS", "PKKHI", "--format", "csv", "--alternatives", "2")
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {r["route_rank"] for r in rows} == {"1", "2"}
    first = [r for r in rows if r["route_rank"] == "1"]
    assert first[0]["from"] == "UZTAS" and first[-1]["to"] == "PKKHI"
    assert float(first[-1]["cumulative_hours"]) == pytest.approx(
        jrun(netdir, "UZTAS", "PKKHI")["totals"]["hours"], abs=0.05)


def test_geojson(netdir: Path) -> None:
    res = run(netdir, "UZTAS", "PKKHI", "--format", "geojson")
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert doc["type"] == "FeatureCollection"
    f = doc["features"][0]
    assert f["geometry"]["type"] == "LineString"
    # RFC 7946: [lon, lat]. Tashkent is at lat 41.3, lon 69.3.
    assert f["geometry"]["coordinates"][0] == [69.3, 41.3]
    assert f["properties"]["from"] == "UZTAS"
    for key in ("distance_km", "hours", "cost_usd", "co2_kg", "kind", "mode"):
        assert key in f["properties"]
    assert doc["corridor"]["provenance"]["network"]["name"] == "test"


def test_table(netdir: Path) -> None:
    res = run(netdir, "Tashkent", "Karachi", "--alternatives", "2")
    assert res.exit_code == 0
    out = res.stdout
    assert "\x1b[" not in out  # not a terminal: no colour
    for text in ("Tashkent → Termez", "border crossing", "Distance", "Transit time", "SWD",
                 "SWOD", "Borders crossed", "Alternatives", "★", "2,582"):
        assert text in out


COLOUR = re.compile(r"\x1b\[[0-9;]*?(?<![0-9])(3[0-8]|9[0-7])[;m]")


def test_table_colours_mean_modes_and_go_with_no_color(netdir: Path) -> None:
    forced = run(netdir, "Tashkent", "Karachi", env={"FORCE_COLOR": "1"})
    assert forced.exit_code == 0 and COLOUR.search(forced.stdout)
    res = run(netdir, "Tashkent", "Karachi", env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert res.exit_code == 0 and not COLOUR.search(res.stdout)


def test_unknown_place(netdir: Path) -> None:
    res = run(netdir, "Tashkent", "Karachy")
    assert res.exit_code == 1
    assert "unknown place 'Karachy'" in res.stderr and "Karachi (PKKHI, PK)" in res.stderr
    assert res.stdout == ""


def test_ambiguous_place(netdir: Path) -> None:
    res = run(netdir, "Torkham", "Karachi")
    assert res.exit_code == 1
    assert "AF-TORKHAM" in res.stderr and "PK-TORKHAM" in res.stderr


def test_no_route_says_why(netdir: Path) -> None:
    res = run(netdir, "UZTAS", "PKKHI", "--avoid", "AF")
    assert res.exit_code == 1
    assert "avoiding country AF" in res.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--by", "fastest"],
        ["--modes", "truck"],
        ["--format", "xml"],
        ["--cargo", "crate"],
        ["--containers", "0"],
        ["--alternatives", "0"],
        ["--value-of-time", "-1"],
        ["--avoid", "UZ"],
    ],
)
def test_usage_errors_exit_2(netdir: Path, args: list[str]) -> None:
    res = run(netdir, "UZTAS", "PKKHI", *args)
    assert res.exit_code == 2, res.output
    assert res.stdout == ""


def test_missing_network_is_a_usage_error(tmp_path: Path) -> None:
    res = run(tmp_path / "nope", "UZTAS", "PKKHI")
    assert res.exit_code == 2
    assert "Traceback" not in res.output


def test_network_from_environment(netdir: Path) -> None:
    runner = CliRunner(env={**ENV, "CORRIDOR_NETWORK": str(netdir)})
    res = runner.invoke(cli.app, ["route", "UZTAS", "PKKHI", "--format", "json"],
                        catch_exceptions=False)
    assert res.exit_code == 0
    assert json.loads(res.stdout)["provenance"]["network"]["name"] == "test"


BUNDLED = Path(__file__).resolve().parent.parent / "networks" / "corridor" / "network.yaml"


@pytest.mark.skipif(not BUNDLED.exists(), reason="no bundled network in this checkout")
def test_bundled_network_answers_the_seed_question() -> None:
    runner = CliRunner(env=ENV)
    res = runner.invoke(cli.app, ["route", "Tashkent", "Karachi", "--format", "json",
                                  "--alternatives", "2"], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["origin"]["id"] == "UZTAS" and doc["destination"]["id"] == "PKKHI"
    assert doc["totals"]["borders_crossed"] >= 2
    assert doc["provenance"]["network"]["name"] == "corridor"
