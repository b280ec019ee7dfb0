"""Hostile input: each bad file fails only its own documents, with one located line; the rest build.

Every case changes one file (or folder) of a valid project holding two handouts ('demo' and
'good') and two brands ('demo-brand' and 'good-brand'), then runs `handout build`. A case that
breaks the handout 'demo' builds both handouts for 'good-brand'; one that breaks 'demo-brand'
builds 'good' for both brands. Each asserts: the exit code; a problem line
`file:line:col: key.path: message` matching the case's pattern; no traceback and no internal
error; no PDF and no temporary file for the failed document; and the other document built.
"""

from __future__ import annotations

import builtins
import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from builder.cli import main
from builder.manifest import MANIFEST_NAME

from .conftest import pdf_text
from .hostile import (
    BRAND_DIR,
    BRAND_YAML,
    EN_YAML,
    HANDOUT_DIR,
    HANDOUT_YAML,
    B,
    Content,
    H,
    edit,
    hostile_project,
    image_bytes,
    jpeg_claiming,
    noisy_jpeg,
    png_bomb,
    png_claiming,
    truncated,
    write_files,
)

E = "handouts/demo/en.yaml"
FIG = "handouts/demo/figures/points.png"
LOGO = "assets/brands/demo-brand/logo.png"
SECTION_TYPES = ("'about', 'aftercare', 'expect', 'faq', 'figure', 'precautions', 'prepare', "
                 "'red_flags', 'side_effects' or 'text'")

Setup = Callable[[Path, pytest.MonkeyPatch], None]


@dataclass(frozen=True)
class Case:
    """One hostile input: files to write, the problem line expected (a regex), the exit code.

    `problem` None means the input is valid: exit 0 and every document built; `text` is then
    text the PDF must show exactly as typed. `setup` changes the run itself (a file that cannot
    be read). `args` replace the build command's options for usage errors (exit code 2).
    """

    id: str
    files: dict[str, Content]
    problem: str | None
    code: int = 1
    text: str = ""
    setup: Setup | None = None
    args: tuple[str, ...] = ()
    brand: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "brand", any(k.startswith(BRAND_DIR) for k in self.files))


def at(file: str, where: str, rest: str) -> str:
    """The pattern of a located line: `file` and `where` ('3:8', or '' for the file alone)
    literally, then `rest`, a regex."""
    return re.escape(f"{file}:{where}" if where else file) + ": " + rest


def lit(text: str) -> str:
    return re.escape(text)


def figure(path_in_yaml: str, image: Content | None = None) -> dict[str, Content]:
    """handout.yaml declaring figure 'points' at `path_in_yaml`; en.yaml showing it."""
    files: dict[str, Content] = {
        H: HANDOUT_YAML + f"figures:\n  points: {path_in_yaml}\n",
        E: EN_YAML + "  - type: figure\n    figure: points\n    caption: The points.\n",
    }
    if image is not None:
        files[f"{HANDOUT_DIR}/{path_in_yaml}"] = image
    return files


def logo(path_in_yaml: str, image: Content | None = None) -> dict[str, Content]:
    files: dict[str, Content] = {B: BRAND_YAML + f"logo: {path_in_yaml}\n"}
    if image is not None:
        files[f"{BRAND_DIR}/{path_in_yaml}"] = image
    return files


def reviewed(value: str) -> str:
    return edit(HANDOUT_YAML, "reviewed: 2026-01-15", f"reviewed: {value}")


FIGURE_AT = at(H, "8:11", "figures.points: ")
LOGO_AT = at(B, "9:7", "logo: ")


# -- files that are links, folders, pipes, or cannot be read -------------------------------


def link_to(target: str | Callable[[Path], Path]) -> Callable[[Path], None]:
    """Make the file a symbolic link to `target` (absolute, or made by a callable)."""

    def make(path: Path) -> None:
        where = target(path) if callable(target) else Path(target)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        path.unlink(missing_ok=True)
        os.symlink(where, path)

    return make


def outside_file(data: bytes) -> Callable[[Path], Path]:
    """A file beside the project folder (outside it), holding `data`."""

    def make(path: Path) -> Path:
        root = next(p for p in path.parents if (p / "handouts").is_dir() or p.name == "proj")
        outside = root.parent / f"outside-{path.name}"
        outside.write_bytes(data)
        return outside

    return make


def outside_folder(files: dict[str, bytes]) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        root = next(p for p in path.parents if p.name == "proj")
        folder = root.parent / f"outside-{path.name}"
        for name, data in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        return folder

    return make


