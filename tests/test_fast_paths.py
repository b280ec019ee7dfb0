"""What the builder does to be fast never changes what it makes: fonts read lazily, libyaml,
shared parsed text and line breaks, warm forked workers."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.platypus import Paragraph

from builder import source
from builder.batch import Job, load_engine, plan, render_job
from builder.font_faces import FastFace
from builder.font_subsets import number_array
from builder.fonts import _coverage, _TrueTypeFont
from builder.linebreak import KinsokuParagraph
from builder.memo import forget_texts
from builder.project import BUILTIN_ROOT

from .conftest import invoke

FONTS = BUILTIN_ROOT / "assets" / "fonts"


@pytest.mark.parametrize("font", sorted(p.name for p in FONTS.glob("*.tt[fc]")))
def test_coverage_read_from_the_character_map_is_reportlabs(font: str) -> None:
    path = str(FONTS / font)
    assert _coverage(path, 0) == frozenset(TTFontFace(path, subfontIndex=0).charToGlyph)


def _face_attributes(face: TTFontFace) -> dict[str, object]:
    """What reading a face set, with what a FastFace works out when asked for."""
    face.glyphToChar  # noqa: B018 (worked out when first asked for)
    # (the scale is a function made per reading; the read position is where reading ended;
    # the subfont is kept for the cache's key)
    found = {k: v for k, v in face.__dict__.items()
             if k not in ("_pdfScale", "_pos", "_subfont", "_character_pairs")}
    found["hmetrics"] = list(face.hmetrics)
    found["_ttf_data"] = bytes(face._ttf_data)  # (a FastFace maps the file it reads)
    found["glyphPos"] = list(face.glyphPos)
    return found


@pytest.mark.parametrize("font", sorted(p.name for p in FONTS.glob("*.tt[fc]")))
def test_a_face_read_in_bulk_equals_reportlabs(font: str) -> None:
    path = str(FONTS / font)
    fast, slow = FastFace(path), TTFontFace(path)
    assert _face_attributes(fast) == _face_attributes(slow)
    assert list(fast.charWidths) == list(slow.charWidths)  # (same order too)
    subset = sorted(slow.charToGlyph)[:200]
    assert fast.makeSubset(subset) == slow.makeSubset(subset)


@pytest.mark.parametrize("font", sorted(p.name for p in FONTS.glob("*.tt[fc]")))
def test_subsets_cut_from_a_face_equal_reportlabs(font: str) -> None:
    """Subsets of characters drawn at random (composite glyphs, whose parts join the subset,
    among them), and characters the font lacks, cut as reportlab cuts them."""
    path = str(FONTS / font)
    fast, slow = FastFace(path), TTFontFace(path)
    chars = sorted(slow.charToGlyph)
    composite = [c for c in chars if _is_composite(slow, slow.charToGlyph[c])]
    pick = random.Random(font)
    subsets = [pick.sample(chars, min(len(chars), size)) for size in (1, 17, 256)]
    subsets.append([0x10FFFD, 0xE000, *chars[:3]])  # (not in the font: glyph 0)
    if composite:
        subsets.append(pick.sample(composite, min(len(composite), 120)))
    for subset in subsets:
        assert fast.makeSubset(subset) == slow.makeSubset(subset)


def _is_composite(face: TTFontFace, glyph: int) -> bool:
    start = face.table["glyf"]["offset"] + face.glyphPos[glyph]
    return face.glyphPos[glyph + 1] > face.glyphPos[glyph] and \
        int.from_bytes(face._ttf_data[start:start + 2], "big", signed=True) < 0


def test_a_character_map_the_bulk_reader_does_not_know_is_left_to_reportlab(
        tmp_path: Path) -> None:
    data = bytearray((FONTS / "NotoSans-Regular.ttf").read_bytes())
    face = TTFontFace(str(FONTS / "NotoSans-Regular.ttf"))
    cmap = face.table["cmap"]["offset"]
    # Every subtable pointed at one that says it is format 6 (a table of 0 glyphs from 0).
    count = int.from_bytes(data[cmap + 2:cmap + 4], "big")
    tail = len(data)
    data += bytes([0, 6, 0, 10, 0, 0, 0, 0, 0, 0])
    for n in range(count):
        data[cmap + 8 + 8 * n:cmap + 12 + 8 * n] = (tail - cmap).to_bytes(4, "big")
    odd = tmp_path / "odd.ttf"
    odd.write_bytes(bytes(data))
    fast = FastFace(str(odd))
    assert fast.charToGlyph == {}
    assert _face_attributes(fast) == _face_attributes(TTFontFace(str(odd)))


def test_a_font_made_here_has_what_reportlab_gives_its_fonts() -> None:
    path = str(FONTS / "NotoSans-Regular.ttf")
    ours, theirs = _TrueTypeFont("Probe", path), TTFont("Probe", path)
    assert sorted(ours.__dict__) == sorted(theirs.__dict__)
    assert {k: v for k, v in ours.__dict__.items() if k not in ("face", "state", "encoding")} \
        == {k: v for k, v in theirs.__dict__.items() if k not in ("face", "state", "encoding")}


def test_fonts_are_read_only_when_a_document_uses_them() -> None:
    script = """
