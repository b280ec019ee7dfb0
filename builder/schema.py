"""Checks loaded YAML against the declared fields; collects every problem, raises none."""

from __future__ import annotations

import datetime as dt
import errno
import re
import unicodedata
from pathlib import Path
from typing import Any

from .errors import LANGUAGE_ALIASES, Problem, did_you_mean, one_of
from .fields import (
    COLOR_PATTERN,
    DATE_PATTERN,
    DATETIME_PATTERN,
    EMAIL_PATTERN,
    HASH_PATTERN,
    ID_PATTERN,
    LANG_PATTERN,
    MAX_ITEMS,
    MAX_LINE,
    MAX_TEXT,
    SECTION_TYPES,
    URL_PATTERN,
    Field,
)
from .labels import available
from .source import KeyPath, Source

_ID = re.compile(ID_PATTERN)
_LANG = re.compile(LANG_PATTERN)
_COLOR = re.compile(COLOR_PATTERN)
_EMAIL = re.compile(EMAIL_PATTERN)
_DATE = re.compile(DATE_PATTERN)
_DATETIME = re.compile(DATETIME_PATTERN)
_URL = re.compile(URL_PATTERN)
_HASH = re.compile(HASH_PATTERN)

INVALID = object()
"""Marks a value that failed its check (a problem has been recorded for it)."""

_KIND_NAMES = {
    "map": "a mapping of 'key: value' lines", "dict": "a mapping of 'name: value' lines",
    "list": "a list ('- …' lines or [a, b])", "section": "a section (a mapping with 'type')",
}


