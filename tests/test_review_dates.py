"""Handouts' review dates are kept in the cache folder as each language writes them; a
process that has them never loads the language's calendar data, an entry that is not what
was written is never used, and a patient's dates are never kept."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import babel.localedata
import pytest
from babel.dates import format_date

from builder import disk_cache, review_dates
from builder.batch import Job, load_engine, render_job
from builder.labels import load_labels
from builder.model import Patient

DATES = [dt.date(2026, 11, 1), dt.date(2027, 2, 28), dt.date(2024, 2, 29)]


@pytest.fixture
def fresh(cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new process, as far as dates go: nothing remembered, no calendar data loaded."""
    monkeypatch.setattr(review_dates, "_MEMO", {})
    monkeypatch.setattr(babel.localedata, "_cache", {})
    return cache


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "review-dates").glob("*.bin"))


@pytest.mark.parametrize("lang", ["en", "ja", "es", "ar", "zh-Hans"])
def test_a_kept_date_is_what_babel_writes(fresh: Path, monkeypatch: pytest.MonkeyPatch,
                                          lang: str) -> None:
    labels = load_labels(lang)
    first = [labels.review_date(d) for d in DATES]
    assert first == [format_date(d, "long", locale=lang.replace("-", "_")) for d in DATES]
    monkeypatch.setattr(review_dates, "_MEMO", {})  # (another process)
    monkeypatch.setattr(babel.localedata, "_cache", {})
    assert [labels.review_date(d) for d in DATES] == first
    assert babel.localedata._cache == {}  # (the calendar data was never loaded)


def test_documents_read_their_review_dates_from_the_cache(fresh: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    engine = load_engine()
    job = Job("knee-osteoarthritis", "ja", "hinode-tokyo", "leaflet", "a4")
    made = render_job(engine, job).pdf
    assert _entries(fresh)
    monkeypatch.setattr(review_dates, "_MEMO", {})
    monkeypatch.setattr(babel.localedata, "_cache", {})
    assert render_job(engine, job).pdf == made
    assert babel.localedata._cache == {}


def test_a_patients_dates_are_never_kept(fresh: Path) -> None:
    engine = load_engine()
    job = Job("knee-osteoarthritis", "en", "riverbend-physio", "leaflet", "letter")
    patient = Patient(name="Sam Lee", practitioner="Dr Aoki", date=dt.date(2031, 5, 17),
                      next_appointment=dt.datetime(2031, 6, 2, 9, 30))
    render_job(engine, job, patient)
    kept = "".join(p.read_bytes().decode("utf-8", "replace") for p in _entries(fresh))
    assert "2031" not in kept
    assert all("2031" not in key for memo in review_dates._MEMO.values() for key in memo)


def _damaged(payload: bytes) -> list[bytes]:
    return [
        b"",
        b"[]",
        b"not json",
        b'{"2026-11-01": 5}',
        b'{"yesterday": "November 1, 2026"}',
        b'{"2026-11-1": "November 1, 2026"}',
        b"\xff\xfe",
        json.dumps({f"{2000 + n % 900:04d}-01-{1 + n % 28:02d}": "x" for n in range(
            review_dates._KEPT + 1)}).encode(),
        payload[:-1],
    ]


@pytest.mark.parametrize("case", range(9))
def test_an_entry_that_is_not_what_was_written_is_a_miss(fresh: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         case: int) -> None:
    labels = load_labels("en")
    expected = labels.review_date(DATES[0])
    [entry] = _entries(fresh)
    payload = disk_cache.unseal(entry.read_bytes())
    assert payload is not None
    entry.write_bytes(disk_cache.seal(_damaged(payload)[case]))
    monkeypatch.setattr(review_dates, "_MEMO", {})
    assert labels.review_date(DATES[0]) == expected
    assert disk_cache.unseal(entry.read_bytes()) == payload  # (written again, whole)


def test_a_changed_entry_is_a_miss_too(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    labels = load_labels("en")
    expected = labels.review_date(DATES[0])
    [entry] = _entries(fresh)
    data = bytearray(entry.read_bytes())
    data[-3] ^= 1  # (its checksum no longer matches)
    entry.write_bytes(bytes(data))
    monkeypatch.setattr(review_dates, "_MEMO", {})
    assert labels.review_date(DATES[0]) == expected


def test_dates_are_written_without_a_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOUT_CACHE_DIR", "off")
    monkeypatch.setattr(review_dates, "_MEMO", {})
    assert load_labels("en").review_date(DATES[0]) == "November 1, 2026"


def test_processes_keep_each_others_dates(fresh: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    """Two processes writing at once: each entry written joins in what the other kept."""
    labels = load_labels("en")
    labels.review_date(DATES[0])
    other: dict[str, dict[str, str]] = {}
    monkeypatch.setattr(review_dates, "_MEMO", other)  # (a second process, started earlier)
    other["en"] = {}
    labels.review_date(DATES[1])
    monkeypatch.setattr(review_dates, "_MEMO", {})
    assert set(review_dates._read("en")) == {DATES[0].isoformat(), DATES[1].isoformat()}
