"""Hostile inputs end in a result or a clear error, with work bounded by their size (issue 9).

Work is counted (alias characters, candidates scored, characters printed), never timed.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import example_with
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.format.build import Index
from corridor.format.checks import run_checks
from corridor.format.network import load
from corridor.format.problems import MAX_MESSAGE
from corridor.format.validate import validate
from corridor.format.yamlsafe import Limits, compose
from corridor.render.validate import render_json
from corridor.textutil import CLIP_CHARS, Suggester, clip

# -- class 7: one long scalar reused through anchors -----------------------------------


def _reused(value_chars: int, uses: int) -> str:
    big = "x" * value_chars
    lines = [f"sources:\n  - {{id: s0, title: &big {big}}}", "links:"]
    for i in range(uses):
        lines.append(f"  - {{from: AFHRT, to: AF-MAZAR, mode: *big, distance_km: 80, "
                     f"id: l{i}, estimate: *big}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("loader_chars", [64 * 1024, 1024 * 1024])
def test_a_long_scalar_reused_many_times_is_e007_not_a_stall(loader_chars: int) -> None:
    """The expanded text is counted as the file is read: the file stops at the first alias
    past the limit, whatever the number of uses after it."""
    text = _reused(loader_chars, 10_000)
    root, problems = compose(text, "f.yaml", Limits(max_alias_chars=4 * 1024 * 1024))
    assert root is None
    assert [p.code for p in problems] == ["E007"]
    assert "characters" in problems[0].message
    # It stopped at the use that crossed the limit, not at the end of the file.
    assert problems[0].line <= 3 + (4 * 1024 * 1024) // loader_chars


def test_reuse_below_the_limit_prints_bounded_messages(tmp_path: Path) -> None:
    """Every message that quotes the long value quotes at most CLIP_CHARS of it, so the
    report grows with the number of problems, not with the value's length."""
    uses = 30
    folder = example_with(tmp_path, _reused(50_000, uses))
    report = validate([folder])
    quoting = [p for p in report.problems if p.code == "E104"]
    assert len(quoting) == uses
    assert all(len(p.message) < 2 * CLIP_CHARS + 200 for p in report.problems)
    out = render_json(report, max_problems=0)
    assert len(out) < 1_000 * len(report.problems) + 10_000


def test_a_10_mib_value_is_never_quoted_in_full(tmp_path: Path) -> None:
    value = "y" * (10 * 1024 * 1024)
    extra = f"places:\n  - {{id: AF-BIG, name: Big, country: AF, kind: {value}, lat: 1, lon: 1}}\n"
    folder = example_with(tmp_path, extra)
    report = validate([folder])
    e104 = [p for p in report.problems if p.code == "E104"]
    assert e104 and all(len(p.message) < 500 for p in e104)
    assert "10,485,760 characters" in e104[0].message


def test_every_message_is_capped() -> None:
    from corridor.format.problems import problem

    p = problem("E101", "z" * 50_000, "f.yaml", 1, 1, "a" * 50_000)
    assert len(p.message) <= MAX_MESSAGE + 40 and len(p.path) <= MAX_MESSAGE + 40


def test_clip() -> None:
    assert clip("short") == "short"
    assert clip("a" * 81) == "a" * 80 + "…(81 characters)"


# -- class 7: "did you mean" is not quadratic ------------------------------------------


class _Counter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.n = 0
        real = difflib.SequenceMatcher.set_seq1

        def counted(sm: difflib.SequenceMatcher[str], a: str) -> None:
            self.n += 1
            real(sm, a)

        monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counted)


def _refs_work(n: int, monkeypatch: pytest.MonkeyPatch) -> int:
    from netbuilder import link, net, place

    places = [place(f"P{i:05d}") for i in range(n)]
    links = [link(f"Q{i:05d}", f"R{i:05d}", id=f"l{i}") for i in range(n)]
    counter = _Counter(monkeypatch)
    problems = run_checks(net(places=places, links=links), Index())
    assert sum(p.code == "E203" for p in problems) == 2 * n
    return counter.n


def test_suggestions_for_many_unknown_refs_are_bounded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """2n unknown references against n places: the candidates scored stay within the
    suggester's budget whatever n is (it was n x 2n: 8,000 took minutes)."""
    budget = Suggester([]).budget
    small = _refs_work(200, monkeypatch)
    big = _refs_work(3_000, monkeypatch)
    assert small > 0
    assert big <= budget * 1.01
    assert big < 3_000 * 6_000 // 10


def test_suggestions_still_come_for_the_first_typos() -> None:
    ids = [f"P{i:05d}" for i in range(5_000)] + ["AF-MAZAR"]
    sug = Suggester(ids)
    assert sug("AF-MAZR") == ["AF-MAZAR"]
    assert sug("P0001x") != []


