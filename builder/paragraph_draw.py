"""Drawing the commonest paragraphs in one step: the same PDF operators as reportlab's drawPara.

Most paragraphs of a handout are set flush left with no bullet, border, link, underline or
raised text: one font, size and colour throughout, or runs of a few (a bold phrase, Japanese
lines). For those reportlab builds a text object and sends each line and run through several
layers of calls; here the operators are written directly, byte for byte what reportlab
writes (tests/test_fast_paths.py compares the two on every shipped document). Anything else
goes to reportlab.
"""

from __future__ import annotations

from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont


def draw_plain(paragraph: Any) -> bool:
    """Draw a flush-left paragraph of plain runs as reportlab would; False (nothing drawn)
    for any other paragraph."""
    canvas = paragraph.canv
    if not _plain_paragraph(paragraph) or not canvas.bottomup \
            or getattr(canvas, "_enforceColorSpace", None):
        return False
    if paragraph.blPara.kind == 1:
        return _draw_runs(paragraph)
    lines = _plain_lines(paragraph)
    if lines is None:
        return False
    canvas = paragraph.canv
    style = paragraph.style
    first = paragraph.blPara
    font = getFont(first.fontName)
    if not getattr(font, "_dynamicFont", 0):
        return False
    size = first.fontSize
    if rl_config.paraFontSizeHeightOffset:
        y = paragraph.height - size
    else:
        y = paragraph.height - getattr(first, "ascent", size)
    doc = canvas._doc
    escape = canvas._escape
    font_op = f"{fp_str(size)} Tf {fp_str(style.leading)} TL"
    code = ["BT", f"1 0 0 1 {fp_str(style.leftIndent, y)} Tm"]
    subset_now = -1
    for words in lines:
        parts = []
        for subset, text in font.splitString(" ".join(words), doc):
            if subset != subset_now:
                parts.append(f"{font.getSubsetInternalName(subset, doc)} {font_op}")
                subset_now = subset
            parts.append(f"({escape(text)}) Tj")
        code.append(" ".join(parts) + " T*")
    code.append("ET")
    canvas.saveState()
    canvas.setFillColor(first.textColor)
    canvas._code.append(" ".join(code))
    canvas.restoreState()
    return True


def _plain_paragraph(paragraph: Any) -> bool:
    """Flush left, with no bullet, border, background, indent or direction of its own."""
    style = paragraph.style
    return bool(paragraph.blPara.lines) and style.alignment == TA_LEFT \
        and not paragraph.bulletText and not style.backColor \
        and not (getattr(style, "borderColor", None) and getattr(style, "borderWidth", None)) \
        and not style.firstLineIndent and style.wordWrap not in ("RTL", "LTR") \
        and getattr(paragraph, "autoLeading", getattr(style, "autoLeading", "")) \
        not in ("max", "min") \
        and not getattr(style, "endDots", None) \
        and not any(getattr(paragraph, "_offsets", [0])) \
        and "preformatted" not in type(paragraph).__name__.lower()


def _plain_lines(paragraph: Any) -> list[list[str]] | None:
    """The words of each line of a one-style paragraph, when it is drawn here."""
    para = paragraph.blPara
    if getattr(para, "us_lines", None) or getattr(para, "link", None):
        return None
    lines = []
    for extra_space, words in para.lines:
        if any(type(word) is not str for word in words):  # (shaped text: reportlab's own way)
            return None
        if extra_space <= -1e-8 and \
                len(words) - 1 + sum(word.count("\xa0") for word in words) > 0:
            return None  # an overfull line: reportlab narrows its word spaces
        lines.append(words)
    return lines


def _draw_runs(paragraph: Any) -> bool:
    """A paragraph whose lines are runs of text (reportlab's second kind of lines)."""
    lines = paragraph.blPara.lines
    for line in lines:
        if line.extraSpace <= -1e-8 and not getattr(line, "preformatted", False) and \
                line.wordCount + sum(w.text.count("\xa0") for w in line.words) - 1 > 0:
            return False  # an overfull line: reportlab narrows its word spaces
        for run in line.words:
            if hasattr(run, "cbDefn") or run.rise or run.us_lines or run.link \
                    or getattr(run, "backColor", None) or type(run.text) is not str \
                    or type(run.textColor) is not Color:
                return False
    canvas = paragraph.canv
    style = paragraph.style
    size = lines[0].fontSize
    if rl_config.paraFontSizeHeightOffset:
        y = paragraph.height - size
    else:
        y = paragraph.height - getattr(lines[0], "ascent", size)
    doc = canvas._doc
    escape = canvas._escape
    leading = style.leading
    code = ["BT", f"1 0 0 1 {fp_str(style.leftIndent, y)} Tm", f"{fp_str(leading)} TL"]
    font_now: tuple[str, float] | None = None
    color_now = None
    font: Any = None
    font_op = ""
    subset_now = -1
    for line in lines:
        runs = line.words
        for run in runs:
            if font_now != (run.fontName, run.fontSize):
                font_now = (run.fontName, run.fontSize)
                font = getFont(run.fontName)
                if not getattr(font, "_dynamicFont", 0):
                    return False
                font_op = f"{fp_str(run.fontSize)} Tf {fp_str(leading)} TL"
                subset_now = -1
            if color_now != run.textColor:
                color_now = run.textColor
                code.append(f"{fp_str(color_now.red, color_now.green, color_now.blue)} rg")
            parts = []
            for subset, text in font.splitString(run.text, doc):
                if subset != subset_now:
                    parts.append(f"{font.getSubsetInternalName(subset, doc)} {font_op}")
                    subset_now = subset
                parts.append(f"({escape(text)}) Tj")
            code.append(" ".join(parts) + (" T*" if run is runs[-1] else ""))
    code.append("ET")
    canvas.saveState()
    canvas._code.append(" ".join(code))
    canvas.restoreState()
    return True
