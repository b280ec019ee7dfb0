"""Drawing the commonest paragraphs in one step: the same PDF operators as reportlab's drawPara.

Most paragraphs of a handout have no bullet, border, link, underline or raised text: one
font, size and colour throughout, or runs of a few (a bold phrase, Japanese lines), set
flush left, centred or flush right. For those reportlab builds a text object and sends each
line and run through several layers of calls; here the operators are written directly, byte
for byte what reportlab writes (tests/test_fast_paths.py compares the two on a document of
every layout and language). Anything else goes to reportlab.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont


def draw_on(paragraph: Any, canvas: Any, x: float, y: float, spare: float,
            draw: Callable[[Any], bool]) -> bool:
    """Flowable.drawOn for a paragraph that `draw` (`draw_plain`) draws: the same operators
    (save, move to its place, draw, restore), without copying the canvas's Python-side state
    to put it back afterwards: drawing such a paragraph leaves that state as it found it.
    False (nothing drawn) for any other paragraph."""
    if getattr(paragraph, "debug", 0) or getattr(paragraph, "_showBoundary", None):
        return False
    x = paragraph._hAlignAdjust(x, spare)
    code = canvas._code
    start = len(code)
    # (what saveState and translate write: a move right after a save is never merged)
    code.append("q")
    code.append(f"1 0 0 1 {num(x)} {num(y)} cm")
    paragraph.canv = canvas
    try:
        done = draw(paragraph)
    finally:
        del paragraph.canv
    if not done:
        del code[start:]
        return False
    code.append("Q")
    return True


def draw_plain(paragraph: Any) -> bool:
    """Draw a paragraph of plain runs as reportlab would; False (nothing drawn) for any other
    paragraph."""
    canvas = paragraph.canv
    alignment = paragraph.style.alignment
    if not _plain_paragraph(paragraph) or not canvas.bottomup \
            or getattr(canvas, "_enforceColorSpace", None):
        return False
    if alignment not in _SHIFT:
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
    font_op = f"{num(size)} Tf {num(style.leading)} TL"
    code = ["BT", f"1 0 0 1 {num(style.leftIndent)} {num(y)} Tm"]
    subset_now = -1
    shift = _SHIFT[alignment]
    for extra_space, words in lines:
        moved = shift * extra_space  # (centred and flush-right lines start further in)
        _move(code, moved)
        parts = []
        for subset, text in font.splitString(" ".join(words), doc):
            if subset != subset_now:
                parts.append(f"{font.getSubsetInternalName(subset, doc)} {font_op}")
                subset_now = subset
            parts.append(f"({escape(text)}) Tj")
        code.append(" ".join(parts) + " T*")
        _move(code, -moved)
    code.append("ET")
    _write_in_color(canvas, first.textColor, " ".join(code))
    return True


def _write_in_color(canvas: Any, color: Any, text: str) -> None:
    """Save the state, set the fill colour, write the text, restore the state: when the
    colour is a plain RGB one whose opacity is already the current one, the operators are
    written without copying the canvas's state (setting the colour changes only what the
    restore puts back)."""
    state = canvas._extgstate
    alpha = getattr(color, "alpha", None)
    if type(color) is not Color or (
            alpha is not None and alpha != state._d.get("ca", state.defaults["ca"])):
        canvas.saveState()
        canvas.setFillColor(color)
        canvas._code.append(text)
        canvas.restoreState()
        return
    if alpha is not None:
        if not _valid_alpha(alpha):  # (what setFillAlpha refuses)
            raise ValueError(f"setFillAlpha invalid value {alpha!r}")
        canvas._doc.ensureMinPdfVersion("transparency")
    canvas._code += ("q", f"{num(color.red)} {num(color.green)} {num(color.blue)} rg", text, "Q")


def num(value: float) -> str:
    """fp_str(value): a number as reportlab writes it in a page's operators. A document
    writes the same sizes, leadings, colours and margins over and over, so each is
    formatted once (fp_str of several numbers is theirs joined by spaces)."""
    text = _NUMBERS.get(value)
    if text is None:
        if len(_NUMBERS) >= 50_000:
            _NUMBERS.clear()
        text = _NUMBERS[value] = fp_str(value)
    return text


_NUMBERS: dict[float, str] = {}  # (equal numbers are written alike: 1 and 1.0, -0.0 and 0.0)

# How far into its spare width each kind of line starts.
_SHIFT = {TA_LEFT: 0.0, TA_CENTER: 0.5, TA_RIGHT: 1.0}


def _move(code: list[str], dx: float) -> None:
    """PDFTextObject.setXPos (moveCursor with no vertical move) on the operators so far: a
    move right after another is merged with it, as reportlab does."""
    if -1e-6 <= dx <= 1e-6:
        return
    dy = 0.0
    if code and code[-1].endswith(" Td"):
        last = code[-1].split()
        if len(last) == 3:
            del code[-1]
        else:
            code[-1] = "".join(last[:-4])
        dx += float(last[-3])
        dy -= float(last[-2])
    code.append(f"{num(dx)} {num(-dy)} Td")


def _plain_paragraph(paragraph: Any) -> bool:
    """No bullet, border, background, indent or direction of its own."""
    style = paragraph.style
    return bool(paragraph.blPara.lines) \
        and not paragraph.bulletText and not style.backColor \
        and not (getattr(style, "borderColor", None) and getattr(style, "borderWidth", None)) \
        and not style.firstLineIndent and style.wordWrap not in ("RTL", "LTR") \
        and getattr(paragraph, "autoLeading", getattr(style, "autoLeading", "")) \
        not in ("max", "min") \
        and not getattr(style, "endDots", None) \
        and not any(getattr(paragraph, "_offsets", [0])) \
        and "preformatted" not in type(paragraph).__name__.lower()


def _plain_lines(paragraph: Any) -> list[tuple[float, list[str]]] | None:
    """The spare width and words of each line of a one-style paragraph, when it is drawn
    here."""
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
        lines.append((extra_space, words))
    return lines


def _draw_runs(paragraph: Any) -> bool:
    """A paragraph whose lines are runs of text (reportlab's second kind of lines)."""
    # (A centred or flush-right line starts further in; the leading is set after that.)
    lines = paragraph.blPara.lines
    for line in lines:
        if line.extraSpace <= -1e-8 and not getattr(line, "preformatted", False) and \
                line.wordCount + sum(w.text.count("\xa0") for w in line.words) - 1 > 0:
            return False  # an overfull line: reportlab narrows its word spaces
        for run in line.words:
            if hasattr(run, "cbDefn") or run.rise or run.us_lines or run.link \
                    or getattr(run, "backColor", None) or type(run.text) is not str \
                    or type(run.textColor) is not Color \
                    or not _valid_alpha(getattr(run.textColor, "alpha", None)) \
                    or not getattr(getFont(run.fontName), "_dynamicFont", 0):
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
    code = ["BT", f"1 0 0 1 {num(style.leftIndent)} {num(y)} Tm"]
    shift = _SHIFT[style.alignment]
    font_now: tuple[str, float] | None = None
    color_now = None
    font: Any = None
    font_op = ""
    subset_now = -1
    sink = _CodeSink(code)
    canvas.saveState()
    for number, line in enumerate(lines):
        moved = shift * line.extraSpace
        _move(code, moved)
        if number == 0:
            code.append(f"{num(leading)} TL")
        runs = line.words
        for run in runs:
            if font_now != (run.fontName, run.fontSize):
                font_now = (run.fontName, run.fontSize)
                font = getFont(run.fontName)
                font_op = f"{num(run.fontSize)} Tf {num(leading)} TL"
                subset_now = -1
            if color_now != run.textColor:
                color_now = run.textColor
                code.append(f"{num(color_now.red)} {num(color_now.green)} {num(color_now.blue)} rg")
                if color_now.alpha is not None:  # (as the text object does: its opacity too)
                    doc.ensureMinPdfVersion("transparency")
                    canvas._extgstate.set(sink, "ca", color_now.alpha)
            parts = []
            for subset, text in font.splitString(run.text, doc):
                if subset != subset_now:
                    parts.append(f"{font.getSubsetInternalName(subset, doc)} {font_op}")
                    subset_now = subset
                parts.append(f"({escape(text)}) Tj")
            code.append(" ".join(parts) + (" T*" if run is runs[-1] else ""))
        _move(code, -moved)
    code.append("ET")
    canvas._code.append(" ".join(code))
    canvas.restoreState()
    return True


class _CodeSink:
    """Where reportlab's graphics state writes an operator: the text being written."""

    def __init__(self, code: list[str]) -> None:
        self._code = code


def _valid_alpha(alpha: Any) -> bool:
    return alpha is None or (isinstance(alpha, float | int) and 0 <= alpha <= 1)
