"""`handout schema`: JSON Schemas generated from fields.py agree with the validator."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from builder import fields as F
from builder import schema as validator
from builder.json_schema import FORMATS, file_name, render, schema_for
from builder.project import BUILTIN_ROOT
from builder.schema import Checker
from builder.schema_files import format_of, modeline
from builder.source import parse

from .conftest import invoke

SPECS = {"handout": F.HANDOUT, "translation": F.TRANSLATION, "brand": F.BRAND,
         "patient": F.PATIENT}
SHIPPED = sorted((BUILTIN_ROOT / "handouts").glob("*/*.yaml")) + \
    sorted((BUILTIN_ROOT / "assets" / "brands").glob("*/brand.yaml"))


def schema_accepts(name: str, data: object) -> bool:
    checker = jsonschema.Draft202012Validator(schema_for(name),
                                              format_checker=jsonschema.FormatChecker())
    return checker.is_valid(data)


def validator_accepts(name: str, text: str, folder: Path) -> tuple[bool, object]:
    source, problems = parse(text.encode(), folder / "x.yaml")
    assert source is not None and not problems, problems
    checker = Checker(source, folder)
    checker.check(source.data, SPECS[name])
    return not checker.problems, source.data


@pytest.mark.parametrize("name", FORMATS)
def test_the_committed_schemas_are_the_generated_ones(name: str) -> None:
    committed = BUILTIN_ROOT / "schema" / file_name(name)
    assert committed.read_text(encoding="utf-8") == render(name), \
        "run `handout schema` and commit schema/"
    jsonschema.Draft202012Validator.check_schema(json.loads(committed.read_text()))


def test_patterns_are_the_validators_own() -> None:
    for ours, theirs in [(F.EMAIL_PATTERN, validator._EMAIL), (F.URL_PATTERN, validator._URL),
                         (F.DATE_PATTERN, validator._DATE),
                         (F.DATETIME_PATTERN, validator._DATETIME),
                         (F.HASH_PATTERN, validator._HASH), (F.ID_PATTERN, validator._ID),
                         (F.LANG_PATTERN, validator._LANG)]:
        assert ours == theirs.pattern


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_file_names_its_schema_and_follows_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == modeline(path, BUILTIN_ROOT)
    target = (path.parent / first.split("$schema=")[1]).resolve()
    assert target.is_file()
    ok, data = validator_accepts(format_of(path), text, path.parent)
    assert ok
    assert schema_accepts(format_of(path), data)


GOOD_PATIENT = "patient: Hanako Yamada\ndate: 2026-11-22\nnext_appointment: 2026-11-29T10:30\n"
GOOD_BRAND = 'name: Clinic\ncolors: {primary: "#1B4F72"}\ncontact: {email: a@b.org}\n'
GOOD_TRANSLATION = "title: T\nsections:\n  - type: about\n    text: Hello.\n"
GOOD_HANDOUT = ("id: demo\ncondition: C\nsource_language: en\nreviewed: 2026-01-01\n"
                "review_due: 2027-01-01\n")


@pytest.mark.parametrize(("name", "text", "valid"), [
    ("patient", GOOD_PATIENT, True),
    ("patient", GOOD_PATIENT + "subtitle: x\n", False),              # unknown field
    ("patient", "date: 2026-11-22\n", False),                       # missing required
    ("patient", GOOD_PATIENT.replace("2026-11-22", "22/11/2026"), False),
    ("patient", GOOD_PATIENT.replace("2026-11-22", "2026-02-30"), False),  # not a real date
    ("patient", GOOD_PATIENT.replace("T10:30", "T10"), False),
    ("patient", GOOD_PATIENT + "aftercare: []\n", False),            # empty list
    ("patient", GOOD_PATIENT + "aftercare: [Rest]\n", False),        # not an id
    ("patient", GOOD_PATIENT + "practitioner:\n", True),             # optional, left empty
    ("patient", "patient:\n", False),                                # required, left empty
    ("patient", "patient: '  '\n", False),                           # only spaces
    ("patient", 'patient: "a\\u202eb"\n', False),                    # direction control
    ("patient", f"patient: {'x' * (F.MAX_LINE + 1)}\n", False),      # too long
    ("brand", GOOD_BRAND, True),
    ("brand", GOOD_BRAND.replace("#1B4F72", "#1B4F7"), False),
    ("brand", GOOD_BRAND.replace("a@b.org", "a-at-b.org"), False),
    ("brand", GOOD_BRAND + "paper: a3\n", False),
    ("brand", GOOD_BRAND + "booking_url: http://x.org\n", False),
    ("brand", GOOD_BRAND + "footer: {en: Hi, ja: やあ}\n", True),
    ("brand", GOOD_BRAND + "footer: {jp: やあ}\n", False),            # a country code, not a tag
    ("brand", GOOD_BRAND + "name_local: {Ja: x}\n", False),
    ("brand", GOOD_BRAND + "name_local: {jp: ひので}\n", False),  # a country code, not a tag
    ("brand", GOOD_BRAND + "name_local: {ja: ひので, zh-Hans: 日出}\n", True),
    ("brand", GOOD_BRAND + "name_local: ひので\n", False),  # one name: that is `name`
    ("brand", GOOD_BRAND + "emergency_phone: 119\n", True),
    ("translation", GOOD_TRANSLATION, True),
    ("translation", GOOD_TRANSLATION.replace("about", "abuot"), False),
    ("translation", GOOD_TRANSLATION.replace("    text: Hello.\n", ""), False),
    ("translation", GOOD_TRANSLATION + "    steps: [{text: x}]\n", False),  # not of 'about'
    ("translation", GOOD_TRANSLATION + "  - type: text\n    text: x\n", False),  # no heading
    ("translation", GOOD_TRANSLATION + "  - type: aftercare\n    items: [{id: Rest, text: x}]\n",
     False),
    ("translation", GOOD_TRANSLATION + "  - type: faq\n    items:\n      - q: Why?\n"
                                       "        a: Because.\n", True),
    ("translation", GOOD_TRANSLATION + "  - {heading: x}\n", False),  # no type
    ("translation", GOOD_TRANSLATION + 'source_hashes: {title: "0123abcd"}\n', True),
    ("translation", GOOD_TRANSLATION + 'source_hashes: {title: "xyz"}\n', False),
    ("translation", "title: T\nsections: []\n", False),
    ("handout", GOOD_HANDOUT, True),
    ("handout", GOOD_HANDOUT.replace("id: demo", "id: Demo_1"), False),
    ("handout", GOOD_HANDOUT.replace("source_language: en", "source_language: english"), False),
    ("handout", GOOD_HANDOUT + "fit: squeeze\n", False),
    ("handout", GOOD_HANDOUT + "languages: [en, zh-Hans]\n", True),
    ("handout", GOOD_HANDOUT + "sources: [{id: a, citation: C, url: https://x.org/a}]\n", True),
    ("handout", GOOD_HANDOUT + "sources: [{id: a}]\n", False),
    ("handout", GOOD_HANDOUT + "reviewed_by: {en: Lead, ja: 責任者}\n", True),
    ("handout", GOOD_HANDOUT + "figures: {pic: /etc/passwd}\n", False),
    ("handout", GOOD_HANDOUT + "figures: {pic: ../x.png}\n", False),
])
def test_schema_and_validator_agree(tmp_path: Path, name: str, text: str, valid: bool) -> None:
    ours, data = validator_accepts(name, text, tmp_path)
    assert ours is valid
    assert schema_accepts(name, data) is valid


def test_schema_command_writes_and_prints(runner, tmp_path: Path) -> None:
    result = invoke(runner, "schema", "-o", str(tmp_path / "s"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        "brand.schema.json", "handout.schema.json", "patient.schema.json",
        "translation.schema.json"]
    again = invoke(runner, "schema", "-o", str(tmp_path / "s"))
    assert "the schemas are up to date" in again.output
    printed = invoke(runner, "schema", "patient", "-o", "-")
    assert json.loads(printed.stdout)["title"] == "Handout Builder: patient.yaml"
    assert invoke(runner, "schema", "-o", "-").exit_code == 2
