"""Bundled fonts: registration, the main family per language, per-character fallback."""

from __future__ import annotations

import fnmatch
import functools
import itertools
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFont, TTFontFace, TTFontParser
from reportlab.rl_config import unShapedFontGlob

from . import font_subsets
from .errors import BuildError, Problem
from .font_faces import FastFace, cmap_subtable
from .source import load

# Characters that are layout, not glyphs: reportlab turns them into spacing or breaks.
_LAYOUT_CHARS = frozenset("\n\t\r ")


class _TrueTypeFont(TTFont):
    """A TTFont whose text copies out right for characters beyond U+FFFF (rare kanji, symbols),
    whose face is read in bulk, whose subsets are made once per process, and which encodes
    text whose characters already have their codes in one step (reportlab looks each
    character up in turn)."""

    def __init__(self, name: str, filename: str, subfontIndex: int = 0) -> None:
        # TTFont.__init__ with a face read in bulk (tests/test_fast_paths.py checks that both
        # make the same font).
        self.fontName = name
        self.face = FastFace(filename, subfontIndex=subfontIndex)
        self.encoding = TTEncoding()
        self.state = weakref.WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch.fnmatch(name, glob) for glob in unShapedFontGlob)

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:
        state = self.state.get(doc) if isinstance(text, str) else None
        if state is not None:
            known, table = _assigned(state)
            if known.issuperset(text):  # (every character already has its code)
                if not text:
                    return []
                codes = text.translate(table)
                if state.nextCode <= 256:  # (one subset so far: Latin text)
                    return [(0, codes.encode("latin-1"))]
                # Runs of codes in one subset; a code's low byte is its byte in the subset.
                return [(ord(run[0]) >> 8, run.encode("utf-16-be")[1::2])
                        for run in _subset_runs(len(state.subsets)).findall(codes)]
        return super().splitString(text, doc, encoding)

    def addObjects(self, doc: Any) -> None:
        font_subsets.add_objects(self, doc)

    # reportlab's getAscentDescent asks the font first and, when it raises, its face: a
    # lookup that fails, with an exception built, for every word of a line it measures.
    @property
    def ascent(self) -> Any:
        return self.face.ascent

    @property
    def descent(self) -> Any:
        return self.face.descent


class _LazyTrueTypeFont(_TrueTypeFont):
    """A font registered by name at once and read from its file only when a document first
    uses it: a run that sets English text never reads the Japanese, Chinese and Korean
    fonts (a second or more of parsing)."""

    def __init__(self, name: str, filename: str, subfontIndex: int = 0) -> None:
        self.fontName = name
        self._pending = (filename, subfontIndex)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # (copy, pickle and friends probe; they need no file)
            raise AttributeError(attr)
        pending = self.__dict__.pop("_pending", None)
        if pending is None:
            raise AttributeError(attr)
        _TrueTypeFont.__init__(self, self.fontName, pending[0], subfontIndex=pending[1])
        # Read: from now on a plain font, whose missing attributes (which reportlab asks
        # for often, expecting AttributeError) cost nothing extra.
        self.__class__ = _TrueTypeFont
        return getattr(self, attr)


def _register_lazily(font: _LazyTrueTypeFont) -> None:
    """What pdfmetrics.registerFont does for a TrueType font, without reading the file (it
    asks for the face's name, which means parsing the whole font)."""
    pdfmetrics._fonts[font.fontName] = font
    pdfmetrics.registerFontFamily(font.fontName)


class _CmapReader(TTFontParser):
    """Reads only the character map of a font: which code points it covers."""

    def coverage(self) -> frozenset[int] | None:
        """The code points reportlab's own reading (TTFontFace.charToGlyph) finds, or None
        for a character map format this reader leaves to reportlab."""
        start = cmap_subtable(self._ttf_data, self.table["cmap"]["offset"])
        if start is None:
            return None
        self.seek(start)
        fmt = self.read_ushort()
        if fmt == 4:
            self.skip(4)
            segments = self.read_ushort() // 2
            self.skip(6)
            ends = [self.read_ushort() for _ in range(segments)]
            self.skip(2)
            starts = [self.read_ushort() for _ in range(segments)]
            return frozenset().union(*(range(a, b + 1) for a, b in zip(starts, ends, strict=True)))
        if fmt in (12, 13):
            self.skip(10)
            groups = self.read_ulong()
            ranges = []
            for _ in range(groups):
                start, end = self.read_ulong(), self.read_ulong()
                self.skip(4)
                ranges.append(range(start, end + 1))
            return frozenset().union(*ranges)
        return None


def _coverage(path: str, subfont: int) -> frozenset[int]:
    covered = _CmapReader(path, subfontIndex=subfont).coverage()
    if covered is None:  # (an unusual character map: let reportlab read the whole font)
        covered = frozenset(TTFontFace(path, subfontIndex=subfont).charToGlyph)
    return covered


def _assigned(state: Any) -> tuple[set[str], dict[int, str]]:
    """The characters a document has given codes in a font's subsets, and a table from each
    to its code (subset x 256 + byte) as a character; brought up to date as the document
    places more."""
    assignments = state.assignments
    cached = state.__dict__.get("_assigned")
    if cached is None:
        cached = state._assigned = [0, set(), {}]
    if cached[0] != len(assignments):
        known, table = cached[1], cached[2]
        # (Assignments are only ever added, at the end.)
        for code, n in itertools.islice(assignments.items(), cached[0], None):
            table[code] = chr(n)
            known.add(chr(code))
        if 32 in table and 0xA0 not in table:  # reportlab sets a no-break space as a space
            table[0xA0] = table[32]
            known.add("\xa0")
        cached[0] = len(assignments)
    return cached[1], cached[2]


