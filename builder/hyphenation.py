"""Hyphenation of long words: pyphen's dictionaries, read when a word first needs breaking.

pyphen reads a dictionary's fourteen thousand patterns with a regular expression each, a fifth
of a second for English, more than the rest of a one-leaflet build. Here each pattern is only
filed under its letters, and its values are worked out when a word first looks it up; pyphen
is given the result and hyphenates as always.
A dictionary with pyphen's rarer notations (hex escapes, non-standard hyphenation) is left to
pyphen itself.
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
    bare = text.translate(_NO_DIGITS)  # (digits removed in one pass: the letters of each line)
    pairs = [(key.strip(), line.strip())
             for key, line in zip(bare.split("\n")[1:], text.split("\n")[1:], strict=True)]
    pairs = [(key, line) for key, line in pairs
             if line and not line.startswith(pyphen.ignored)]
    kept = "\n".join(line for _, line in pairs)
    if "^^" in kept or "/" in kept or _OTHER_DIGIT.search("\n".join(k for k, _ in pairs)):
        return None
    patterns = _Patterns(pairs)
    if len(patterns) != len(pairs):  # (a pattern given twice: pyphen's reading decides)
        return None
    return patterns


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
    found.maxlen = max(len(key) for key in patterns)
    return found
