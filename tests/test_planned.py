"""Projects: which planned records a query opens (library, graph, CLI)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from clirun import runners
from conftest import example_with
from netbuilder import link, net, place

import cli
from corridor.engine.planned import UnknownProjectError, planned_json, resolve_planned, usable
from corridor.engine.routing import find_route
from corridor.model import Project

run, jrun = runners("route")


def three_ways():
    """A-B by an operational slow road, and two planned faster ones of projects p1, p2."""
    return net(
        places=[place("A"), place("B")],
        links=[link("A", "B", km=1000, id="slow"),
               link("A", "B", km=200, id="fast1", status="planned", project="p1"),
               link("A", "B", km=500, id="fast2", status="under_construction", project="p2"),
               link("A", "B", km=150, id="loose", status="planned")],
    )


def with_projects(n):
    return replace(n, projects=(Project("p1", "Project One"), Project("p2", "Second project")))


def test_usable_by_status_and_project() -> None:
    lk = link("A", "B")
    planned = replace(lk, status="planned", project="p1")
    assert usable(lk, False) and usable(lk, frozenset({"p2"}))
    assert not usable(replace(lk, status="closed"), True)
    assert not usable(planned, False)
    assert usable(planned, True) and usable(planned, frozenset({"p1"}))
    assert not usable(planned, frozenset({"p2"}))
    assert not usable(replace(planned, project=None), frozenset({"p1"}))


def test_resolve_planned_forms() -> None:
    n = with_projects(three_ways())
    assert resolve_planned(n, None) is False and resolve_planned(n, []) is False
    assert resolve_planned(n, True) is True and resolve_planned(n, ["all"]) is True
    assert resolve_planned(n, "P1") == frozenset({"p1"})
    assert resolve_planned(n, ["p1,second project"]) == frozenset({"p1", "p2"})
    with pytest.raises(UnknownProjectError, match="did you mean 'p1'"):
        resolve_planned(n, "p11")
    assert planned_json(frozenset({"p2", "p1"})) == ["p1", "p2"]


def test_one_project_equals_the_network_with_the_others_left_out() -> None:
    n = with_projects(three_ways())
    only_p2 = find_route(n, "A", "B", include_planned="p2")
    # Expected: every planned record open, on a copy where the others are closed.
    edited = replace(n, links=tuple(replace(lk, status="closed") if lk.id in ("fast1", "loose")
                                    else lk for lk in n.links))
    expected = find_route(edited, "A", "B", include_planned=True)
    assert only_p2.legs == expected.legs and only_p2.totals == expected.totals
    assert only_p2.options.include_planned == frozenset({"p2"})
    assert [lg.ref for lg in only_p2.legs] == ["fast2"]
    assert [lg.ref for lg in find_route(n, "A", "B").legs] == ["slow"]
    assert [lg.ref for lg in find_route(n, "A", "B", include_planned=True).legs] == ["loose"]


PROJECT_EXTRA = (
    "projects:\n  - {id: bypass, name: Hairatan bypass, status: planned, estimate: x}\n"
    "links:\n  - {id: new-road, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 70,"
    " hours: 0.5, status: planned, project: bypass, estimate: x}\n")


def test_cli_include_planned_with_and_without_a_project(tmp_path: Path) -> None:
    example_with(tmp_path, PROJECT_EXTRA)

    def refs(*args: str) -> list[str]:
        doc = jrun(tmp_path, *args)
        return [leg["ref"] for leg in doc["routes"][0]["legs"]] if "routes" in doc else [
            leg["ref"] for leg in doc["legs"]]

    base = refs("AFHRT", "AF-MAZAR")
    assert "new-road" not in base
    assert refs("AFHRT", "AF-MAZAR", "--include-planned") == ["new-road"]
    assert refs("--include-planned", "AFHRT", "AF-MAZAR") == ["new-road"]
    assert refs("--include-planned", "bypass", "AFHRT", "AF-MAZAR") == ["new-road"]
    assert refs("AFHRT", "AF-MAZAR", "--include-planned", "Hairatan bypass") == ["new-road"]
    assert refs("AFHRT", "AF-MAZAR", "--include-planned=bypass") == ["new-road"]
    doc = jrun(tmp_path, "AFHRT", "AF-MAZAR", "--include-planned", "bypass")
    assert doc["options"]["include_planned"] == ["bypass"]
    res = run(tmp_path, "AFHRT", "AF-MAZAR", "--include-planned", "bypas")
    assert res.exit_code == 1 and "did you mean 'bypass'" in res.stderr


def test_planned_argv_rewrites_only_bare_flags() -> None:
    import typer

    route = typer.main.get_command(cli.app).commands["route"]  # type: ignore[attr-defined]

    def rw(*args: str) -> list[str]:
        return cli.planned_argv(route, list(args))

    assert rw("A", "B", "--include-planned") == ["A", "B", "--include-planned", "all"]
    assert rw("--include-planned", "A", "B") == ["--include-planned", "all", "A", "B"]
    assert rw("--include-planned", "p", "A", "B") == ["--include-planned", "p", "A", "B"]
    assert rw("A", "--include-planned", "--by", "cost", "B") == [
        "A", "--include-planned", "all", "--by", "cost", "B"]
    assert rw("A", "B", "--via", "C", "--include-planned", "p") == [
        "A", "B", "--via", "C", "--include-planned", "p"]
    assert rw("--include-planned", "A", "B", "--include-planned", "p") == [
        "--include-planned", "all", "A", "B", "--include-planned", "p"]


def test_info_lists_projects(tmp_path: Path) -> None:
    example_with(tmp_path, PROJECT_EXTRA)
    _, info = runners("info")
    doc = info(tmp_path)
    assert doc["projects"] == [{"id": "bypass", "name": "Hairatan bypass", "description": None,
                                "status": "planned", "records": ["new-road"], "sources": []}]
    assert [(p["id"], p["project"]) for p in doc["planned"]] == [("new-road", "bypass")]


def test_planned_argv_with_an_optional_argument() -> None:
    import typer

    cmd = typer.main.get_command(cli.app).commands["scenarios"]  # type: ignore[attr-defined]
    assert cli.planned_argv(cmd, ["A", "B", "--include-planned"]) == [
        "A", "B", "--include-planned", "all"]
    assert cli.planned_argv(cmd, ["A", "--compare", "--include-planned", "p"]) == [
        "A", "--compare", "--include-planned", "p"]