def test_suggester_finds_the_same_as_difflib_on_small_sets() -> None:
    words = ["AF-MAZAR", "AFHRT", "UZTER", "PKKHI", "PK-TORKHAM", "AF-TORKHAM"]
    sug = Suggester(words)
    for w in ["AF-MAZR", "af-mazar", "PKKH", "TORKHAM", "zzz", ""]:
        expected = difflib.get_close_matches(w.casefold(), [x.casefold() for x in words],
                                             n=1)
        assert [x.casefold() for x in sug(w, n=1)] == expected


# -- class 8: include patterns and the file system ---------------------------------------

def _parts_net(folder: Path, include: str) -> Path:
    example_with(folder)
    manifest = folder / "network.yaml"
    manifest.write_text(manifest.read_text().replace("include:\n", f"include:\n  - '{include}'\n", 1))
    (folder / "parts" / "deep").mkdir(parents=True)
    (folder / "parts" / "a.yaml").write_text("sources: [{id: pa, title: A}]\n")
    (folder / "parts" / "deep" / "b.yaml").write_text("sources: [{id: pb, title: B}]\n")
    return folder


@pytest.mark.parametrize("loops", [1, 2])
def test_double_star_does_not_follow_directory_symlinks(tmp_path: Path, loops: int) -> None:
    """Symlink loops under a ``**`` include give neither false errors nor a hang."""
    folder = _parts_net(tmp_path / "net", "parts/**/*.yaml")
    (folder / "parts" / "deep" / "up").symlink_to(folder / "parts", target_is_directory=True)
    if loops == 2:
        (folder / "parts" / "self").symlink_to(folder / "parts", target_is_directory=True)
        (folder / "parts" / "deep" / "root").symlink_to(folder, target_is_directory=True)
    report = validate([folder])
    assert report.error_count == 0, [str(p) for p in report.problems]
    names = sorted(f.split("/", 1)[-1] for f in report.files if "parts" in f)
    assert names == ["net/parts/a.yaml", "net/parts/deep/b.yaml"] or \
        [n.rsplit("parts/", 1)[-1] for n in names] == ["a.yaml", "deep/b.yaml"]


def test_a_file_symlink_loop_under_double_star_is_one_clear_error(tmp_path: Path) -> None:
    folder = _parts_net(tmp_path / "net", "parts/**/*.yaml")
    (folder / "parts" / "x.yaml").symlink_to(folder / "parts" / "x.yaml")
    codes = [p.code for p in validate([folder]).problems if p.severity == "error"]
    assert codes == ["E012"]


@pytest.mark.parametrize("name", ["nets[2024]", "n*t", "n?t", "[x]"])
@pytest.mark.parametrize("include", ["parts/*.yaml", "parts/**/*.yaml", "part?/[a-z].yaml"])
def test_include_patterns_work_when_the_folder_name_has_glob_characters(
        tmp_path: Path, name: str, include: str) -> None:
    folder = _parts_net(tmp_path / name, include)
    result = load(folder)
    assert result.errors == [], [str(p) for p in result.errors]
    assert result.network is not None
    assert "pa" in {s.id for s in result.network.sources}


def test_a_glob_that_climbs_out_is_e010(tmp_path: Path) -> None:
    folder = _parts_net(tmp_path / "net", "../*.yaml")
    assert "E010" in {p.code for p in validate([folder]).problems}


# -- class 9: green results that should not be ------------------------------------------

@pytest.mark.parametrize("how", ["folder", "manifest"])
def test_a_dangling_manifest_link_is_an_error_not_ok(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "network.yaml").symlink_to(tmp_path / "gone.yaml")
    report = validate([folder if how == "folder" else folder / "network.yaml"])
    assert [p.code for p in report.problems] == ["E001"]
    assert "symbolic link" in report.problems[0].message
    assert report.failed()


@pytest.mark.parametrize("how", ["folder", "manifest"])
def test_a_directory_named_network_yaml_is_e002(tmp_path: Path, how: str) -> None:
    from corridor.errors import NetworkError
    from corridor.format.network import load_network

    folder = tmp_path / "net"
    (folder / "network.yaml").mkdir(parents=True)
    target = folder if how == "folder" else folder / "network.yaml"
    report = validate([target])
    assert [p.code for p in report.problems] == ["E002"]
    assert "directory" in report.problems[0].message
    with pytest.raises(NetworkError):
        load_network(target, cache=False)


@pytest.mark.parametrize("body", ["", "# only a comment\n", "places: []\n",
                                  "places: []\nlinks: []\nsources: []\n", "{}\n"])
