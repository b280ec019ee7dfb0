"""Bad input: every broken file gives one located, helpful line, the right exit code, no crash.

Each case writes one broken file (or a broken variant of one file) into a small valid project
and runs `handout check --root <project>`. Problems are printed compiler style, one per line:
`file:line:col: key.path: message`. Cases marked xfail describe the message a user should get;
the message the builder prints today is wrong, unhelpful or a crash (see each reason).
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from builder.cli import main
from builder.labels import available as available_labels
from builder.labels import has_labels
from tests.hostile import BRAND_YAML, HANDOUT_YAML, Content, edit, write_files

EN_YAML = """\
title: Demo handout
sections:
  - type: about
    text: Some text about the condition.
  - type: prepare
    items:
      - id: loose-clothes
        text: Wear loose clothes.
      - id: light-meal
        text: Eat a light meal.
  - type: red_flags
    items:
      - id: chest-pain
        text: Chest pain or trouble breathing.
  - type: faq
    items:
      - q: Does it hurt?
        a: Most people feel little.
  - type: expect
    steps:
      - text: We ask about your health.
  - type: precautions
    items:
      - id: blood-thinners
        text: Tell us if you take blood thinners.
  - type: aftercare
    items:
      - id: rest
        text: Rest for a day.
"""

H = "handouts/demo/handout.yaml"
E = "handouts/demo/en.yaml"
B = "assets/brands/demo-brand/brand.yaml"
FIG = "handouts/demo/figures/points.png"



# -- images -------------------------------------------------------------------------------


def image_bytes(fmt: str, size: tuple[int, int] = (4, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, fmt)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` (a decompression bomb, cheaply)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b""))
            + chunk(b"IEND", b""))


def link_outside(path: Path) -> None:
    """A real PNG in the project root, and `path` a symlink to it (outside the handout)."""
    outside = path.parents[3] / "outside.png"
    outside.write_bytes(image_bytes("PNG"))
    os.symlink(outside, path)


def with_figure(path_in_yaml: str, image: Content | None = None) -> dict[str, Content]:
    """handout.yaml declaring figure 'points' at `path_in_yaml`, en.yaml using it."""
    files: dict[str, Content] = {
        H: HANDOUT_YAML + f"figures:\n  points: {path_in_yaml}\n",
        E: EN_YAML + "  - type: figure\n    figure: points\n    caption: The points.\n",
    }
    if image is not None:
        files["handouts/demo/" + path_in_yaml] = image
    return files


# -- the project --------------------------------------------------------------------------


@pytest.fixture
def demo_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A minimal valid project in tmp_path (also the working folder, so paths print short)."""
    write_files(tmp_path, {H: HANDOUT_YAML, E: EN_YAML, B: BRAND_YAML})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def handout(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), prog_name="handout")
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


def test_the_demo_project_is_valid(demo_project: Path) -> None:
    result = handout("check", "--root", str(demo_project))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


# -- the table ----------------------------------------------------------------------------


def case(id: str, files: dict[str, Content], line: str | None, code: int = 1, *,
         args: tuple[str, ...] = (), xfail: str = "") -> Any:
    """One bad input: files to write, the exact problem line expected, the exit code.

    `line` None means the input is valid (exit 0, nothing printed). `args` replace the default
    `check --root <project>` ('{root}' is replaced by the project folder); with exit code 2
    `line` is the 'Error: …' line of click's usage message.
    """
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(files, line, code, args, id=id, marks=marks)


# Label catalogues are being added language by language: use one that has none, and expect
# the list of those that do. (en-GB has labels through its base language, en.)
NO_LABELS = next(lang for lang in ("fi", "sw", "cy", "eu") if not has_labels(lang))
LABEL_LANGUAGES = " or ".join(", ".join(f"'{lang}'" for lang in available_labels()).rsplit(", ", 1))
ENGB = "handouts/demo/en-GB.yaml"
EN_GB_LANGS = HANDOUT_YAML + "languages: [en, en-GB]\n"

