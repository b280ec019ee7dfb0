"""One document's content: handout text, labels and brand details for one language."""

from __future__ import annotations

from dataclasses import dataclass

from .labels import Labels, load_labels
from .model import Brand, Handout, Section, Translation, localized


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

    @property
    def sections(self) -> tuple[Section, ...]:
        return self.translation.sections

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


def resolve(handout: Handout, translation: Translation, brand: Brand, paper: str) -> Resolved:
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
        last_reviewed=labels.text("last_reviewed", date=labels.date(handout.reviewed)),
        next_review=labels.text("next_review", date=labels.date(handout.review_due)),
        reviewed_by=labels.text("reviewed_by", name=reviewer) if reviewer else None,
    )
