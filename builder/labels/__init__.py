"""Per-language catalogues of the builder's fixed strings, and dates in the local style."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date, format_time, get_datetime_format

from .. import review_dates
from ..errors import BuildError, Problem
from ..source import load

CATALOGUE_DIR = Path(__file__).parent
REQUIRED_KEYS = ("language_name", "headings", "sources", "disclaimer", "page", "last_reviewed",
                 "reviewed_by", "next_review", "emergency", "booking", "booking_hint")


@dataclass(frozen=True)
class Labels:
    """The fixed strings of one language."""

    lang: str
    strings: dict[str, object]

    def text(self, key: str, **values: object) -> str:
        return str(self.strings[key]).format(**values)

    def heading(self, section_type: str) -> str:
        headings = self.strings["headings"]
        assert isinstance(headings, dict)
        return str(headings.get(section_type, ""))

    def date(self, value: dt.date) -> str:
        """A date written the way the language writes it (e.g. November 1, 2026)."""
        return format_date(value, format="long", locale=self.lang.replace("-", "_"))

    def review_date(self, value: dt.date) -> str:
        """A handout's review date, as `date` writes it (kept between runs: a handout's
        documents show the same few; builder/review_dates.py). Never a patient's date."""
        return review_dates.written(self.lang, value, self.date)

    def when(self, value: dt.date | dt.datetime) -> str:
        """An appointment: weekday and date, and the time of day when it has one."""
        locale = self.lang.replace("-", "_")
        day = format_date(value, format="full", locale=locale)
        if not isinstance(value, dt.datetime):
            return day
        time = format_time(value, format="short", locale=locale)
        # The locale's own order of date and time ("{1}, {0}"); quotes mark literal text.
        pattern = str(get_datetime_format("full", locale=locale)).replace("'", "")
        return pattern.format(time, day)


def available() -> list[str]:
    """Languages that have a catalogue."""
    return sorted(p.stem for p in CATALOGUE_DIR.glob("*.yaml"))


@functools.lru_cache(maxsize=32)
def load_labels(lang: str) -> Labels:
    """The catalogue for `lang` (or its base language, e.g. es-MX -> es)."""
    for candidate in (lang, lang.split("-")[0]):
        path = CATALOGUE_DIR / f"{candidate}.yaml"
        if path.is_file():
            source, problems = load(path)
            if problems or source is None or not isinstance(source.data, dict):
                raise BuildError(problems or [Problem(str(path), message="expected a mapping")])
            missing = [k for k in REQUIRED_KEYS if k not in source.data]
            if missing:
                raise BuildError([Problem(str(path), message=f"missing labels: {missing}")])
            return Labels(lang, source.data)
    raise BuildError([Problem(str(CATALOGUE_DIR), message=f"no label catalogue for '{lang}'")])


def has_labels(lang: str) -> bool:
    return any((CATALOGUE_DIR / f"{c}.yaml").is_file() for c in (lang, lang.split("-")[0]))
