"""HTML maps and GeoJSON for route, compare and the whole network (issue 12).

The plain suite reads the GeoJSON embedded in each map and checks that the page needs
nothing from the internet but tiles; the ``browser`` test opens the maps in headless
Chromium with the network cut off and reads back what the page drew.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

import cli

ENV: dict[str, str | None] = {"NO_COLOR": "1", "CORRIDOR_NETWORK": None, "COLUMNS": "100"}

CASES = {
    "route": ["route", "Tashkent", "Karachi", "-k", "2"],
    "compare": ["compare", "Tashkent", "--to", "Jebel Ali"],
    "network": ["info"],
}


def _run(*args: str) -> Any:
    return CliRunner(env=ENV).invoke(cli.app, list(args), catch_exceptions=False)


def _embedded(html: str) -> dict[str, Any]:
    m = re.search(r'<script type="application/json" id="corridor-data">(.*?)</script>', html,
                  re.S)
    assert m, "no embedded GeoJSON"
    doc: dict[str, Any] = json.loads(m.group(1))
    return doc


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Each case's map file and the command's own ``--format geojson`` document."""
    folder = tmp_path_factory.mktemp("maps")
    out = {}
    for name, args in CASES.items():
        path = folder / f"{name}.html"
        res = _run(*args, "--map", str(path), "--format", "geojson")
        assert res.exit_code == 0, res.stderr
        out[name] = (path, json.loads(res.stdout))
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_map_embeds_the_commands_geojson(case: str, maps: dict[str, Any]) -> None:
    path, geojson = maps[case]
    html = path.read_text(encoding="utf-8")
    assert _embedded(html) == geojson
    assert geojson["type"] == "FeatureCollection" and geojson["features"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_map_is_self_contained(case: str, maps: dict[str, Any]) -> None:
    html = maps[case][0].read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html), "external resource"
    assets = Path(cli.__file__).parent / "corridor" / "render" / "assets" / "leaflet"
    for name in ("leaflet.js", "leaflet.css"):  # Leaflet itself is inside the page
        assert (assets / name).read_text(encoding="utf-8") in html
    assert "tile.openstreetmap.org" in html  # tiles only, and only when online
    assert "network corridor sha256:" in html


def test_route_geojson_features(maps: dict[str, Any]) -> None:
    doc = maps["route"][1]
    legs = [f for f in doc["features"] if f["properties"]["feature"] == "leg"]
    assert {f["properties"]["route_rank"] for f in legs} == {1, 2}
    kinds = Counter(f["properties"]["kind"] for f in legs)
    assert kinds["link"] and kinds["crossing"]


def test_compare_geojson_has_each_ports_route_and_every_candidate(maps: dict[str, Any]) -> None:
    doc = maps["compare"][1]
    ports = [f["properties"] for f in doc["features"] if f["properties"]["feature"] == "port"]
    assert [p["id"] for p in ports] == [p["id"] for p in doc["corridor"]["ports"]]
    legs_by_port = Counter(f["properties"]["port"] for f in doc["features"]
                           if f["properties"]["feature"] == "leg")
    for p in ports:
        assert (legs_by_port[p["id"]] > 0) == p["reachable"]
    assert doc["corridor"]["schema"] == "corridor.compare.geojson/1"


def test_network_geojson_counts_match_info(maps: dict[str, Any]) -> None:
    doc = maps["network"][1]
    info = json.loads(_run("info", "--format", "json").stdout)
    kinds = Counter(f["properties"]["feature"] for f in doc["features"])
    assert kinds["link"] == info["counts"]["links"]
    assert kinds["crossing"] == info["counts"]["crossings"]
    assert kinds["port"] == info["counts"]["seaports"]
    assert kinds["port"] + kinds["place"] == info["counts"]["places"]
    crossing = next(f["properties"] for f in doc["features"]
                    if f["properties"]["feature"] == "crossing")
    assert {"a_to_b", "b_to_a", "status", "modes"} <= set(crossing)
    planned = [f for f in doc["features"] if f["properties"]["feature"] == "link"
               and f["properties"]["status"] != "operational"]
    assert planned  # drawn dashed on the map


# --------------------------------------------------------------------------- waypoints