def test_an_included_file_without_records_is_w016(tmp_path: Path, body: str) -> None:
    folder = example_with(tmp_path, body)
    report = validate([folder])
    hits = [p for p in report.problems if p.code == "W016"]
    assert [p.file.rsplit("/", 1)[-1] for p in hits] == ["extra.yaml"]
    assert report.failed(strict=True)


def test_a_file_of_invalid_records_is_not_also_w016(tmp_path: Path) -> None:
    folder = example_with(tmp_path, "places:\n  - {id: X}\n")
    codes = {p.code for p in validate([folder]).problems}
    assert "E102" in codes and "W016" not in codes


def test_a_network_with_no_places_is_e310(tmp_path: Path) -> None:
    folder = example_with(tmp_path)
    for f in ("places.yaml",):
        (folder / f).write_text("# emptied\n")
    report = validate([folder])
    codes = [p.code for p in report.problems]
    assert "E310" in codes and "W016" in codes


@pytest.mark.parametrize("modes", ["[]", "[ ]"])
def test_a_crossing_that_allows_no_mode_is_e112(tmp_path: Path, modes: str) -> None:
    text = (Path(example_with(tmp_path)) / "borders.yaml").read_text()
    (tmp_path / "borders.yaml").write_text(
        re.sub(r"modes: \[[^\]]*\]", f"modes: {modes}", text, count=1))
    codes = [p.code for p in validate([tmp_path]).problems if p.severity == "error"]
    assert "E112" in codes


@pytest.mark.parametrize("gauge", [1520, 1435])
def test_a_gauge_change_to_the_same_gauge_is_refused(tmp_path: Path, gauge: int) -> None:
    """It must not count as the gauge change E304 asks for."""
    extra = (
        "places:\n  - {id: AF-NAIBABAD, name: Naibabad, country: AF, kind: junction, "
        "lat: 36.8, lon: 67.0, estimate: x}\n"
        "links:\n  - {from: AF-MAZAR, to: AF-NAIBABAD, mode: rail, gauge_mm: 1435, "
        "distance_km: 40, estimate: x}\n"
        "  - {from: AFHRT, to: AF-MAZAR, mode: rail, gauge_mm: 1520, distance_km: 80, "
        "id: hm-1520, estimate: x}\n"
        f"terminals:\n  - place: AF-MAZAR\n    transfers:\n      - {{from: rail, to: rail, "
        f"from_gauge_mm: {gauge}, to_gauge_mm: {gauge}, hours: 5, estimate: x}}\n")
    folder = example_with(tmp_path, extra)
    probs = [p for p in validate([folder]).problems if p.severity == "error"]
    e306 = [p for p in probs if p.code == "E306" and "changes nothing" in p.message]
    assert len(e306) == 1 and e306[0].path.endswith("to_gauge_mm")
    assert any(p.code == "E304" and "AF-MAZAR" in p.message for p in probs)


# -- class 10: messages -------------------------------------------------------------------

CONTROL_NAMES = ["a\x1b[31mb.yaml", "bell\x07.yaml", "cr\r.yaml", "nl\n::error ::x.yaml",
                 "pct%0A.yaml", "c1\x9b.yaml"]


@pytest.mark.parametrize("name", CONTROL_NAMES)
def test_github_format_escapes_file_names(tmp_path: Path, name: str) -> None:
    """Every workflow command is one line, without raw control characters, and a file name
    cannot end the command early (``::``, ``,``, ``%`` are escaped)."""
    from corridor.render.validate import render_github

    (tmp_path / name).write_text("places: [{id: 1}]\n")
    report = validate([tmp_path / name])
    out = render_github(report)
    lines = out.splitlines()
    assert len(lines) == len(report.problems) + 1  # one command per problem + summary
    for ln in lines[:-1]:
        assert ln.startswith(("::error file=", "::warning file="))
        assert all(ch.isprintable() for ch in ln), repr(ln)
        props, _, _ = ln[2:].partition("::")
        file_prop = props.split(" ", 1)[1].split(",")[0]
        assert "%" not in file_prop.replace("%25", "").replace("%3A", "").replace("%2C", "") \
            .replace("%0A", "").replace("%0D", "")


@pytest.mark.parametrize(("text", "where"), [
    ("a: 1\nb: x\x07y\n", (2, 5)),
    ("places:\n  - {id: A\x1b[31m}\n", (2, 11)),
    ("\x7f: 1\n", (1, 1)),
    ("x: \u00e9\x85\x9b\n", (1, 6)),
])
def test_a_raw_control_character_is_reported_where_it_is(text: str,
                                                         where: tuple[int, int]) -> None:
    import yaml

    for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        root, problems = compose(text, "f.yaml", loader=loader)
        assert root is None
        assert [(p.code, p.line, p.col) for p in problems] == [("E005", *where)]
        assert "U+" in problems[0].message and "not allowed" in problems[0].message