from reportlab.pdfbase import pdfmetrics
from builder.batch import Job, load_engine, plan, render_job
engine = load_engine()
family = engine.fonts.main_family("ja")
pending = lambda: "_pending" in pdfmetrics.getFont(family.regular).__dict__
before = pending()
render_job(engine, Job("knee-osteoarthritis", "en", "riverbend-physio", "leaflet", "letter"))
after_english = pending()
render_job(engine, Job("knee-osteoarthritis", "ja", "hinode-tokyo", "leaflet", "a4"))
print(before, after_english, pending())
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=BUILTIN_ROOT, check=True)
    assert done.stdout.split() == ["True", "True", "False"]


def _nodes(node: yaml.Node) -> list[tuple[object, ...]]:
    out = [(type(node).__name__, node.tag, node.start_mark.line, node.start_mark.column,
            node.end_mark.line, node.end_mark.column, getattr(node, "style", None),
            node.value if isinstance(node.value, str) else None)]
    if isinstance(node.value, list):
        for child in node.value:
            for part in child if isinstance(child, tuple) else (child,):
                out += _nodes(part)
    return out


TRICKY = [
    "a: 'quoted: yes'\nb: \"double \\u00e9\"\nc: |\n  block\n  text\nd: >\n  folded\n  text\n",
    "- {k: v, n: [1, 2]}\n- plain\n-\n- ''\n",
    "# comment\nkey: value # trailing\nother:\n  - x: 1\n    y: 変形性膝関節症\n",
    "a: 1\r\nb:\r\n  - c\r\n",
    "\ufeffa: b\n",
    "a: 2026-11-01\nb: 1.10\nc: no\nd: ~\n",
]


def test_libyaml_reads_every_file_as_the_strict_reader_does() -> None:
    assert source._FastLoader is not None, "PyYAML without libyaml"
    texts = [p.read_text(encoding="utf-8-sig")
             for p in sorted(BUILTIN_ROOT.glob("**/*.yaml")) if ".git" not in p.parts]
    for text in [*texts, *TRICKY]:
        strict = source._StrictLoader(text).get_single_node()
        fast = source._FastLoader(text).get_single_node()
        assert _nodes(fast) == _nodes(strict)


def test_a_file_libyaml_refuses_gets_the_strict_readers_message() -> None:
    _, problems = source.parse(b"a: 1\n\tb: 2\n", Path("f.yaml"))
    assert [str(p) for p in problems] == [
        "f.yaml:2:1: a tab character is used for indenting; indent with spaces"]


@pytest.mark.parametrize("text", [
    "Plain words, and more plain words.",
    "Two  spaces\nand a line break",
    "Tom &amp; Jerry",
    "<b>bold</b> and plain",
    "変形性膝関節症の鍼治療",
])
def test_plain_text_fragments_are_the_parsers(text: str) -> None:
    style = ParagraphStyle("s", fontName="Helvetica-Bold", fontSize=9.5, leading=12)
    ours, theirs = KinsokuParagraph(text, style), Paragraph(text, style)
    assert ours.text == theirs.text
    assert [f.__dict__ for f in ours.frags] == [f.__dict__ for f in theirs.frags]


