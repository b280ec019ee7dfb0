"""Handouts' review dates as each language writes them, kept in the cache folder.

Writing a date the way a language writes it means loading that language's calendar data
(Babel's locale data: a few tens of milliseconds per language, paid by every process of a
batch). A handout's documents show the same few review dates over and over, so once written
they are kept (builder/disk_cache.py): a process whose documents show only dates it has
seen before never loads the data. An entry holds text only, read back as text; patients'
dates (a copy's session or appointment) are never kept.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import babel

from . import disk_cache

FORMAT = "handout-review-dates 1"
_KEPT = 2_000  # dates per language; a project rarely has more than a few dozen

_MEMO: dict[str, dict[str, str]] = {}


def written(lang: str, value: dt.date, write: Callable[[dt.date], str]) -> str:
    """`write(value)`, or what it gave for the same date and language before."""
    known = _MEMO.get(lang)
    if known is None:
        known = _MEMO[lang] = _read(lang)
    key = value.isoformat()
    text = known.get(key)
    if text is None:
        text = known[key] = write(value)
        _write(lang, known)
    return text


def _entry(lang: str) -> Path | None:
    return disk_cache.entry("review-dates", FORMAT, babel.__version__, lang)


def _read(lang: str) -> dict[str, str]:
    payload = disk_cache.read(_entry(lang))
    if payload is None:
        return {}
    try:
        found = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(found, dict) or len(found) > _KEPT or not all(
            isinstance(k, str) and isinstance(v, str) and _is_date(k)
            for k, v in found.items()):
        return {}
    return found


def _write(lang: str, known: dict[str, str]) -> None:
    # (What another process kept meanwhile joins in; a date lost to a race is written again.)
    merged = {**_read(lang), **known}
    if len(merged) > _KEPT:
        merged = known
    if len(merged) <= _KEPT:
        disk_cache.write(_entry(lang), json.dumps(merged, ensure_ascii=False,
                                                  sort_keys=True).encode("utf-8"))


def _is_date(text: str) -> bool:
    try:
        return dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False
