"""Hypothesis: loading and validating arbitrary YAML text or arbitrary mappings never raises;
it only returns problems."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

import yaml
from conftest import example_files, write_network
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.format.problems import CODES
from corridor.format.validate import validate
from corridor.format.yamlsafe import compose

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

YAMLISH = st.text(alphabet=string.printable + "äß–\u2028\x00\x1b", max_size=300)
FRAGMENTS = st.lists(st.sampled_from([
    "places:", "links:", "- ", "  ", "{", "}", "[", "]", ": ", "id: ", "&a ", "*a", "!!str ",
    "'", '"', "\n", "---\n", "12:30", "NO", ".inf", "1e3", "~", "from: AFHRT", "? ", "|\n",
]), max_size=40).map("".join)


@SETTINGS
@given(st.one_of(YAMLISH, FRAGMENTS))
def test_compose_never_raises(text: str) -> None:
    root, problems = compose(text, "f.yaml")
    assert all(p.code in CODES for p in problems)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=12), st.sampled_from(["AFHRT", "AF-MAZAR", "road", "rail", "sea", "UZ"]))
KEYS = st.sampled_from(["id", "name", "from", "to", "mode", "distance_km", "country", "kind",
                        "lat", "lon", "a", "b", "modes", "a_to_b", "hours", "cost_usd", "place",
                        "transfers", "handling", "source", "estimate", "gauge_mm", "x"])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)), max_leaves=12)
DOCS = st.dictionaries(st.sampled_from(["places", "links", "crossings", "terminals", "sources",
                                        "defaults", "junk"]),
                       st.one_of(VALUES, st.lists(st.dictionaries(KEYS, VALUES, max_size=8),
                                                  max_size=4)), max_size=4)


@SETTINGS
@given(DOCS)
def test_validating_arbitrary_mappings_never_raises(doc: dict) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True)
    with tempfile.TemporaryDirectory() as tmp:
        files = example_files()
        files["network.yaml"] = files["network.yaml"].replace(
            "include:\n", "include:\n  - extra.yaml\n", 1)
        files["extra.yaml"] = text
        write_network(Path(tmp), files)
        report = validate([tmp])
        assert all(p.code in CODES for p in report.problems)


@SETTINGS
@given(st.one_of(YAMLISH, FRAGMENTS))
def test_validating_arbitrary_manifest_text_never_raises(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "network.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        report = validate([tmp])
        assert all(p.code in CODES for p in report.problems)


@st.composite
def records_with_repeats(draw: st.DrawFn) -> str:
    """A block mapping of flow values (the shape of generated networks), with keys that
    repeat, quoted and plain scalars, nested flow collections, anchors and aliases."""
    anchors: list[str] = []

    def value(depth: int) -> str:
        kind = draw(st.sampled_from(["plain", "quoted", "alias", "map", "seq"]
                                    if depth < 3 else ["plain", "quoted"]))
        if kind == "alias" and anchors:
            return "*" + draw(st.sampled_from(anchors))
        if kind == "map":
            keys = draw(st.lists(st.sampled_from(["id", "a", "b", "to"]), max_size=4))
            return "{" + ", ".join(f"{k}: {value(depth + 1)}" for k in keys) + "}"
        if kind == "seq":
            return "[" + ", ".join(value(depth + 1)
                                   for _ in range(draw(st.integers(0, 3)))) + "]"
        if kind == "quoted":
            return '"' + draw(st.text(alphabet="xyz :-", max_size=5)) + '"'
        return draw(st.sampled_from(["x", "KZ-P000001", "1.5", "road", "yes", "~"]))

    lines = []
    for i in range(draw(st.integers(1, 8))):
        key = draw(st.sampled_from(["places", "links", "id", "x"]))
        text = value(0)
        anchor = f"&n{i} " if draw(st.booleans()) and not text.startswith("*") else ""
        lines.append(f"{key}: {anchor}{text}")
        if anchor:
            anchors.append(f"n{i}")
    return "\n".join(lines) + "\n"


def _recount(node: object) -> tuple[int, int]:
    from corridor.format.yamlsafe import Map, Scalar, Seq

    if isinstance(node, Scalar):
        return 1, len(node.value)
    if isinstance(node, Seq):
        counts = [_recount(n) for n in node.items]
        got = 1 + sum(c[0] for c in counts), sum(c[1] for c in counts)
    else:
        assert isinstance(node, Map)
        counts = [(len(k), *_recount(v)) for k, v in node.items.items()]
        got = 1 + sum(c[1] for c in counts), sum(c[0] + c[2] for c in counts)
    assert (node.size, node.chars) == got
    return got


@SETTINGS
@given(records_with_repeats())
def test_compose_keeps_first_keys_reports_repeats_and_counts_sizes(text: str) -> None:
    """Against PyYAML's own composer: each mapping keeps the first of repeated keys (later
    ones are E006 at their own position), every node sits where PyYAML's marks say, and the
    size and characters of every collection (aliases expanded) are a recount of its nodes."""
    root, problems = compose(text, "f.yaml")
    expected: list[tuple[int, int]] = []

    def walk(ours: object, theirs: yaml.Node) -> None:
        from corridor.format.yamlsafe import Map, Scalar, Seq

        assert (ours.line, ours.col) == (  # type: ignore[attr-defined]
            theirs.start_mark.line + 1, theirs.start_mark.column + 1)
        if isinstance(theirs, yaml.ScalarNode):
            assert isinstance(ours, Scalar) and ours.value == theirs.value
        elif isinstance(theirs, yaml.SequenceNode):
            assert isinstance(ours, Seq) and len(ours.items) == len(theirs.value)
            for a, b in zip(ours.items, theirs.value, strict=True):
                walk(a, b)
        else:
            assert isinstance(ours, Map)
            first: dict[str, yaml.Node] = {}
            for k, v in theirs.value:
                if k.value not in first:
                    first[k.value] = v
                    key = ours.keys[k.value]
                    assert (key.line, key.col) == (k.start_mark.line + 1, k.start_mark.column + 1)
            assert list(ours.items) == list(first)
            for name, v in first.items():
                walk(ours.items[name], v)

    theirs = yaml.compose(text, Loader=yaml.SafeLoader)
    walk(root, theirs)
    # Repeats are reported in every mapping, in dropped values too (once per mapping).
    seen: set[int] = set()
    todo = [theirs]
    while todo:
        node = todo.pop()
        if id(node) in seen or isinstance(node, yaml.ScalarNode):
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
            continue
        names: set[str] = set()
        for k, v in node.value:
            if k.value in names:
                expected.append((k.start_mark.line + 1, k.start_mark.column + 1))
            names.add(k.value)
            todo.append(v)
    assert sorted((p.line, p.col) for p in problems) == sorted(expected)
    assert all(p.code == "E006" for p in problems)
    _recount(root)