CASES = [
    # -- YAML syntax and structure ------------------------------------------------------
    case("yaml-syntax-error",
         {E: edit(EN_YAML, "  - type: prepare\n", "  - type: prepare\n   oops\n")},
         "handouts/demo/en.yaml:6:4: not valid YAML: while parsing a block collection, "
         "expected <block end>, but found '<scalar>'"),
    case("yaml-colon-in-value",
         {E: edit(EN_YAML, "title: Demo handout", "title: Acupuncture: what to expect")},
         "handouts/demo/en.yaml:1:19: a value contains ': ' (a colon and a space); put "
         'the whole text in quotes, e.g. title: "Acupuncture: what to expect"'),
    case("unclosed-quote",
         {E: edit(EN_YAML, "title: Demo handout", 'title: "Demo handout')},
         "handouts/demo/en.yaml:1:8: a quoted text is not closed; add the closing quote"),
    case("tab-indentation",
         {E: edit(EN_YAML, "  - type: about\n    text:", "  - type: about\n\ttext:")},
         "handouts/demo/en.yaml:4:1: a tab character is used for indenting; indent with "
         "spaces"),
    case("tab-before-key-in-handout-yaml",
         {H: edit(HANDOUT_YAML, "condition:", "\tcondition:")},
         "handouts/demo/handout.yaml:2:1: a tab character is used for indenting; indent "
         "with spaces"),
    case("duplicate-key",
         {E: edit(EN_YAML, "sections:\n", "title: Again\nsections:\n")},
         "handouts/demo/en.yaml:2:1: title: duplicate key 'title' (first given on line 1)"),
    case("anchor",
         {E: edit(EN_YAML, "title: Demo handout", "title: &t Demo handout")},
         "handouts/demo/en.yaml:1:8: anchors (&name) are not allowed; write the value out"),
    case("alias",
         {E: edit(EN_YAML, "title: Demo handout", "title: Demo handout\nsubtitle: *t")},
         "handouts/demo/en.yaml:2:11: aliases (*name) are not allowed; write the value out"),
    case("merge-key",
         {E: edit(EN_YAML, "title: Demo handout", "<<: {title: x}\ntitle: Demo handout")},
         "handouts/demo/en.yaml:1:1: merge keys (<<) are not allowed"),
    case("python-object-tag",
         {E: edit(EN_YAML, "title: Demo handout",
                  "title: !!python/object/apply:os.system [echo hi]")},
         "handouts/demo/en.yaml:1:8: title: the tag '!!python/object/apply:os.system' "
         "is not allowed; remove it"),
    case("custom-tag",
         {E: edit(EN_YAML, "title: Demo handout", "title: !custom x")},
         "handouts/demo/en.yaml:1:8: title: the tag '!custom' is not allowed; remove it"),
    case("file-over-1-mib",
         {E: EN_YAML + "# " + "x" * (1024 * 1024) + "\n"},
         "handouts/demo/en.yaml: file is 1,049,253 bytes; at most 1,048,576 are allowed"),
    case("nesting-deeper-than-cap",
         {E: edit(EN_YAML, "title: Demo handout", "title: " + "[" * 60 + "]" * 60)},
         "handouts/demo/en.yaml:1:47: nested more than 40 levels deep"),
    case("too-many-values",
         {E: edit(EN_YAML, "title: Demo handout", "title: [" + ",".join("0" * 50_001) + "]")},
         "handouts/demo/en.yaml:1:100003: more than 50000 values in one file"),
    case("empty-file", {E: ""}, "handouts/demo/en.yaml:1:1: the file is empty"),
    case("empty-handout-yaml", {H: ""}, "handouts/demo/handout.yaml:1:1: the file is empty"),
    case("top-level-list", {E: "- a\n- b\n"},
         "handouts/demo/en.yaml:1:1: expected a mapping of 'key: value' lines, found a list"),
    case("bom-and-crlf-accepted",
         {E: b"\xef\xbb\xbf" + EN_YAML.replace("\n", "\r\n").encode()}, None, 0),
    case("crlf-error-keeps-line-numbers",
         {E: edit(EN_YAML, "text: Eat a light meal.", "text: [Eat]").replace("\n", "\r\n")},
         "handouts/demo/en.yaml:10:15: sections[1].items[1].text: expected text, found a list"),
    case("raw-control-character",
         {E: edit(EN_YAML, "title: Demo handout", "title: Demo\x07handout")},
         "handouts/demo/en.yaml:1:12: contains the control character U+0007, which is not "
         "allowed"),
    case("escaped-control-character",
         {E: edit(EN_YAML, "title: Demo handout", 'title: "Demo\\ahandout"')},
         "handouts/demo/en.yaml:1:8: title: contains the control character U+0007, which is "
         "not allowed here"),
    case("nul-character",
         {E: edit(EN_YAML, "title: Demo handout", "title: Demo\x00")},
         "handouts/demo/en.yaml:1: contains a NUL character; is this a binary file?"),
    case("not-utf8",
         {E: edit(EN_YAML, "title: Demo handout", "title: Café").encode("latin-1")},
         "handouts/demo/en.yaml:1:11: not valid UTF-8 text; save the file as UTF-8"),
    # -- wrong types and missing fields -------------------------------------------------
    case("list-where-text-expected",
         {E: edit(EN_YAML, "title: Demo handout", "title: [Demo, handout]")},
         "handouts/demo/en.yaml:1:8: title: expected text, found a list"),
    case("mapping-where-text-expected",
         {E: edit(EN_YAML, "text: Wear loose clothes.", "text: {a: b}")},
         "handouts/demo/en.yaml:8:15: sections[1].items[0].text: expected text, found a "
         "mapping"),
    case("mapping-where-list-expected",
         {E: edit(EN_YAML,
                  "      - id: loose-clothes\n        text: Wear loose clothes.\n"
                  "      - id: light-meal\n        text: Eat a light meal.\n",
                  "      id: loose-clothes\n      text: Wear loose clothes.\n")},
         "handouts/demo/en.yaml:7:7: sections[1].items: expected a list ('- …' lines or "
         "[a, b]), found a mapping"),
    case("text-where-list-expected",
         {H: edit(HANDOUT_YAML, "layouts: [leaflet]", "layouts: leaflet")},
         "handouts/demo/handout.yaml:6:10: layouts: expected a list ('- …' lines or [a, b]), "
         "found 'leaflet'"),
    case("text-where-item-expected",
         {E: edit(EN_YAML, "      - id: chest-pain\n        text: Chest pain or trouble "
                           "breathing.\n", "      - Chest pain\n")},
         "handouts/demo/en.yaml:13:9: sections[2].items[0]: expected a mapping of 'key: value' "
         "lines, found 'Chest pain'"),
    case("figures-as-list",
         {H: HANDOUT_YAML + "figures: [a, b]\n"},
         "handouts/demo/handout.yaml:7:10: figures: expected a mapping of 'name: value' lines, "
         "found a list"),
    case("sources-as-text",
         {H: HANDOUT_YAML + "sources: none\n"},
         "handouts/demo/handout.yaml:7:10: sources: expected a list ('- …' lines or [a, b]), "
         "found 'none'"),
    case("missing-title",
         {E: edit(EN_YAML, "title: Demo handout\n", "")},
         "handouts/demo/en.yaml:1:1: missing 'title'"),
    case("missing-sections",
         {E: "title: Demo handout\n"},
         "handouts/demo/en.yaml:1:1: missing 'sections': sections in reading order"),
    case("empty-sections", {E: "title: Demo handout\nsections: []\n"},
         "handouts/demo/en.yaml:2:11: sections: must not be empty"),
    case("empty-title", {E: edit(EN_YAML, "title: Demo handout", "title:")},
         "handouts/demo/en.yaml:1:7: title: is empty; give a value or remove the line"),
    case("missing-id",
         {H: edit(HANDOUT_YAML, "id: demo\n", "")},
         "handouts/demo/handout.yaml:1:1: missing 'id': the handout's id, equal to its "
         "folder name"),
    case("missing-reviewed",
         {H: edit(HANDOUT_YAML, "reviewed: 2026-01-15\n", "")},
         "handouts/demo/handout.yaml:1:1: missing 'reviewed': date of the last clinical "
         "review (YYYY-MM-DD)"),
    case("missing-item-text",
         {E: edit(EN_YAML, "        text: Eat a light meal.\n", "")},
         "handouts/demo/en.yaml:9:9: sections[1].items[1]: missing 'text': what the "
         "entry says"),
    case("missing-item-id",
         {E: edit(EN_YAML, "      - id: loose-clothes\n        text:", "      - text:")},
         "handouts/demo/en.yaml:7:9: sections[1].items[0]: missing 'id': an id, unique "
         "within the handout and the same in every language"),
    case("missing-faq-question",
         {E: edit(EN_YAML, "      - q: Does it hurt?\n        a:", "      - a:")},
         "handouts/demo/en.yaml:17:9: sections[3].items[0]: missing 'q': the question"),
    case("missing-section-type",
         {E: EN_YAML + "  - heading: More\n"},
         "handouts/demo/en.yaml:30:5: sections[7]: missing 'type' (one of 'about', "
         "'aftercare', 'expect', 'faq', 'figure', 'precautions', 'prepare', 'red_flags', "
         "'side_effects' or 'text')"),
    case("section-type-is-a-list",
         {E: edit(EN_YAML, "type: red_flags", "type: [red_flags]")},
         "handouts/demo/en.yaml:11:11: sections[2].type: expected one of 'about', "
         "'aftercare', 'expect', 'faq', 'figure', 'precautions', 'prepare', "
         "'red_flags', 'side_effects' or 'text', found a list"),
    case("empty-list-entry",
         {E: edit(EN_YAML, "      - id: chest-pain\n        text: Chest pain or trouble "
                           "breathing.\n", "      -\n")},
         "handouts/demo/en.yaml:13:8: sections[2].items[0]: is empty; give a value or remove "
         "the line"),
    case("unknown-field-did-you-mean",
         {E: edit(EN_YAML, "title: Demo handout\n", "title: Demo handout\nsubtitel: Hi\n")},
         "handouts/demo/en.yaml:2:1: subtitel: unknown field 'subtitel'. Did you mean "
         "'subtitle'?"),
    case("field-of-another-section-type",
         {E: edit(EN_YAML, "    text: Some text about the condition.\n",
                  "    text: Some text about the condition.\n    items: []\n")},
         "handouts/demo/en.yaml:5:5: sections[0].items: unknown field 'items'. Allowed: "
         "'heading', 'text' or 'type'."),
    case("misspelt-section-type",
         {E: edit(EN_YAML, "type: red_flags", "type: red_flag")},
         "handouts/demo/en.yaml:11:11: sections[2].type: 'red_flag' is not a section type. "
         "Did you mean 'red_flags'?"),
    case("unknown-section-type",
         {E: edit(EN_YAML, "type: red_flags", "type: gallery")},
         "handouts/demo/en.yaml:11:11: sections[2].type: 'gallery' is not a section type. "
         "Allowed: 'about', 'aftercare', 'expect', 'faq', 'figure', 'precautions', 'prepare', "
         "'red_flags', 'side_effects' or 'text'."),
    case("text-section-without-heading",
         {E: EN_YAML + "  - type: text\n    text: More.\n"},
         "handouts/demo/en.yaml:30:5: sections[7]: missing 'heading'"),
    case("one-line-field-too-long",
         {E: edit(EN_YAML, "title: Demo handout", "title: " + "x" * 700)},
         "handouts/demo/en.yaml:1:8: title: is 700 characters long; at most 600 are allowed"),
    # -- handout.yaml facts -------------------------------------------------------------
    case("invalid-date-month-13",
         {H: edit(HANDOUT_YAML, "reviewed: 2026-01-15", "reviewed: 2026-13-01")},
         "handouts/demo/handout.yaml:4:11: reviewed: '2026-13-01' is not a real date "
         "(month must be in 1..12)"),
    case("invalid-date-words",
         {H: edit(HANDOUT_YAML, "review_due: 2099-01-15", "review_due: next year")},
         "handouts/demo/handout.yaml:5:13: review_due: 'next year' is not a date; write it as "
         "YYYY-MM-DD, e.g. 2026-11-01"),
    case("review-due-before-reviewed",
         {H: edit(HANDOUT_YAML, "review_due: 2099-01-15", "review_due: 2025-01-15")},
         "handouts/demo/handout.yaml:5:13: review_due: 2025-01-15 is before the review "
         "date 2026-01-15"),
    case("review-overdue",
         {H: edit(edit(HANDOUT_YAML, "reviewed: 2026-01-15", "reviewed: 2020-01-15"),
                 "review_due: 2099-01-15", "review_due: 2021-01-15")},
         "handouts/demo/handout.yaml:5:13: review_due: the review was due on 2021-01-15; "
         "have it reviewed"),
    case("id-not-folder-name",
         {H: edit(HANDOUT_YAML, "id: demo", "id: demo-two")},
         "handouts/demo/handout.yaml:1:5: id: 'demo-two' must equal the folder name 'demo'"),
    case("id-invalid-characters",
         {H: edit(HANDOUT_YAML, "id: demo", "id: Demo_1")},
         "handouts/demo/handout.yaml:1:5: id: 'Demo_1' is not a valid id; use lowercase a-z, "
         "0-9 and -"),
    case("duplicate-item-id",
         {E: edit(EN_YAML, "id: chest-pain", "id: light-meal")},
         "handouts/demo/en.yaml:13:13: sections[2].items[0].id: duplicate id 'light-meal' "
         "(also sections[1].items[1])"),
    case("duplicate-source-id",
         {H: HANDOUT_YAML + "sources:\n  - id: a\n    citation: A paper\n"
                            "  - id: a\n    citation: B paper\n"},
         "handouts/demo/handout.yaml:10:9: sources[1].id: duplicate source id 'a' (also "
         "sources[0])"),
    case("source-url-not-https",
         {H: HANDOUT_YAML + "sources:\n  - id: a\n    citation: A paper\n"
                            "    url: http://example.org\n"},
         "handouts/demo/handout.yaml:10:10: sources[0].url: 'http://example.org' is not a web "
         "address starting with https://"),
    case("source-language-without-file",
         {H: edit(HANDOUT_YAML, "source_language: en", "source_language: ja")},
         "handouts/demo/handout.yaml:3:18: source_language: no ja.yaml in demo/."),
    case("source-language-not-a-tag",
         {H: edit(HANDOUT_YAML, "source_language: en", "source_language: English")},
         "handouts/demo/handout.yaml:3:18: source_language: 'English' is not a language tag "
         "such as 'en', 'ja', 'es' or 'zh-Hans'"),
    case("language-file-not-named-as-tag",
         {"handouts/demo/english.yaml": EN_YAML},
         "handouts/demo/english.yaml: 'english.yaml' is not named after a language tag "
         "(en.yaml, ja.yaml, zh-Hans.yaml …)"),
    case("languages-lists-missing-file",
         {H: HANDOUT_YAML + "languages: [en, fr]\n"},
         "handouts/demo/handout.yaml:7:17: languages[1]: no fr.yaml in demo/."),
    case("languages-lists-language-twice",
         {H: HANDOUT_YAML + "languages: [en, en]\n"},
         "handouts/demo/handout.yaml:7:17: languages[1]: 'en' is listed twice"),
    case("language-without-labels",
         {H: HANDOUT_YAML + f"languages: [en, {NO_LABELS}]\n",
          f"handouts/demo/{NO_LABELS}.yaml": EN_YAML},
         f"handouts/demo/handout.yaml:7:17: languages[1]: the builder has no labels for "
         f"'{NO_LABELS}' yet. Languages with labels: {LABEL_LANGUAGES}."),
    case("language-file-without-labels",
         {f"handouts/demo/{NO_LABELS}.yaml": EN_YAML},
         f"handouts/demo/{NO_LABELS}.yaml: the builder has no labels for '{NO_LABELS}' yet. "
         f"Languages with labels: {LABEL_LANGUAGES}."),
    case("unknown-layout-did-you-mean",
         {H: edit(HANDOUT_YAML, "layouts: [leaflet]", "layouts: [leaflat]")},
         "handouts/demo/handout.yaml:6:11: layouts[0]: 'leaflat' is not a layout. Did you "
         "mean 'leaflet'?"),
    case("layout-listed-twice",
         {H: edit(HANDOUT_YAML, "layouts: [leaflet]", "layouts: [leaflet, leaflet]")},
         "handouts/demo/handout.yaml:6:20: layouts[1]: 'leaflet' is listed twice"),
    case("no-handout-yaml", {H: lambda path: path.unlink()},
         "handouts/demo: no handout.yaml in this folder"),
    # -- translations -------------------------------------------------------------------
    case("translation-lacks-an-item",
         {H: EN_GB_LANGS,
          ENGB: edit(EN_YAML, "      - id: light-meal\n        text: Eat a light meal.\n", "")},
         "handouts/demo/en-GB.yaml:7:7: sections[1].items: entries differ from en.yaml: "
         "missing light-meal"),
    case("translation-adds-an-item",
         {H: EN_GB_LANGS,
          ENGB: edit(EN_YAML, "        text: Eat a light meal.\n",
                     "        text: Eat a light meal.\n      - id: water\n"
                     "        text: Drink water.\n")},
         "handouts/demo/en-GB.yaml:7:7: sections[1].items: entries differ from en.yaml: not in "
         "en.yaml: water"),
    case("translation-lacks-a-section",
         {H: EN_GB_LANGS, ENGB: "title: Demo\nsections:\n  - type: about\n    text: Text.\n"},
         "handouts/demo/en-GB.yaml:3:3: sections: sections differ from en.yaml: expected "
         "about, prepare, red_flags, faq, expect, precautions, aftercare; found about"),
    # -- figures ------------------------------------------------------------------------
    case("figure-valid", with_figure("figures/points.png", image_bytes("PNG")), None, 0),
    case("figure-name-not-in-handout-yaml",
         {H: HANDOUT_YAML + "figures:\n  points: figures/points.png\n",
          FIG: image_bytes("PNG"), E: EN_YAML + "  - type: figure\n    figure: pionts\n"},
         "handouts/demo/en.yaml:31:13: sections[7].figure: 'pionts' is not a figure of this "
         "handout. Did you mean 'points'?"),
    case("figure-path-traversal", with_figure("../../etc/passwd"),
         "handouts/demo/handout.yaml:8:11: figures.points: '../../etc/passwd' must be a file "
         "inside demo/, given relative to it"),
    case("figure-absolute-path", with_figure("/etc/passwd"),
         "handouts/demo/handout.yaml:8:11: figures.points: '/etc/passwd' must be a file inside "
         "demo/, given relative to it"),
    case("figure-symlink-outside", with_figure("figures/points.png", link_outside),
         "handouts/demo/handout.yaml:8:11: figures.points: 'figures/points.png' points outside "
         "demo/"),
    case("figure-file-missing", with_figure("figures/points.png"),
         "handouts/demo/handout.yaml:8:11: figures.points: file not found: figures/points.png"),
    case("figure-text-file-named-png",
         with_figure("figures/points.png", "this is not an image\n"),
         "handouts/demo/handout.yaml:8:11: figures.points: points.png: is not a PNG or JPEG "
         "image, or it is damaged"),
    case("figure-truncated-png",
         with_figure("figures/points.png", image_bytes("PNG", (64, 64))[:60]),
         "handouts/demo/handout.yaml:8:11: figures.points: points.png: image is damaged or "
         "truncated (image file is truncated)"),
    case("figure-gif-renamed-png", with_figure("figures/points.png", image_bytes("GIF")),
         "handouts/demo/handout.yaml:8:11: figures.points: points.png: is a GIF image; use PNG "
         "or JPEG"),
    case("figure-bmp-renamed-png", with_figure("figures/points.png", image_bytes("BMP")),
         "handouts/demo/handout.yaml:8:11: figures.points: points.png: is a BMP image; use PNG "
         "or JPEG"),
    case("figure-gif-suffix", with_figure("figures/points.gif", image_bytes("GIF")),
         "handouts/demo/handout.yaml:8:11: figures.points: 'points.gif' must be a PNG or JPEG "
         "file (.png, .jpg)"),
    case("figure-too-many-pixels", with_figure("figures/points.png", png_header(6000, 6000)),
         "handouts/demo/handout.yaml:8:11: figures.points: points.png: image is 6000 x 6000 "
         "pixels; at most 25,000,000 pixels are allowed"),
    case("figure-decompression-bomb", with_figure("figures/points.png", png_header(20000, 20000)),
         "handouts/demo/handout.yaml:8:11: figures.points: points.png: image has 400,000,000 "
         "pixels; at most 25,000,000 pixels are allowed"),
    # -- brand.yaml ---------------------------------------------------------------------
    case("brand-colour-five-digits", {B: edit(BRAND_YAML, '"#1B4F72"', '"#12345"')},
         "assets/brands/demo-brand/brand.yaml:3:19: colors.primary: '#12345' is not a colour; "
         "write it as #RRGGBB, e.g. #1B4F72"),
    case("brand-colour-name", {B: edit(BRAND_YAML, '"#1B4F72"', "blue")},
         "assets/brands/demo-brand/brand.yaml:3:19: colors.primary: 'blue' is not a colour; "
         "write it as #RRGGBB, e.g. #1B4F72"),
    case("brand-colour-low-contrast", {B: edit(BRAND_YAML, '"#1A1A1A"', '"#C8C8C8"')},
         "assets/brands/demo-brand/brand.yaml:3:55: colors.text: #C8C8C8 on white has contrast "
         "1.7:1; at least 4.5:1 is needed"),
    case("brand-logo-missing", {B: BRAND_YAML + "logo: logo.png\n"},
         "assets/brands/demo-brand/brand.yaml:9:7: logo: file not found: logo.png"),
    case("brand-logo-gif",
         {B: BRAND_YAML + "logo: logo.gif\n",
          "assets/brands/demo-brand/logo.gif": image_bytes("GIF")},
         "assets/brands/demo-brand/brand.yaml:9:7: logo: 'logo.gif' must be a PNG or JPEG file "
         "(.png, .jpg)"),
    case("brand-paper-a3", {B: edit(BRAND_YAML, "paper: a4", "paper: A3")},
         "assets/brands/demo-brand/brand.yaml:2:8: paper: 'A3' is not allowed. Allowed: 'a4' "
         "or 'letter'."),
    case("brand-paper-upper-case-a4", {B: edit(BRAND_YAML, "paper: a4", "paper: A4")},
         "assets/brands/demo-brand/brand.yaml:2:8: paper: 'A4' is not allowed. Did you mean "
         "'a4'?"),
    case("brand-missing-name",
         {B: edit(BRAND_YAML, "name: Demo Clinic\n", "")},
         "assets/brands/demo-brand/brand.yaml:1:1: missing 'name': clinic name"),
    case("brand-email-invalid", {B: edit(BRAND_YAML, "info@demo.example.org", "info at demo")},
         "assets/brands/demo-brand/brand.yaml:7:10: contact.email: 'info at demo' is not an "
         "e-mail address"),
    case("brand-folder-without-brand-yaml",
         {"assets/brands/other/logo.png": image_bytes("PNG")},
         "assets/brands/other: no brand.yaml in this folder"),
    # -- characters and fonts -----------------------------------------------------------
    case("character-no-font-covers",
         {E: edit(EN_YAML, "title: Demo handout", "title: Demo handout \u1200")},
         "handouts/demo/en.yaml:1:8: title: no bundled font has a glyph for U+1200 (ETHIOPIC "
         "SYLLABLE HA)"),
    case("character-no-font-covers-in-brand",
         {B: edit(BRAND_YAML, "name: Demo Clinic", "name: Demo Clinic \u1200")},
         "assets/brands/demo-brand/brand.yaml:1:7: name: no bundled font has a glyph for "
         "U+1200 (ETHIOPIC SYLLABLE HA)"),
    case("private-use-character",
         {E: edit(EN_YAML, "title: Demo handout", "title: Demo handout \U0010fffd")},
         "handouts/demo/en.yaml:1:8: title: contains the private-use character U+10FFFD, "
         "which is not allowed here"),
    case("fallback-font-character-builds",
         {E: edit(EN_YAML, "text: Some text about the condition.",
                  "text: Use a score ≥ 3 → tell us.")},
         None, 0),
    case("markup-looking-title-is-text",
         {E: edit(EN_YAML, "title: Demo handout",
                  "title: '<font name=\"x\">Demo</font> & <b>handout</b>'")},
         None, 0),
    case("yaml-1-1-boolean-word-is-text",
         {E: edit(EN_YAML, "title: Demo handout", "title: No")}, None, 0),
    # -- usage errors (exit code 2) -----------------------------------------------------
    case("unknown-handout-id", {}, "Error: 'demoo' is not a handout. Did you mean 'demo'?", 2,
         args=("check", "--root", "{root}", "demoo")),
    case("root-without-handouts-folder", {},
         "Error: --root: 'assets' has no handouts/ folder; is it a handout project?", 2,
         args=("check", "--root", "assets")),
    case("unknown-brand", {},
         "Error: 'demo-brnad' is not a brand. Did you mean 'demo-brand'?", 2,
         args=("build", "--root", "{root}", "-b", "demo-brnad", "-o", "out")),
]


