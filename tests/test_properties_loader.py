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