@functools.cache
def _subset_runs(subsets: int) -> re.Pattern[str]:
    """Matches a run of codes of one subset, for a font with this many subsets."""
    return re.compile("|".join(f"[\\u{n * 256:04x}-\\u{n * 256 + 255:04x}]+"
                               for n in range(min(subsets, 256))))


@dataclass(frozen=True)
class FontFamily:
    """One registered family: its four face names and the code points it covers."""

    name: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    languages: tuple[str, ...]
    covered: frozenset[int]
    has_italic: bool
    has_bold: bool

    @functools.cached_property
    def _covered_chars(self) -> frozenset[str]:
        return frozenset(map(chr, self.covered)) | _LAYOUT_CHARS

    def covers_all(self, text: str) -> bool:
        """Whether this family draws every character of `text` (layout characters aside)."""
        return self._covered_chars.issuperset(text)


@dataclass(frozen=True)
class FontLibrary:
    """Every bundled family, in fallback order."""

    families: tuple[FontFamily, ...]
    _chains: dict[str, tuple[FontFamily, ...]] = field(default_factory=dict, compare=False,
                                                       repr=False)

    def __hash__(self) -> int:
        # Worked out once: the library is part of the key of every memoized markup.
        found = self.__dict__.get("_hash")
        if found is None:
            found = hash(self.families)
            object.__setattr__(self, "_hash", found)
        return found

    def main_family(self, lang: str) -> FontFamily:
        """The family that sets most text of a language."""
        base = lang.split("-")[0]
        for family in self.families:
            if lang in family.languages or base in family.languages:
                return family
        for family in self.families:
            if "*" in family.languages:
                return family
        return self.families[0]

    def chain(self, lang: str) -> tuple[FontFamily, ...]:
        """Families in the order they are tried: the language's own first, then the rest."""
        cached = self._chains.get(lang)
        if cached is None:
            base = lang.split("-")[0]
            main = self.main_family(lang)
            own = [f for f in self.families
                   if f is not main and (lang in f.languages or base in f.languages)]
            first = [main, *own]
            cached = (*first, *(f for f in self.families if all(f is not g for g in first)))
            self._chains[lang] = cached
        return cached

    def family_for(self, char: str, lang: str) -> FontFamily | None:
        """The first family in the language's chain that has a glyph for `char`."""
        code = ord(char)
        for family in self.chain(lang):
            if code in family.covered:
                return family
        return None

    def runs(self, text: str, lang: str) -> list[tuple[FontFamily, str]]:
        """Split text into (family, text) runs so each character is drawn by a font that has it."""
        main = self.main_family(lang)
        if main.covers_all(text):  # nearly every paragraph: one run, no per-character lookup
            return [(main, text)] if text else []
        out: list[tuple[FontFamily, str]] = []
        for char in text:
            family = main if char in _LAYOUT_CHARS else (self.family_for(char, lang) or main)
            if out and out[-1][0] is family:
                out[-1] = (family, out[-1][1] + char)
            else:
                out.append((family, char))
        return out

    def missing(self, text: str, lang: str) -> list[str]:
        """Characters of `text` that no bundled font can draw, in order of appearance."""
        if self.main_family(lang).covers_all(text):
            return []
        seen: dict[str, None] = {}
        for char in text:
            if char not in _LAYOUT_CHARS and char not in seen and \
                    self.family_for(char, lang) is None:
                seen[char] = None
        return list(seen)


def describe_char(char: str) -> str:
    """'U+2603 (SNOWMAN)' for use in messages."""
    import unicodedata

    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"


@functools.lru_cache(maxsize=4)
def load_library(font_dir: Path) -> FontLibrary:
    """Register the fonts listed in `font_dir`/fonts.yaml with reportlab, once per process."""
    manifest = font_dir / "fonts.yaml"
    source, problems = load(manifest)
    if problems or source is None or not isinstance(source.data, list):
        raise BuildError(problems or [Problem(str(manifest), message="expected a list of fonts")])
    families = []
    for index, entry in enumerate(source.data):
        try:
            families.append(_register(font_dir, entry))
        except (KeyError, TypeError, OSError, TTFError) as exc:
            raise BuildError([source.problem((index,), f"cannot load font: {exc}")]) from exc
    return FontLibrary(tuple(families))


def _register(font_dir: Path, entry: dict) -> FontFamily:
    name = entry["family"]
    regular_file = entry["regular"]
    faces = {
        "regular": regular_file,
        "bold": entry.get("bold") or regular_file,
        "italic": entry.get("italic") or regular_file,
        "bold_italic": entry.get("bold_italic") or entry.get("bold") or regular_file,
    }
    names: dict[str, str] = {}
    fonts: dict[str, str] = {}  # face name -> file
    subfont = int(entry.get("subfont_index") or 0)
    for face, file in faces.items():
        font_name = f"{name}-{Path(file).stem}"
        if font_name not in fonts:
            fonts[font_name] = str(font_dir / file)
            if font_name not in pdfmetrics.getRegisteredFontNames():
                _register_lazily(_LazyTrueTypeFont(font_name, fonts[font_name], subfont))
        names[face] = font_name
    pdfmetrics.registerFontFamily(name, normal=names["regular"], bold=names["bold"],
                                  italic=names["italic"], boldItalic=names["bold_italic"])
    return FontFamily(
        name=name,
        regular=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        bold_italic=names["bold_italic"],
        languages=tuple(entry.get("languages") or ()),
        covered=_coverage(fonts[names["regular"]], subfont),
        has_italic=bool(entry.get("italic")),
        has_bold=bool(entry.get("bold")),
    )
