"""The shipped JSON Schema, the field spec and the model records agree."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml

from corridor import model
from corridor.format.jsonschema import network_schema, schema_text
from corridor.format.spec import ENTITIES

SHIPPED = Path(__file__).resolve().parent.parent / "corridor" / "schema" / "network.schema.json"
GOLDEN_VALID = Path(__file__).parent / "golden" / "valid"

# spec entity -> (model record, spec field -> record attribute, record attributes not in spec)
PROVENANCE = {"source": "provenance", "estimate": "provenance", "note": "provenance"}
PAIRS = {
    "place": (model.Place, PROVENANCE, set()),
    "link": (model.Link, {**PROVENANCE, "from": "from_id", "to": "to_id"}, set()),
    "direction": (model.Direction, PROVENANCE, set()),
    "crossing": (model.Crossing, PROVENANCE, set()),
    "transfer": (model.Transfer, {**PROVENANCE, "from": "from_mode", "to": "to_mode"}, set()),
    "handling": (model.Handling, PROVENANCE, set()),
    "terminal": (model.Terminal, {}, set()),
    "source": (model.Source, {}, set()),
    "project": (model.Project, PROVENANCE, set()),
    "closure": (model.Closure, {**PROVENANCE, "from": "from_date", "to": "to_date"}, set()),
    "mode_defaults": (model.ModeDefaults, PROVENANCE, set()),
    "defaults": (model.Defaults, {}, set()),
    "manifest": (model.Network, {"include": None, "defaults": "defaults"},
                 {"manifest", "files", "content_hash", "scenarios"}),
}


def test_shipped_schema_is_generated_from_the_spec() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(), (
        "regenerate: corridor schema > corridor/schema/network.schema.json")


@pytest.mark.parametrize("entity", sorted(PAIRS))
def test_spec_and_model_fields_match(entity: str) -> None:
    record, rename, extra = PAIRS[entity]
    attrs = {f.name for f in dataclasses.fields(record)} - {"loc"}
    spec_names = set(ENTITIES[entity].by_name)
    mapped = {rename.get(n, n) for n in spec_names} - {None}
    assert mapped == attrs - extra, (
        f"{entity}: spec-only {sorted(mapped - attrs)}, model-only {sorted(attrs - extra - mapped)}")


def test_schema_accepts_valid_golden_files() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(network_schema())
    jsonschema.Draft7Validator.check_schema(network_schema())
    files = sorted(GOLDEN_VALID.glob("*/*.yaml"))
    assert files
    for f in files:
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(f.read_text()))]
        assert errors == [], f


def test_schema_rejects_a_typo() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(network_schema())
    doc = {"places": [{"id": "X", "nmae": "x", "country": "AF", "kind": "city", "lat": 1, "lon": 2}]}
    assert list(validator.iter_errors(doc))


def test_schema_is_valid_json() -> None:
    assert json.loads(SHIPPED.read_text())["definitions"]["link"]["required"] == [
        "from", "to", "mode", "distance_km"]


def test_schema_closures_are_one_period() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(network_schema())
    link = {"from": "A", "to": "B", "mode": "road", "distance_km": 1, "project": "p"}

    def ok(closure: dict[str, object]) -> bool:
        doc = {"projects": [{"id": "p", "name": "P"}], "links": [{**link, "closures": [closure]}]}
        return not list(validator.iter_errors(doc))

    assert ok({"months": [12, 1], "reason": "snow"})
    assert ok({"from": "2025-10-12", "to": "2025-11-20", "reason": "closed"})
    assert ok({"from": "2025-10-12", "reason": "open-ended"})
    assert not ok({"months": [1], "from": "2025-10-12", "reason": "both"})
    assert not ok({"to": "2025-10-12", "reason": "no start"})
    assert not ok({"months": [13], "reason": "bad month"})
    assert not ok({"from": "12 Oct 2025", "reason": "bad date"})


SHIPPED_SCENARIO = SHIPPED.parent / "scenario.schema.json"


def test_shipped_scenario_schema_is_generated() -> None:
    from corridor.format.jsonschema import scenario_schema_text

    assert SHIPPED_SCENARIO.read_text(encoding="utf-8") == scenario_schema_text(), (
        "regenerate: corridor schema --scenario > corridor/schema/scenario.schema.json")


def test_scenario_schema_accepts_the_bundled_scenarios_and_rejects_typos() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from corridor.format.jsonschema import scenario_schema

    validator = jsonschema.Draft7Validator(scenario_schema())
    jsonschema.Draft7Validator.check_schema(scenario_schema())
    files = sorted((SHIPPED.parent.parent.parent / "networks" / "scenarios").glob("*.yaml"))
    assert files
    for f in files:
        assert [e.message for e in validator.iter_errors(yaml.safe_load(f.read_text()))] == [], f
    assert list(validator.iter_errors({"scenario_version": 1, "name": "x", "sett": {}}))
    assert list(validator.iter_errors({"scenario_version": 1, "name": "x",
                                       "set": {"crossings.hours": 1}}))