@pytest.mark.parametrize(("files", "line", "code", "args"), CASES)
def test_bad_input(demo_project: Path, files: dict[str, Content], line: str | None, code: int,
                   args: tuple[str, ...]) -> None:
    write_files(demo_project, files)
    argv = [a.replace("{root}", str(demo_project)) for a in args] or \
        ["check", "--root", str(demo_project)]
    result = handout(*argv)
    assert result.exit_code == code, result.output
    if code == 2:
        assert line in result.stderr.splitlines(), result.output
        assert not (demo_project / "out").exists()
    elif line is None:
        assert result.stdout == "", result.output
    else:
        assert result.stdout.splitlines() == [line], result.output


def test_at_least_35_cases() -> None:
    assert len(CASES) >= 35


# -- a broken handout fails alone ---------------------------------------------------------


@pytest.mark.parametrize(("broken_en", "problem"), [
    pytest.param(edit(EN_YAML, "title: Demo handout\n", ""),
                 "handouts/broken/en.yaml:1:1: missing 'title'", id="invalid-yaml"),
    pytest.param(edit(EN_YAML, "title: Demo handout", "title: Demo handout \u1200"),
                 "handouts/broken/en.yaml:1:8: title: no bundled font has a glyph for U+1200 "
                 "(ETHIOPIC SYLLABLE HA)", id="font-coverage"),
])
def test_batch_isolation(demo_project: Path, broken_en: str, problem: str) -> None:
    write_files(demo_project, {"handouts/broken/handout.yaml": edit(HANDOUT_YAML, "id: demo",
                                                                    "id: broken"),
                               "handouts/broken/en.yaml": broken_en})
    result = handout("build", "--root", str(demo_project), "-b", "demo-brand", "-o", "out")
    assert result.exit_code == 1, result.output
    out = demo_project / "out" / "demo-brand" / "en"
    good = out / "demo-leaflet-a4.pdf"
    assert good.is_file() and good.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in out.iterdir()) == ["demo-leaflet-a4.pdf"]  # no temp files
    assert not list((demo_project / "out").rglob("broken*"))
    assert not list((demo_project / "out").rglob("*.tmp"))
    assert problem in result.stderr.splitlines(), result.output
    summary = result.stderr.splitlines()[-1]
    assert summary.startswith("Built 1, 0 up to date, 1 failed, in "), summary
    assert summary.endswith("; failed: demo-brand/en/broken-leaflet-a4."), summary