def test_a_document_does_not_depend_on_what_the_process_built_before() -> None:
    engine = load_engine()
    first = [Job("knee-osteoarthritis", "ja", "hinode-tokyo", "leaflet", "a4"),
             Job("knee-osteoarthritis", "en", "riverbend-physio", "leaflet", "letter"),
             Job("acupuncture-session", "ar", "hinode-tokyo", "leaflet", "a4")]
    forget_texts()
    alone = [render_job(engine, job).pdf for job in first]
    for job in first:  # other documents in between, with the same texts in other widths
        render_job(engine, Job(job.handout, job.lang, job.brand, "large-print", job.paper))
    again = [render_job(engine, job).pdf for job in reversed(first)][::-1]
    assert again == alone


def test_output_is_the_same_whatever_the_number_of_processes(tmp_path: Path) -> None:
    runner = CliRunner()
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        result = invoke(runner, "build", "knee-osteoarthritis", "acupuncture-session",
                        "--layout", "leaflet", "--layout", "booklet", "-j", jobs, "-o",
                        str(out))
        assert result.exit_code == 0, result.output
        outs[jobs] = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.pdf")}
    assert len(outs["1"]) >= 10
    assert outs["1"] == outs["2"]


def _one_per_layout_and_language() -> list[Job]:
    """A document of every layout in every language the library has, in plan order."""
    chosen: dict[tuple[str, str], Job] = {}
    for job in plan(load_engine()):
        chosen.setdefault((job.layout, job.lang), job)
    return list(chosen.values())


def test_paragraphs_drawn_directly_are_what_reportlab_draws(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import builder.linebreak
    from builder.paragraph_draw import draw_plain

    engine = load_engine()
    jobs = _one_per_layout_and_language()
    drawn = []

    def counted(paragraph: object) -> bool:
        done = draw_plain(paragraph)
        drawn.append(done)
        return done

    monkeypatch.setattr(builder.linebreak, "draw_plain", counted)
    direct = [render_job(engine, job).pdf for job in jobs]
    assert drawn.count(True) > 0.8 * len(drawn)  # (the commonest paragraphs are drawn here)
    monkeypatch.setattr(builder.linebreak, "draw_plain", lambda paragraph: False)
    by_reportlab = [render_job(engine, job).pdf for job in jobs]
    assert len(jobs) >= 15
    for job, ours, theirs in zip(jobs, direct, by_reportlab, strict=True):
        assert ours == theirs, job.name


def test_subsets_made_once_are_what_reportlab_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    from builder import font_subsets, fonts

    engine = load_engine()
    jobs = [Job("knee-osteoarthritis", "ja", "hinode-tokyo", "leaflet", "a4"),
            Job("knee-osteoarthritis", "en", "riverbend-physio", "leaflet", "letter")]
    font_subsets.forget()
    made = [render_job(engine, job).pdf for job in jobs]
    kept = [render_job(engine, job).pdf for job in jobs]  # (from the kept subsets)
    assert font_subsets._SUBSETS
    monkeypatch.setattr(fonts._TrueTypeFont, "addObjects", TTFont.addObjects)
    theirs = [render_job(engine, job).pdf for job in jobs[1:]]  # (no wide characters)
    assert made == kept
    assert made[1:] == theirs


@pytest.mark.parametrize("alpha", [1, 0.6])
@pytest.mark.parametrize("alignment", [0, 1, 2])
@pytest.mark.parametrize("text, cjk", [
    ("Rest the knee for a day or two, then walk a little more each day as it settles.", False),
    ("Call <b>999</b> if the calf is <b>hot, red and swollen</b>, or you feel short of breath.",
     False),
    ("膝の痛みが強いときは、無理をせずに休んでください。腫れや熱がある場合は、すぐに連絡してください。",
     True),
])
def test_paragraphs_of_every_alignment_are_drawn_as_reportlab_draws(
        monkeypatch: pytest.MonkeyPatch, alignment: int, text: str, cjk: bool,
        alpha: float) -> None:
    import io

    from reportlab.lib.colors import Color
    from reportlab.pdfgen.canvas import Canvas

    import builder.linebreak
    from builder.paragraph_draw import draw_plain

    engine = load_engine()
    family = engine.fonts.main_family("ja" if cjk else "en")
    style = ParagraphStyle("s", fontName=family.regular, fontSize=10.5, leading=14,
                           alignment=alignment, textColor=Color(0.1, 0.2, 0.3, alpha),
                           wordWrap="CJK" if cjk else None)
    text = text.replace("<b>", f'<font name="{family.bold}">').replace("</b>", "</font>")

    def drawn(draw: object) -> tuple[bytes, list[bool]]:
        monkeypatch.setattr(builder.linebreak, "draw_plain", draw)
        forget_texts()
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1)
        paragraph = KinsokuParagraph(text, style)
        paragraph.wrapOn(canvas, 160, 500)
        paragraph.drawOn(canvas, 72, 600)
        canvas.showPage()
        canvas.save()
        return buffer.getvalue(), used

    used: list[bool] = []
    direct, _ = drawn(lambda p: used.append(draw_plain(p)) or used[-1])
    assert used == [True]
    assert direct == drawn(lambda p: False)[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(-(2 ** 31), 2 ** 31),
                          st.floats(-1e6, 1e6, allow_nan=False)), max_size=300),
       st.booleans())
