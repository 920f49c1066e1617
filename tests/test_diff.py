"""``corridor diff``: records added, removed and changed field by field; watched answers
before and after, computed by the query functions themselves; thresholds and exit codes;
watch files checked with file:line:col and stable codes.

Networks: ``netbuilder.corridor_net`` plus Gwadar (road from Peshawar and from Karachi).
The "after" network makes Torkham slower (a changed crossing), adds a place (Samarkand, with
a road from Tashkent) and drops the Peshawar-Karachi road, so Karachi is then reached by
rail and Gwadar becomes the best port from Tashkent.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from clirun import ENV
from netbuilder import corridor_net, crossing, link, place, write_network
from typer.testing import CliRunner

import cli
from corridor.analysis.compare import compare_ports
from corridor.analysis.diff import Thresholds, diff_networks, diff_records, parse_max_change
from corridor.engine.routing import find_route
from corridor.errors import InputFileError, UsageError
from corridor.format.network import load_network
from corridor.format.watch import (
    CompareQuestion,
    RouteQuestion,
    Watch,
    default_watch,
    load_watch,
    read_watch,
    watch_schema,
)
from corridor.model import Network


def before_net() -> Network:
    base = corridor_net()
    return replace(
        base,
        places=base.places + (place("PKGWD", "PK", name="Gwadar", lat=25.1, lon=62.3,
                                    kind="seaport"),),
        links=base.links + (link("PKPEW", "PKGWD", "road", 1600),
                            link("PKKHI", "PKGWD", "road", 650)),
    )


def after_net() -> Network:
    b = before_net()
    crossings = tuple(
        crossing("TORKHAM", "AF-TORKHAM", "PK-TORKHAM", ("road",), ab=(60, 300), ba=(20, 250))
        if c.id == "TORKHAM" else c for c in b.crossings)
    return replace(
        b,
        places=b.places + (place("UZSKD", "UZ", name="Samarkand", lat=39.6, lon=66.9),),
        links=tuple(x for x in b.links if {x.from_id, x.to_id} != {"PKPEW", "PKKHI"}
                    or x.mode != "road") + (link("UZTAS", "UZSKD", "road", 300),),
        crossings=crossings,
    )


@pytest.fixture(scope="module")
def dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    old = tmp_path_factory.mktemp("old")
    new = tmp_path_factory.mktemp("new")
    write_network(before_net(), old)
    write_network(after_net(), new)
    return old, new


@pytest.fixture(scope="module")
def nets(dirs: tuple[Path, Path]) -> tuple[Network, Network]:
    return load_network(dirs[0], cache=False), load_network(dirs[1], cache=False)


WATCH = Watch(
    routes=(RouteQuestion("Tashkent", "Karachi"), RouteQuestion("Tashkent", "Kabul"),
            RouteQuestion("Tashkent", "Samarkand")),
    compares=(CompareQuestion("Tashkent", ("Karachi", "Gwadar")),),
)


# --------------------------------------------------------------------------- records


def test_records_added_removed_and_changed_field_by_field(
        nets: tuple[Network, Network]) -> None:
    changes = {(r.kind, r.id): r for r in diff_records(*nets)}
    torkham = changes[("crossing", "TORKHAM")]
    assert torkham.status == "changed"
    assert [(f.path, f.old, f.new) for f in torkham.fields] == [("a_to_b.hours", 30, 60)]
    assert torkham.where.endswith(":" + str(nets[1].crossings[1].loc.line) + ":"
                                  + str(nets[1].crossings[1].loc.col))  # type: ignore[union-attr]
    assert changes[("place", "UZSKD")].status == "added"
    removed = sorted(k[1] for k, r in changes.items() if r.status == "removed")
    assert removed == sorted(x.id for x in nets[0].links
                             if {x.from_id, x.to_id} == {"PKPEW", "PKKHI"} and x.mode == "road")
    assert ("place", "UZTAS") not in changes  # unchanged records are not listed


def test_same_network_has_no_record_change(nets: tuple[Network, Network]) -> None:
    d = diff_networks(nets[0], nets[0], watch=WATCH)
    assert d.records == ()
    assert not any(a.best_changed for a in d.answers)
    assert all(a.relative_change() == 0 for a in d.answers)


def test_nested_defaults_are_diffed_by_path() -> None:
    a = corridor_net()
    road = a.defaults.modes["road"]
    modes = dict(a.defaults.modes, road=replace(road, speed_kmh=road.speed_kmh + 10))
    b = replace(a, defaults=replace(a.defaults, modes=modes))
    (change,) = diff_records(a, b)
    assert (change.kind, change.status) == ("defaults", "changed")
    assert [(f.path, f.old, f.new) for f in change.fields] == [
        ("modes.road.speed_kmh", road.speed_kmh, road.speed_kmh + 10)]


# --------------------------------------------------------------------------- answers


def test_route_answers_are_those_of_find_route(nets: tuple[Network, Network]) -> None:
    old, new = nets
    d = diff_networks(old, new, watch=WATCH)
    a = d.answers[0]
    for net, fig in ((old, a.old), (new, a.new)):
        r = find_route(net, "Tashkent", "Karachi")
        assert (fig.hours, fig.cost_usd) == (r.totals.hours, r.totals.cost_usd)
        assert fig.route == tuple(p.id for p in r.places)
    assert a.change_hours == a.new.hours - a.old.hours  # type: ignore[operator]
    assert a.best_changed  # Karachi is now reached by rail from Peshawar
    kabul = d.answers[1]
    assert not kabul.best_changed and kabul.relative_change() == 0


def test_a_place_only_in_the_new_network_is_an_answer_that_appears(
        nets: tuple[Network, Network]) -> None:
    a = diff_networks(*nets, watch=WATCH).answers[2]
    assert a.old.error is not None and a.new.error is None
    assert a.best_changed and a.relative_change() == float("inf")


def test_compare_answer_follows_compare_ports(nets: tuple[Network, Network]) -> None:
    old, new = nets
    a = diff_networks(old, new, watch=WATCH).answers[3]
    before = compare_ports(old, "Tashkent", ports=["Karachi", "Gwadar"])
    after = compare_ports(new, "Tashkent", ports=["Karachi", "Gwadar"])
    assert before.best is not None and after.best is not None
    assert (a.old_best, a.new_best) == (before.best.port.id, after.best.port.id)
    assert a.best_changed == (before.best.port.id != after.best.port.id)
    ranks = {p.port: (p.old_rank, p.new_rank) for p in a.ports}
    assert ranks == {o.port.id: (o.rank, next(x.rank for x in after.ports
                                               if x.port.id == o.port.id))
                     for o in before.ports}


def test_thresholds(nets: tuple[Network, Network]) -> None:
    assert diff_networks(*nets, watch=WATCH).broken == ()
    d = diff_networks(*nets, watch=WATCH, thresholds=Thresholds(fail_if_best_changes=True))
    assert len(d.broken) == 1 and "--fail-if-best-changes" in d.broken[0]
    # an answer that appears breaks any --max-change; a huge limit on answers that only move
    finite = Watch(routes=(WATCH.routes[0],), compares=())
    worst = diff_networks(*nets, watch=finite).answers[0].relative_change()
    assert diff_networks(*nets, watch=finite,
                         thresholds=Thresholds(max_change=worst)).broken == ()
    assert diff_networks(*nets, watch=finite,
                         thresholds=Thresholds(max_change=worst * 0.99)).broken != ()


def test_parse_max_change() -> None:
    assert parse_max_change("10%") == pytest.approx(0.1)
    assert parse_max_change("2.5") == pytest.approx(0.025)
    with pytest.raises(UsageError):
        parse_max_change("ten")


def test_default_watch_keeps_only_known_places() -> None:
    w = default_watch(known=[{"tashkent", "karachi", "gwadar"}])
    assert {(q.origin, q.destination) for q in w.routes} == {("Tashkent", "Karachi"),
                                                             ("Tashkent", "Gwadar")}
    assert [q.ports for q in w.compares] == [("Karachi", "Gwadar")]
    full = default_watch()
    assert len(full.routes) == 20 and len(full.compares) == 4


# --------------------------------------------------------------------------- CLI


def run(*args: str) -> Any:
    return CliRunner(env=ENV).invoke(cli.app, ["diff", *args], catch_exceptions=False)


def write_watch(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "watch.yaml"
    p.write_text(text, encoding="utf-8")
    return p


WATCH_YAML = """\
routes:
  - {from: Tashkent, to: Karachi}
  - {from: Tashkent, to: Kabul, by: cost}
