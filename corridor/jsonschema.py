"""JSON Schema (draft-07) of network files, generated from :mod:`corridor.spec`.

The generated schema is shipped as ``corridor/schema/network.schema.json`` for editors
(yaml-language-server); ``tests/test_schema.py`` fails if the shipped file and this
generator disagree, or if the spec and the model records drift apart.
Regenerate with ``corridor schema > corridor/schema/network.schema.json``.
"""

from __future__ import annotations

import json
from typing import Any

from corridor.countries import COUNTRIES
from corridor.spec import ENTITIES, FORMAT_VERSION, MANIFEST, Entity, F

__all__ = ["network_schema", "schema_text"]


def _field(f: F) -> dict[str, Any]:
    k = f.kind
    out: dict[str, Any]
    if k in ("str", "ref"):
        out = {"type": "string"}
    elif k == "id":
        out = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.\\-]*$"}
    elif k == "country":
        out = {"type": "string", "enum": sorted(COUNTRIES)}
    elif k == "number":
        out = {"type": "number"}
        if f.sign == "pos":
            out["exclusiveMinimum"] = 0
        elif f.sign == "nonneg":
            out["minimum"] = 0
    elif k == "int":
        out = {"type": "integer"}
        if f.sign == "pos":
            out["exclusiveMinimum"] = 0
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
    return json.dumps(network_schema(), indent=2, ensure_ascii=False) + "\n"
