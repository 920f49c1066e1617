"""``corridor nodes`` (find_places) and ``corridor info`` (summarize): matching, filters,
JSON shapes, errors, and that neither imports networkx."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import ENV, runners
from conftest import example_with
from netbuilder import corridor_net
from typer.testing import CliRunner

import cli
from corridor.analysis.catalog import find_places, summarize
from corridor.errors import UnknownPlaceError, UsageError

ROOT = Path(__file__).resolve().parent.parent
run, jrun = runners(None)

EXTRA = """\
# Extra places and a planned railway for the catalog tests.
places:
  - {id: UZTAS, name: Tashkent, aliases: [Toshkent], country: UZ, kind: city, lat: 41.3, lon: 69.24, estimate: "approximate coordinates"}
  - {id: AF-NAIBABAD, name: Nāibābād, country: AF, kind: junction, lat: 36.68, lon: 67.0, estimate: "approximate coordinates"}
  - {id: PKKHI, name: Karachi, country: PK, kind: seaport, lat: 24.85, lon: 66.99, estimate: "approximate coordinates"}
  - {id: AEJEA, name: Jebel Ali, country: AE, kind: seaport, lat: 25.01, lon: 55.06, estimate: "approximate coordinates"}
links:
  - {from: UZTAS, to: UZTER, mode: road, distance_km: 700, estimate: "assumption for the test"}
  - from: AF-MAZAR
    to: AF-NAIBABAD
    mode: rail
    gauge_mm: 1520
    distance_km: 20
    status: planned
    name: Trans-Afghan railway
    estimate: "assumption for the test"
    note: "first section of the Trans-Afghan railway; feasibility study signed 2025"
  - {from: PKKHI, to: AEJEA, mode: sea, distance_km: 2000, estimate: "assumption for the test"}
terminals:
  - place: PKKHI
    handling: {hours: 72, cost_usd: 150, source: arfc2023}
  - place: AEJEA
    handling: {source: arfc2023}
