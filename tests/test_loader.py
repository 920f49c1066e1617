"""The safe YAML loader: positions, limits, encodings, YAML 1.1 surprises, file kinds."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml
from conftest import example_with, write_network

from corridor.errors import NetworkError, UsageError
from corridor.format.network import load, load_network
from corridor.format.validate import validate
from corridor.format.yamlsafe import Limits, Map, Scalar, Seq, compose, read_text

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


def codes(problems) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.col) for p in problems]


def _shape(node):
    if isinstance(node, Scalar):
        return ("s", node.value, node.plain, node.line, node.col)
    if isinstance(node, Seq):
        return ("q", node.line, node.col, [_shape(i) for i in node.items])
    if isinstance(node, Map):
        return ("m", node.line, node.col,
                [(k, node.keys[k].line, node.keys[k].col, _shape(v)) for k, v in node.items.items()])
    return None


SAMPLES = [
    "a: 1\nb: [x, 'y', \"z\"]\nc: {d: e}\n",
    "places:\n  - id: PKKHI\n    name: Karachi\n    aliases: [KHI]\n",
    "x: &a [1, 2]\ny: *a\n",
    "a: |\n  block\n  text\nb: >\n  folded\n",
    "a: 1\r\nb: 2\r\n",
    "- - - deep\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_c_and_pure_python_parsers_compose_the_same(text: str) -> None:
    results = [compose(text, "f.yaml", loader=L) for L in LOADERS]
    shapes = [(_shape(root), codes(p)) for root, p in results]
    assert all(s == shapes[0] for s in shapes)


def test_positions_are_one_based() -> None:
    root, problems = compose("a: 1\nbb:\n  - x\n", "f.yaml")
    assert not problems and isinstance(root, Map)
    assert (root.keys["bb"].line, root.keys["bb"].col) == (2, 1)
    seq = root.items["bb"]
    assert isinstance(seq, Seq) and (seq.items[0].line, seq.items[0].col) == (3, 5)


def test_duplicate_key_is_an_error_with_both_positions() -> None:
    _, problems = compose("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert codes(problems) == [("E006", 3, 1)]
    assert "first at line 1" in problems[0].message


def test_billion_laughs_fails_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    start = time.perf_counter()
    root, problems = compose("\n".join(lines) + "\n", "f.yaml")
    assert time.perf_counter() - start < 2.0
    assert root is None and [p.code for p in problems] == ["E007"]


def test_deep_nesting_is_bounded_without_crashing() -> None:
    for text in ("[" * 100_000 + "]" * 100_000, "a:\n" + "".join(
            "  " * i + "a:\n" for i in range(1, 200))):
        root, problems = compose(text, "f.yaml")
        assert root is None and problems[0].code in ("E005", "E008")


def test_block_nesting_limit_is_e008() -> None:
    text = "".join("  " * i + "a:\n" for i in range(100)) + "  " * 100 + "b: 1\n"
    _, problems = compose(text, "f.yaml", Limits(max_depth=10))
    assert problems[0].code == "E008"


def test_object_tags_are_refused() -> None:
    _, problems = compose("x: !!python/object/apply:os.system ['true']\n", "f.yaml")
    assert [p.code for p in problems] == ["E014"]


def test_syntax_error_has_position() -> None:
    _, problems = compose("a: [1, 2\nb: 3\n", "f.yaml")
    assert problems[0].code == "E005" and problems[0].line >= 1


def test_second_document_is_an_error() -> None:
    _, problems = compose("a: 1\n---\nb: 2\n", "f.yaml")
    assert codes(problems) == [("E013", 2, 1)]


def test_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    p = tmp_path / "f.yaml"
    p.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: x\r\n")
    text, _, problems = read_text(p, "f.yaml")
    assert not problems
    root, problems = compose(text, "f.yaml")
    assert not problems and isinstance(root, Map) and root.items["b"].value == "x"
    assert root.keys["b"].line == 2


@pytest.mark.parametrize("data, where", [
    (b"a: caf\xe9\n", (1, 7)),
    (b"\xff\xfea\x00:\x00", (1, 1)),
    (b"a: 1\nb: \x00\x01\n", (2, 4)),
])
def test_non_utf8_is_e004_with_position(tmp_path: Path, data: bytes, where) -> None:
    p = tmp_path / "f.yaml"
    p.write_bytes(data)
    text, _, problems = read_text(p, "f.yaml")
    assert text is None and [(x.code, x.line, x.col) for x in problems] == [("E004", *where)]


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    _, _, problems = read_text(fifo, "fifo.yaml")  # must not block
    assert [p.code for p in problems] == ["E002"]
    _, _, problems = read_text(tmp_path, "dir")
    assert [p.code for p in problems] == ["E002"]
    if os.path.exists("/dev/zero"):
        _, _, problems = read_text(Path("/dev/zero"), "/dev/zero")
        assert [p.code for p in problems] == ["E002"]


def test_size_cap(tmp_path: Path) -> None:
    p = tmp_path / "big.yaml"
    p.write_bytes(b"a: 1\n" * 1000)
    _, _, problems = read_text(p, "big.yaml", Limits(max_bytes=1000))
    assert [x.code for x in problems] == ["E003"]


def test_missing_and_looping_files(tmp_path: Path) -> None:
    _, _, problems = read_text(tmp_path / "nope.yaml", "nope.yaml")
    assert [p.code for p in problems] == ["E001"]
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    _, _, problems = read_text(loop, "loop.yaml")
    assert [p.code for p in problems] == ["E012"]


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    p = tmp_path / "f.yaml"
    p.write_text("a: 1\n")
    p.chmod(0)
    _, _, problems = read_text(p, "f.yaml")
    assert [x.code for x in problems] == ["E001"]


# -- YAML 1.1 surprises are typed by the schema, and flagged -------------------------------

def _place(extra: str) -> str:
    return f"places:\n  - {{id: AF-KABUL, name: Kabul, kind: city, lat: 34.5, lon: 69.2, estimate: x, {extra}}}\n"


def test_country_no_stays_a_string_with_a_hint(tmp_path: Path) -> None:
    example_with(tmp_path, _place("country: NO"))
    result = load(tmp_path)
    kabul = [p for p in result.network.places if p.id == "AF-KABUL"][0]
    assert kabul.country == "NO"
    w101 = [p for p in result.problems if p.code == "W101"]
    assert w101 and "quote" in w101[0].message and (w101[0].line, w101[0].col) == (2, 89)


def test_leading_zero_id_stays_a_string(tmp_path: Path) -> None:
    example_with(tmp_path, "places:\n  - {id: 012, name: X, country: AF, kind: city, lat: 34.5, lon: 69.2, estimate: x}\n")
    result = load(tmp_path)
    assert "012" in {p.id for p in result.network.places}
    assert "W101" in {p.code for p in result.problems}


def test_sexagesimal_number_is_an_error_not_750(tmp_path: Path) -> None:
    example_with(tmp_path, "links:\n  - {from: AFHRT, to: AF-MAZAR, mode: road, hours: 12:30, distance_km: 80, estimate: x}\n")
    problems = validate([tmp_path]).problems
    e = [p for p in problems if p.code == "E101"]
    assert e and "base-60" in e[0].message and (e[0].line, e[0].col) == (2, 52)


def test_exponent_is_a_number_in_a_number_field(tmp_path: Path) -> None:
    example_with(tmp_path, "links:\n  - {id: long, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 1e2, estimate: x}\n")
    net = load_network(tmp_path)
    assert [lk.distance_km for lk in net.links if lk.id == "long"] == [100.0]


def test_yes_is_not_a_boolean(tmp_path: Path) -> None:
    example_with(tmp_path, "links:\n  - {id: x, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 80, oneway: yes, estimate: x}\n")
    problems = validate([tmp_path]).problems
    assert any(p.code == "E101" and "true or false" in p.message for p in problems)


# -- includes --------------------------------------------------------------------------------

def _manifest(include: str) -> dict[str, str]:
    return {"network.yaml": (
        "format_version: 1\nname: n\ncurrency: USD\nprice_year: 2024\n"
        f"include: {include}\n"
        "defaults:\n  modes: {road: {speed_kmh: 40, cost_usd_per_teu_km: 1, "
        "co2_kg_per_teu_km: 1, estimate: x}}\n")}


@pytest.mark.parametrize("include, code", [
    ("[missing.yaml]", "E001"),
    ("['*.yml']", "E009"),
    ("['../x.yaml']", "E010"),
    ("['/etc/hostname']", "E010"),
    ("[network.yaml]", "E011"),
    ("[sub]", "E002"),
])
def test_include_problems(tmp_path: Path, include: str, code: str) -> None:
    net = tmp_path / "net"
    write_network(net, _manifest(include))
    (net / "sub").mkdir()
    (tmp_path / "x.yaml").write_text("places: []\n")
    problems = validate([net]).problems
    hits = [p for p in problems if p.code == code]
    assert hits and hits[0].file.endswith("network.yaml") or hits[0].code in ("E001", "E002")


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    net = tmp_path / "net"
    write_network(net, _manifest("[link.yaml]"))
    (tmp_path / "outside.yaml").write_text("places: []\n")
    (net / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    assert "E010" in {p.code for p in validate([net]).problems}


def test_glob_includes_in_sorted_order(tmp_path: Path) -> None:
    files = _manifest("['parts/*.yaml']")
    files["parts/b.yaml"] = "sources: [{id: b, title: B}]\n"
    files["parts/a.yaml"] = "sources: [{id: a, title: A}]\n"
    write_network(tmp_path, files)
    net = load(tmp_path).network  # it has no places (E310), but was read in order
    assert net is not None
    assert [s.id for s in net.sources] == ["a", "b"]
    assert [Path(f).name for f in net.files] == ["network.yaml", "a.yaml", "b.yaml"]


def test_content_hash_is_stable_and_tracks_content(tmp_path: Path) -> None:
    example_with(tmp_path)
    h1 = load_network(tmp_path).content_hash
    assert load_network(tmp_path).content_hash == h1
    (tmp_path / "places.yaml").write_text(
        (tmp_path / "places.yaml").read_text().replace("Termez", "Termiz"))
    assert load_network(tmp_path).content_hash != h1


def test_load_network_raises_with_all_problems(tmp_path: Path) -> None:
    example_with(tmp_path, "links:\n  - {from: AFHRT, to: NOWHERE, mode: road, distance_km: 8, estimate: x}\n")
    with pytest.raises(NetworkError) as info:
        load_network(tmp_path)
    assert "has 1 error" in str(info.value)
    assert [p.code for p in info.value.problems if p.severity == "error"] == ["E203"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        load_network(tmp_path / "nope")
    with pytest.raises(UsageError):
        validate([tmp_path / "nope"])


# -- link waypoints --------------------------------------------------------------------------

def test_waypoints_are_lat_lon_pairs_in_travel_order(tmp_path: Path) -> None:
    example_with(tmp_path, "links:\n  - {id: wp, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 800, estimate: x, waypoints: [[35.0, 64.0], [36.0, 65.5]]}\n")
    net = load_network(tmp_path)
    assert [lk.waypoints for lk in net.links if lk.id == "wp"] == [((35.0, 64.0), (36.0, 65.5))]
    assert all(lk.waypoints == () for lk in net.links if lk.id != "wp")


@pytest.mark.parametrize(("value", "code", "col"), [
    ("[[35.0, 64.0, 1]]", "E101", 96),  # not a pair: at the item
    ("[35.0, 64.0]", "E101", 96),  # a flat pair, not a list of pairs
    ("[[95.0, 64.0]]", "E107", 97),  # latitude out of range: at the number
    ("[[35.0, 200]]", "E107", 103),  # longitude out of range
    ("[[35.0, x]]", "E101", 103),  # not a number
    ("35.0", "E101", 95),  # not a list: at the value
])
def test_bad_waypoints_are_reported_at_the_value(tmp_path: Path, value: str, code: str,
                                                 col: int) -> None:
    example_with(tmp_path, "links:\n  - {id: wp, from: AFHRT, to: AF-MAZAR, mode: road, distance_km: 800, estimate: x, waypoints: " + value + "}\n")
    got = [(p.code, p.line, p.col) for p in validate([tmp_path]).problems
           if p.file.endswith("extra.yaml")]
    assert (code, 2, col) in got, got
