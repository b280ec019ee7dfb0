"""Which document a preview (or `watch`) shows when only some of its choices are given."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import did_you_mean, one_of

if TYPE_CHECKING:
    from .batch import Engine, Job


def choose_job(engine: Engine, handout_id: str, lang: str | None = None,
               brand: str | None = None, layout: str | None = None,
               paper: str | None = None) -> Job:
    """The document: the handout's source language, first layout, and the first brand that
    hands out that language, unless given. UsageError for a name that does not exist."""
    from .batch import Job, UsageError

    project = engine.project
    entry = project.handouts.get(handout_id)
    if entry is None:
        hint = did_you_mean(handout_id, project.handouts) or \
            f" Known: {one_of(project.handouts)}."
        raise UsageError(f"'{handout_id}' is not a handout.{hint}")
    handout = entry.handout
    languages = list(handout.languages) if handout else []
    lang = lang or (handout.source_language if handout else "en")
    for part in lang.split("+"):
        if handout and part not in languages:
            hint = did_you_mean(part, languages) or f" Its languages: {one_of(languages)}."
            raise UsageError(f"--lang: '{part}' is not a language of {handout_id}.{hint}")
    if layout is None:
        layout = "bilingual" if "+" in lang else (
            handout.layouts[0] if handout and handout.layouts else "leaflet")
    if layout not in engine.layouts:
        hint = did_you_mean(layout, engine.layouts) or f" Known: {one_of(engine.layouts)}."
        raise UsageError(f"--layout: '{layout}' is not a layout.{hint}")
    if brand is None:
        first = lang.split("+")[0]
        fitting = [b for b in sorted(project.brands)
                   if not project.brands[b].languages or first in project.brands[b].languages]
        brand = (fitting or sorted(project.brands) or [""])[0]
    if brand not in project.brands:
        known = sorted(set(project.brands) | set(project.brand_problems))
        if brand in project.brand_problems:
            raise UsageError(f"--brand: '{brand}' has problems; run `handout check`")
        hint = did_you_mean(brand, known) or (f" Known: {one_of(known)}." if known else "")
        raise UsageError(f"--brand: '{brand}' is not a brand.{hint}")
    return Job(handout_id, lang, brand, layout, paper or project.brands[brand].paper)