def test_links_follow_their_waypoints_both_ways() -> None:
    from corridor.render.geojson import link_path

    a = SimpleNamespace(id="A", lat=24.8, lon=67.0)
    b = SimpleNamespace(id="B", lat=25.0, lon=55.1)
    link = SimpleNamespace(from_id="A", to_id="B", waypoints=[[24.0, 66.0], [25.5, 57.0]])
    assert link_path(link, a, b) == [[67.0, 24.8], [66.0, 24.0], [57.0, 25.5], [55.1, 25.0]]
    assert link_path(link, b, a) == [[55.1, 25.0], [57.0, 25.5], [66.0, 24.0], [67.0, 24.8]]
    plain = SimpleNamespace(from_id="A", to_id="B")  # a model without the field
    assert link_path(plain, a, b) == [[67.0, 24.8], [55.1, 25.0]]


def test_sea_legs_of_a_route_use_the_networks_waypoints() -> None:
    from corridor.engine.routing import find_routes
    from corridor.format.network import load_network
    from corridor.render.geojson import network_to_geojson
    from corridor.render.route import routes_to_geojson

    net = load_network(None)
    routes = find_routes(net, "Karachi", "Jebel Ali", k=1, modes=["sea", "road"])
    sea = [leg for leg in routes[0].legs if leg.kind == "link" and leg.mode == "sea"]
    assert sea
    mid = [[23.0, 62.0]]
    links = tuple(
        dataclasses.replace(lk, waypoints=tuple(map(tuple, mid))) if lk.id == sea[0].ref
        else lk for lk in net.links)
    shaped = dataclasses.replace(net, links=links)
    feats = [f for f in routes_to_geojson(routes, shaped)["features"]
             if f["properties"]["ref"] == sea[0].ref]
    assert [62.0, 23.0] in feats[0]["geometry"]["coordinates"]
    assert len(feats[0]["geometry"]["coordinates"]) == 3
    net_feats = [f for f in network_to_geojson(shaped)["features"]
                 if f["properties"].get("id") == sea[0].ref]
    assert [62.0, 23.0] in net_feats[0]["geometry"]["coordinates"]


def test_embedded_json_cannot_close_its_script() -> None:
    from corridor.render.map import _json_script

    text = _json_script({"name": "</script><script>alert(1)</script><!--"})
    assert "</script" not in text.lower() and "<!--" not in text
    assert json.loads(text)["name"].startswith("</script>")


def test_map_file_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    res = _run("route", "Tashkent", "Karachi", "--map", str(tmp_path / "no" / "x.html"))
    assert res.exit_code == 2
    assert res.stderr.startswith("error: cannot write")


# --------------------------------------------------------------------------- browser


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _expected(doc: dict[str, Any]) -> dict[str, int]:
    lines = markers = 0
    for f in doc["features"]:
        p = f["properties"]
        if p["feature"] == "leg":
            if p["kind"] in ("link", "crossing"):
                lines += 1
            markers += p["kind"] != "link"
        elif p["feature"] in ("link", "crossing"):
            lines += 1
            markers += p["feature"] == "crossing"
        else:
            markers += 1
    return {"lines": lines, "markers": markers, "features": len(doc["features"])}


@pytest.mark.browser
@pytest.mark.parametrize("case", sorted(CASES))
def test_map_draws_offline_in_chromium(case: str, maps: dict[str, Any],
                                       tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    path, doc = maps[case]
    proc = subprocess.run(
        [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-extensions", f"--user-data-dir={tmp_path / 'profile'}",
         # the network is cut off: every host fails, so tiles cannot load
         "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--virtual-time-budget=5000", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    m = re.search(r'<pre id="corridor-status">(\{.*?\})</pre>', proc.stdout)
    assert m, f"the page did not finish drawing: {proc.stderr[-500:]}"
    status = json.loads(m.group(1))
    assert status == _expected(doc)
    drawn = re.findall(r'<path class="corridor-[^"]*', proc.stdout)
    assert len(drawn) >= status["lines"]
    if case == "compare":
        assert any("corridor-sea" in d for d in drawn)
    assert not re.search(r'class="[^"]*leaflet-tile-loaded', proc.stdout)  # no tile came
