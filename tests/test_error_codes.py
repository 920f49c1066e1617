"""Every registered problem code is documented, and every documented example fails with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DOCS, example_with, write_network

from corridor.format.problems import CODES
from corridor.format.validate import validate

DOC = (DOCS / "error-codes.md").read_text(encoding="utf-8")
SECTIONS = dict(re.findall(r"^### ([EW]\d{3})\n(.*?)(?=^### |\Z)", DOC, re.S | re.M))


def test_every_code_is_documented() -> None:
    missing = sorted(set(CODES) - set(SECTIONS))
    assert not missing, f"codes without a section in docs/error-codes.md: {missing}"


def test_no_unknown_code_is_documented() -> None:
    assert not sorted(set(SECTIONS) - set(CODES))


def test_readme_lists_every_code() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    missing = [c for c in CODES if f"`{c}`" not in readme]
    assert not missing, f"README's code table lacks {missing}"


YAML_EXAMPLES = {
    code: m.group(1)
    for code, body in SECTIONS.items()
    if (m := re.search(r"```yaml\n(.*?)```", body, re.S))
}


@pytest.mark.parametrize("code", sorted(YAML_EXAMPLES))
def test_documented_example_produces_its_code(code: str, tmp_path: Path) -> None:
    example = YAML_EXAMPLES[code]
    target, network = tmp_path, None
    if example.startswith("format_version"):
        write_network(tmp_path, {"network.yaml": example})
    elif example.startswith("scenario_version"):
        # A scenario file, checked against the complete example network.
        network = example_with(tmp_path / "net")
        target = tmp_path / "scenario.yaml"
        target.write_text(example, encoding="utf-8")
    else:
        example_with(tmp_path, example)
    report = validate([target], network=network)
    codes = {p.code for p in report.problems}
    assert code in codes, [str(p) for p in report.problems]


def test_every_code_has_an_example() -> None:
    no_example = [c for c, body in SECTIONS.items() if "```" not in body]
    assert not no_example