def folder(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.mkdir()


def pipe(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with open(path, "wb") as handle:
            handle.truncate(size)

    return make


def unreadable(rel: str) -> Setup:
    """Opening `rel` fails with EACCES, as for a file without read permission.

    (The tests may run as root, for whom file modes do not stop reading.)
    """

    def setup(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        target = os.path.realpath(root / rel)
        real_open = builtins.open

        def guarded(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, str | os.PathLike) and os.path.realpath(file) == target:
                raise PermissionError(13, "Permission denied", os.fspath(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", guarded)
        monkeypatch.setattr(io, "open", guarded)

    return setup


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{x}: &{x} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, x in zip("abcdefgh", "bcdefghi", strict=True)) + "title: *i\n"

DEEP_BLOCK = "title: Demo\nsections:\n" + "".join(
    "  " * i + f"k{i}:\n" for i in range(1, 60)) + "  " * 60 + "x\n"


CASES = [
    # -- YAML syntax ---------------------------------------------------------------------
    Case("yaml-unclosed-bracket", {E: edit(EN_YAML, "title: Demo handout", "title: [Demo")},
         at(E, "2:9", "not valid YAML: while parsing a flow sequence, expected ',' or ']', "
                      "but got ':'")),
    Case("yaml-bad-indentation",
         {E: edit(EN_YAML, "  - type: prepare\n", "  - type: prepare\n   oops\n")},
         at(E, "6:4", "not valid YAML: .*")),
    Case("yaml-colon-in-value",
         {E: edit(EN_YAML, "title: Demo handout", "title: Acupuncture: what to expect")},
         at(E, "1:19", lit("a value contains ': ' (a colon and a space); put the whole text "
                           "in quotes") + ".*")),
    Case("yaml-tab-indentation",
         {E: edit(EN_YAML, "  - type: about\n    text:", "  - type: about\n\ttext:")},
         at(E, "4:1", "a tab character is used for indenting; indent with spaces")),
    Case("yaml-unclosed-quote", {E: edit(EN_YAML, "title: Demo handout", 'title: "Demo')},
         at(E, "1:8", "a quoted text is not closed; add the closing quote")),
    Case("yaml-two-documents", {E: EN_YAML + "---\ntitle: Another\n"},
         at(E, "19:1", "not valid YAML: expected a single document in the stream, but found "
                       "another document")),
    Case("yaml-unknown-escape", {E: edit(EN_YAML, "title: Demo handout", r'title: "C:\dir"')},
         at(E, "1:8", "not valid YAML: .*unknown escape character 'd'")),
    Case("yaml-directive-aliasing-python-tags",
         {E: "%TAG !p! tag:yaml.org,2002:python/\n---\n"
             + edit(EN_YAML, "title: Demo handout", "title: !p!object/apply:os.system [id]")},
         at(E, "3:8", lit("title: the tag '!!python/object/apply:os.system' is not allowed; "
                          "remove it"))),
    # -- wrong types -----------------------------------------------------------------------
    Case("title-is-a-list", {E: edit(EN_YAML, "title: Demo handout", "title: [Demo, handout]")},
         at(E, "1:8", "title: expected text, found a list")),
    Case("sections-is-a-mapping",
         {E: "title: Demo handout\nsections:\n  type: about\n  text: Hi.\n"},
         at(E, "3:3", lit("sections: expected a list ('- …' lines or [a, b]), found a mapping"))),
    Case("item-is-text",
         {E: edit(EN_YAML, "      - id: chest-pain\n        text: Chest pain or trouble "
                           "breathing.\n", "      - Chest pain\n")},
         at(E, "13:9", lit("sections[2].items[0]: expected a mapping of 'key: value' lines, "
                           "found 'Chest pain'"))),
    Case("faq-answer-is-a-mapping",
         {E: edit(EN_YAML, "a: Most people feel little.", "a: {short: yes}")},
         at(E, "18:12", "sections\\[3\\]\\.items\\[0\\]\\.a: expected text, found a mapping")),
    Case("reviewed-is-a-list",
         {H: edit(HANDOUT_YAML, "reviewed: 2026-01-15", "reviewed: [2026-01-15]")},
         at(H, "4:11", "reviewed: expected text, found a list")),
    Case("layouts-is-text", {H: edit(HANDOUT_YAML, "layouts: [leaflet]", "layouts: leaflet")},
         at(H, "6:10", lit("layouts: expected a list ('- …' lines or [a, b]), found 'leaflet'"))),
    Case("brand-colors-is-a-list",
         {B: edit(BRAND_YAML, 'colors: {primary: "#1B4F72", accent: "#A93226", '
                              'text: "#1A1A1A"}', 'colors: ["#1B4F72"]')},
         at(B, "3:9", "colors: expected a mapping of 'key: value' lines, found a list")),
    # -- missing and extra fields ----------------------------------------------------------
    Case("missing-title", {E: edit(EN_YAML, "title: Demo handout\n", "")},
         at(E, "1:1", "missing 'title'")),
    Case("missing-condition", {H: edit(HANDOUT_YAML, "condition: Demo condition\n", "")},
         at(H, "1:1", "missing 'condition': .*")),
    Case("missing-item-id",
         {E: edit(EN_YAML, "      - id: loose-clothes\n        text:", "      - text:")},
         at(E, "7:9", "sections\\[1\\]\\.items\\[0\\]: missing 'id': .*")),
    Case("extra-top-level-field", {E: EN_YAML + "author: Someone\n"},
         at(E, "19:1", "author: unknown field 'author'\\. Allowed: .*")),
    Case("extra-field-in-item",
         {E: edit(EN_YAML, "        text: Wear loose clothes.",
                  "        text: Wear loose clothes.\n        note: hidden")},
         at(E, "9:9", "sections\\[1\\]\\.items\\[0\\]\\.note: unknown field 'note'\\. .*")),
    Case("extra-field-in-brand", {B: BRAND_YAML + "colour: red\n"},
         at(B, "9:1", "colour: unknown field 'colour'\\. Did you mean 'colors'\\?")),
    # -- section types ---------------------------------------------------------------------
    Case("unknown-section-type", {E: edit(EN_YAML, "type: red_flags", "type: gallery")},
         at(E, "11:11", lit(f"sections[2].type: 'gallery' is not a section type. Allowed: "
                            f"{SECTION_TYPES}."))),
    Case("misspelt-section-type", {E: edit(EN_YAML, "type: red_flags", "type: redflags")},
         at(E, "11:11", lit("sections[2].type: 'redflags' is not a section type. Did you mean "
                            "'red_flags'?"))),
    Case("section-type-empty", {E: edit(EN_YAML, "type: red_flags", "type:")},
         at(E, "11:10", lit(f"sections[2].type: expected one of {SECTION_TYPES}, found "
                            "nothing"))),
    # -- duplicate keys, anchors, aliases, merge keys ----------------------------------------
    Case("duplicate-top-level-key", {E: edit(EN_YAML, "sections:\n", "title: Again\nsections:\n")},
         at(E, "2:1", lit("title: duplicate key 'title' (first given on line 1)"))),
    Case("duplicate-key-in-item",
         {E: edit(EN_YAML, "        text: Wear loose clothes.",
                  "        text: Wear loose clothes.\n        text: Wear a gown.")},
         at(E, "9:9", lit("sections[1].items[0].text: duplicate key 'text' (first given on "
                          "line 8)"))),
    Case("anchor", {E: edit(EN_YAML, "title: Demo handout", "title: &t Demo handout")},
         at(E, "1:8", lit("anchors (&name) are not allowed; write the value out"))),
    Case("alias-to-undefined-anchor", {E: edit(EN_YAML, "title: Demo handout", "title: *nothing")},
         at(E, "1:8", lit("aliases (*name) are not allowed; write the value out"))),
    Case("alias-bomb-billion-laughs", {E: BILLION_LAUGHS},
         at(E, "1:4", lit("anchors (&name) are not allowed; write the value out"))),
    Case("merge-key", {E: edit(EN_YAML, "title: Demo handout", "<<: {title: x}\ntitle: Demo")},
         at(E, "1:1", "merge keys \\(<<\\) are not allowed")),
    # -- tags ----------------------------------------------------------------------------------
    Case("python-object-apply",
         {E: edit(EN_YAML, "title: Demo handout",
                  "title: !!python/object/apply:os.system [touch /tmp/pwned]")},
         at(E, "1:8", lit("title: the tag '!!python/object/apply:os.system' is not allowed; "
                          "remove it"))),
    Case("python-name", {E: edit(EN_YAML, "title: Demo handout", "title: !!python/name:os.system")},
         at(E, "1:8", lit("title: the tag '!!python/name:os.system' is not allowed; remove it"))),
    Case("python-object-new",
         {H: edit(HANDOUT_YAML, "condition: Demo condition",
                  "condition: !!python/object/new:subprocess.Popen [[id]]")},
         at(H, "2:12", lit("condition: the tag '!!python/object/new:subprocess.Popen' is not "
                           "allowed; remove it"))),
    Case("binary-tag", {B: edit(BRAND_YAML, "name: Demo Clinic", "name: !!binary aGVsbG8=")},
         at(B, "1:7", lit("name: the tag '!!binary' is not allowed; remove it"))),
    Case("set-tag", {E: edit(EN_YAML, "title: Demo handout", "title: !!set {a, b}")},
         at(E, "1:8", lit("title: the tag '!!set' is not allowed; remove it"))),
    # -- size and depth ------------------------------------------------------------------------
    Case("file-over-1-mib", {E: EN_YAML + "# " + "x" * (1024 * 1024) + "\n"},
         at(E, "", "file is 1,048,997 bytes; at most 1,048,576 are allowed")),
    Case("deep-flow-nesting",
         {E: edit(EN_YAML, "title: Demo handout", "title: " + "[" * 500 + "]" * 500)},
         at(E, "1:47", "nested more than 40 levels deep")),
    Case("deep-block-nesting", {E: DEEP_BLOCK}, at(E, "41:79", "nested more than 40 levels deep")),
    Case("too-many-values",
         {E: edit(EN_YAML, "title: Demo handout", "title: [" + ",".join("0" * 50_001) + "]")},
         at(E, "1:100003", "more than 50000 values in one file")),
    Case("one-line-field-too-long",
         {E: edit(EN_YAML, "title: Demo handout", "title: " + "x" * 700)},
         at(E, "1:8", "title: is 700 characters long; at most 600 are allowed")),
    Case("too-many-list-entries",
         {E: edit(EN_YAML, "      - id: chest-pain\n        text: Chest pain or trouble "
                           "breathing.\n",
                  "".join(f"      - {{id: flag-{i}, text: Flag {i}.}}\n" for i in range(61)))},
         at(E, "13:7", "sections\\[2\\]\\.items: has 61 entries; at most 60 are allowed")),
    # -- empty files ---------------------------------------------------------------------------
    Case("empty-translation", {E: ""}, at(E, "1:1", "the file is empty")),
    Case("comments-only-translation", {E: "# nothing here yet\n\n   \n"},
         at(E, "1:1", "the file is empty")),
    Case("document-marker-only", {H: "---\n...\n"}, at(H, "2:1", "the file is empty")),
    Case("empty-brand", {B: ""}, at(B, "1:1", "the file is empty")),
    # -- encodings, BOM, line ends ---------------------------------------------------------------
    Case("bom-and-crlf-build", {E: b"\xef\xbb\xbf" + EN_YAML.replace("\n", "\r\n").encode()},
         None, 0, text="Demo handout"),
    Case("crlf-error-keeps-line-numbers",
         {E: edit(EN_YAML, "text: Eat a light meal.", "text: [Eat]").replace("\n", "\r\n")},
         at(E, "10:15", "sections\\[1\\]\\.items\\[1\\]\\.text: expected text, found a list")),
    Case("utf16-file", {E: EN_YAML.encode("utf-16")},
         at(E, "1:1", "not valid UTF-8 text; save the file as UTF-8")),
    Case("latin1-file", {B: edit(BRAND_YAML, "Demo Clinic", "Clínica Demo").encode("latin-1")},
         at(B, "1:9", "not valid UTF-8 text; save the file as UTF-8")),
    # -- control characters --------------------------------------------------------------------
    Case("raw-bell", {E: edit(EN_YAML, "title: Demo handout", "title: Demo\x07handout")},
         at(E, "1:12", "contains the control character U\\+0007, which is not allowed")),
    Case("escaped-escape-character",
         {E: edit(EN_YAML, "title: Demo handout", 'title: "Demo \\e[31mred"')},
         at(E, "1:8", "title: contains the control character U\\+001B, which is not allowed "
                      "here")),
    Case("nul-character", {E: edit(EN_YAML, "title: Demo handout", "title: Demo\x00")},
         at(E, "1", "contains a NUL character; is this a binary file\\?")),
    Case("direction-override",
         {E: edit(EN_YAML, "text: Wear loose clothes.", 'text: "Take \\u202E2 tablets"')},
         at(E, "8:15", "sections\\[1\\]\\.items\\[0\\]\\.text: contains the direction control "
                       "U\\+202E, which is not allowed here")),
    Case("line-separator-in-one-line-field",
         {B: edit(BRAND_YAML, "name: Demo Clinic", 'name: "Demo\\LClinic"')},
         at(B, "1:7", "name: contains the line separator U\\+2028, which is not allowed here")),
    Case("delete-character", {E: edit(EN_YAML, "title: Demo handout", "title: Demo\x7fhandout")},
         at(E, "1:12", "contains the control character U\\+007F, which is not allowed")),
    # -- dates ---------------------------------------------------------------------------------
    Case("date-february-30", {H: reviewed("2026-02-30")},
         at(H, "4:11", "reviewed: '2026-02-30' is not a real date \\(day is out of range for "
                       "month\\)")),
    Case("date-with-slashes", {H: reviewed("2026/01/15")},
         at(H, "4:11", lit("reviewed: '2026/01/15' is not a date; write it as YYYY-MM-DD, e.g. "
                           "2026-11-01"))),
    Case("date-as-number", {H: edit(HANDOUT_YAML, "2099-01-15", "20990115")},
         at(H, "5:13", "review_due: '20990115' is not a date; .*")),
    Case("date-with-time", {H: reviewed("2026-01-15T10:00")},
         at(H, "4:11", "reviewed: '2026-01-15T10:00' is not a date; .*")),
    Case("date-year-zero", {H: reviewed("0000-01-01")},
         at(H, "4:11", "reviewed: '0000-01-01' is not a real date \\(year 0 is out of range\\)")),
    # -- ids and folders -------------------------------------------------------------------------
    Case("id-not-folder-name", {H: edit(HANDOUT_YAML, "id: demo", "id: good")},
         at(H, "1:5", "id: 'good' must equal the folder name 'demo'")),
    Case("id-with-path-characters", {H: edit(HANDOUT_YAML, "id: demo", "id: ../../etc")},
         at(H, "1:5", "id: '\\.\\./\\.\\./etc' is not a valid id; use lowercase a-z, 0-9 and -")),
    Case("item-id-not-ascii", {E: edit(EN_YAML, "id: chest-pain", "id: chest-paín")},
         at(E, "13:13", "sections\\[2\\]\\.items\\[0\\]\\.id: 'chest-paín' is not a valid id; "
                        ".*")),
    Case("duplicate-item-id", {E: edit(EN_YAML, "id: chest-pain", "id: light-meal")},
         at(E, "13:13", lit("sections[2].items[0].id: duplicate id 'light-meal' (also "
                            "sections[1].items[1])"))),
    # -- language tags ---------------------------------------------------------------------------
    Case("language-not-a-tag", {H: HANDOUT_YAML + "languages: [en, klingon]\n"},
         at(H, "7:17", "languages\\[1\\]: 'klingon' is not a language tag such as 'en', .*")),
    Case("language-file-not-named-as-tag", {"handouts/demo/english.yaml": EN_YAML},
         at("handouts/demo/english.yaml", "", lit("'english.yaml' is not named after a language "
                                                   "tag (en.yaml, ja.yaml, zh-Hans.yaml …)"))),
    Case("source-language-country-code",
         {H: edit(HANDOUT_YAML, "source_language: en", "source_language: jp")},
         at(H, "3:18", "source_language: no jp.yaml in demo/\\.")),
    Case("footer-language-misspelt", {B: BRAND_YAML + "footer: {en: Thanks, jp: ありがとう}\n"},
         at(B, "9:26", "footer.jp: 'jp' is not a language tag. Did you mean 'ja'\\?")),
    Case("local-name-language-misspelt", {B: BRAND_YAML + "name_local: {jp: ひので鍼灸院}\n"},
         at(B, "9:18", "name_local.jp: 'jp' is not a language tag. Did you mean 'ja'\\?")),
    # -- markup-looking text, long words and URLs: printed as typed ------------------------------
    Case("markup-in-title",
         {E: edit(EN_YAML, "title: Demo handout",
                  "title: '<img src=\"/etc/passwd\"/> & <b>bold</b> <font size=\"99\">x</font>'")},
         None, 0, text='<img src="/etc/passwd"/> & <b>bold</b> <font size="99">x</font>'),
    Case("markup-in-item",
         {E: edit(EN_YAML, "text: Wear loose clothes.",
                  "text: '&amp; &#65; &lt;br/&gt; <a href=\"javascript:alert(1)\">x</a> <br/>'")},
         None, 0, text='&amp; &#65; &lt;br/&gt; <a href="javascript:alert(1)">x</a> <br/>'),
    Case("markup-in-brand-name",
         {B: edit(BRAND_YAML, "name: Demo Clinic", "name: '<para>Demo</para> <seq/> Clinic'")},
         None, 0, text="<para>Demo</para> <seq/> Clinic"),
    Case("very-long-word",
         {E: edit(EN_YAML, "text: Wear loose clothes.", "text: Wear " + "x" * 500 + " clothes.")},
         None, 0, text="Wear " + "x" * 500 + " clothes."),
    Case("very-long-url",
         {E: edit(EN_YAML, "text: Some text about the condition.",
                  "text: See https://example.org/" + "a/" * 900 + "end now.")},
         None, 0, text="See https://example.org/" + "a/" * 900 + "end now."),
    # -- paths for figures and logos ---------------------------------------------------------------
    Case("figure-path-traversal", figure("../../../etc/passwd"),
         FIGURE_AT + lit("'../../../etc/passwd' must be a file inside demo/, given relative to "
                         "it")),
    Case("figure-traversal-into-another-handout", figure("figures/../../good/en.yaml"),
         FIGURE_AT + lit("'figures/../../good/en.yaml' must be a file inside demo/, given "
                         "relative to it")),
    Case("figure-absolute-path", figure("/etc/passwd"),
         FIGURE_AT + lit("'/etc/passwd' must be a file inside demo/, given relative to it")),
    Case("figure-windows-drive-path", figure("'C:\\Windows\\win.ini'"),
         FIGURE_AT + lit("'C:\\Windows\\win.ini' must be a file inside demo/, given relative "
                         "to it")),
    Case("logo-path-traversal", logo("../../../../../etc/passwd"),
         LOGO_AT + lit("'../../../../../etc/passwd' must be a file inside demo-brand/, given "
                       "relative to it")),
    Case("logo-absolute-path", logo("/etc/hostname"),
         LOGO_AT + lit("'/etc/hostname' must be a file inside demo-brand/, given relative to "
                       "it")),
    Case("logo-home-path", logo("~/logo.png"), LOGO_AT + lit("file not found: ~/logo.png")),
    # -- links that lead outside -------------------------------------------------------------------
    Case("figure-link-outside",
         figure("figures/points.png", link_to(outside_file(image_bytes("PNG")))),
         FIGURE_AT + lit("'figures/points.png' points outside demo/")),
    Case("figure-folder-link-outside",
         {**figure("figures/points.png"),
          "handouts/demo/figures": link_to(outside_folder({"points.png": image_bytes("PNG")}))},
         FIGURE_AT + lit("'figures/points.png' points outside demo/")),
    Case("figure-link-loop", figure("figures/points.png", link_to("points.png")),
         FIGURE_AT + lit("'figures/points.png' is a link that leads back to itself")),
    Case("figure-link-to-nothing", figure("figures/points.png", link_to("missing.png")),
         FIGURE_AT + lit("file not found: figures/points.png")),
    Case("figure-path-with-nul", figure('"figures/points\\0.png"'),
         FIGURE_AT + lit("contains the control character U+0000, which is not allowed here")),
    Case("logo-link-to-system-file", logo("logo.png", link_to("/etc/hostname")),
         LOGO_AT + lit("'logo.png' points outside demo-brand/")),
    Case("translation-link-outside", {E: link_to(outside_file(EN_YAML.encode()))},
         at(E, "", "is a link to a file outside this handout's folder; copy the file in "
                   "instead")),
    Case("handout-yaml-link-outside", {H: link_to(outside_file(HANDOUT_YAML.encode()))},
         at(H, "", "is a link to a file outside this handout's folder; copy the file in "
                   "instead")),
    Case("handout-folder-link-outside",
         {HANDOUT_DIR: link_to(outside_folder({"handout.yaml": HANDOUT_YAML.encode(),
                                               "en.yaml": EN_YAML.encode()}))},
         at(HANDOUT_DIR, "", "is a link to a folder outside handouts/; copy the handout in "
                             "instead")),
    Case("brand-yaml-link-outside", {B: link_to(outside_file(BRAND_YAML.encode()))},
         at(B, "", "is a link to a file outside the brand's folder; copy the file in instead")),
    # -- images ------------------------------------------------------------------------------------
    Case("figure-valid-png", figure("figures/points.png", image_bytes("PNG")), None, 0,
         text="The points."),
    Case("figure-truncated-png",
         figure("figures/points.png", truncated(image_bytes("PNG", (64, 64)), 0.5)),
         FIGURE_AT + "points\\.png: image is damaged or truncated \\(.*\\)"),
    Case("figure-truncated-jpeg", figure("figures/points.jpg", truncated(noisy_jpeg())),
         FIGURE_AT + "points\\.jpg: image is damaged or truncated \\(.*\\)"),
    Case("figure-empty-file", figure("figures/points.png", b""),
         FIGURE_AT + lit("points.png: is not a PNG or JPEG image, or it is damaged")),
    Case("figure-random-bytes", figure("figures/points.png", os.urandom(2048)),
         FIGURE_AT + lit("points.png: is not a PNG or JPEG image, or it is damaged")),
    Case("figure-decompression-bomb-header",
         figure("figures/points.png", png_claiming(100_000, 100_000)),
         FIGURE_AT + lit("points.png: image has 10,000,000,000 pixels; at most 25,000,000 "
                         "pixels are allowed")),
    Case("figure-decompression-bomb-real", figure("figures/points.png", png_bomb(8000)),
         FIGURE_AT + lit("points.png: image is 8000 x 8000 pixels; at most 25,000,000 pixels "
                         "are allowed")),
    Case("figure-jpeg-claiming-huge-size",
         figure("figures/points.jpg", jpeg_claiming(60000, 60000)),
         FIGURE_AT + lit("points.jpg: image has 3,600,000,000 pixels; at most 25,000,000 "
                         "pixels are allowed")),
    Case("figure-over-20-mb", figure("figures/points.png", sparse(21 * 1024 * 1024)),
         FIGURE_AT + lit("points.png: image file is 22,020,096 bytes; at most 20,971,520 are "
                         "allowed")),
    Case("figure-gif-named-png", figure("figures/points.png", image_bytes("GIF")),
         FIGURE_AT + lit("points.png: is a GIF image; use PNG or JPEG")),
    Case("figure-webp-named-png", figure("figures/points.png", image_bytes("WEBP")),
         FIGURE_AT + lit("points.png: is a WEBP image; use PNG or JPEG")),
    Case("figure-tiff-named-jpg", figure("figures/points.jpg", image_bytes("TIFF")),
         FIGURE_AT + lit("points.jpg: is a TIFF image; use PNG or JPEG")),
    Case("figure-svg-named-png",
         figure("figures/points.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
         FIGURE_AT + lit("points.png: is an SVG image; use PNG or JPEG")),
    Case("figure-pdf-named-png", figure("figures/points.png", b"%PDF-1.4\n%%EOF\n"),
         FIGURE_AT + lit("points.png: is a PDF file; use PNG or JPEG")),
    Case("figure-gif-suffix", figure("figures/points.gif", image_bytes("GIF")),
         FIGURE_AT + lit("'points.gif' must be a PNG or JPEG file (.png, .jpg)")),
    Case("figure-is-a-folder", figure("figures/points.png", folder),
         FIGURE_AT + lit("'figures/points.png' is not a file")),
    Case("figure-is-a-pipe", figure("figures/points.png", pipe),
         FIGURE_AT + lit("'figures/points.png' is not a file")),
    Case("logo-truncated-jpeg", logo("logo.jpg", truncated(noisy_jpeg())),
         LOGO_AT + "logo\\.jpg: image is damaged or truncated \\(.*\\)"),
    Case("logo-bomb", logo("logo.png", png_claiming(30_000, 30_000)),
         LOGO_AT + lit("logo.png: image has 900,000,000 pixels; at most 25,000,000 pixels are "
                       "allowed")),
    Case("logo-bmp-named-png", logo("logo.png", image_bytes("BMP")),
         LOGO_AT + lit("logo.png: is a BMP image; use PNG or JPEG")),
    # -- files that cannot be read -------------------------------------------------------------
    Case("translation-unreadable", {}, at(E, "", "cannot read file: Permission denied"),
         setup=unreadable(E)),
    Case("handout-yaml-unreadable", {}, at(H, "", "cannot read file: Permission denied"),
         setup=unreadable(H)),
    Case("brand-yaml-unreadable", {B: BRAND_YAML},
         at(B, "", "cannot read file: Permission denied"), setup=unreadable(B)),
    Case("figure-unreadable", figure("figures/points.png", image_bytes("PNG")),
         FIGURE_AT + lit("points.png: cannot read image: Permission denied"),
         setup=unreadable(FIG)),
    Case("logo-unreadable", logo("logo.png", image_bytes("PNG")),
         LOGO_AT + lit("logo.png: cannot read image: Permission denied"), setup=unreadable(LOGO)),
    Case("handout-yaml-is-a-folder", {H: folder}, at(H, "", "is a folder, not a file")),
    Case("translation-is-a-pipe", {E: pipe},
         at(E, "", lit("is not a regular file (a pipe or a device?); save the text as a file"))),
    Case("translation-link-to-nothing", {E: link_to("missing.yaml")},
         at(E, "", "is a link to a file that does not exist")),
    # -- colours -----------------------------------------------------------------------------------
    Case("colour-five-digits", {B: edit(BRAND_YAML, '"#1B4F72"', '"#12345"')},
         at(B, "3:19", lit("colors.primary: '#12345' is not a colour; write it as #RRGGBB, "
                           "e.g. #1B4F72"))),
    Case("colour-not-hex", {B: edit(BRAND_YAML, '"#1B4F72"', '"#GGGGGG"')},
         at(B, "3:19", "colors\\.primary: '#GGGGGG' is not a colour; .*")),
    Case("colour-name", {B: edit(BRAND_YAML, '"#A93226"', "crimson")},
         at(B, "3:38", "colors\\.accent: 'crimson' is not a colour; .*")),
    Case("colour-without-hash", {B: edit(BRAND_YAML, '"#1A1A1A"', "1A1A1A")},
         at(B, "3:55", "colors\\.text: '1A1A1A' is not a colour; .*")),
    Case("low-contrast-text", {B: edit(BRAND_YAML, '"#1A1A1A"', '"#C8C8C8"')},
         at(B, "3:55", lit("colors.text: #C8C8C8 on white has contrast 1.7:1; at least 4.5:1 "
                           "is needed"))),
    Case("low-contrast-primary", {B: edit(BRAND_YAML, '"#1B4F72"', '"#FFFF00"')},
         at(B, "3:19", "colors\\.primary: #FFFF00 on white has contrast 1\\.1:1; .*")),
    Case("accent-low-contrast-on-red-flag-box", {B: edit(BRAND_YAML, '"#A93226"', '"#E06666"')},
         at(B, "3:38", "colors\\.accent: #E06666 on white has contrast .*")),
    # -- usage errors ------------------------------------------------------------------------------
    Case("unknown-handout-on-command-line", {},
         "Error: 'demoo' is not a handout\\. Did you mean 'demo'\\?", 2, args=("demoo",)),
    Case("unknown-layout-on-command-line", {},
         "Error: 'tri-fold' is not a layout\\. Did you mean 'trifold'\\?", 2,
         args=("--layout", "tri-fold")),
    Case("unknown-brand-on-command-line", {},
         "Error: '\\.\\./demo-brand' is not a brand\\. .*", 2, args=("-b", "../demo-brand")),
]


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The two-handout project in tmp_path/proj; the working folder is the project."""
    root = hostile_project(tmp_path / "proj")
    monkeypatch.chdir(root)
    return root


def handout(*args: str) -> Result:
    """Run `handout` in-process; an exception escaping the command fails the test."""
    result = CliRunner().invoke(main, list(args), prog_name="handout")
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


def outputs(out: Path) -> list[str]:
    """Every file under `out` (hidden temporary files included; not the build record),
    relative, sorted."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if not p.is_dir() and p.name != MANIFEST_NAME) if out.is_dir() else []


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(proj: Path, monkeypatch: pytest.MonkeyPatch, case: Case) -> None:
    write_files(proj, case.files)
    if case.setup:
        case.setup(proj, monkeypatch)
    # A broken brand is built with 'good' only; a broken handout for 'good-brand' only.
    scope = ("good", "-b", "demo-brand", "-b", "good-brand") if case.brand else \
        ("-b", "good-brand")
    result = handout("build", "--root", str(proj), "-o", "out", "-j", "1",
                     *(case.args or scope))
    output = result.output
    assert result.exit_code == case.code, output
    assert "Traceback" not in output and "internal error" not in output, output
    built = outputs(proj / "out")
    if case.code == 2:
        assert any(re.fullmatch(case.problem or "", line) for line in result.stderr.splitlines()
                   ), output
        assert built == [], built
        return
    good = ["good-brand/en/good-leaflet-a4.pdf"]
    failed = ["demo-brand/en/good-leaflet-a4.pdf"] if case.brand else \
        ["good-brand/en/demo-leaflet-a4.pdf"]
    if case.problem is None:
        assert built == sorted(good + failed), output
        assert result.stderr.splitlines()[-1].startswith("Built 2, 0 up to date, 0 failed"), \
            output
        if case.text:
            # (A long word or address breaks across lines: compare without white space.)
            shown = "".join(pdf_text(proj / "out" / failed[0]).split())
            assert "".join(case.text.split()) in shown, case.text
        return
    problems = [line for line in result.stderr.splitlines() if re.fullmatch(case.problem, line)]
    assert problems, f"no line matches {case.problem!r}:\n{output}"
    assert built == good, output  # nothing for the failed document, not even a temporary file
    summary = result.stderr.splitlines()[-1]
    assert re.fullmatch(r"Built 1, 0 up to date, 1 failed, in [\d.]+ s; failed: .*\.", summary), \
        summary


def test_at_least_60_cases() -> None:
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)


def test_the_installed_command_on_hostile_input(proj: Path) -> None:
    """The same promises from the installed `handout` command, in a process of its own."""
    write_files(proj, {
        E: edit(EN_YAML, "title: Demo handout", "title: !!python/object/apply:os.system [id]"),
        **logo("logo.png", png_claiming(100_000, 100_000)),
    })
    done = subprocess.run([shutil.which("handout") or "handout", "build", "--root", str(proj),
                           "-o", "out", "-j", "1", "-b", "demo-brand", "-b", "good-brand"],
                          cwd=proj, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert "handouts/demo/en.yaml:1:8: title: the tag '!!python/object/apply:os.system' is not " \
           "allowed; remove it" in lines, done.stderr
    assert "assets/brands/demo-brand/brand.yaml:9:7: logo: logo.png: image has 10,000,000,000 " \
           "pixels; at most 25,000,000 pixels are allowed" in lines, done.stderr
    assert done.stdout.splitlines() == ["built out/good-brand/en/good-leaflet-a4.pdf"]
    assert outputs(proj / "out") == ["good-brand/en/good-leaflet-a4.pdf"]
