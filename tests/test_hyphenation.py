"""Hyphenation dictionaries are read as pyphen reads them: the patterns the line-by-line
reading found, for every dictionary pyphen ships and for files with CRLF line ends, stray
spaces, comments, blank lines and duplicated patterns; and words break where pyphen breaks
them."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pyphen
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder import hyphenation
from builder.hyphenation import (
    Hyphenator,
    _Patterns,
    _plain_lines,
    _stripped_lines,
    read_patterns,
)
from builder.project import BUILTIN_ROOT

DICTIONARIES = sorted(set(pyphen.LANGUAGES.values()))
# (a dictionary's first name in pyphen's table is its full one: en_US, not en)
LANGUAGE = {path: name for name, path in reversed(pyphen.LANGUAGES.items())}

_REFERENCE_OTHER_DIGIT = re.compile(r"\d")
_REFERENCE_NO_DIGITS = str.maketrans("", "", "0123456789")


def reference_read_patterns(path: Path) -> _Patterns | None:
    """read_patterns as it was written first, one Python step per line: what the
    whole-text reading must find."""
    with path.open("rb") as f:
        encoding = f.readline().decode().strip()
    if encoding.lower() == "microsoft-cp1251":
        encoding = "cp1251"
    text = path.read_text(encoding)
    bare = text.translate(_REFERENCE_NO_DIGITS)
    pairs = [(key.strip(), line.strip())
             for key, line in zip(bare.split("\n")[1:], text.split("\n")[1:], strict=True)]
    pairs = [(key, line) for key, line in pairs
             if line and not line.startswith(pyphen.ignored)]
    kept = "\n".join(line for _, line in pairs)
    if ("^^" in kept or "/" in kept
            or _REFERENCE_OTHER_DIGIT.search("\n".join(k for k, _ in pairs))):
        return None
    patterns = _Patterns(pairs)
    if len(patterns) != len(pairs):
        return None
    return patterns


def raw(patterns: dict[str, object] | None) -> list[tuple[str, object]] | None:
    """The entries as stored, in order (not the values `get` works out)."""
    if patterns is None:
        return None
    assert type(patterns) is _Patterns
    return list(dict.items(patterns))


def text_of(path: Path) -> str:
    encoding = path.read_bytes().split(b"\n", 1)[0].decode().strip()
    return path.read_text("cp1251" if encoding.lower() == "microsoft-cp1251" else encoding)


@pytest.mark.parametrize("path", DICTIONARIES, ids=lambda path: path.name)
def test_every_dictionary_is_read_as_line_by_line(path: Path) -> None:
    assert raw(read_patterns(path)) == raw(reference_read_patterns(path))


def test_plain_dictionaries_are_read_without_a_python_loop_over_lines(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # (one whose comments are all in its header and whose lines need no stripping)
    plain = [path for path in DICTIONARIES if _plain_lines(text_of(path)) is not None]
    assert {"hyph_en_US.dic", "hyph_en_GB.dic", "hyph_es.dic", "hyph_nl_NL.dic"} <= \
        {path.name for path in plain}
    assert len(plain) >= 20

    def line_by_line(text: str) -> tuple[str, str]:
        raise AssertionError("read line by line")

    monkeypatch.setattr(hyphenation, "_stripped_lines", line_by_line)
    for path in plain:
        read_patterns(path)


def _words(path: Path, patterns: dict[str, object], count: int = 300) -> list[str]:
    """Words of the handouts in the dictionary's language, a few long ones, and `count`
    made of three of the dictionary's own patterns' letters each, so that every language
    has words its patterns break."""
    words = {"physiotherapist", "incomprehensibilities", "rehabilitación"}
    for handout in BUILTIN_ROOT.glob("handouts/*/*.yaml"):
        language = pyphen.language_fallback(handout.stem)
        if language is not None and pyphen.LANGUAGES[language] == path:
            words |= set(re.findall(r"[^\W\d_]{4,}", handout.read_text(encoding="utf-8")))
    pieces = sorted({key.strip(".") for key in patterns} - {""})
    chosen = random.Random(path.name)
    made: set[str] = set()
    for _ in range(20 * count):
        if len(made) == count:
            break
        made.add("".join(chosen.sample(pieces, 3)))
    return sorted(words | made)


@pytest.mark.parametrize("path", DICTIONARIES, ids=lambda path: path.name)
def test_hyphenation_patterns_are_pyphens(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    language = LANGUAGE[path]
    patterns = read_patterns(path)
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenate = Hyphenator(language)
    hyphenate("a")
    ours = pyphen.hdcache[path]
    # (what read_patterns reads is what hyphenates; the rest pyphen reads itself)
    assert (type(ours.patterns) is _Patterns) == (patterns is not None)
    if patterns is None:
        return
    monkeypatch.setattr(pyphen, "hdcache", {})
    theirs_iterate = pyphen.Pyphen(lang=language).iterate
    theirs = pyphen.hdcache[path]
    assert type(theirs.patterns) is dict

    words = _words(path, theirs.patterns)
    assert len(words) >= 300

    def points(dictionary: pyphen.HyphDict, word: str) -> list[tuple[int, object]]:
        return [(int(point), point.data) for point in dictionary.positions(word)]

    assert [points(ours, w) for w in words] == [points(theirs, w) for w in words]
    assert sum(map(bool, (points(theirs, w) for w in words))) >= len(words) // 4
    assert [list(hyphenate(w)) for w in words[::7]] == \
        [list(theirs_iterate(w)) for w in words[::7]]
    every = {key: patterns.get(key) for key in list(patterns)}
    assert {k: v for k, v in every.items() if v is not None} == theirs.patterns
    assert ours.maxlen >= theirs.maxlen  # (all-zero patterns are kept, never used)


# file bytes -> the entries read (None: left to pyphen)
EDGES: dict[str, tuple[bytes, dict[str, str] | None]] = {
    "crlf": (b"UTF-8\r\n% comment\r\n.hy3ph\r\nhe2n\r\n",
             {".hyph": ".hy3ph", "hen": "he2n"}),
    "crlf without a header": (b"UTF-8\r\n.hy3ph\r\nhe2n", {".hyph": ".hy3ph", "hen": "he2n"}),
    "trailing spaces": (b"UTF-8\n.hy3ph  \nhe2n\t\n  4b1c \n",
                        {".hyph": ".hy3ph", "hen": "he2n", "bc": "4b1c"}),
    "spaces only at the text's ends": (b"UTF-8\n  4b1c\n.hy3ph\nhe2n \n \n",
                                       {"bc": "4b1c", ".hyph": ".hy3ph", "hen": "he2n"}),
    "other spaces": ("UTF-8\n\xa0he2n\u2003\n.hy3ph\x1c\n".encode(),
                     {"hen": "he2n", ".hyph": ".hy3ph"}),
    "a line separator in a line": ("UTF-8\nhe2n\u2028.hy3ph\n".encode(),
                                   {"hen\u2028.hyph": "he2n\u2028.hy3ph"}),
    "a digit beside a space": (b"UTF-8\n1 ab\n", {"ab": "1 ab"}),
    "header comments": (b"UTF-8\n% a comment\n\nLEFTHYPHENMIN 2\n#x\n.hy3ph\nhe2n\n",
                        {".hyph": ".hy3ph", "hen": "he2n"}),
    "an indented header comment": (b"UTF-8\n\t%c\n.hy3ph\n", {".hyph": ".hy3ph"}),
    "comments among patterns": (b"UTF-8\n.hy3ph\n% a comment\n\n  # another\nhe2n\n"
                                b"RIGHTHYPHENMIN 3\nCOMPOUNDLEFTHYPHENMIN 2\n",
                                {".hyph": ".hy3ph", "hen": "he2n"}),
    "blank lines among patterns": (b"UTF-8\n.hy3ph\n\n\nhe2n\n\n",
                                   {".hyph": ".hy3ph", "hen": "he2n"}),
    "a duplicated pattern": (b"UTF-8\nhe2n\n.hy3ph\nhe3n\n", None),
    "a pattern given twice alike": (b"UTF-8\nhe2n\nhe2n\n", None),
    "a duplicated pattern among spaces": (b"UTF-8\nhe2n \n.hy3ph\nhe3n\n", None),
    "only the encoding line": (b"UTF-8\n", {}),
    "only the encoding, no newline": (b"UTF-8", {}),
    "only blank lines": (b"UTF-8\n\n \n\n", {}),
    "only comments": (b"UTF-8\n% a comment\nLEFTHYPHENMIN 2\n%end", {}),
    "a hex escape": (b"UTF-8\n.hy3ph\n^^e9t1\n", None),
    "an alternative": (b"UTF-8\n.hy3ph\nf1f/ff=f,1,2\n", None),
    "a digit of another script": ("UTF-8\n.hy3ph\na\u0661b\n".encode(), None),
    "all zeros": (b"UTF-8\na0b\n.hy3ph\n", {"ab": "a0b", ".hyph": ".hy3ph"}),
    "only digits": (b"UTF-8\n.hy3ph\n12\n", {".hyph": ".hy3ph", "": "12"}),
    "latin-1": ("ISO8859-1\n.\xe9t1\nhe2n\n".encode("latin-1"),
                {".\xe9t": ".\xe9t1", "hen": "he2n"}),
    "cp1251": (b"microsoft-cp1251\n" + "\u04301\u0431\n".encode("cp1251"),
               {"\u0430\u0431": "\u04301\u0431"}),
}

# Where pyphen's own reading differs: it keeps that space in the key; it looks the encoding
# up with the line's newline, and finds no such codec.
PYPHEN_FAILS = {"a digit beside a space", "cp1251"}


@pytest.mark.parametrize("name", EDGES)
def test_edge_cases_are_read_as_line_by_line(name: str, tmp_path: Path) -> None:
    content, expected = EDGES[name]
    path = tmp_path / "hyph_xx.dic"
    path.write_bytes(content)
    found = read_patterns(path)
    assert raw(found) == (None if expected is None else list(expected.items()))
    assert raw(found) == raw(reference_read_patterns(path))
    if found and name not in PYPHEN_FAILS:
        values = {key: found.get(key) for key in list(found)}
        assert {k: v for k, v in values.items() if v is not None} == \
            pyphen.HyphDict(path).patterns


# Pieces of pattern lines, letters and digits most often, so that many texts are plain.
PIECES = st.sampled_from(["a", "b", "e", ".", "\xe9", "\u0431", "1", "2", "0", "5"] * 4 + [
    " ", "\t", "\xa0", "\u2028", "\x1c", "\r", "\r\n", "%", "#", "LEFTHYPHENMIN", "^^", "/",
    "\u0661", ""])
LINES = st.lists(st.lists(PIECES, max_size=6).map("".join), max_size=10).map("\n".join)


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=LINES)
@example(body="% c\n a1b\nc2d ")
@example(body="a1b\n\nc2d")
@example(body="a1b\n%c\nc2d")
@example(body="\n#")
@example(body=" %\na1b")
def test_any_text_is_read_as_line_by_line(body: str, tmp_path: Path) -> None:
    text = "UTF-8\n" + body
    found = _plain_lines(text)
    assert found is None or found == _stripped_lines(text)
    path = tmp_path / "hyph_xx.dic"
    path.write_bytes(text.encode())
    assert raw(read_patterns(path)) == raw(reference_read_patterns(path))
