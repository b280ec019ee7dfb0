"""Plain paragraphs are broken into reportlab's lines, and fragments compared as reportlab
compares them (builder/plain_lines.py)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.rl_accel import sameFrag as compiled_same_frag
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, paragraph
from reportlab.platypus.paraparser import ParaFrag

import builder.linebreak
from builder.batch import load_engine, plan, render_job
from builder.hyphenation import hyphenator
from builder.linebreak import KinsokuParagraph
from builder.memo import forget_texts
from builder.plain_lines import plain_lines, same_frag, string_width

WORDS = ["the", "knee", "physiotherapy", "acupuncture", "swelling", "a", "I", "rest,",
         "(ice)", "osteoarthritis", "https://example.org/knee-pain/exercises?week=2",
         "well-being", "x" * 40, "555\xa00137", "Übungen", "información", "—", "", "1.5"]


def _lines(blpara: Any) -> list[tuple[float, list[tuple[str, str]]]]:
    """A broken paragraph's lines, with each word's type (a split or hyphenated word is a
    str subclass that drawing treats differently)."""
    return [(space, [(type(w).__name__, str(w)) for w in words])
            for space, words in blpara.lines]


def _style(font: str, **options: Any) -> ParagraphStyle:
    return ParagraphStyle("s", fontName=font, fontSize=options.pop("size", 10.5), leading=14,
                          **options)


def _both(text: str, style: ParagraphStyle, widths: list[float],
          bullet: str | None = None) -> tuple[Any, Any, Paragraph, Paragraph]:
    ours = Paragraph(text, style, bulletText=bullet)
    theirs = Paragraph(text, style, bulletText=bullet)
    return (plain_lines(ours, list(widths)), Paragraph.breakLines(theirs, list(widths)),
            ours, theirs)


def _assert_same(ours: Any, theirs: Any, para: Paragraph, their_para: Paragraph) -> None:
    assert ours is not None
    assert ours.kind == theirs.kind == 0
    assert _lines(ours) == _lines(theirs)
    assert (ours.ascent, ours.descent, ours.fontSize) == \
        (theirs.ascent, theirs.descent, theirs.fontSize)
    for attr in ("_width_max", "_hyphenations", "_splitLongWordCount", "height"):
        assert getattr(para, attr) == getattr(their_para, attr), attr


@pytest.fixture(scope="module")
def fonts() -> tuple[str, str]:
    family = load_engine().fonts.main_family("en")
    return family.regular, family.bold


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), min_size=0, max_size=60),
       width=st.floats(8, 400), first=st.floats(-20, 40), size=st.sampled_from([7, 10.5, 16]),
       hyphenate=st.sampled_from(["", "en", "de", "es"]), embedded=st.sampled_from([0, 1, 2]),
       uri=st.sampled_from([0, 0.3]), shrink=st.sampled_from([0, 0.05, 0.2]),
       split_long=st.booleans(), bullet=st.sampled_from([None, "•", "10."]))
def test_lines_are_reportlabs(fonts: tuple[str, str], words: list[str], width: float,
                              first: float, size: float, hyphenate: str, embedded: int,
                              uri: float, shrink: float, split_long: bool,
                              bullet: str | None) -> None:
    style = _style(fonts[0], size=size, embeddedHyphenation=embedded, uriWasteReduce=uri,
                   spaceShrinkage=shrink, splitLongWords=int(split_long),
                   hyphenationLang=hyphenator(hyphenate) if hyphenate else "",
                   bulletFontName=fonts[1], bulletFontSize=size)
    text = " ".join(words).replace("&", "&amp;").replace("<", "&lt;")
    ours, theirs, para, their_para = _both(text, style, [width + first, width], bullet)
    if len(para.frags) != 1:  # (nothing but spaces parses to no fragment: reportlab's case)
        assert ours is None and not text.strip()
        return
    _assert_same(ours, theirs, para, their_para)


def test_hyphenated_and_split_words_are_reportlabs(fonts: tuple[str, str]) -> None:
    """Narrow columns, where most lines end in a hyphenated or split word."""
    rng = random.Random(7)
    style = _style(fonts[0], hyphenationLang=hyphenator("en"), embeddedHyphenation=1,
                   uriWasteReduce=0.3)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 80))) for _ in range(60)]
    hyphenated = split = 0
    for text in texts:
        for width in (30, 55, 90, 140):
            ours, theirs, para, their_para = _both(text, style, [width])
            _assert_same(ours, theirs, para, their_para)
            hyphenated += para._hyphenations
            split += para._splitLongWordCount
    assert hyphenated > 50 and split > 20  # (the cases were met)


@pytest.mark.parametrize("text, style_options", [
    ("soft\xadhyphen inside", {}),  # (reportlab's soft-hyphen words)
    ("right to left", {"wordWrap": "RTL"}),
    ("dots to the end", {"endDots": "."}),
    ("a language named", {"hyphenationLang": "en_GB"}),
])
def test_what_this_does_not_break_is_left_to_reportlab(
        fonts: tuple[str, str], text: str, style_options: dict[str, Any]) -> None:
    para = Paragraph(text, _style(fonts[0], **style_options))
    assert plain_lines(para, [200]) is None


def test_inline_marks_are_left_to_reportlab(fonts: tuple[str, str]) -> None:
    para = Paragraph(f'Call <font name="{fonts[1]}">999</font> now', _style(fonts[0]))
    assert len(para.frags) > 1
    assert plain_lines(para, [200]) is None


def test_a_font_loaded_again_starts_its_own_widths(fonts: tuple[str, str]) -> None:
    """Word widths live with the font object: a font registered again (changed on disk,
    in `handout watch`) is measured afresh."""
    from reportlab.pdfbase.pdfmetrics import getFont

    style = _style(fonts[0])
    plain_lines(Paragraph("knee pain", style), [200])
    tables = getFont(fonts[0])._word_widths
    assert any("knee" in table for table in tables.values())


def _frag(**attrs: Any) -> ParaFrag:
    frag = ParaFrag()
    frag.__dict__.update(attrs)
    return frag


def _frags() -> list[ParaFrag]:
    red, also_red = HexColor("#ff0000"), Color(1, 0, 0)
    base = {"fontName": "A", "fontSize": 10, "textColor": red, "rise": 0, "us_lines": [],
            "link": []}
    variants: list[dict[str, Any]] = [
        {}, {"fontName": "B"}, {"fontSize": 10.0}, {"fontSize": 11}, {"textColor": also_red},
        {"textColor": Color(1, 0, 0, 0.5)}, {"rise": 2}, {"us_lines": [("u", red)]},
        {"link": ["x"]}, {"backColor": red}, {"nobr": True}, {"nobr": False},
        {"cbDefn": object()}, {"lineBreak": True}, {"textColor": None}, {"text": "other"},
        {"fontSize": float("nan")},
    ]
    made = [_frag(**{**base, **v}) for v in variants]
    made += [_frag(**{k: v for k, v in base.items() if k != drop}) for drop in base]
    return made


def test_fragments_compare_as_reportlabs_compiled_comparison() -> None:
    frags = _frags()
    checked = 0
    for f in frags:
        for g in frags:
            assert same_frag(f, g) == bool(compiled_same_frag(f, g)), (f.__dict__, g.__dict__)
            checked += 1
    assert checked > 400


def test_library_documents_are_the_same_with_reportlabs_breaking(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every layout in every language, broken here and broken by reportlab: the same bytes."""
    engine = load_engine()
    chosen: dict[tuple[str, str], Any] = {}
    for job in plan(engine):
        chosen.setdefault((job.layout, job.lang), job)
    jobs = list(chosen.values())
    used: list[bool] = []

    def counted(para: Any, width: Any) -> Any:
        lines = plain_lines(para, width)
        used.append(lines is not None)
        return lines

    monkeypatch.setattr(builder.linebreak, "plain_lines", counted)
    forget_texts()
    ours = [render_job(engine, job).pdf for job in jobs]
    assert used.count(True) > 0.6 * len(used)
    monkeypatch.setattr(builder.linebreak, "plain_lines", lambda para, width: None)
    monkeypatch.setattr(KinsokuParagraph, "breakLines", Paragraph.breakLines)
    monkeypatch.setattr(paragraph, "sameFrag", compiled_same_frag)
    monkeypatch.setattr(paragraph, "stringWidth", pdfmetrics.stringWidth)
    forget_texts()
    theirs = [render_job(engine, job).pdf for job in jobs]
    assert len(jobs) >= 15
    for job, a, b in zip(jobs, ours, theirs, strict=True):
        assert a == b, job.name


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=30), size=st.sampled_from([7, 10.5, 11, 16.25]),
       which=st.sampled_from([0, 1]), twice=st.booleans())
def test_kept_widths_are_reportlabs(fonts: tuple[str, str], text: str, size: float,
                                    which: int, twice: bool) -> None:
    font = fonts[which]
    if twice:
        string_width(text, font, size)
    assert string_width(text, font, size) == pdfmetrics.stringWidth(text, font, size)
    assert string_width(text, "Helvetica", size) == \
        pdfmetrics.stringWidth(text, "Helvetica", size)
