"""The fields of every YAML format, each declared once with what it means."""

from __future__ import annotations

from dataclasses import dataclass, field

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"
COLOR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
EMAIL_PATTERN = r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$"
URL_PATTERN = r"^https://[^\s<>\"]+$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2})?$"
HASH_PATTERN = r"^[0-9a-f]{8}$"  # what `handout translated` writes for each source text

MAX_LINE = 600          # characters in a one-line field
MAX_TEXT = 6000         # characters in a multi-paragraph field
MAX_ITEMS = 60          # entries in one list


@dataclass(frozen=True)
class Field:
    """One value in a YAML file: its kind, whether it is required, and what it is for.

    kinds: line (one line of text), text (paragraphs), id, lang, date, datetime (a date with
    an optional time of day), url, email, color,
    choice, path (a file inside the owning folder), map (fixed keys), list, dict (free keys),
    langdict (a map of language tag -> value), localized (one line, or a map of language ->
    line), section (a map chosen by its 'type'),
    hashes (text key -> short hex hash of the source text).
    """

    kind: str
    doc: str = ""
    required: bool = False
    fields: dict[str, Field] = field(default_factory=dict)
    item: Field | None = None
    choices: tuple[str, ...] = ()
    min_items: int = 0


def _line(doc: str, required: bool = False) -> Field:
    return Field("line", doc, required)


def _text(doc: str, required: bool = False) -> Field:
    return Field("text", doc, required)


def _items(doc: str, item: Field) -> Field:
    return Field("list", doc, True, item=item, min_items=1)


ITEM = Field("map", "A list entry that a practitioner or translator can refer to by id.", fields={
    "id": Field("id", "An id, unique within the handout and the same in every language.", True),
    "text": _line("What the entry says.", True),
})
STEP = Field("map", "One step of a session, in order.", fields={
    "id": Field("id", "Optional id, the same in every language."),
    "text": _line("What happens.", True),
})
QUESTION = Field("map", "A question patients ask, and its answer.", fields={
    "id": Field("id", "Optional id, the same in every language."),
    "q": _line("The question.", True),
    "a": _text("The answer.", True),
})

_HEADING = _line("Heading; the builder's standard heading for the type when left out.")
_INTRO = _line("One short sentence printed before the list.")


def _list_section(doc: str) -> dict[str, Field]:
    return {"type": Field("choice", doc, True), "heading": _HEADING, "intro": _INTRO,
            "items": _items("The entries, in order.", ITEM)}


SECTION_TYPES: dict[str, dict[str, Field]] = {
    "about": {"type": Field("choice", "Free text about the condition.", True),
              "heading": _HEADING, "text": _text("Paragraphs separated by a blank line.", True)},
    "expect": {"type": Field("choice", "What happens in a session, as numbered steps.", True),
               "heading": _HEADING, "intro": _INTRO,
               "steps": _items("The steps, in order.", STEP)},
    "prepare": _list_section("Before your visit: bullets."),
    "precautions": _list_section("Tell us if…: cautions and contraindications."),
    "side_effects": _list_section("Possible side effects."),
    "aftercare": _list_section("Aftercare; a practitioner can pick items by id."),
    "red_flags": _list_section("When to get urgent help: always a highlighted box."),
    "faq": {"type": Field("choice", "Questions and answers.", True), "heading": _HEADING,
            "items": _items("The questions, in order.", QUESTION)},
    "text": {"type": Field("choice", "Any other titled block.", True),
             "heading": _line("Heading.", True),
             "text": _text("Paragraphs separated by a blank line.", True)},
    "figure": {"type": Field("choice", "An image with a caption.", True), "heading": _HEADING,
               "figure": Field("line", "A figure name from handout.yaml.", True),
               "caption": _line("Caption printed under the image."),
               "alt": _line("What the image shows, for people who cannot see it.")},
}
LIST_SECTION_TYPES = ("prepare", "precautions", "side_effects", "aftercare", "red_flags")