def test_a_subsets_widths_are_written_as_reportlab_writes_them(
        values: list[int | float], multiline: bool) -> None:
    document = pdfdoc.PDFDocument()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rl_config, "pdfMultiLine", int(multiline))
        assert number_array(values, document) == pdfdoc.PDFArray(values).format(document)


@pytest.mark.parametrize("kinds", [6, 1])
def test_paragraphs_drawn_in_a_row_leave_the_canvas_as_reportlab_does(
        monkeypatch: pytest.MonkeyPatch, kinds: int) -> None:
    """Paragraphs placed without a copy of the canvas's state: the same operators as
    reportlab's drawOn, and the canvas's own state unchanged after each (colours of every
    kind and opacity, one after another)."""
    import io

    from reportlab.lib.colors import CMYKColor, Color
    from reportlab.pdfgen.canvas import Canvas

    import builder.linebreak
    from builder.paragraph_draw import draw_plain

    family = load_engine().fonts.main_family("en")
    colors = [Color(0.1, 0.2, 0.3), Color(0.1, 0.2, 0.3, 0.6), Color(0.5, 0.2, 0.3, 0.6),
              Color(0.1, 0.2, 0.3, 1), CMYKColor(0.1, 0.2, 0.3, 0.4), Color(0, 0, 0)][:kinds]

    def drawn(draw: object) -> tuple[bytes, list[dict[str, object]]]:
        monkeypatch.setattr(builder.linebreak, "draw_plain", draw)
        forget_texts()
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1)
        states = []
        for n, color in enumerate(colors * 2):
            if n == len(colors) > 1:
                canvas.setFillColor(Color(0.9, 0.1, 0.1, 0.5))  # (an opacity of the page's)
            style = ParagraphStyle("s", fontName=family.regular, fontSize=10, leading=13,
                                   textColor=color, alignment=n % 3)
            text = f"Line {n}: rest the knee, then walk a little more each day."
            if n % 4 == 3:
                text += f' <font name="{family.bold}">Call</font> if it swells.'
            paragraph = KinsokuParagraph(text, style)
            paragraph.wrapOn(canvas, 150, 500)
            before = {k: canvas.__dict__[k] for k in canvas.STATE_ATTRIBUTES}
            ext = dict(canvas._extgstate._d)
            paragraph.drawOn(canvas, 72 + n, 700 - 40 * n, _sW=n % 2 * 10)
            after = {k: canvas.__dict__[k] for k in canvas.STATE_ATTRIBUTES}
            assert after == before and canvas._extgstate._d == ext
            states.append(after)
        canvas.showPage()
        canvas.save()
        return buffer.getvalue(), states

    direct, _ = drawn(draw_plain)
    assert direct == drawn(lambda p: False)[0]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.integers(-10**6, 10**6),
                          st.sampled_from([0.0, -0.0, 1e-9, -1e-9, 0.5, 2.675])),
                min_size=1, max_size=6))
def test_numbers_are_written_as_reportlab_writes_them(values: list[float]) -> None:
    from reportlab.lib.rl_accel import fp_str

    from builder.paragraph_draw import num

    assert " ".join(num(v) for v in values) == fp_str(*values)
    assert " ".join(num(v) for v in values) == fp_str(*values)  # (from the kept ones)