"""


@pytest.fixture(scope="module")
def netdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_with(tmp_path_factory.mktemp("catalog"), EXTRA)


def found(netdir: Path, *args: str) -> list[str]:
    return [p["id"] for p in jrun(netdir, "nodes", *args)["places"]]


# --------------------------------------------------------------------------- library


def test_find_places_library() -> None:
    net = corridor_net()
    assert [p.id for p in find_places(net)] == sorted(p.id for p in net.places)
    assert [p.id for p in find_places(net, "torkham")] == ["AF-TORKHAM", "PK-TORKHAM"]
    assert [p.id for p in find_places(net, "torkham", country="pk")] == ["PK-TORKHAM"]
    assert [p.id for p in find_places(net, kind="seaport")] == ["AEJEA", "PKKHI"]
    # Exact id/name/alias first, then prefix, then substring.
    assert [p.id for p in find_places(net, "khi")][0] == "PKKHI"
    with pytest.raises(UsageError, match="kind"):
        find_places(net, kind="harbour")
    with pytest.raises(UsageError, match="alpha-2"):
        find_places(net, country="PAK")
    with pytest.raises(UnknownPlaceError, match="did you mean: Karachi"):
        find_places(net, "Karachy")


def test_summarize_library() -> None:
    info = summarize(corridor_net())
    assert info.links_by_mode == (("road", 5), ("rail", 3), ("sea", 1))
    assert info.links_by_status == (("operational", 8), ("planned", 1))
    assert info.places_by_country == (("AE", 1), ("AF", 3), ("PK", 3), ("UZ", 2))
    assert [c.id for c in info.crossing_list] == ["TERMEZ-HAIRATAN", "TORKHAM"]
    assert [(s.id, s.handling_hours, s.handling_cost_usd, s.sea_links)
            for s in info.seaports] == [("AEJEA", 12.0, 150.0, 1), ("PKKHI", 24.0, 160.0, 1)]
    assert [(p.kind, p.id, p.status) for p in info.planned] == [
        ("link", "AFHRT-AFKBL-rail", "planned")]
    assert info.countries == ("AE", "AF", "PK", "UZ")


def test_summarize_planned_crossings_and_closed_links() -> None:
    from dataclasses import replace

    from corridor.model import Figure

    base = corridor_net()
    xs = tuple(replace(c, status="under_construction", provenance=Figure(note="new bridge"))
               if c.id == "TORKHAM" else c for c in base.crossings)
    links = tuple(replace(lk, status="closed") if lk.mode == "sea" else lk for lk in base.links)
    info = summarize(replace(base, crossings=xs, links=links))
    assert [(p.kind, p.id, p.status, p.note, p.countries) for p in info.planned] == [
        ("crossing", "TORKHAM", "under_construction", "new bridge", ("AF", "PK")),
        ("link", "AFHRT-AFKBL-rail", "planned", None, ("AF",))]
    assert info.crossings_by_status == (("operational", 1), ("under_construction", 1))
    assert info.links_by_status == (("operational", 7), ("planned", 1), ("closed", 1))
    assert [s.sea_links for s in info.seaports] == [0, 0]  # closed links do not count


# --------------------------------------------------------------------------- nodes


def test_nodes_all_sorted_by_id(netdir: Path) -> None:
    assert found(netdir) == ["AEJEA", "AF-MAZAR", "AF-NAIBABAD", "AFHRT", "PKKHI", "UZTAS",
                             "UZTER"]


@pytest.mark.parametrize("query, ids", [
    ("maz", ["AF-MAZAR"]),
    ("MAZAR", ["AF-MAZAR"]),
    ("naibabad", ["AF-NAIBABAD"]),          # diacritics ignored in the data
    ("NĀIBĀB", ["AF-NAIBABAD"]),             # and in the query
    ("toshk", ["UZTAS"]),                    # aliases
    ("uz ter", ["UZTER"]),                   # a LOCODE typed with a space
    ("ter", ["UZTER"]),
    ("a", ["AEJEA", "AF-MAZAR", "AF-NAIBABAD", "AFHRT", "PKKHI", "UZTAS"]),
])
def test_nodes_query(netdir: Path, query: str, ids: list[str]) -> None:
    assert found(netdir, query) == ids


def test_nodes_ranking(netdir: Path) -> None:
    # "hairatan" is Hairatan's exact name; nothing else contains it.
    assert found(netdir, "hairatan") == ["AFHRT"]
    # Prefix matches (Tashkent, Termez) come before substring ones (Mazar-i-Sharif).
    assert found(netdir, "t") [:2] == ["UZTAS", "UZTER"]


def test_nodes_filters(netdir: Path) -> None:
    assert found(netdir, "--country", "af") == ["AF-MAZAR", "AF-NAIBABAD", "AFHRT"]
    assert found(netdir, "--kind", "border_post") == ["AFHRT"]
    assert found(netdir, "a", "--country", "AF", "--kind", "city") == ["AF-MAZAR"]


def test_nodes_json_shape(netdir: Path) -> None:
    doc = jrun(netdir, "nodes", "mazar", "--country", "af")
    assert list(doc) == ["schema", "query", "country", "kind", "count", "places", "provenance"]
    assert doc["schema"] == "corridor.nodes/1"
    assert (doc["query"], doc["country"], doc["kind"], doc["count"]) == ("mazar", "AF", None, 1)
    assert doc["places"] == [{"id": "AF-MAZAR", "name": "Mazar-i-Sharif", "country": "AF",
                              "kind": "city", "lat": 36.71, "lon": 67.11,
                              "aliases": ["Mazar"]}]
    assert doc["provenance"]["network"]["name"] == "example"
    assert doc["provenance"]["network"]["content_hash"].startswith("sha256:")


def test_nodes_csv_and_table(netdir: Path) -> None:
    res = run(netdir, "nodes", "--country", "AF", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["id"] for r in rows] == ["AF-MAZAR", "AF-NAIBABAD", "AFHRT"]
    assert rows[0]["aliases"] == "Mazar"
    table = run(netdir, "nodes", "naib")
    assert table.exit_code == 0
    assert "Nāibābād" in table.stdout and "1 place" in table.stdout


def test_nodes_no_match_exit_1(netdir: Path) -> None:
    res = run(netdir, "nodes", "Tashkint")
    assert res.exit_code == 1 and res.stdout == ""
    assert "no place matches 'Tashkint'" in res.stderr and "Tashkent" in res.stderr
    res = run(netdir, "nodes", "--country", "KZ")
    assert res.exit_code == 1
    assert "countries in this network: AE, AF, PK, UZ" in res.stderr


@pytest.mark.parametrize("args", [
    ["nodes", "--kind", "harbour"],
    ["nodes", "--country", "PAK"],
    ["nodes", "--format", "geojson"],
    ["info", "--format", "csv"],
])
def test_bad_arguments_exit_2(netdir: Path, args: list[str]) -> None:
    res = run(netdir, *args)
    assert res.exit_code == 2, (res.stdout, res.stderr)
    assert res.stdout == ""


# --------------------------------------------------------------------------- info


def test_info_json(netdir: Path) -> None:
    doc = jrun(netdir, "info")
    assert list(doc) == [
        "schema", "network", "counts", "countries", "places_by_country", "places_by_kind",
        "links_by_mode", "links_by_status", "link_km_by_mode", "crossings_by_status",
        "crossings", "seaports", "projects", "planned", "sources", "figures", "provenance"]
    assert doc["schema"] == "corridor.info/1"
    n = doc["network"]
    assert (n["name"], n["format_version"], n["currency"], n["price_year"]) == (
        "example", 1, "USD", 2024)
    assert n["files"] == ["network.yaml", "extra.yaml", "places.yaml", "links.yaml",
                          "borders.yaml"]
    assert n["content_hash"].startswith("sha256:")
    assert doc["counts"] == {"places": 7, "links": 5, "crossings": 1, "terminals": 3,
                             "sources": 1, "countries": 4, "seaports": 2, "projects": 0,
                             "planned": 1}
    assert doc["countries"] == ["AE", "AF", "PK", "UZ"]
    assert doc["places_by_country"] == {"AE": 1, "AF": 3, "PK": 1, "UZ": 2}
    assert doc["places_by_kind"] == {"city": 3, "junction": 1, "border_post": 1, "seaport": 2}
    assert doc["links_by_mode"] == {"road": 2, "rail": 2, "sea": 1}
    assert doc["links_by_status"] == {"operational": 4, "planned": 1}
    assert doc["link_km_by_mode"] == {"road": 775.0, "rail": 95.0, "sea": 2000.0}
    assert doc["crossings_by_status"] == {"operational": 1}
    assert doc["crossings"] == [{
        "id": "TERMEZ-HAIRATAN", "name": "Termez - Hairatan (Friendship Bridge)",
        "a": "UZTER", "b": "AFHRT", "a_country": "UZ", "b_country": "AF", "modes": ["road"],
        "status": "operational", "a_to_b": {"hours": 10.0, "cost_usd": 200.0},
        "b_to_a": {"hours": 12.0, "cost_usd": 180.0}}]
    assert doc["seaports"] == [
        # Jebel Ali's handling takes the network default (48 h, USD 150).
        {"id": "AEJEA", "name": "Jebel Ali", "country": "AE",
         "handling": {"hours": 48.0, "cost_usd": 150.0}, "sea_links": 1},
        {"id": "PKKHI", "name": "Karachi", "country": "PK",
         "handling": {"hours": 72.0, "cost_usd": 150.0}, "sea_links": 1}]
    assert doc["projects"] == []
    (project,) = doc["planned"]
    assert project["kind"] == "link" and project["status"] == "planned"
    assert project["name"] == "Trans-Afghan railway" and project["gauge_mm"] == 1520
    assert (project["from"], project["to"], project["countries"]) == (
        "AF-MAZAR", "AF-NAIBABAD", ["AF"])
    assert "feasibility study" in project["note"]
    assert doc["sources"] == [{"id": "arfc2023", "title": "KZ-TM-IR special container rates 2023",
                               "publisher": "ARFC", "year": 2023, "url": None}]
    assert doc["provenance"]["network"]["content_hash"] == n["content_hash"]


def test_info_table_and_determinism(netdir: Path) -> None:
    res = run(netdir, "info")
    assert res.exit_code == 0
    out = res.stdout
    for text in ("example", "Content hash", "sha256:", "Border crossings", "TERMEZ-HAIRATAN",
                 "Seaports", "Karachi", "Planned and under construction", "feasibility study",
                 "Sources", "arfc2023"):
        assert text in out, text
    assert "\x1b[" not in out
    assert run(netdir, "info", "--format", "json").stdout == \
        run(netdir, "info", "--format", "json").stdout


def test_info_bad_network_exit_1(tmp_path: Path) -> None:
    (tmp_path / "network.yaml").write_text("format_version: 1\nname: [\n", encoding="utf-8")
    res = CliRunner(env=ENV).invoke(cli.app, ["info", "--network", str(tmp_path)])
    assert res.exit_code == 1 and "network.yaml" in res.stderr


# --------------------------------------------------------------------------- start-up

PROBE = """
import json, sys
from typer.testing import CliRunner
from corridor.__main__ import cli_module
app = cli_module().app
result = CliRunner().invoke(app, ARGS, env={"NO_COLOR": "1"})
print(json.dumps({"exit": result.exit_code, "networkx": "networkx" in sys.modules}))
"""


@pytest.mark.parametrize("args", [["nodes", "--format", "json"], ["nodes", "maz"], ["info"],
                                  ["info", "--format", "json"]])
def test_nodes_and_info_do_not_import_networkx(netdir: Path, args: list[str]) -> None:
    code = PROBE.replace("ARGS", repr([*args, "--network", str(netdir)]))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == {"exit": 0, "networkx": False}


# -- how figures are known ------------------------------------------------------------------

def test_classify_reads_source_then_estimate_prefix() -> None:
    from corridor.analysis.catalog import classify
    from corridor.model import Figure

    assert classify(Figure()) == "missing"
    assert classify(Figure(estimate="great-circle 100 km x 1.2")) == "estimated"
    assert classify(Figure(source=("s",))) == "sourced"
    assert classify(Figure(source=("s",), estimate="CPMM 2022 Table 3.7")) == "sourced"
    assert classify(Figure(source=("s",), estimate=" Derived: 892 km less 193 km")) == "derived"
    assert classify(Figure(source=("s",), estimate="assumption: symmetric")) == "estimated"
    # a "derived:" text without a source is still only an estimate
    assert classify(Figure(estimate="derived: from nothing")) == "estimated"


def test_provenance_counts_cover_every_kind_and_every_link(tmp_path: Path) -> None:
    from corridor.analysis.catalog import FIGURE_KINDS, provenance_counts
    from corridor.format.network import load_network

    net = load_network(example_with(tmp_path, EXTRA))
    counts = {c.kind: c for c in provenance_counts(net)}
    assert tuple(counts) == FIGURE_KINDS
    assert counts["distance"].total == len(net.links)
    assert counts["dwell"].total == counts["fee"].total == 2 * len(net.crossings)
    info = jrun(tmp_path, "info")
    assert list(info["figures"]) == list(FIGURE_KINDS)
    assert info["figures"]["distance"] == {
        "sourced": counts["distance"].sourced, "derived": counts["distance"].derived,
        "estimated": counts["distance"].estimated, "missing": 0}
