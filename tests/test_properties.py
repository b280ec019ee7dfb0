"""Properties: any text in any text field prints exactly or is a located error; no YAML file,
however strange, crashes the loader or the validator."""

from __future__ import annotations

import copy
import os
import re
import shutil
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder import fields as F
from builder.batch import Job, build_one, load_engine
from builder.bidi import has_rtl
from builder.errors import Problem
from builder.fonts import load_library
from builder.loaders import load_brand, load_handout, load_translation
from builder.patient import load_patient_file
from builder.project import BUILTIN_ROOT
from builder.source import parse
from builder.text import paragraphs, plain_text

from .hostile import BRAND_YAML, hostile_project

FONTS = load_library(BUILTIN_ROOT / "assets" / "fonts")
COVERED = sorted(set().union(*(f.covered for f in FONTS.families)) - set(range(0x20)))

# Characters a bundled font draws, the characters that mean something to YAML or to markup,
# and anything at all (most of which no font has, or which may not be printed).
CHARACTERS = st.one_of(
    st.sampled_from([chr(c) for c in COVERED]),
    st.sampled_from(list(" \n\t*<>&\"'-_:#!%.,;()[]{}/\\@`|=~^$?")),
    st.characters(codec="utf-8"),
)

# Where each text field lives: (file, key path in the YAML, kind) with kind 'line' or 'text'.
EN_FIELDS = [
    (("title",), "line"), (("subtitle",), "line"), (("summary",), "text"),
    (("sections", 0, "heading"), "line"), (("sections", 0, "text"), "text"),
    (("sections", 1, "items", 0, "text"), "line"), (("sections", 2, "items", 0, "text"), "line"),
    (("sections", 3, "items", 0, "q"), "line"), (("sections", 3, "items", 0, "a"), "text"),
]
BRAND_FIELDS = [(("name",), "line"), (("footer",), "line"), (("contact", "address"), "line")]
FIELDS = [("en", path, kind) for path, kind in EN_FIELDS] + \
    [("brand", path, kind) for path, kind in BRAND_FIELDS]

EN = {"title": "Demo handout", "subtitle": "A subtitle", "summary": "A summary.",
      "sections": [
          {"type": "about", "heading": "About it", "text": "Some text about the condition."},
          {"type": "aftercare", "items": [{"id": "rest", "text": "Rest for a day."}]},
          {"type": "red_flags", "items": [{"id": "fever", "text": "A fever."}]},
          {"type": "faq", "items": [{"q": "Does it hurt?", "a": "Most people feel little."}]},
      ]}
BRAND = yaml.safe_load(BRAND_YAML) | {"footer": "Thank you."}


def _set(data: Any, path: tuple[str | int, ...], value: str) -> Any:
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def _format(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p)
                   for i, p in enumerate(path))


def shown(text: str, kind: str) -> str:
    """The text as the builder defines what it prints: NFC, marks removed, white space as
    paragraph and line breaks (so compared without it)."""
    text = unicodedata.normalize("NFC", text)
    if kind == "line":
        printed = plain_text(" ".join(text.split("\n")).strip())
    else:
        printed = "".join(plain_text(p) for p in paragraphs(text))
    return comparable(printed)


def comparable(text: str, unhyphenate: bool = False) -> str:
    """Compatibility forms folded (Arabic letters are drawn in their joined forms) and white
    space removed; with `unhyphenate`, a hyphen at a line end inside a word is dropped too
    (long words may be hyphenated)."""
    text = unicodedata.normalize("NFKC", text)
    if unhyphenate:
        text = re.sub(r"(?<=\w)-\s+(?=\w)", "", text)
    return "".join(text.split())


def extracted(pdf: Path, rtl: bool) -> str:
    """The PDF's text: PDFium rebuilds reading order for right-to-left runs, pypdf keeps
    drawing order (right for everything else)."""
    if not rtl:
        return " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    document = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


LOCATED = re.compile(r"(?P<file>\S+):\d+:\d+: (?P<path>\S+): (no bundled font has a glyph for "
                     r".+|contains .+, which is not allowed here|is empty; give a value or remove "
                     r"the line)")


@pytest.fixture(scope="module")
def text_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_project(tmp_path_factory.mktemp("property") / "proj")


# Examples per property; HANDOUT_PROPERTY_SCALE=20 searches twenty times longer (and anew).
SCALE = int(os.environ.get("HANDOUT_PROPERTY_SCALE", "1"))
FIXED = SCALE == 1  # the usual run tries the same examples every time


@settings(max_examples=70 * SCALE, deadline=None, derandomize=FIXED,
          suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), text=st.text(CHARACTERS, min_size=1, max_size=30))
