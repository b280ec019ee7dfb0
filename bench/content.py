"""One leaflet's content as plain data, for the baselines that render it without the builder.

The bare-reportlab script and the Typst template are given exactly what the builder prints
in a two-page leaflet: the same words, the same brand colours, logo and fonts.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase import pdfmetrics

from builder.batch import Engine, Job
from builder.bidi import is_rtl_language
from builder.model import Patient
from builder.resolve import resolve


def font_file(face: str) -> str:
    """The file a registered reportlab face was loaded from."""
    return str(pdfmetrics.getFont(face).face.filename)


def leaflet_content(engine: Engine, job: Job, patient: Patient | None = None) -> dict[str, Any]:
    """The words, colours, images and fonts of one leaflet, as JSON-ready data."""
    entry = engine.project.handouts[job.handout]
    handout = entry.handout
    assert handout is not None
    doc = resolve(handout, entry.translations[job.lang], engine.project.brands[job.brand],
                  job.paper, patient)
    family = engine.fonts.main_family(doc.lang)
    brand = doc.brand
    sections = []
    for section in doc.sections:
        figure = handout.figures.get(section.figure) if section.figure else None
        sections.append({
            "type": section.type,
            "heading": doc.heading(section),
            "intro": section.intro,
            "text": section.text,
            "items": [{"text": item.text, "question": item.question} for item in section.items],
            "figure": str(figure) if figure else None,
            "caption": section.caption,
        })
    labels = doc.labels
    personal = doc.personal
    return {
        "lang": doc.lang,
        "rtl": is_rtl_language(doc.lang),
        "paper": job.paper,
        "title": doc.translation.title,
        "subtitle": doc.translation.subtitle,
        "summary": doc.translation.summary,
        "brand": {
            "name": doc.brand_name,
            "logo": str(brand.logo) if brand.logo else None,
            "primary": brand.colors.primary,
            "accent": brand.colors.accent,
            "text": brand.colors.text,
            "phone": brand.phone,
            "emergency_phone": brand.emergency_phone,
            "web": doc.web,
            "address": doc.address,
            "footer": doc.brand_footer,
            "booking_url": brand.booking_url,
        },
        "labels": {
            "booking": labels.text("booking"),
            "booking_hint": labels.text("booking_hint"),
            "sources": labels.text("sources"),
            "disclaimer": labels.text("disclaimer"),
        },
        "sections": sections,
        "sources": [s.citation + (f" {s.url}" if s.url else "") for s in handout.sources],
        "last_reviewed": doc.last_reviewed,
        "next_review": doc.next_review,
        "reviewed_by": doc.reviewed_by,
        "personal": None if personal is None else {
            "prepared_for": personal.prepared_for,
            "appointment": personal.appointment,
            "note": personal.note,
        },
        "fonts": {"regular": font_file(family.regular), "bold": font_file(family.bold),
                  "family": family.name},
    }

