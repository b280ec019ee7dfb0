"""JSON Schema (2020-12) of the YAML formats, generated from the Field trees in fields.py.

The validator (schema.Checker) and these schemas read the same declarations, so an editor
that completes and checks a file as it is typed knows the same fields, kinds, patterns and
limits as `handout check`. What a schema cannot say (an id equal to its folder name, ids
unique across a file, a figure file that exists) is left to `handout check`.
"""

from __future__ import annotations

import json
from typing import Any

from . import fields as F
from .errors import LANGUAGE_ALIASES
from .fields import Field

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FORMATS: dict[str, tuple[Field, str]] = {
    "handout": (F.HANDOUT, "handouts/<id>/handout.yaml"),
    "translation": (F.TRANSLATION, "handouts/<id>/<lang>.yaml"),
    "brand": (F.BRAND, "assets/brands/<brand-id>/brand.yaml"),
    "patient": (F.PATIENT, "patient.yaml"),
}


def file_name(name: str) -> str:
    return f"{name}.schema.json"


# Characters the validator refuses in text: control characters (tab and line breaks only in
# paragraphs), line separators, direction controls and private-use characters.
_REFUSED = r"\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069" \
           r"\ue000-\uf8ff"
# Not blank: at least one character that is neither a space nor refused.
LINE_PATTERN = rf"^[^\t{_REFUSED}]*[^\s{_REFUSED}][^\t{_REFUSED}]*$"
TEXT_PATTERN = rf"^[^{_REFUSED}]*[^\s{_REFUSED}][^{_REFUSED}]*$"
# A file inside the owning folder: relative, no '..', no drive letter.
PATH_PATTERN = r"^(?![/\\])(?![A-Za-z]:)(?!.*(^|[/\\])\.\.([/\\]|$)).+$"


def schema_for(name: str) -> dict[str, Any]:
    """The complete JSON Schema document for one format."""
    spec, where = FORMATS[name]
    return {"$schema": DIALECT, "title": f"Handout Builder: {where}", **_node(spec),
            "$defs": {"line": _words(LINE_PATTERN, F.MAX_LINE),
                      "text": _words(TEXT_PATTERN, F.MAX_TEXT)}}


def render(name: str) -> str:
    """The schema as the text written to schema/<name>.schema.json."""
    return json.dumps(schema_for(name), indent=2, ensure_ascii=False) + "\n"


def _described(schema: dict[str, Any], spec: Field) -> dict[str, Any]:
    return {"description": spec.doc, **schema} if spec.doc else schema


def _node(spec: Field) -> dict[str, Any]:
    return _described(_KINDS[spec.kind](spec), spec)


def _string(pattern: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "pattern": pattern, **extra}


def _words(pattern: str, max_length: int) -> dict[str, Any]:
    """Text. The builder reads every YAML value as typed, so `phone: 119` or `title: true`
    are text to it, while an editor's YAML parser sees a number or a boolean: allow both."""
    return {"type": ["string", "number", "boolean"], "pattern": pattern,
            "maxLength": max_length}


def _map(spec: Field, fields: dict[str, Field] | None = None) -> dict[str, Any]:
    fields = spec.fields if fields is None else fields
    required = [k for k, v in fields.items() if v.required]
    # An optional key left empty (`subtitle:`) counts as left out.
    properties = {k: _node(v) if v.required else _described(
        {"anyOf": [_KINDS[v.kind](v), {"type": "null"}]}, v) for k, v in fields.items()}
    out: dict[str, Any] = {"type": "object", "properties": properties,
                           "additionalProperties": False}
    if required:
        out["required"] = required
    return out


def _list(spec: Field) -> dict[str, Any]:
    assert spec.item is not None
    out: dict[str, Any] = {"type": "array", "items": _node(spec.item), "maxItems": F.MAX_ITEMS}
    if spec.min_items:
        out["minItems"] = spec.min_items
    return out


def _dict(spec: Field) -> dict[str, Any]:
    assert spec.item is not None
    return {"type": "object", "additionalProperties": _node(spec.item),
            "propertyNames": {"anyOf": [{"pattern": F.ID_PATTERN},
                                        {"pattern": F.LANG_PATTERN}]}}


def _section(spec: Field) -> dict[str, Any]:
    """A mapping whose 'type' picks its fields: one if/then branch per section type."""
    branches = []
    for kind, fields in F.SECTION_TYPES.items():
        then = _map(spec, fields)
        then["properties"]["type"] = {"const": kind, "description": fields["type"].doc}
        branches.append({"if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
                         "then": then})
    return {"type": "object", "required": ["type"],
            "properties": {"type": {"enum": list(F.SECTION_TYPES),
                                    "description": "The section type; it decides the fields."}},
            "allOf": branches}


def _localized(spec: Field) -> dict[str, Any]:
    return {"anyOf": [_line(spec), _langdict(Field("langdict", item=Field("line")))]}


def _langdict(spec: Field) -> dict[str, Any]:
    assert spec.item is not None
    # Country codes and old tags ('jp', 'cn') look like tags but would never be used.
    tags = {"pattern": F.LANG_PATTERN, "not": {"enum": sorted(LANGUAGE_ALIASES)}}
    return {"type": "object", "propertyNames": tags, "additionalProperties": _node(spec.item)}


def _choice(spec: Field) -> dict[str, Any]:
    return {"type": "string", "enum": list(spec.choices)} if spec.choices else \
        {"type": "string"}


def _line(spec: Field) -> dict[str, Any]:
    return {"$ref": "#/$defs/line"}


def _text(spec: Field) -> dict[str, Any]:
    return {"$ref": "#/$defs/text"}


def _hashes(spec: Field) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": _string(F.HASH_PATTERN)}


_KINDS = {
    "map": _map, "list": _list, "dict": _dict, "section": _section, "localized": _localized,
    "langdict": _langdict,
    "choice": _choice, "line": _line, "text": _text, "hashes": _hashes,
    "id": lambda spec: _string(F.ID_PATTERN),
    "lang": lambda spec: _string(F.LANG_PATTERN),
    "color": lambda spec: _string(F.COLOR_PATTERN),
    "email": lambda spec: _string(F.EMAIL_PATTERN),
    "url": lambda spec: _string(F.URL_PATTERN),
    "date": lambda spec: _string(F.DATE_PATTERN, format="date"),
    "datetime": lambda spec: _string(F.DATETIME_PATTERN),
    "path": lambda spec: _string(PATH_PATTERN),
}
