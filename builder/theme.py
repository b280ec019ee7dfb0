"""A brand and a language become paragraph styles, colours and sizes."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyphen
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from .bidi import is_rtl_language
from .color import darken_to, tint
from .fonts import FontFamily, FontLibrary
from .hyphenation import hyphenator
from .model import Brand, Colors

CJK_LANGUAGES = ("ja", "zh", "ko")
# Scripts written without spaces between words: a line may break between any two characters
# (reportlab's CJK wrapping also keeps closing punctuation off the start of a line).
UNSPACED_LANGUAGES = ("ja", "zh")
# Only long words are hyphenated at a line end ("physio-therapist"): short words stay whole
# for readers who find broken words hard, while narrow columns avoid ragged gaps.
HYPHENATE_FROM_LETTERS = 10
RED_FLAG_TINT = 0.08
SUMMARY_TINT = 0.07


@dataclass(frozen=True)
class Theme:
    """Everything a layout needs to draw text in a brand's style, for one language."""

    lang: str
    family: FontFamily
    primary: str
    accent: str
    text: str
    red_flag_bg: str
    summary_bg: str
    body_size: float
    styles: dict[str, ParagraphStyle]
    cjk: bool
    rtl: bool = False  # right-to-left script: text aligns right and layouts mirror
    italic: bool = True  # False: emphasis is set in bold (large print avoids italics)
    min_size: float = 0.0  # the smallest text the layout allows (list numbers included)

    def style(self, name: str) -> ParagraphStyle:
        return self.styles[name]


@dataclass(frozen=True)
class ThemeOptions:
    """What a layout asks of the type: sizes, spacing and how strict the contrast is."""

    min_size: float = 0.0       # no text smaller than this (large print: 16 pt)
    min_leading: float = 0.0    # line spacing at least this multiple of the size
    italic: bool = True
    hyphenate: bool = True
    min_contrast: float = 0.0   # text colours are darkened until they reach this on white
    sizes: dict[str, float] = field(default_factory=dict)  # style name -> size in body sizes
    min_sizes: dict[str, float] = field(default_factory=dict)  # style name -> smallest size


def is_cjk(lang: str) -> bool:
    return lang.split("-")[0] in CJK_LANGUAGES


def hyphenation_language(lang: str) -> str:
    """The pyphen dictionary for a language, or '' where its words are not hyphenated."""
    if is_cjk(lang) or is_rtl_language(lang):
        return ""
    return pyphen.language_fallback(lang.replace("-", "_")) or ""


def make_theme(brand: Brand, fonts: FontLibrary, lang: str, body_size: float = 11.0,
               options: ThemeOptions | None = None) -> Theme:
    """Paragraph styles scaled from the body size; CJK text gets looser lines and CJK wrapping.

    One theme per brand colours, language, size and layout options is made per process and
    shared by every document that asks for it; its styles are never changed afterwards.
    """
    options = options or ThemeOptions()
    key = (brand.colors, fonts, lang, body_size, repr(options))
    theme = _THEMES.get(key)
    if theme is None:
        theme = _THEMES[key] = _make_theme(brand.colors, fonts, lang, body_size, options)
    return theme


_THEMES: dict[tuple[object, ...], Theme] = {}