@pytest.mark.parametrize(("text", "words"), [
    ("a:\n\tb: 1\n", "tabs for indentation"),
    ("a: 1\n\tb: 2\n", "tabs for indentation"),
    ("%YAML 2.0\n---\na: 1\n", "%YAML 2.0"),
    ("a: 1\n---\n", "lone '---'"),
    ("a: 1\n---\n# trailing comment\n", "lone '---'"),
    ("a: 1\n---\nb: 2\n", "second YAML document"),
])
def test_common_yaml_mistakes_get_specific_wording(text: str, words: str) -> None:
    import yaml

    for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        _, problems = compose(text, "f.yaml", loader=loader)
        assert len(problems) == 1 and words in problems[0].message, problems


@pytest.mark.parametrize(("body", "words"), [
    ("---\n", "only '---'"), ("# nothing\n", "only comments"), ("", "empty file"),
])
def test_an_empty_manifest_says_what_it_holds(tmp_path: Path, body: str, words: str) -> None:
    (tmp_path / "network.yaml").write_text(body)
    problems = validate([tmp_path]).problems
    assert [p.code for p in problems] == ["E015"] and words in problems[0].message


def test_an_included_lone_dashes_file_is_w016(tmp_path: Path) -> None:
    folder = example_with(tmp_path, "---\n")
    hits = [p for p in validate([folder]).problems if p.code == "W016"]
    assert len(hits) == 1 and "only '---'" in hits[0].message


# -- also seen by a new user ------------------------------------------------------------

@pytest.mark.parametrize("typed", ["border_post", "border post", "Border-Post", " BORDER  post "])
def test_kind_is_accepted_as_shown_and_as_written(typed: str) -> None:
    from netbuilder import corridor_net

    from corridor.analysis.catalog import find_places
    from corridor.analysis.matrix import places_of_kind
    from corridor.engine.places import parse_kind

    assert parse_kind(typed) == "border_post"
    net = corridor_net()
    assert places_of_kind(net, typed) == places_of_kind(net, "border_post") != []
    assert [p.id for p in find_places(net, None, kind=typed)] == \
        [p.id for p in find_places(net, None, kind="border_post")]


def test_an_unknown_kind_suggests_the_spelling() -> None:
    from corridor.engine.places import parse_kind
    from corridor.errors import UsageError

    with pytest.raises(UsageError, match="did you mean 'border_post'"):
        parse_kind("boarder post")


@pytest.mark.parametrize("ports", [["Karachi", "Kabul"], ["AF-TORKHAM"], ["Tashkent", "Karachi"]])
def test_compare_refuses_a_non_seaport_as_a_gateway(ports: list[str]) -> None:
    from netbuilder import corridor_net

    from corridor.analysis.compare import compare_ports
    from corridor.errors import UsageError

    with pytest.raises(UsageError, match="not seaports") as got:
        compare_ports(corridor_net(), "Tashkent", ports=ports)
    assert "is a" in str(got.value)


def test_readme_does_not_point_at_files_users_do_not_have() -> None:
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "shared/" not in readme and "PERF-FACTS" not in readme


# -- property: the work after reading is bounded by the file's size ----------------------

@st.composite
def alias_bombs(draw: Any) -> str:
    """Layers of anchors, each a list or a scalar, that reuse the layer before."""
    layers = draw(st.integers(1, 8))
    fanout = draw(st.integers(1, 12))
    width = draw(st.integers(0, 2_000))
    lines = [f"l0: &a0 {'v' * width or 'x'}"]
    for i in range(1, layers + 1):
        refs = ", ".join([f"*a{i - 1}"] * fanout)
        kind = draw(st.sampled_from(["seq", "map"]))
        if kind == "seq":
            lines.append(f"l{i}: &a{i} [{refs}]")
        else:
            items = ", ".join(f"k{j}: *a{i - 1}" for j in range(fanout))
            lines.append(f"l{i}: &a{i} {{{items}}}")
    uses = draw(st.integers(0, 50))
    lines.append("top: [" + ", ".join([f"*a{layers}"] * uses) + "]")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(alias_bombs())
def test_expanded_size_is_bounded_by_the_file_and_the_limits(text: str) -> None:
    """Whatever the anchors, the tree later stages walk (nodes and characters, aliases
    expanded) is at most the file plus the alias limits; else the file is E007."""
    limits = Limits(max_alias_nodes=2_000, max_alias_chars=50_000)
    root, problems = compose(text, "f.yaml", limits)
    if root is None:
        assert [p.code for p in problems] == ["E007"]
        return
    assert problems == []
    from corridor.format.yamlsafe import Map

    assert isinstance(root, Map)
    assert root.size <= len(text) + limits.max_alias_nodes
    assert root.chars <= len(text) + limits.max_alias_chars
