"""Calibration against published shipments (calibration/cases.yaml, tools/calibrate.py): what
must stay true whatever the figures become."""

from __future__ import annotations

from pathlib import Path

from corridor.analysis.calibration import load_cases, run_cases, summarize
from corridor.format.network import load_network

CASES = Path(__file__).resolve().parent.parent / "calibration" / "cases.yaml"


def test_every_case_is_answered_and_none_beats_a_lower_bound() -> None:
    results = run_cases(load_network(None), load_cases(CASES))
    s = summarize(results)
    assert s.unanswered == ()
    assert s.below_lower_bound == ()


def test_every_case_outside_60_percent_states_its_cause() -> None:
    results = run_cases(load_network(None), load_cases(CASES))
    by_id = {r.case.id: r.case for r in results}
    for cid in summarize(results).outside_60:
        assert by_id[cid].cause, f"{cid} is outside ±60 % without a stated cause"


def test_scopes_compare_what_the_source_measured() -> None:
    cases = {c.id: c for c in load_cases(CASES)}
    assert cases["tm-rail-farap-sarakhs"].scope == "line-haul"  # kind: section
    assert cases["khi-dubai-sea-typical"].scope == "port-to-port"
    from corridor.engine.routing import find_route

    net = load_network(None)
    (r,) = run_cases(net, [cases["khi-dubai-sea-typical"]])
    route = find_route(net, "Karachi", "Jebel Ali", modes=["sea"])
    # Port to port: the sailing and its wait, without the handling at either end.
    assert [leg.kind for leg in route.legs] == ["handling", "link", "handling"]
    assert r.model is not None
    assert abs(r.model - route.legs[1].hours) < 1e-9
