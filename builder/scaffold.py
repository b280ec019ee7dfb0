"""`handout new`: a handout folder with every section type, commented, valid as created."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .fields import ID_PATTERN
from .output import write_atomic
from .schema_files import modeline

FIGURE = "figures/placeholder.png"

# Placeholders are short so that the new handout passes every reading-level check; each
# contains 'TODO', which `handout check` reports (as a warning) until it is replaced.
HANDOUT = """\
# The facts of this handout that are the same in every language.
id: {id}
condition: "TODO: the condition, in English"   # used in listings
source_language: {lang}                     # the language translations are made from
reviewed: {today}                           # the last clinical review (YYYY-MM-DD)
review_due: {due}                           # `handout check` fails after this date
reviewed_by: "TODO: who reviewed it"
layouts: [leaflet]                          # also: trifold, booklet, large-print, bilingual, card
# fit: shrink                               # let the body text shrink (to 10 pt) to fit
# Published sources. A handout that states evidence (studies, guidelines) must list them.
# sources:
#   - id: short-name
#     citation: "Author A, et al. Title. Journal 2024;1(2):3-4"
#     url: https://doi.org/10.0000/example
figures:                                    # name -> image in this folder (PNG or JPEG)
  placeholder: {figure}
"""

TEXT = """\
# The text of this handout in one language. Replace every TODO; `handout check {id}` lists
# what is left. Inline marks: **strong**, *emphasis*, and https:// links.
title: "TODO: the title"
subtitle: "TODO: one line under the title"      # optional
summary: "TODO: a short lead for the front."      # optional
sections:                        # in reading order; delete the ones you do not need
  # Free text about the condition. Paragraphs are separated by a blank line.
  - type: about
    heading: "TODO: about the condition"          # optional: the standard heading if left out
    text: |
      TODO: what the condition is.

      TODO: what the treatment can do.
  # What happens in a session, as numbered steps.
  - type: expect
    steps:
      - text: "TODO: the first step."
      - text: "TODO: the next step."
  # Before the visit: bullets. Every item has an id (a-z, 0-9, -) that stays the same in
  # every language.
  - type: prepare
    items:
      - id: prepare-one
        text: "TODO: what to do before."
  # What patients must tell you: cautions and reasons not to treat.
  - type: precautions
    intro: "TODO: Tell us if you:"               # optional: one line before the list
    items:
      - id: caution-one
        text: "TODO: a caution."
  # Side effects: common and rare.
  - type: side_effects
    items:
      - id: side-effect-one
        text: "TODO: a side effect."
  # Aftercare: tick boxes; a practitioner can pick items by id for one patient.
  - type: aftercare
    items:
      - id: aftercare-one
        text: "TODO: what to do after."
  # When to get urgent help: always printed in a highlighted box with the emergency number.
  - type: red_flags
    items:
      - id: red-flag-one
        text: "TODO: a warning sign."
  # Questions patients ask, with answers.
  - type: faq
    items:
      - q: "TODO: a question?"
        a: "TODO: the answer."
  # Any other block with its own heading (heading and text are both required).
  - type: text
    heading: "TODO: a heading"
    text: "TODO: more text."
  # An image named in handout.yaml 'figures', with a caption and a description.
  - type: figure
    figure: placeholder
    caption: "TODO: the caption."
    alt: "TODO: what the image shows."
"""


class ScaffoldError(Exception):
    """The handout cannot be created as asked (bad id, folder exists …)."""


def scaffold(root: Path, handout_id: str, lang: str, today: dt.date) -> list[Path]:
    """Create handouts/<id>/ under `root`: handout.yaml, <lang>.yaml and a placeholder figure."""
    if not re.match(ID_PATTERN, handout_id):
        raise ScaffoldError(f"'{handout_id}' is not a valid id; use lowercase a-z, 0-9 and - "
                            "(e.g. knee-pain)")
    folder = root / "handouts" / handout_id
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; choose another id")
    due = _two_years_after(today)
    files = {
        folder / "handout.yaml": HANDOUT.format(id=handout_id, lang=lang, today=today,
                                                due=due, figure=FIGURE),
        folder / f"{lang}.yaml": TEXT.format(id=handout_id),
    }
    for path, text in files.items():
        write_atomic(path, f"{modeline(path, root)}\n{text}".encode())
    figure = folder / FIGURE
    write_atomic(figure, placeholder_png())
    return [*files, figure]


def _two_years_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 2)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 2, day=28)


def placeholder_png(size: tuple[int, int] = (600, 400)) -> bytes:
    """A light grey picture with a frame and a cross: plainly a stand-in for a figure."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (236, 239, 242))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((4, 4, w - 5, h - 5), outline=(150, 160, 170), width=4)
    draw.line((4, 4, w - 5, h - 5), fill=(190, 196, 204), width=3)
    draw.line((4, h - 5, w - 5, 4), fill=(190, 196, 204), width=3)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