# Found by earlier searches: characters beyond U+FFFF copied out garbled (reportlab's
# ToUnicode map); a bracket beside Hebrew is drawn turned round; a lone hyphen; blanks.
@example(field=("en", ("title",), "line"), text="\U0001d566\U0001f04a x \u2460")
@example(field=("brand", ("name",), "line"), text="Clinic \U0001d4d2")
@example(field=("en", ("title",), "line"), text="<\u05c3")
@example(field=("en", ("title",), "line"), text="-")
@example(field=("en", ("sections", 0, "text"), "text"), text="  \n\n ")
def test_any_text_prints_exactly_or_is_a_located_error(text_project: Path,
                                                        field: tuple[str, tuple, str],
                                                        text: str) -> None:
    which, path, kind = field
    en, brand = copy.deepcopy(EN), copy.deepcopy(BRAND)
    _set(en if which == "en" else brand, path, text)
    files = {"handouts/demo/en.yaml": en, "assets/brands/demo-brand/brand.yaml": brand}
    for rel, data in files.items():
        (text_project / rel).write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    shutil.rmtree(text_project / "out", ignore_errors=True)
    engine = load_engine(text_project)
    result = build_one(engine, Job("demo", "en", "demo-brand", "leaflet", "a4"),
                       text_project / "out")
    file = "handouts/demo/en.yaml" if which == "en" else "assets/brands/demo-brand/brand.yaml"
    if not result.ok:
        for problem in result.problems:
            found = LOCATED.fullmatch(str(problem).replace(str(text_project) + "/", ""))
            assert found, str(problem)
            assert found["file"].endswith(file) and found["path"] == _format(path), str(problem)
        assert not (text_project / "out/demo-brand/en/demo-leaflet-a4.pdf").exists()
        return
    assert result.path is not None
    expected = shown(text, kind)
    rtl = has_rtl(text)
    raw = extracted(result.path, rtl)
    got = comparable(raw)
    if rtl:
        # Where a right-to-left run meets other text, PDFium's rebuilt reading order may put
        # the neutral characters on either side (order is checked from glyph positions in
        # test_languages): here every letter must be there.
        missing = Counter(_letters(expected)) - Counter(_letters(got))
        assert not missing, (text, missing)
    else:
        assert expected in got or expected in comparable(raw, unhyphenate=True), (text, expected)


def _letters(text: str) -> str:
    """Text compared where a right-to-left run was drawn: without marks and punctuation, and
    with mirrored characters (a bracket drawn turned round, '<' as '>') made one."""
    return "".join("\u2194" if unicodedata.mirrored(c) else c for c in text
                   if unicodedata.category(c)[0] not in "MPZC")


# -- the validator never crashes -------------------------------------------------------------


def _field_names(spec: F.Field, into: set[str]) -> set[str]:
    for name, child in spec.fields.items():
        into.add(name)
        _field_names(child, into)
    if spec.item is not None:
        _field_names(spec.item, into)
    return into


KEYS = sorted(set().union(*(_field_names(s, set()) for s in (F.HANDOUT, F.TRANSLATION,
                                                             F.BRAND, F.PATIENT)),
                          *F.SECTION_TYPES.values()))
SCALARS = st.one_of(
    st.none(), st.text(max_size=12),
    st.sampled_from(["2026-01-15", "2026-02-30", "2026-11-29T10:30", "en", "ja", "jp", "#1B4F72",
                     "#12345", "https://example.org", "a@b.example.org", "leaflet", "about",
                     "red_flags", "figure", "figures/x.png", "../x.png", "/etc/passwd", "demo",
                     "a4", "shrink", "0", "-1", "no", "1e999", "~", "**x**", "<b>"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=5),
), max_leaves=24)
DOCUMENTS = st.one_of(VALUES, st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8))


def _all_located(problems: list[Problem], file: Path) -> None:
    for problem in problems:
        assert problem.file == str(file) and problem.message, problem
        assert "Traceback" not in problem.message and "<class" not in problem.message, problem


@settings(max_examples=250 * SCALE, deadline=None, derandomize=FIXED,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=DOCUMENTS, kind=st.sampled_from(["handout", "translation", "brand", "patient"]))
def test_any_yaml_structure_is_checked_without_crashing(tmp_path: Path, document: Any,
                                                        kind: str) -> None:
    folder = tmp_path / "h"
    folder.mkdir(exist_ok=True)
    file = folder / {"handout": "handout.yaml", "translation": "en.yaml", "brand": "brand.yaml",
                     "patient": "patient.yaml"}[kind]
    file.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    if kind == "handout":
        value, _, problems = load_handout(file, ["en"])
    elif kind == "translation":
        loaded, problems = load_translation(file, folder)
        value = loaded
    elif kind == "brand":
        value, _, problems = load_brand(file)
    else:
        loaded_patient, problems = load_patient_file(file)
        value = loaded_patient
    assert (value is None) == any(p.is_error for p in problems), problems
    _all_located(problems, file)


YAML_SYNTAX = st.text(st.one_of(st.sampled_from(list("-:[]{}&*!|>'\"%@`#,? \n\t\r\ufeff")),
                                st.characters(codec="utf-8")), max_size=80)


@settings(max_examples=300 * SCALE, deadline=None, derandomize=FIXED)
@given(raw=st.one_of(st.binary(max_size=200), YAML_SYNTAX.map(str.encode)))
def test_any_bytes_parse_or_give_located_problems(raw: bytes) -> None:
    source, problems = parse(raw, Path("f.yaml"))
    assert (source is None) == bool(problems) or problems, (raw, problems)
    for problem in problems:
        assert problem.file == "f.yaml" and problem.message, problem
        assert "Traceback" not in str(problem)
        lines = sum(raw.count(end) for end in (b"\n", b"\r", b"\xc2\x85", "\u2028".encode(),
                                                "\u2029".encode())) + 1
        assert 0 <= problem.line <= lines + 1, (raw, problem)
