"""One document's content: handout text, labels and brand details for one language."""

from __future__ import annotations

from dataclasses import dataclass

from .labels import Labels, load_labels
from .model import Brand, Handout, Patient, Section, Translation, localized
from .patient import chosen_sections


@dataclass(frozen=True)
class Personal:
    """A patient's copy, worded in the document's language."""

    prepared_for: str
    appointment: str | None = None
    note: str | None = None

    def __repr__(self) -> str:
        return "Personal(…)"


@dataclass(frozen=True)
class Resolved:
    """Everything printed in one document, chosen and worded; no I/O happens after this."""

    handout: Handout
    translation: Translation
    brand: Brand
    labels: Labels
    lang: str
    paper: str
    brand_name: str
    address: str | None
    brand_footer: str | None
    last_reviewed: str
    next_review: str
    reviewed_by: str | None
    patient: Patient | None = None
    personal: Personal | None = None

    @property
    def sections(self) -> tuple[Section, ...]:
        """The sections to print: a patient's copy keeps only the chosen aftercare items."""
        return chosen_sections(self.translation.sections, self.patient)

    def heading(self, section: Section) -> str:
        return section.heading or self.labels.heading(section.type)

    @property
    def subject(self) -> str:
        return self.translation.subtitle or self.handout.condition

    @property
    def keywords(self) -> list[str]:
        return [self.handout.condition, self.labels.text("patient_information"), self.brand_name]

    @property
    def web(self) -> str | None:
        """The clinic's web address as printed: without https:// or a trailing slash."""
        return _bare(self.brand.web)


def _bare(url: str | None) -> str | None:
    return url.removeprefix("https://").rstrip("/") if url else None


def resolve(handout: Handout, translation: Translation, brand: Brand, paper: str,
            patient: Patient | None = None) -> Resolved:
    lang = translation.lang
    labels = load_labels(lang)
    footer = brand.footer.get(lang) or brand.footer.get(lang.split("-")[0]) or \
        brand.footer.get("*")
    reviewer = localized(handout.reviewed_by, lang, handout.source_language) \
        if handout.reviewed_by else None
    return Resolved(
        handout=handout, translation=translation, brand=brand, labels=labels, lang=lang,
        paper=paper, brand_name=brand.local_name(lang),
        address=localized(brand.address, lang, handout.source_language),
        brand_footer=footer,
        last_reviewed=labels.text("last_reviewed", date=labels.review_date(handout.reviewed)),
        next_review=labels.text("next_review", date=labels.review_date(handout.review_due)),
        reviewed_by=labels.text("reviewed_by", name=reviewer) if reviewer else None,
        patient=patient, personal=_personal(patient, labels),
    )


def _personal(patient: Patient | None, labels: Labels) -> Personal | None:
    if patient is None or patient.name is None or patient.date is None:
        return None
    date = labels.date(patient.date)
    prepared = labels.text("prepared_for", patient=patient.name, date=date,
                           practitioner=patient.practitioner) if patient.practitioner else \
        labels.text("prepared_for_no_practitioner", patient=patient.name, date=date)
    appointment = labels.when(patient.next_appointment) if patient.next_appointment else None
    return Personal(prepared, appointment, patient.notes)