compare:
  - {from: Tashkent, ports: [Karachi, Gwadar]}
"""


def test_cli_json_and_exit_codes(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    w = write_watch(tmp_path, WATCH_YAML)
    res = run(str(dirs[0]), str(dirs[1]), "--watch", str(w), "-f", "json")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["ok"] is True
    assert [a["kind"] for a in doc["answers"]] == ["route", "route", "compare"]
    assert doc["answers"][1]["question"]["by"] == "cost"
    assert doc["summary"]["best_changed"] == sum(a["best_changed"] for a in doc["answers"]) > 0
    torkham = next(r for r in doc["records"] if r["id"] == "TORKHAM")
    assert torkham["fields"] == [{"path": "a_to_b.hours", "old": 30, "new": 60}]
    assert doc["provenance"]["new"]["manifest"].endswith("network.yaml")
    failed = run(str(dirs[0]), str(dirs[1]), "--watch", str(w), "--fail-if-best-changes")
    assert failed.exit_code == 1
    assert "--fail-if-best-changes" in failed.stderr
    same = run(str(dirs[0]), str(dirs[0]), "--watch", str(w), "--fail-if-best-changes",
               "--max-change", "0%")
    assert same.exit_code == 0, same.stderr


def test_cli_markdown_lists_moved_answers_and_records(dirs: tuple[Path, Path],
                                                      tmp_path: Path) -> None:
    w = write_watch(tmp_path, WATCH_YAML)
    res = run(str(dirs[0]), str(dirs[1]), "--watch", str(w), "-f", "markdown")
    assert res.exit_code == 0
    md = res.stdout
    assert md.startswith("## corridor diff")
    assert "| **Tashkent -> Karachi (by time)** |" in md
    assert "| ~ | crossing | `TORKHAM` | a_to_b.hours | 30 | 60 |" in md
    assert "<details><summary>1 unchanged</summary>" in md  # Tashkent -> Kabul by cost


def test_cli_usage_errors(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    assert run(str(dirs[0]), str(tmp_path / "nope")).exit_code == 2
    assert run(str(dirs[0]), str(dirs[1]), "--max-change", "lots").exit_code == 2


# --------------------------------------------------------------------------- watch files


def test_watch_file_problems_have_codes_and_positions(tmp_path: Path) -> None:
    w = write_watch(tmp_path, "routes:\n  - {from: A, to: B, by: speed}\n  - {from: A}\n"
                              "compare: Almaty\nports: []\n")
    watch, problems = load_watch(w)
    assert watch is None
    got = {(p.code, p.line, p.col) for p in problems}
    assert got == {("E104", 2, 26), ("E102", 3, 5), ("E101", 4, 10), ("E103", 5, 1)}
    with pytest.raises(InputFileError) as err:
        read_watch(w)
    assert err.value.exit_code == 2


def test_cli_bad_watch_file_lists_problems_and_exits_2(dirs: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    w = write_watch(tmp_path, "routes:\n  - {from: Tashkent, too: Karachi}\n")
    res = run(str(dirs[0]), str(dirs[1]), "--watch", str(w))
    assert res.exit_code == 2
    assert "watch.yaml:2:22: E103 unknown field 'too' in a watched route; did you mean 'to'?" \
        in res.stderr
    assert "watch.yaml:2:5: E102 watched route is missing required field 'to'" in res.stderr


def test_watch_file_with_yaml_limits_and_tags(tmp_path: Path) -> None:
    _, problems = load_watch(write_watch(tmp_path, "routes: !!python/object:os.system x\n"))
    assert "E014" in {p.code for p in problems}
    _, problems = load_watch(write_watch(tmp_path, "routes: []\nroutes: []\n"))
    assert "E006" in {p.code for p in problems}


def test_documented_watch_example_is_valid_and_matches_the_schema(tmp_path: Path) -> None:
    import re

    import jsonschema
    import yaml
    from conftest import DOCS

    text = (DOCS / "diff.md").read_text(encoding="utf-8")
    example = re.search(r"<!-- watch-example -->\n```yaml\n(.*?)```", text, re.S)
    assert example is not None
    watch, problems = load_watch(write_watch(tmp_path, example.group(1)))
    assert watch is not None and problems == []
    jsonschema.validate(yaml.safe_load(example.group(1)), watch_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"routes": [{"from": "A", "too": "B"}]}, watch_schema())


def test_shipped_watch_schema_is_generated() -> None:
    from conftest import ROOT

    from corridor.format.watch import watch_schema_text

    shipped = ROOT / "corridor" / "schema" / "watch.schema.json"
    assert shipped.read_text(encoding="utf-8") == watch_schema_text(), (
        "regenerate: corridor schema --watch > corridor/schema/watch.schema.json")
