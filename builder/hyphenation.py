"""Hyphenation of long words: pyphen's dictionaries, read when a word first needs breaking.

pyphen reads a dictionary's fourteen thousand patterns with a regular expression each, a fifth
of a second for English, more than the rest of a one-leaflet build. Here each pattern is only
filed under its letters, and its values are worked out when a word first looks it up; pyphen
is given the result and hyphenates as always.
A dictionary with pyphen's rarer notations (hex escapes, non-standard hyphenation) is left to
pyphen itself.
The file is read in a few passes over its whole text, a few milliseconds for English where a
Python loop over its lines takes several times that; a file whose lines need stripping, or
with comments or blank lines among its patterns, is read line by line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pyphen

_DIGIT = re.compile("[0-9]")
_OTHER_DIGIT = re.compile(r"\d")
_NO_DIGITS = str.maketrans("", "", "0123456789")
# Digits come out of a whole file's UTF-8 bytes: ASCII bytes are never part of another
# character there, and bytes.translate is tens of times faster than str.translate, which
# looks every character of a non-ASCII text up in its table.
_ASCII_DIGITS = b"0123456789"
# The ASCII bytes that are not whitespace, and the newline between lines: what is left once
# they are dropped from a pattern text's letters is all that can be a space or a digit.
_PLAIN_ASCII = bytes(b for b in range(128) if b == ord("\n") or not chr(b).isspace())
_SPACE_OR_DIGIT = re.compile(r"\s|\d")
# In a text of stripped lines: a blank line, an ignored one, a hex escape, an alternative.
_NOT_PLAIN = (b"\n\n", *(b"\n" + start.encode() for start in pyphen.ignored), b"^^", b"/")


class Hyphenator:
    """Where a word may break, for reportlab (its `hyphenationLang` takes a callable)."""

    def __init__(self, language: str):
        self.language = language

    @functools.cached_property
    def _iterate(self) -> Callable[[str], Iterator[tuple[str, str]]]:
        path = pyphen.LANGUAGES[pyphen.language_fallback(self.language)]
        if path not in pyphen.hdcache:
            patterns = read_patterns(path)
            if patterns is not None:
                pyphen.hdcache[path] = _dictionary(patterns)
        return pyphen.Pyphen(lang=self.language).iterate

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        return self._iterate(word)

    def __bool__(self) -> bool:
        return bool(self.language)


@functools.cache
def hyphenator(language: str) -> Hyphenator | str:
    """The hyphenator of a pyphen language, or '' (no hyphenation) for ''."""
    return Hyphenator(language) if language else ""


def read_patterns(path: Path) -> dict[str, tuple[int, tuple[int, ...]]] | None:
    """The patterns of a hyph_*.dic file as pyphen's HyphDict finds them (a mapping whose
    values are worked out when first looked up), or None when the file uses a notation
    only pyphen reads."""
    with path.open("rb") as f:
        encoding = f.readline().decode().strip()
    if encoding.lower() == "microsoft-cp1251":
        encoding = "cp1251"
    text = path.read_text(encoding)
    found = _plain_lines(text)
    if found is None:
        kept, letters = _stripped_lines(text)
        # (hex escapes, non-standard hyphenation, a digit of another script)
        if "^^" in kept or "/" in kept or _OTHER_DIGIT.search(letters):
            return None
    else:
        kept, letters = found
    lines, keys = (kept.split("\n"), letters.split("\n")) if kept else ([], [])
    patterns = _Patterns(zip(keys, lines, strict=True))
    if len(patterns) != len(lines):  # (a pattern given twice: pyphen's reading decides)
        return None
    return patterns


def _plain_lines(text: str) -> tuple[str, str] | None:
    """The pattern lines of a dictionary's text, newline-separated, and their letters
    likewise, found with whole-text operations; None unless every line after the header is
    a pattern needing no stripping in the notation read here (`_stripped_lines` then reads
    the text line by line)."""
    at = text.find("\n") + 1  # (the first line names the encoding)
    if not at:
        return "", ""
    while True:  # the header: comments, LEFTHYPHENMIN and the like, a few lines at most
        end = text.find("\n", at)
        line = (text[at:] if end < 0 else text[at:end]).strip()
        if line and not line.startswith(pyphen.ignored):
            break
        if end < 0:
            return "", ""
        at = end + 1
    kept = text[at:].strip()
    encoded = kept.encode("utf-8", "surrogatepass")
    letters = encoded.translate(None, _ASCII_DIGITS)
    # Lines are their own strip() when the text has no whitespace but newlines. Only ASCII
    # whitespace and non-ASCII characters can be whitespace or digits: the other bytes are
    # dropped first, so that an English text is searched in a few hundred characters.
    rare = letters.translate(None, _PLAIN_ASCII).decode("utf-8", "surrogatepass")
    if _SPACE_OR_DIGIT.search(rare) or any(mark in encoded for mark in _NOT_PLAIN):
        return None
    return kept, letters.decode("utf-8", "surrogatepass")


def _stripped_lines(text: str) -> tuple[str, str]:
    """What `_plain_lines` finds, read line by line: every line stripped, blank and ignored
    lines left out; a line's letters are stripped on their own (a digit may stand between a
    space and a letter)."""
    letters = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_DIGITS)
    pairs = [(key.strip(), line.strip())
             for key, line in zip(letters.decode("utf-8", "surrogatepass").split("\n")[1:],
                                  text.split("\n")[1:], strict=True)]
    pairs = [(key, line) for key, line in pairs
             if line and not line.startswith(pyphen.ignored)]
    return "\n".join(line for _, line in pairs), "\n".join(key for key, _ in pairs)


class _Patterns(dict):  # type: ignore[type-arg]
    """Letters -> pattern text, each turned into pyphen's (start, values) when first looked
    up: a word looks up a few dozen of the fourteen thousand."""

    def get(self, key: str, default: object = None) -> object:
        found = dict.get(self, key)
        if isinstance(found, str):
            found = _values(found)
            dict.__setitem__(self, key, found)
        return found if found is not None else default


def _values(pattern: str) -> tuple[int, tuple[int, ...]] | None:
    """pyphen's reading of one pattern: the first non-zero position and the values from
    there to the last non-zero one; None when every value is zero."""
    values = [0] * (len(pattern.translate(_NO_DIGITS)) + 1)
    last = -2
    for n, found in enumerate(_DIGIT.finditer(pattern)):
        at = found.start()
        if at == last + 1:  # two digits in a row: pyphen pairs the second with no letter
            return _trimmed([int(i or "0") for i, _ in pyphen.parse(pattern)])
        values[at - n] = int(found.group())
        last = at
    return _trimmed(values)


def _trimmed(values: list[int]) -> tuple[int, tuple[int, ...]] | None:
    """(offset of the first non-zero value, the values up to the last non-zero one)."""
    if max(values) == 0:
        return None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, tuple(values[start:end])


def _dictionary(patterns: dict[str, tuple[int, tuple[int, ...]]]) -> pyphen.HyphDict:
    found = pyphen.HyphDict.__new__(pyphen.HyphDict)
    found.patterns = patterns
    found.cache = {}
    found.maxlen = max(map(len, patterns))
    return found
