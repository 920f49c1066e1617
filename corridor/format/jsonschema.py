"""JSON Schema (draft-07) of network files, generated from :mod:`corridor.format.spec`.

The generated schema is shipped as ``corridor/schema/network.schema.json`` for editors
(yaml-language-server); ``tests/test_schema.py`` fails if the shipped file and this
generator disagree, or if the spec and the model records drift apart.
Regenerate with ``corridor schema > corridor/schema/network.schema.json``.
"""

from __future__ import annotations

import json
from typing import Any

from corridor.format.countries import COUNTRIES
from corridor.format.spec import ENTITIES, FORMAT_VERSION, MANIFEST, Entity, F

__all__ = ["network_schema", "schema_text", "scenario_schema", "scenario_schema_text"]


def _field(f: F) -> dict[str, Any]:
    k = f.kind
    out: dict[str, Any]
    if k in ("str", "ref", "project"):
        out = {"type": "string"}
    elif k == "date":
        out = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    elif k == "months":
        out = {"type": "array", "minItems": 1, "uniqueItems": True,
               "items": {"type": "integer", "minimum": 1, "maximum": 12}}
    elif k == "id":
        out = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.\\-]*$"}
    elif k == "country":
        out = {"type": "string", "enum": sorted(COUNTRIES)}
    elif k in ("number", "int"):
        out = {"type": "number" if k == "number" else "integer"}
        b = f.bound
        assert b is not None
        if f.sign == "nonneg":
            out["minimum"] = 0
        else:
            out["minimum"] = b.lo
            if f.sign == "pos" and b.lo <= 0:
                del out["minimum"]
                out["exclusiveMinimum"] = 0
        out["maximum"] = b.hi
    elif k == "lat":
        out = {"type": "number", "minimum": -90, "maximum": 90}
    elif k == "lon":
        out = {"type": "number", "minimum": -180, "maximum": 180}
    elif k == "latlonlist":
        out = {"type": "array", "items": {
            "type": "array", "minItems": 2, "maxItems": 2, "additionalItems": False,
            "items": [{"type": "number", "minimum": -90, "maximum": 90},
                      {"type": "number", "minimum": -180, "maximum": 180}]}}
    elif k == "bool":
        out = {"type": "boolean"}
    elif k == "enum":
        out = {"type": "string", "enum": list(f.enum)}
    elif k == "enumlist":
        out = {"type": "array", "items": {"type": "string", "enum": list(f.enum)}}
        if f.required:
            out["minItems"] = 1
    elif k == "strlist":
        out = {"type": "array", "items": {"type": "string"}}
    elif k == "sources":
        out = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    elif k == "obj":
        out = {"$ref": f"#/definitions/{f.entity}"}
    elif k == "objlist":
        out = {"type": "array", "items": {"$ref": f"#/definitions/{f.entity}"}}
    elif k == "objmap":
        names: dict[str, Any] = (
            {"enum": ["road", "rail", "sea"]} if f.keys == "mode" else {"enum": sorted(COUNTRIES)}
        )
        out = {"type": "object", "propertyNames": names,
               "additionalProperties": {"$ref": f"#/definitions/{f.entity}"}}
    else:  # pragma: no cover
        raise AssertionError(k)
    if f.doc:
        out["description"] = f.doc
    return out


def _entity(e: Entity) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "description": e.doc,
        "properties": {f.name: _field(f) for f in e.fields},
        "additionalProperties": False,
    }
    required = [f.name for f in e.fields if f.required]
    if required:
        out["required"] = required
    if e.name == "closure":
        # Either recurring months or a date range starting with ``from``; ``to`` needs ``from``.
        out["oneOf"] = [{"required": ["months"], "not": {"anyOf": [
                            {"required": ["from"]}, {"required": ["to"]}]}},
                        {"required": ["from"], "not": {"required": ["months"]}}]
    return out


def network_schema() -> dict[str, Any]:
    """One schema for every network file: a manifest (it has ``format_version``) or an
    included file holding some of places, links, crossings, terminals and sources."""
    manifest = _entity(MANIFEST)
    required = manifest.pop("required")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://corridor.invalid/schema/network-v{FORMAT_VERSION}.json",
        "title": f"corridor network file, format version {FORMAT_VERSION}",
        **manifest,
        "if": {"required": ["format_version"]},
        "then": {"required": required,
                 "properties": {"format_version": {"const": FORMAT_VERSION}}},
        "definitions": {name: _entity(e) for name, e in sorted(ENTITIES.items())
                        if name not in ("manifest", "fragment")},
    }


def schema_text() -> str:
    return json.dumps(network_schema(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def scenario_schema() -> dict[str, Any]:
    """The schema of scenario files (``docs/scenario-format.md``). ``set`` paths are
    checked for their shape only; which fields they may name is checked by the loader."""
    from corridor.format.scenario import SCENARIO_VERSION, SECTION_ENTITIES

    records = "|".join(s for s in SECTION_ENTITIES if s != "defaults")
    ids = ("Link, crossing or project ids; prefix link:, crossing: or project: when an id "
           "is ambiguous.")
    refs: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://corridor.invalid/schema/scenario-v{SCENARIO_VERSION}.json",
        "title": f"corridor scenario file, version {SCENARIO_VERSION}",
        "type": "object",
        "additionalProperties": False,
        "required": ["scenario_version", "name"],
        "properties": {
            "scenario_version": {"const": SCENARIO_VERSION},
            "name": {"type": "string", "description": "Short name, shown in every answer."},
            "description": {"type": "string"},
            "set": {
                "type": "object",
                "description": "Figures to change: path -> value, e.g. "
                "crossings.CHAMAN.a_to_b.hours: 12.",
                "propertyNames": {"pattern": f"^(({records})\\.[^.].*\\.[^.]+|defaults\\..+)$"},
                "additionalProperties": {
                    "type": ["number", "string", "boolean", "array", "null"]},
            },
            "open": {**refs, "description": "Records or projects to open (operational). "
                     + ids},
            "close": {**refs, "description": "Records or projects to close. " + ids},
            "add": {"$ref": "#/definitions/fragment",
                    "description": "Records to add, as in a network file."},
        },
        "definitions": {name: _entity(e) for name, e in sorted(ENTITIES.items())
                        if name != "manifest"},
    }


def scenario_schema_text() -> str:
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