SOURCE = Field("map", "A published source the handout relies on.", fields={
    "id": Field("id", "Short name of the source.", True),
    "citation": _line("Full citation.", True),
    "url": Field("url", "https:// link to the source."),
})

HANDOUT = Field("map", "Language-independent facts of one handout.", fields={
    "id": Field("id", "The handout's id, equal to its folder name.", True),
    "condition": _line("English name of the condition, used in listings.", True),
    "source_language": Field("lang", "The language translations are made from.", True),
    "languages": Field("list", "Languages to build; default: every <lang>.yaml present.",
                       item=Field("lang"), min_items=1),
    "reviewed": Field("date", "Date of the last clinical review (YYYY-MM-DD).", True),
    "review_due": Field("date", "Date the next review is due (YYYY-MM-DD).", True),
    "reviewed_by": Field("localized", "Who reviewed it: text, or a map of language tag -> "
                                      "text (e.g. {en: Clinical lead, ja: 臨床責任者})."),
    "layouts": Field("list", "Layouts built by default.", item=Field("line"), min_items=1),
    "fit": Field("choice", "What to do when the text does not fit a layout: 'none' (an error), "
                           "or 'shrink' (step the body size down to the layout's smallest).",
                 choices=("none", "shrink")),
    "sources": Field("list", "Published sources.", item=SOURCE),
    "figures": Field("dict", "Figure name -> image file inside this handout's folder.",
                     item=Field("path", "PNG or JPEG file.")),
})

TRANSLATION = Field("map", "The text of a handout in one language.", fields={
    "title": _line("Title.", True),
    "subtitle": _line("Subtitle."),
    "summary": _text("Short lead paragraph."),
    "sections": Field("list", "Sections in reading order.", True,
                      item=Field("section", "A section; its 'type' decides its fields."),
                      min_items=1),
    "source_hashes": Field("hashes", "What each text was translated from (written by "
                                     "`handout translated`; do not edit)."),
})

LOCALIZED = Field("localized", "Text, or a map of language tag -> text.")

BRAND = Field("map", "One clinic's branding.", fields={
    "name": _line("Clinic name.", True),
    "name_local": Field("langdict", "Clinic name per language tag.", item=Field("line")),
    "logo": Field("path", "PNG or JPEG file inside the brand folder."),
    "paper": Field("choice", "Paper size.", choices=("a4", "letter")),
    "languages": Field("list", "Languages this clinic hands out; default: every language.",
                       item=Field("lang"), min_items=1),
    "colors": Field("map", "Brand colours as #RRGGBB.", fields={
        "primary": Field("color", "Headings and rules."),
        "accent": Field("color", "The red-flag box and highlights."),
        "text": Field("color", "Body text."),
    }),
    "contact": Field("map", "How patients reach the clinic.", fields={
        "address": LOCALIZED,
        "phone": _line("Phone number."),
        "email": Field("email", "E-mail address."),
        "web": Field("url", "Web site."),
    }),
    "emergency_phone": _line("Emergency number printed in the red-flag box."),
    "booking_url": Field("url", "Booking page, printed as a QR code."),
    "footer": LOCALIZED,
})

PATIENT = Field("map", "One patient's copy of a handout (patient.yaml); never shared.", fields={
    "patient": _line("The patient's name, printed as 'Prepared for …'.", True),
    "practitioner": _line("Who prepared it, e.g. 'K. Sato, licensed acupuncturist'."),
    "date": Field("date", "Date it was prepared (YYYY-MM-DD); default: today."),
    "next_appointment": Field("datetime", "Next appointment: YYYY-MM-DD or "
                                          "YYYY-MM-DDTHH:MM (e.g. 2026-11-29T10:30)."),
    "aftercare": Field("list", "Ids of the aftercare items to keep; the others are left out. "
                               "Precautions and red flags always stay.",
                       item=Field("id", "An aftercare item id."), min_items=1),
    "notes": _text("A note from the practitioner, printed in its own box."),
})
