"""Checked content as frozen values: handouts, translations, sections, brands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SourceRef:
    id: str
    citation: str
    url: str | None = None


@dataclass(frozen=True)
class Handout:
    """The language-independent facts of one handout (handout.yaml)."""

    id: str
    folder: Path
    file: Path
    condition: str
    source_language: str
    languages: tuple[str, ...]
    reviewed: dt.date
    review_due: dt.date
    reviewed_by: dict[str, str] = field(default_factory=dict)  # language (or '*') -> text
    layouts: tuple[str, ...] = ()
    fit: str = "none"  # or "shrink": step the body size down to the layout's floor
    sources: tuple[SourceRef, ...] = ()
    figures: dict[str, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    """An entry of a list section, a step (id optional) or a question (text is the answer)."""

    id: str | None
    text: str
    question: str | None = None


@dataclass(frozen=True)
class Section:
    type: str
    index: int
    heading: str | None = None
    intro: str | None = None
    text: str | None = None
    items: tuple[Item, ...] = ()
    figure: str | None = None
    caption: str | None = None
    alt: str | None = None
    line: int = 0  # where the section starts in its file, for messages
    col: int = 0


@dataclass(frozen=True)
class Translation:
    """The text of one handout in one language (<lang>.yaml)."""

    lang: str
    file: Path
    title: str
    sections: tuple[Section, ...]
    subtitle: str | None = None
    summary: str | None = None
    source_hashes: dict[str, str] | None = None  # what it was translated from, if recorded


@dataclass(frozen=True)
class Colors:
    primary: str = "#1B4F72"
    accent: str = "#A93226"
    text: str = "#1A1A1A"


@dataclass(frozen=True)
class Brand:
    """One clinic's branding (brand.yaml)."""

    id: str
    folder: Path
    file: Path
    name: str
    name_local: dict[str, str] = field(default_factory=dict)
    logo: Path | None = None
    paper: str = "a4"
    languages: tuple[str, ...] = ()  # empty: every language
    colors: Colors = Colors()
    address: dict[str, str] = field(default_factory=dict)
    phone: str | None = None
    email: str | None = None
    web: str | None = None
    emergency_phone: str | None = None
    booking_url: str | None = None
    footer: dict[str, str] = field(default_factory=dict)

    def local_name(self, lang: str) -> str:
        return self.name_local.get(lang) or self.name


def localized(values: dict[str, str], lang: str, fallback: str) -> str | None:
    """The value for `lang`, else for the fallback language, else the only/first value."""
    if lang in values:
        return values[lang]
    base = lang.split("-")[0]
    if base in values:
        return values[base]
    if "*" in values:
        return values["*"]
    if fallback in values:
        return values[fallback]
    return next(iter(values.values()), None)


@dataclass(frozen=True)
class Patient:
    """One patient's details for a personalized copy (patient.yaml or options).

    Health data: the repr shows no field, so a stray log line or traceback cannot leak it.
    """

    name: str | None = None
    practitioner: str | None = None
    date: dt.date | None = None
    next_appointment: dt.date | dt.datetime | None = None
    aftercare: tuple[str, ...] | None = None  # ids to keep; None keeps every item
    notes: str | None = None

    def __repr__(self) -> str:
        return "Patient(…)"