def _make_theme(colors: Colors, fonts: FontLibrary, lang: str, body_size: float,
                options: ThemeOptions) -> Theme:
    family = fonts.main_family(lang)
    cjk = is_cjk(lang)
    rtl = is_rtl_language(lang)
    start, end = (TA_RIGHT, TA_LEFT) if rtl else (TA_LEFT, TA_RIGHT)
    leading = max(1.6 if cjk else 1.36, options.min_leading)
    red_flag_bg = tint(colors.accent, RED_FLAG_TINT)
    summary_bg = tint(colors.primary, SUMMARY_TINT)
    # Each colour must reach the contrast asked for on every background it is printed on.
    text_hex = darken_to(colors.text, options.min_contrast, summary_bg, red_flag_bg)
    primary_hex = darken_to(colors.primary, options.min_contrast, summary_bg)
    accent_hex = darken_to(colors.accent, options.min_contrast, red_flag_bg)
    text = HexColor(text_hex)
    primary = HexColor(primary_hex)
    accent = HexColor(accent_hex)
    base = ParagraphStyle(
        "body", fontName=family.regular, fontSize=body_size, leading=body_size * leading,
        textColor=text, alignment=start, spaceAfter=body_size * 0.45,
        wordWrap="CJK" if lang.split("-")[0] in UNSPACED_LANGUAGES else None,
        splitLongWords=1, allowWidows=0, allowOrphans=0,
        hyphenationLang=hyphenator(hyphenation_language(lang)) if options.hyphenate else "",
    )
    base.hyphenationMinWordLength = HYPHENATE_FROM_LETTERS

    def derive(name: str, **kw: object) -> ParagraphStyle:
        style = ParagraphStyle(name, parent=base, **kw)
        if kw.get("fontName") == family.bold:
            style.hyphenationLang = ""  # headings and labels keep their words whole
        return style

    s = body_size
    styles = {
        "body": base,
        "title": derive("title", fontName=family.bold, fontSize=s * 2.1, leading=s * 2.1 * 1.18,
                        textColor=primary, spaceAfter=s * 0.3),
        "subtitle": derive("subtitle", fontSize=s * 1.22, leading=s * 1.22 * 1.35,
                           textColor=text, spaceAfter=s * 0.5),
        "summary": derive("summary", fontSize=s * 1.09, leading=s * 1.09 * (leading + 0.04),
                          spaceAfter=0),
        "heading": derive("heading", fontName=family.bold, fontSize=s * 1.27,
                          leading=s * 1.27 * 1.25, textColor=primary, spaceBefore=s * 0.9,
                          spaceAfter=s * 0.4, keepWithNext=1),
        "intro": derive("intro", spaceAfter=s * 0.35, keepWithNext=1),
        "item": derive("item", spaceAfter=s * 0.25),
        # Without a bold face the question stands out by colour instead of weight.
        "question": derive("question", fontName=family.bold, spaceAfter=s * 0.12,
                           keepWithNext=1, textColor=text if family.has_bold else primary),
        "answer": derive("answer", spaceAfter=s * 0.6),
        "red_heading": derive("red_heading", fontName=family.bold, fontSize=s * 1.27,
                              leading=s * 1.27 * 1.25, textColor=accent, spaceAfter=s * 0.35),
        "red_item": derive("red_item", spaceAfter=s * 0.3),
        "emergency": derive("emergency", fontName=family.bold, spaceBefore=s * 0.2,
                            spaceAfter=0, textColor=accent),
        "caption": derive("caption", fontSize=s * 0.9, leading=s * 0.9 * leading,
                          textColor=text, spaceBefore=s * 0.3),
        "small_heading": derive("small_heading", fontName=family.bold, fontSize=s * 0.82,
                                leading=s * 0.82 * 1.3, textColor=primary, spaceBefore=s * 0.6,
                                spaceAfter=s * 0.15, keepWithNext=1),
        "small": derive("small", fontSize=s * 0.73, leading=s * 0.75 * (leading - 0.05),
                        spaceAfter=s * 0.18),
        # Citations are usually in a left-to-right script, whatever the handout's language.
        "small_ltr": derive("small_ltr", fontSize=s * 0.73, leading=s * 0.75 * (leading - 0.05),
                            spaceAfter=s * 0.18, alignment=TA_LEFT),
        "disclaimer": derive("disclaimer", fontName=family.bold, fontSize=s * 0.8,
                             leading=s * 0.8 * leading, spaceBefore=s * 0.3, spaceAfter=0),
        "booking": derive("booking", fontName=family.bold, textColor=primary, spaceAfter=s * 0.1),
        "booking_hint": derive("booking_hint", fontSize=s * 0.8, leading=s * 0.8 * leading,
                               spaceAfter=0),
        "brand": derive("brand", fontName=family.bold, fontSize=s * 1.18,
                        leading=s * 1.18 * 1.2, textColor=primary, spaceAfter=0),
        "brand_tag": derive("brand_tag", fontSize=s * 0.8, leading=s * 0.8 * 1.3,
                            textColor=text, spaceAfter=0),
        "running": derive("running", fontName=family.bold, fontSize=s * 0.78,
                          leading=s * 0.78 * 1.3, textColor=primary, spaceAfter=0),
        "running_right": derive("running_right", fontName=family.bold, fontSize=s * 0.78,
                                leading=s * 0.78 * 1.3, textColor=primary, spaceAfter=0,
                                alignment=end),
        # A patient's copy: who it is for, the next appointment and the practitioner's note.
        "prepared": derive("prepared", fontName=family.bold, textColor=text, spaceBefore=s * 0.2,
                           spaceAfter=s * 0.3),
        "box_label": derive("box_label", fontName=family.bold, fontSize=s * 0.9,
                            leading=s * 0.9 * 1.3, textColor=primary, spaceAfter=s * 0.15),
        "appointment": derive("appointment", fontName=family.bold, fontSize=s * 1.09,
                              leading=s * 1.09 * 1.3, spaceAfter=0),
        "note": derive("note", spaceAfter=s * 0.35),
        "diary_day": derive("diary_day", fontSize=s * 0.8, leading=s * 0.8 * 1.25,
                            alignment=TA_CENTER, spaceAfter=0),
        "footer": derive("footer", fontSize=7.6, leading=7.6 * (leading - 0.1), spaceAfter=0),
        "footer_right": derive("footer_right", fontSize=7.6, leading=7.6 * (leading - 0.1),
                               alignment=end, spaceAfter=0),
    }
    for name, scale in options.sizes.items():
        _resize(styles[name], body_size * scale)
    for name, smallest in options.min_sizes.items():
        if styles[name].fontSize < smallest:
            _resize(styles[name], smallest)
    if options.min_size:
        for style in styles.values():
            if style.fontSize < options.min_size:
                _resize(style, options.min_size)
    return Theme(lang=lang, family=family, primary=primary_hex, accent=accent_hex,
                 text=text_hex, red_flag_bg=red_flag_bg, summary_bg=summary_bg,
                 body_size=body_size, styles=styles, cjk=cjk, rtl=rtl, italic=options.italic,
                 min_size=options.min_size)


def _resize(style: ParagraphStyle, size: float) -> None:
    """Set a style's size, keeping its line spacing in proportion."""
    style.leading = style.leading / style.fontSize * size
    style.fontSize = size

