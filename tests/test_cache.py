"""The network cache: same answers, invalidated by any change, never in the way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import example_with

from corridor.errors import NetworkError
from corridor.format import cache
from corridor.format.network import load_network


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("CORRIDOR_CACHE_DIR", str(d))
    monkeypatch.delenv("CORRIDOR_NO_CACHE", raising=False)
    return d


def entries(d: Path) -> list[Path]:
    return sorted(d.glob("network-*.bin")) if d.exists() else []


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
    entry.write_bytes(b"not json")
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


def test_key_covers_the_code_in_every_subpackage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A development checkout edits modules under corridor/engine/ etc. without changing the
    version; such an edit must give a new key, not an entry built by the old code."""
    import shutil

    import corridor

    package = tmp_path / "pkg" / "corridor"
    shutil.copytree(Path(corridor.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__", "networks"))
    monkeypatch.setattr(corridor, "__file__", str(package / "__init__.py"))
    manifest = example_with(tmp_path / "net") / "network.yaml"
    k1 = cache.cache_key(manifest)
    assert k1 is not None
    for sub in ("format", "engine", "analysis", "render"):
        module = sorted((package / sub).glob("*.py"))[-1]
        module.write_text(module.read_text() + "# edited\n")
        k2 = cache.cache_key(manifest)
        assert k2 not in (None, k1), sub
        k1 = k2


# --------------------------------------------------------------------------- hardening


class _Payload:
    """Unpickling this runs ``touch <marker>``: what a planted cache entry could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_pickle_is_never_executed(tmp_path: Path, cache_dir: Path) -> None:
    import pickle

    net_dir = example_with(tmp_path / "net")
    good = load_network(net_dir)
    [entry] = entries(cache_dir)
    marker = tmp_path / "pwned"
    entry.write_bytes(pickle.dumps(_Payload(marker)))
    assert load_network(net_dir) == good
    assert not marker.exists()


def test_an_entry_of_the_wrong_shape_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    net_dir = example_with(tmp_path / "net")
    good = load_network(net_dir)
    [entry] = entries(cache_dir)
    for junk in (b'{"format": 3, "network": [1, 2]}', b"[]", b'{"format": 3}', b"\xff" * 10):
        entry.write_bytes(junk)
        assert load_network(net_dir) == good


def test_a_fifo_in_place_of_an_entry_does_not_hang(tmp_path: Path, cache_dir: Path) -> None:
    net_dir = example_with(tmp_path / "net")
    good = load_network(net_dir)
    [entry] = entries(cache_dir)
    entry.unlink()
    os.mkfifo(entry)
    import threading

    got: list[object] = []
    t = threading.Thread(target=lambda: got.append(load_network(net_dir)), daemon=True)
    t.start()
    t.join(60)  # a blocking open of the FIFO would never return
    assert not t.is_alive()
    assert got == [good]


def test_a_symlinked_entry_is_not_followed(tmp_path: Path, cache_dir: Path) -> None:
    net_dir = example_with(tmp_path / "net")
    good = load_network(net_dir)
    [entry] = entries(cache_dir)
    # A well-formed entry for another network, reached through a link: never read.
    other = load_network(example_with(tmp_path / "other", "places: []\n"), cache=False)
    shaped = tmp_path / "shaped.json"
    shaped.write_bytes(cache.encode_network(other))
    entry.unlink()
    entry.symlink_to(shaped)
    assert cache.get(net_dir / "network.yaml") is None
    assert load_network(net_dir) == good


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_folder_others_can_write_is_refused_with_one_warning(
    tmp_path: Path, cache_dir: Path, mode: int, caplog: pytest.LogCaptureFixture
) -> None:
    net_dir = example_with(tmp_path / "net")
    cache_dir.mkdir()
    cache_dir.chmod(mode)
    with caplog.at_level("WARNING", logger="corridor.format.cache"):
        net = load_network(net_dir)
        load_network(net_dir)
    assert net.name == "example"
    assert entries(cache_dir) == []
    warnings = [r for r in caplog.records if r.name == "corridor.format.cache"]
    assert len(warnings) == 1  # once per folder and process
    assert "\n" not in warnings[0].getMessage()


def test_an_unsafe_folder_is_warned_about_on_stderr(tmp_path: Path) -> None:
    import subprocess
    import sys

    net_dir = example_with(tmp_path / "net")
    d = tmp_path / "shared"
    d.mkdir()
    d.chmod(0o777)
    env = dict(os.environ, CORRIDOR_CACHE_DIR=str(d))
    env.pop("CORRIDOR_NO_CACHE", None)
    code = "from corridor.format.network import load_network; import sys; load_network(sys.argv[1])"
    done = subprocess.run([sys.executable, "-c", code, str(net_dir)], env=env,
                          capture_output=True, text=True, check=True)
    assert done.stderr.count("\n") == 1
    assert "others may write it" in done.stderr and str(d) in done.stderr
    assert entries(d) == []


def test_the_folder_is_created_private(tmp_path: Path, cache_dir: Path) -> None:
    load_network(example_with(tmp_path / "net"))
    assert cache_dir.stat().st_mode & 0o777 == 0o700


def test_same_size_edit_with_time_restored_gives_the_fresh_answer(
    tmp_path: Path, cache_dir: Path
) -> None:
    net_dir = example_with(tmp_path / "net")
    places = net_dir / "places.yaml"
    before_st = places.stat()
    before = load_network(net_dir)
    text = places.read_text()
    edited = text.replace("Termez", "Termiz")
    assert len(edited) == len(text)
    places.write_text(edited)
    os.utime(places, ns=(before_st.st_atime_ns, before_st.st_mtime_ns))
    assert places.stat().st_size == before_st.st_size
    after = load_network(net_dir)
    assert after.content_hash != before.content_hash
    assert "Termiz" in {p.name for p in after.places}


def test_the_cache_stays_within_its_size_bound(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = example_with(tmp_path / "n0")
    load_network(one)
    [entry] = entries(cache_dir)
    size = entry.stat().st_size
    monkeypatch.setenv("CORRIDOR_CACHE_MAX_MB", str(2.5 * size / (1024 * 1024)))
    nets = [one] + [example_with(tmp_path / f"n{i}", f"places: []\n# {i:04d}\n")
                    for i in range(1, 5)]
    for i, net in enumerate(nets):
        load_network(net)
        total = sum(e.stat().st_size for e in entries(cache_dir))
        assert total <= 2.5 * size
        assert len(entries(cache_dir)) == min(i + 1, 2)
    # The most recently used entries are the ones kept: the last network is a hit.
    newest = cache._entry(nets[-1] / "network.yaml", create=False)
    assert newest is not None and newest in entries(cache_dir)


def test_least_recently_used_goes_first(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = example_with(tmp_path / "a")
    b = example_with(tmp_path / "b", "places: []\n")
    load_network(a)
    ea = cache._entry(a / "network.yaml", create=False)
    assert ea is not None
    os.utime(ea, ns=(1, 1))
    load_network(b)
    eb = cache._entry(b / "network.yaml", create=False)
    assert eb is not None
    os.utime(eb, ns=(2, 2))
    load_network(a)  # a hit: now a is the most recently used
    size = max(ea.stat().st_size, eb.stat().st_size)
    monkeypatch.setenv("CORRIDOR_CACHE_MAX_MB", str(1.5 * size / (1024 * 1024)))
    cache.evict(cache_dir)
    assert entries(cache_dir) == [ea]


def test_round_trip_keeps_every_record_and_type(tmp_path: Path) -> None:
    from corridor.format.network import bundled_network_path

    net = load_network(bundled_network_path(), cache=False)
    back = cache.decode_network(cache.encode_network(net))
    assert back == net
    assert [p.loc for p in back.places] == [p.loc for p in net.places]
    assert back.defaults == net.defaults and back.content_hash == net.content_hash


def test_round_trip_keeps_dates_and_fixed_length_tuples() -> None:
    # Closures carry dates (datetime.date) and places' polygons pairs of floats: both come
    # back as their own types, not as strings or lists.
    from dataclasses import replace
    from datetime import date

    from corridor.format.network import bundled_network_path
    from corridor.model import Closure

    net = load_network(bundled_network_path(), cache=False)
    lk = replace(net.links[0], closures=(
        Closure(reason="works", from_date=date(2026, 3, 1), to_date=date(2026, 4, 30)),
        Closure(reason="open-ended", from_date=date(2027, 1, 1))))
    net = replace(net, links=(lk, *net.links[1:]))
    back = cache.decode_network(cache.encode_network(net))
    assert back == net
    assert back.links[0].closures[0].from_date == date(2026, 3, 1)
    with pytest.raises(ValueError):  # a date that is not ISO text is a malformed entry
        cache._column(date, [20260301])


# --------------------------------------------------------------------------- graphs


def test_routes_from_a_cached_network_are_identical(tmp_path: Path, cache_dir: Path) -> None:
    import shutil

    from corridor.analysis.matrix import od_matrix
    from corridor.engine.routing import find_routes
    from corridor.format.network import bundled_network_path

    net_dir = tmp_path / "bundled"
    shutil.copytree(bundled_network_path().parent, net_dir)
    fresh_net = load_network(net_dir, cache=False)
    load_network(net_dir)  # store
    cached_net = load_network(net_dir)
    assert isinstance(cached_net, cache.LazyNetwork)
    for kw in ({"objective": "cost"}, {"objective": "time", "k": 3},
               {"objective": "generalized", "modes": ["road", "rail"], "avoid": ["AF"]}):
        got = find_routes(cached_net, "Tashkent", "Karachi", **kw)  # type: ignore[arg-type]
        want = find_routes(fresh_net, "Tashkent", "Karachi", **kw)  # type: ignore[arg-type]
        assert got == want
    ids = ["UZTAS", "KZALA", "PKKHI"]
    assert od_matrix(cached_net, ids, ids) == od_matrix(fresh_net, ids, ids)


def test_graphs_are_never_stored(tmp_path: Path, cache_dir: Path) -> None:
    # Only networks are cached on disk; graphs (which depend on the planned projects and
    # the Operating of a query) are built in memory.
    from corridor.engine import graph

    net_dir = example_with(tmp_path / "net")
    load_network(net_dir)
    graph.expanded_graph(load_network(net_dir), include_planned=True)
    assert [e.name for e in cache_dir.iterdir() if not e.name.startswith("network-")] == []


def test_a_warm_network_reads_single_links_and_equals_the_fresh_one(
    tmp_path: Path, cache_dir: Path
) -> None:
    import shutil

    from corridor.engine.routing import find_route
    from corridor.format.network import bundled_network_path
    from corridor.model import Network

    net_dir = tmp_path / "bundled"
    shutil.copytree(bundled_network_path().parent, net_dir)
    fresh = load_network(net_dir, cache=False)
    load_network(net_dir)
    warm = load_network(net_dir)
    assert isinstance(warm, cache.LazyNetwork) and isinstance(warm, Network)
    assert [warm.link(i) for i in range(len(fresh.links))] == list(fresh.links)
    with pytest.raises(AttributeError):
        Network.__dict__["links"].__get__(warm, Network)  # single links leave the rest
    route = find_route(warm, "Tashkent", "Karachi", objective="cost")
    assert route == find_route(fresh, "Tashkent", "Karachi", objective="cost")
    assert warm.links == fresh.links and warm == fresh and fresh == warm


def test_a_cached_network_pickles_copies_and_replaces_as_a_network(
    tmp_path: Path, cache_dir: Path
) -> None:
    import copy
    import pickle
    from dataclasses import replace

    from corridor.model import Network

    net_dir = example_with(tmp_path / "net")
    fresh = load_network(net_dir, cache=False)
    load_network(net_dir)
    warm = load_network(net_dir)
    assert isinstance(warm, cache.LazyNetwork)
    for other in (pickle.loads(pickle.dumps(warm)), copy.deepcopy(warm)):
        assert type(other) is Network and other == fresh
    renamed = replace(warm, name="other")
    assert renamed.name == "other" and renamed.links == fresh.links


def test_dates_and_fixed_tuples_round_trip() -> None:
    # Closure dates and Link waypoints, checked on the decoder directly (a whole network
    # with them: test_round_trip_keeps_dates_and_fixed_length_tuples).
    import datetime

    assert cache._column(datetime.date | None, ["2026-04-15", None]) == [
        datetime.date(2026, 4, 15), None]
    assert cache._column(tuple[tuple[float, float], ...], [[[41.5, 69.25], [40, 68.0]]]) == [
        ((41.5, 69.25), (40, 68.0))]
    assert cache._encode(datetime.date(2026, 3, 1)) == "2026-03-01"
    with pytest.raises(ValueError):
        cache._column(tuple[float, float], [[1.0]])


def test_a_cached_network_resolves_places_as_the_loaded_one(cache_dir: Path) -> None:
    """Lookups on a network from the cache (places decoded one by one, folded keys read
    from the entry) give the same place, or the same error, as on the network read from
    its YAML: ids, folded ids, names, aliases, near misses."""
    from corridor.engine.places import PlaceIndex
    from corridor.errors import CorridorError

    plain = load_network(None, cache=False)
    load_network(None)
    lazy = load_network(None)
    assert isinstance(lazy, cache.LazyNetwork) and lazy.folded_index() is not None
    queries = ["PK KHI", "pkkhi", "karachi", "KARACHI ", "Mazār-i-Sharīf", "Kabull", "nowhere"]
    for p in plain.places:
        queries += [p.id, p.id.lower(), p.name, p.name.upper(), *p.aliases]

    def answer(index: PlaceIndex, q: str) -> object:
        try:
            return index.resolve(q)
        except CorridorError as err:
            return (type(err).__name__, str(err))

    fresh, cached = PlaceIndex.of(plain), PlaceIndex.of(lazy)
    assert [answer(cached, q) for q in queries] == [answer(fresh, q) for q in queries]


def test_validate_never_uses_the_cache(cache_dir: Path) -> None:
    """Validating a tree with scenario files (checked against the bundled network) writes
    and reads no cache entry."""
    from corridor.format.validate import validate

    root = Path(__file__).resolve().parent.parent / "networks"
    report = validate([root])
    assert report.networks
    assert not cache_dir.exists() or not any(cache_dir.iterdir())
