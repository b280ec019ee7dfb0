"""Inline marks (**strong**, *emphasis*, https:// links) to escaped reportlab markup."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .bidi import join_letters
from .fonts import FontLibrary

_URL = re.compile(r"https://[^\s<>\"'`]+")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S)
_EM = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])", re.S)
_TRAILING = ".,;:!?"
# A phone number or a long number written in groups ("(541) 555-0137", "+81 3-5555-0142",
# "32 000"): its spaces become no-break spaces, so a line never ends inside it.
_GROUPED_NUMBER = re.compile(r"(?<![\w.,])[+(]?\d[\d()\-]*(?: [\d()\-]*\d[\d()\-]*)+(?![\w])")
_NO_BREAK = "\u00a0"


def keep_numbers_together(text: str) -> str:
    """`text` with the spaces inside grouped numbers made no-break spaces."""
    if " " not in text:
        return text
    return _GROUPED_NUMBER.sub(_unbroken, text)


def _unbroken(match: re.Match[str]) -> str:
    number = match.group(0)
    # (five digits or more: "1 2" in a sentence is two numbers, not one)
    return number.replace(" ", _NO_BREAK) if sum(c.isdigit() for c in number) >= 5 else number


@dataclass(frozen=True)
class Run:
    """A stretch of text with one set of marks."""

    text: str
    strong: bool = False
    em: bool = False
    href: str | None = None


def _trim_url(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from the end of a URL."""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url


def parse_inline(text: str) -> list[Run]:
    """Split text into runs; everything that is not one of the three marks stays literal."""
    runs: list[Run] = []
    for chunk, strong in _split(text, _STRONG):
        for piece, em in _split(chunk, _EM):
            runs.extend(_links(piece, strong, em))
    return [r for r in runs if r.text]


def _split(text: str, pattern: re.Pattern[str]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    pos = 0
    for match in pattern.finditer(text):
        out.append((text[pos:match.start()], False))
        out.append((match.group(1), True))
        pos = match.end()
    out.append((text[pos:], False))
    return out


def _links(text: str, strong: bool, em: bool) -> list[Run]:
    out: list[Run] = []
    pos = 0
    for match in _URL.finditer(text):
        url = _trim_url(match.group(0))
        if len(url) <= len("https://"):
            continue
        out.append(Run(text[pos:match.start()], strong, em))
        out.append(Run(url, strong, em, href=url))
        pos = match.start() + len(url)
    out.append(Run(text[pos:], strong, em))
    return out


def escape(text: str) -> str:
    """&, < and > as entities (what xml.sax.saxutils.escape does, without its imports)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def plain_text(text: str) -> str:
    """The text a reader sees: marks removed, everything else as typed."""
    return "".join(run.text for run in parse_inline(text))


def to_markup(text: str, fonts: FontLibrary, lang: str, *, link_color: str,
              italic: bool = True, strong_color: str | None = None, bold: bool = False,
              literal: bool = False) -> str:
    """Reportlab paragraph markup for one paragraph of content.

    Every character of content is escaped; the only tags are our own, placed around escaped
    runs. Arabic letters take their joined forms. Characters the language's main font lacks
    are wrapped in the fallback family that has them (its bold face when the whole paragraph
    is bold, as headings are). Where the script has no true italic, emphasis is set in bold
    instead. `literal` text (a patient's name, a practitioner's note) has no marks: every
    asterisk prints as typed.
    """
    if literal:  # a patient's details are never kept in a cache
        return _markup(text, fonts, lang, link_color, italic, strong_color, bold, literal)
    return _shared_markup(text, fonts, lang, link_color, italic, strong_color, bold)


@functools.lru_cache(maxsize=4096)
def _shared_markup(text: str, fonts: FontLibrary, lang: str, link_color: str, italic: bool,
                   strong_color: str | None, bold: bool) -> str:
    """Memoized: a batch sets the same texts (footers, labels, one handout in many brands
    and papers) again and again."""
    return _markup(text, fonts, lang, link_color, italic, strong_color, bold, False)


def _markup(text: str, fonts: FontLibrary, lang: str, link_color: str, italic: bool,
            strong_color: str | None, bold: bool, literal: bool) -> str:
    parts: list[str] = []
    main = fonts.main_family(lang)
    together = main.covers_all(_NO_BREAK)
    for run in [Run(text)] if literal else parse_inline(text):
        body = ""
        run_text = keep_numbers_together(run.text) if together and not run.href else run.text
        for family, piece in fonts.runs(join_letters(run_text), lang):
            escaped = escape(piece)
            face = family.bold if bold and family.has_bold else family.regular
            body += escaped if family is main else f'<font face="{face}">{escaped}</font>'
        strong, em = run.strong, run.em
        if em and not (italic and main.has_italic):
            strong, em = True, False
        if em:
            body = f"<i>{body}</i>"
        if strong:
            body = f"<b>{body}</b>"
            if not main.has_bold and strong_color:
                body = f'<font color="{strong_color}">{body}</font>'
        if run.href:
            href = escape(run.href).replace('"', "&quot;")
            body = f'<a href="{href}" color="{link_color}">{body}</a>'
        parts.append(body)
    return "".join(parts)


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a text field: separated by blank lines, inner line breaks as spaces."""
    blocks = re.split(r"\n[ \t]*\n", text.strip())
    return [" ".join(line.strip() for line in block.splitlines() if line.strip())
            for block in blocks if block.strip()]
