"""Time/cost-distance charts: the drawn series are the route's running totals (issue 12).

The SVG keeps each line as a group ``time-KEY`` / ``cost-KEY``; its points, mapped back
through the axes (an affine map fitted on the first and last point), must be the route's
cumulative km against cumulative days and USD, leg by leg.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import cli

ENV: dict[str, str | None] = {"NO_COLOR": "1", "CORRIDOR_NETWORK": None, "COLUMNS": "100"}


def _run(*args: str) -> Any:
    return CliRunner(env=ENV).invoke(cli.app, list(args), catch_exceptions=False)


def _series(svg: Path, gid: str) -> list[tuple[float, float]]:
    root = ET.parse(svg).getroot()
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("id") == gid:
            path = next(g.iter("{http://www.w3.org/2000/svg}path"))
            nums = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
            return list(zip(nums[0::2], nums[1::2], strict=True))
    raise AssertionError(f"no series {gid} in {svg}")


def _affine_matches(drawn: list[float], data: list[float], tol: float = 0.6) -> None:
    """``drawn`` is ``a + b * data`` (fitted on the extremes), within ``tol`` pixels."""
    i, j = data.index(min(data)), data.index(max(data))
    assert data[j] > data[i]
    b = (drawn[j] - drawn[i]) / (data[j] - data[i])
    a = drawn[i] - b * data[i]
    for d, v in zip(data, drawn, strict=True):
        assert v == pytest.approx(a + b * d, abs=tol)


def _running(legs: list[dict[str, Any]], key: str, scale: float = 1.0) -> list[float]:
    out, run = [0.0], 0.0
    for leg in legs:
        run += leg[key]
        out.append(run / scale)
    return out


def _check(svg: Path, key: str, legs: list[dict[str, Any]]) -> None:
    km = _running(legs, "distance_km")
    for what, ys in (("time", _running(legs, "hours", 24.0)),
                     ("cost", _running(legs, "cost_usd"))):
        pts = _series(svg, f"{what}-{key}")
        assert len(pts) == len(legs) + 1
        _affine_matches([x for x, _ in pts], km)
        _affine_matches([y for _, y in pts], ys)


def test_route_chart_series_are_the_legs(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    svg = tmp_path / "route.svg"
    res = _run("route", "Tashkent", "Karachi", "-k", "2", "--chart", str(svg), "-f", "json")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)  # stdout still has the answer
    _check(svg, "1", doc["legs"])
    _check(svg, "2", doc["alternatives"][0]["legs"])
    text = svg.read_text(encoding="utf-8")
    for leg in doc["legs"]:
        if leg["kind"] == "crossing":
            assert f"border {leg['ref']}" in text  # steps are labelled
    assert "network corridor sha256:" in text


def test_comparison_chart_has_one_series_per_port(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from corridor.analysis.compare import compare_ports
    from corridor.format.network import load_network
    from corridor.render.chart import comparison_chart_title, comparison_series, draw_chart
    from corridor.render.route import route_to_dict

    c = compare_ports(load_network(None), "Tashkent", to="Jebel Ali")
    svg = tmp_path / "ports.svg"
    draw_chart(comparison_series(c), svg, **comparison_chart_title(c))
    ranked = [x for x in c.ports if x.route is not None]
    assert len(ranked) >= 3
    for x in ranked:
        assert x.route is not None
        _check(svg, x.port.id, route_to_dict(x.route)["legs"])
    assert f"port {ranked[0].port.name}" in svg.read_text(encoding="utf-8")


def test_compare_chart_option_and_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    png = tmp_path / "ports.png"
    res = _run("compare", "Tashkent", "--chart", str(png))
    assert res.exit_code == 0, res.stderr
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_svg_is_deterministic(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    for p in (a, b):
        assert _run("route", "Almaty", "Karachi", "--chart", str(p)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_without_matplotlib_one_line_says_how_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails as if absent
    out = tmp_path / "x.svg"
    res = _run("route", "Tashkent", "Karachi", "--chart", str(out))
    assert res.exit_code == 2
    assert res.stdout == ""  # fails before the query
    assert res.stderr.strip().splitlines() == [
        "error: charts need matplotlib, which is not installed: "
        "pip install 'corridor[charts]'"]
    assert not out.exists()


def test_chart_file_must_be_svg_or_png(tmp_path: Path) -> None:
    res = _run("route", "Tashkent", "Karachi", "--chart", str(tmp_path / "x.pdf"))
    assert res.exit_code == 2
    assert "must end in .svg or .png" in res.stderr