class Checker:
    """Walks one Source against a Field tree, collecting problems."""

    def __init__(self, source: Source, folder: Path | None = None):
        self.source = source
        self.folder = folder
        self.problems: list[Problem] = []

    def fail(self, path: KeyPath, message: str, *, key: bool = False) -> object:
        self.problems.append(self.source.problem(path, message, key=key))
        return INVALID

    def check(self, value: Any, spec: Field, path: KeyPath = ()) -> Any:
        """The checked (and converted) value, or INVALID."""
        if value is None:
            return self.fail(path, "is empty; give a value or remove the line") if path else \
                self.fail(path, "the file is empty")
        method = getattr(self, f"_check_{spec.kind}")
        return method(value, spec, path)

    # -- containers -----------------------------------------------------------------------

    def _expect(self, value: Any, kind: type, spec: Field, path: KeyPath) -> bool:
        if isinstance(value, kind):
            return True
        found = "a list" if isinstance(value, list) else (
            "a mapping" if isinstance(value, dict) else f"'{_short(value)}'")
        self.fail(path, f"expected {_KIND_NAMES.get(spec.kind, spec.kind)}, found {found}")
        return False

    def _check_map(self, value: Any, spec: Field, path: KeyPath,
                   fields: dict[str, Field] | None = None) -> Any:
        if not self._expect(value, dict, spec, path):
            return INVALID
        fields = spec.fields if fields is None else fields
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key not in fields:
                hint = did_you_mean(key, fields) or f" Allowed: {one_of(fields)}."
                self.fail((*path, key), f"unknown field '{key}'.{hint}", key=True)
                continue
            if item is None and not fields[key].required:
                continue
            out[key] = self.check(item, fields[key], (*path, key))
        for key, item_spec in fields.items():
            if item_spec.required and key not in value:
                doc = item_spec.doc.rstrip(".")
                useful = doc and doc.lower() != key.replace("_", " ")
                self.fail(path, f"missing '{key}': {doc[0].lower() + doc[1:]}" if useful
                          else f"missing '{key}'")
        return out

    def _check_list(self, value: Any, spec: Field, path: KeyPath) -> Any:
        if not self._expect(value, list, spec, path):
            return INVALID
        if len(value) < spec.min_items:
            return self.fail(path, "must not be empty")
        if len(value) > MAX_ITEMS:
            return self.fail(path, f"has {len(value)} entries; at most {MAX_ITEMS} are allowed")
        assert spec.item is not None
        return [self.check(item, spec.item, (*path, i)) for i, item in enumerate(value)]

    def _check_dict(self, value: Any, spec: Field, path: KeyPath) -> Any:
        if not self._expect(value, dict, spec, path):
            return INVALID
        assert spec.item is not None
        out = {}
        for key, item in value.items():
            if not _ID.match(key) and not _LANG.match(key):
                self.fail((*path, key), f"'{_short(key)}' is not a valid name; use a-z, 0-9 and -",
                          key=True)
                continue
            out[key] = self.check(item, spec.item, (*path, key))
        return out

    def _check_section(self, value: Any, spec: Field, path: KeyPath) -> Any:
        if not self._expect(value, dict, spec, path):
            return INVALID
        kind = value.get("type")
        if "type" in value and not isinstance(kind, str):
            found = "a list" if isinstance(kind, list) else "a mapping" if kind else "nothing"
            return self.fail((*path, "type"), f"expected one of {one_of(SECTION_TYPES)}, "
                                              f"found {found}")
        if not isinstance(kind, str):
            return self.fail(path, f"missing 'type' (one of {one_of(SECTION_TYPES)})")
        if kind not in SECTION_TYPES:
            hint = did_you_mean(kind, SECTION_TYPES) or f" Allowed: {one_of(SECTION_TYPES)}."
            return self.fail((*path, "type"), f"'{_short(kind)}' is not a section type.{hint}")
        return self._check_map(value, spec, path, SECTION_TYPES[kind])

    def _check_hashes(self, value: Any, spec: Field, path: KeyPath) -> Any:
        if not self._expect(value, dict, spec, path):
            return INVALID
        for key, item in value.items():
            if not isinstance(item, str) or not _HASH.match(item):
                self.fail((*path, key), "expected a short hash written by `handout translated`; "
                                        "run it again instead of editing these lines")
                return INVALID
        return dict(value)

    def _check_localized(self, value: Any, spec: Field, path: KeyPath) -> Any:
        if isinstance(value, dict):
            return self._check_langdict(value, Field("langdict", item=Field("line")), path)
        return self._check_line(value, spec, path)

    def _check_langdict(self, value: Any, spec: Field, path: KeyPath) -> Any:
        if not self._expect(value, dict, spec, path):
            return INVALID
        for key in value:
            # A misspelt tag ('jp') would silently never be used: say so.
            if isinstance(key, str) and (key in LANGUAGE_ALIASES or not _LANG.match(key)):
                known = [k for k in available() if k != key]
                hint = did_you_mean(key, known) or " Use a language tag such as 'en'."
                self.fail((*path, key), f"'{_short(key)}' is not a language tag.{hint}")
                return INVALID
        return self._check_dict(value, Field("dict", item=spec.item or Field("line")), path)

    # -- scalars --------------------------------------------------------------------------

    def _string(self, value: Any, path: KeyPath) -> str | None:
        if isinstance(value, str):
            return value
        found = "a list" if isinstance(value, list) else "a mapping"
        self.fail(path, f"expected text, found {found}")
        return None

    def _controls(self, text: str, path: KeyPath, allow_newlines: bool) -> bool:
        probe = text.replace("\n", "").replace("\t", "") if allow_newlines else text
        if probe.isprintable():  # (no control, format, private-use or unassigned character)
            return True
        for char in text:
            if char in "\n\t" and allow_newlines:
                continue
            what = _forbidden_char(char)
            if what:
                self.fail(path, f"contains {what}, which is not allowed here")
                return False
        return True

    def _check_line(self, value: Any, spec: Field, path: KeyPath) -> Any:
        text = self._string(value, path)
        if text is None:
            return INVALID
        text = " ".join(text.split("\n")).strip()
        if not text:
            return self.fail(path, "is empty; give a value or remove the line")
        if len(text) > MAX_LINE:
            return self.fail(path, f"is {len(text)} characters long; at most {MAX_LINE} "
                                   "are allowed")
        if not self._controls(text, path, allow_newlines=False):
            return INVALID
        return text

    def _check_text(self, value: Any, spec: Field, path: KeyPath) -> Any:
        text = self._string(value, path)
        if text is None:
            return INVALID
        text = text.strip()
        if not text:
            return self.fail(path, "is empty; give a value or remove the line")
        if len(text) > MAX_TEXT:
            return self.fail(path, f"is {len(text)} characters long; at most {MAX_TEXT} "
                                   "are allowed")
        if not self._controls(text, path, allow_newlines=True):
            return INVALID
        return text

    def _pattern(self, value: Any, path: KeyPath, pattern: re.Pattern[str], what: str) -> Any:
        text = self._string(value, path)
        if text is None:
            return INVALID
        text = text.strip()
        if not pattern.match(text):
            return self.fail(path, f"'{_short(text)}' is not {what}")
        return text

    def _check_id(self, value: Any, spec: Field, path: KeyPath) -> Any:
        return self._pattern(value, path, _ID, "a valid id; use lowercase a-z, 0-9 and -")

    def _check_lang(self, value: Any, spec: Field, path: KeyPath) -> Any:
        return self._pattern(value, path, _LANG,
                             "a language tag such as 'en', 'ja', 'es' or 'zh-Hans'")

    def _check_color(self, value: Any, spec: Field, path: KeyPath) -> Any:
        return self._pattern(value, path, _COLOR, "a colour; write it as #RRGGBB, e.g. #1B4F72")

    def _check_email(self, value: Any, spec: Field, path: KeyPath) -> Any:
        return self._pattern(value, path, _EMAIL, "an e-mail address")

    def _check_url(self, value: Any, spec: Field, path: KeyPath) -> Any:
        return self._pattern(value, path, _URL, "a web address starting with https://")

    def _check_choice(self, value: Any, spec: Field, path: KeyPath) -> Any:
        text = self._string(value, path)
        if text is None:
            return INVALID
        if spec.choices and text not in spec.choices:
            hint = did_you_mean(text, spec.choices) or f" Allowed: {one_of(spec.choices)}."
            return self.fail(path, f"'{_short(text)}' is not allowed.{hint}")
        return text

    def _check_date(self, value: Any, spec: Field, path: KeyPath) -> Any:
        text = self._string(value, path)
        if text is None:
            return INVALID
        text = text.strip()
        if not _DATE.match(text):
            return self.fail(path, f"'{_short(text)}' is not a date; write it as YYYY-MM-DD, "
                                   "e.g. 2026-11-01")
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            return self.fail(path, f"'{text}' is not a real date ({exc})")

    def _check_datetime(self, value: Any, spec: Field, path: KeyPath) -> Any:
        """A date, or a date and a time of day: a datetime.date or datetime.datetime."""
        text = self._string(value, path)
        if text is None:
            return INVALID
        text = text.strip()
        if not _DATETIME.match(text):
            return self.fail(path, f"'{_short(text)}' is not a date and time; write it as "
                                   "YYYY-MM-DDTHH:MM, e.g. 2026-11-29T10:30")
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
            return dt.datetime.fromisoformat(text.replace(" ", "T"))
        except ValueError as exc:
            return self.fail(path, f"'{text}' is not a real date and time ({exc})")

    def _check_path(self, value: Any, spec: Field, path: KeyPath) -> Any:
        """A file inside the owning folder: no absolute paths, no way out, no links out."""
        text = self._string(value, path)
        if text is None:
            return INVALID
        assert self.folder is not None
        if not self._controls(text, path, allow_newlines=False):
            return INVALID
        rel = Path(text.strip())
        if rel.is_absolute() or text.strip().startswith(("/", "\\")) or ".." in rel.parts \
                or re.match(r"^[A-Za-z]:", text.strip()):
            return self.fail(path, f"'{_short(text)}' must be a file inside {self.folder.name}/, "
                                   "given relative to it")
        target = self.folder / rel
        try:
            resolved = target.resolve(strict=True)
            resolved.relative_to(self.folder.resolve())
        except FileNotFoundError:
            return self.fail(path, f"file not found: {_short(text)}")
        except RuntimeError:  # (a loop of links: Python 3.11 and 3.12 raise RuntimeError)
            return self.fail(path, f"'{_short(text)}' is a link that leads back to itself")
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return self.fail(path, f"'{_short(text)}' is a link that leads back to itself")
            return self.fail(path, f"'{_short(text)}' cannot be read: {exc.strerror or exc}")
        except ValueError:
            return self.fail(path, f"'{_short(text)}' points outside {self.folder.name}/")
        if not resolved.is_file():
            return self.fail(path, f"'{_short(text)}' is not a file")
        return resolved


_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_CATEGORY_NAMES = {"Cc": "the control character", "Cs": "the surrogate code point",
                   "Co": "the private-use character", "Cn": "the unassigned code point"}


def _forbidden_char(char: str) -> str | None:
    """What is wrong with a character in text, or None when it may be printed."""
    if char == "\n":
        return "a line break"
    if char in "\u2028\u2029":
        return f"the line separator U+{ord(char):04X}"
    if char in _BIDI_CONTROLS:
        # Direction overrides can make printed text read differently from the file.
        return f"the direction control U+{ord(char):04X}"
    category = unicodedata.category(char)
    if category in _CATEGORY_NAMES:
        return f"{_CATEGORY_NAMES[category]} U+{ord(char):04X}"
    return None


def _short(value: Any, limit: int = 40) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
