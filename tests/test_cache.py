"""The network cache: same answers, invalidated by any change, never in the way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import example_with

from corridor import cache
from corridor.errors import NetworkError
from corridor.network import load_network


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("CORRIDOR_CACHE_DIR", str(d))
    monkeypatch.delenv("CORRIDOR_NO_CACHE", raising=False)
    return d


def entries(d: Path) -> list[Path]:
    return sorted(d.glob("network-*.pickle")) if d.exists() else []


def test_second_load_comes_from_the_cache_and_is_equal(tmp_path: Path, cache_dir: Path) -> None:
    net_dir = example_with(tmp_path / "net")
    first = load_network(net_dir)
    assert len(entries(cache_dir)) == 1
    second = load_network(net_dir)
    assert second is not first and second == first
    assert second.content_hash == first.content_hash
    assert [p.loc for p in second.places] == [p.loc for p in first.places]


def test_any_change_to_a_file_reloads(tmp_path: Path, cache_dir: Path) -> None:
    net_dir = example_with(tmp_path / "net")
    before = load_network(net_dir)
    places = net_dir / "places.yaml"
    places.write_text(places.read_text().replace("Termez", "Termiz"))
    st = places.stat()
    os.utime(places, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    after = load_network(net_dir)
    assert after.content_hash != before.content_hash
    assert "Termiz" in {p.name for p in after.places}


def test_a_new_error_is_not_hidden_by_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    net_dir = example_with(tmp_path / "net")
    load_network(net_dir)
    (net_dir / "links.yaml").write_text("links:\n  - {from: AFHRT, to: NOWHERE, mode: road, distance_km: 5, estimate: x}\n")
    with pytest.raises(NetworkError):
        load_network(net_dir)


def test_corrupt_entry_falls_back_to_yaml(tmp_path: Path, cache_dir: Path) -> None:
    net_dir = example_with(tmp_path / "net")
    good = load_network(net_dir)
    [entry] = entries(cache_dir)
    entry.write_bytes(b"not a pickle")
    assert load_network(net_dir) == good


def test_networks_with_errors_are_not_cached(tmp_path: Path, cache_dir: Path) -> None:
    net_dir = example_with(tmp_path / "net", "links:\n  - {from: AFHRT, to: X, mode: road, distance_km: 5, estimate: x}\n")
    with pytest.raises(NetworkError):
        load_network(net_dir)
    assert entries(cache_dir) == []


def test_cache_can_be_turned_off(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDOR_NO_CACHE", "1")
    load_network(example_with(tmp_path / "net"))
    assert entries(cache_dir) == []


def test_unwritable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CORRIDOR_CACHE_DIR", str(blocker / "sub"))  # cannot be created
    net = load_network(example_with(tmp_path / "net"))
    assert net.name == "example"


def test_key_covers_every_yaml_file_in_the_folder(tmp_path: Path) -> None:
    net_dir = example_with(tmp_path / "net")
    k1 = cache.cache_key(net_dir / "network.yaml")
    (net_dir / "more").mkdir()
    (net_dir / "more" / "extra.yml").write_text("places: []\n")
    assert cache.cache_key(net_dir / "network.yaml") != k1
    assert cache.cache_key(net_dir / "network.yaml") == cache.cache_key(net_dir / "network.yaml")
