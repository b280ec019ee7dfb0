"""Reading-level measures per language: English, Spanish and Japanese."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..model import Translation
from ..text import paragraphs, plain_text

# A bullet or heading without a full stop still reads as one sentence.
# (The full-width marks are escaped: they look like their ASCII twins.)
_SENTENCE_END = ".?!:。\uff01\uff1f\uff1a"
_JA_SPLIT = re.compile("(?<=[。\uff01\uff1f!?])")


@dataclass(frozen=True)
class Reading:
    """One language's reading-level figures for a whole translation."""

    score: float            # Flesch-Kincaid grade, Fernández-Huerta ease, or 0 (Japanese)
    sentence_length: float  # mean words (characters, for Japanese) per sentence
    kanji_ratio: float = 0.0  # Japanese only: kanji among all printed characters


def texts(tr: Translation) -> list[str]:
    """Every text a reader reads, in order: title, lead, headings, body, items, captions."""
    out = [tr.title, tr.subtitle or "", tr.summary or ""]
    for section in tr.sections:
        out += [section.heading or "", section.intro or "", section.text or "",
                section.caption or ""]
        for item in section.items:
            out += [item.question or "", item.text]
    return [t for t in out if t]


def split(items: Iterable[str]) -> list[str]:
    """Every paragraph of the texts as a sentence-terminated string, marks removed."""
    out = []
    for text in items:
        for para in paragraphs(text):
            para = plain_text(para).strip()
            if para:
                out.append(para if para[-1] in _SENTENCE_END else para + ".")
    return out


def split_japanese(items: Iterable[str]) -> list[str]:
    """Sentences split at full stops, exclamation and question marks; spaces removed."""
    out = []
    for para in split(items):
        out += [p for p in ("".join(piece.split()) for piece in _JA_SPLIT.split(para)) if p]
    return out


@cache
def _textstat(lang: str) -> Any:
    # textstat 0.7.3 counts syllables with pyphen's bundled dictionaries: nothing is
    # downloaded at run time (later releases fetch a CMU dictionary through nltk).
    from textstat.textstat import textstatistics

    stats = textstatistics()
    stats.set_lang(lang)
    return stats


def english_grade(sentences: list[str]) -> float:
    """Flesch-Kincaid grade level (US school grade)."""
    return float(_textstat("en_US").flesch_kincaid_grade(" ".join(sentences)))


def spanish_ease(sentences: list[str]) -> float:
    """Fernández-Huerta reading ease: 0-100, higher is easier; 60-70 is 'normal'."""
    return float(_textstat("es").fernandez_huerta(" ".join(sentences)))


def mean_words(sentences: list[str], lang: str = "en_US") -> float:
    """Mean words per sentence, as textstat counts them."""
    return float(_textstat(lang).avg_sentence_length(" ".join(sentences)))


def is_kanji(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH") or char in "々〆"


def kanji_ratio(chars: Iterable[str]) -> float:
    """Kanji among all printed characters (punctuation included, spaces not)."""
    printed = [c for c in chars if not c.isspace()]
    return sum(map(is_kanji, printed)) / len(printed) if printed else 0.0


def mean_chars(sentences: list[str]) -> float:
    return sum(map(len, sentences)) / len(sentences) if sentences else 0.0


def english(items: list[str]) -> Reading:
    found = split(items)
    return Reading(english_grade(found), mean_words(found))


def spanish(items: list[str]) -> Reading:
    found = split(items)
    return Reading(spanish_ease(found), mean_words(found, "es"))


def japanese(items: list[str]) -> Reading:
    found = split_japanese(items)
    return Reading(0.0, mean_chars(found), kanji_ratio("".join(found)))


MEASURES: dict[str, Callable[[list[str]], Reading]] = {
    "en": english, "es": spanish, "ja": japanese}


def reading(tr: Translation) -> Reading | None:
    """The reading-level figures for a translation, or None where no measure is defined."""
    measure = MEASURES.get(tr.lang.split("-")[0])
    return measure(texts(tr)) if measure else None
