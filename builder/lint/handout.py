"""Lints across a handout's files: translations that miss or copy texts, unused figures."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..loaders import IMAGE_SUFFIXES
from ..model import Handout, Translation
from ..source import Source
from ..translations import units

# A copied sentence of this many words is a text someone forgot to translate; shorter ones
# are often names or terms that stay the same ("NICE", "DVT").
UNTRANSLATED_WORDS = 4


def translation_gaps(ref: Translation, tr: Translation, source: Source) -> list[Problem]:
    """Texts the source has and the translation lacks (or adds), and texts left as in the
    source language."""
    theirs, ours = units(ref), units(tr)
    out = []
    for key, (text, path) in theirs.items():
        if key not in ours:
            out.append(source.problem(path[:2] if path[0] == "sections" else (),
                                      f"missing: {ref.file.name} has {_name(key)}; translate "
                                      "it here", severity="warning"))
        elif ours[key][0].strip() == text.strip() and len(text.split()) >= UNTRANSLATED_WORDS:
            out.append(source.problem(ours[key][1], f"same text as in {ref.file.name}; is it "
                                      "translated?", severity="warning"))
    for key, (_text, path) in ours.items():
        if key not in theirs:
            out.append(source.problem(path, f"not in {ref.file.name}: {_name(key)} has no "
                                      "source text; add it there or remove it here",
                                      severity="warning"))
    return out


def _name(key: str) -> str:
    """'sections[2].intro' -> "'intro' in sections[2]"; item keys are quoted as they are."""
    if "." in key and key.startswith("sections["):
        where, field = key.rsplit(".", 1)
        return f"'{field}' in {where}"
    return f"'{key}'"


def unused_figures(handout: Handout, translations: list[Translation],
                   source: Source) -> list[Problem]:
    """Figures declared but shown nowhere, and image files no figure points at."""
    used = {s.figure for tr in translations for s in tr.sections if s.type == "figure"}
    out = [source.problem(("figures", name), f"figure '{name}' is not used by any "
                          "'figure' section; show it or remove it", severity="warning")
           for name in handout.figures if name not in used]
    declared = {Path(p).resolve() for p in handout.figures.values()}
    folder = handout.folder / "figures"
    images = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES) \
        if folder.is_dir() else []
    for image in images:
        if image.resolve() not in declared:
            out.append(Problem(str(image), message="not used: handout.yaml 'figures' does not "
                               "list this image", severity="warning"))
    return out


def handout_placeholders(source: Source) -> list[Problem]:
    """'TODO' text left in handout.yaml (the condition, the reviewer, a citation …)."""
    from .content import PLACEHOLDER

    def walk(value: object, path: tuple[str | int, ...]) -> list[Problem]:
        if isinstance(value, dict):
            return [p for k, v in value.items() for p in walk(v, (*path, k))]
        if isinstance(value, list):
            return [p for i, v in enumerate(value) for p in walk(v, (*path, i))]
        if isinstance(value, str) and PLACEHOLDER.search(value):
            return [source.problem(path, "placeholder text: replace the 'TODO' text before "
                                         "printing", severity="warning")]
        return []

    return walk(source.data, ())
