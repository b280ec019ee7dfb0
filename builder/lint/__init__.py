"""Lints: what `handout check` reports beyond what a build validates.

Each lint returns Problems located to a file, line and column; errors make `check` fail,
warnings are printed. The thresholds are in config.LintConfig (see docs/checks.md).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from ..source import Source, load
from .config import LintConfig
from .content import lint_translation
from .contrast import contrast_problems
from .handout import handout_placeholders, translation_gaps, unused_figures

if TYPE_CHECKING:
    from ..batch import Engine
    from ..project import HandoutEntry

__all__ = ["LintConfig", "lint_brands", "lint_handout", "lint_project"]


def lint_project(engine: Engine, ids: list[str], today: dt.date,
                 config: LintConfig | None = None) -> list[Problem]:
    """Every lint except fit for the handouts `ids` and every brand (fit: see lint.fit)."""
    from ..batch import review_warnings

    config = config or LintConfig()
    problems = lint_brands(engine)
    chosen = set(ids)
    problems += [p for p in review_warnings(engine, today, overdue="error")
                 if Path(p.file).parent.name in chosen]
    for hid in ids:
        problems += lint_handout(engine.project.handouts[hid], config)
    return problems


def lint_brands(engine: Engine) -> list[Problem]:
    """Colour contrast of every brand that loaded (brands that did not are errors already)."""
    out = []
    for brand in engine.project.brands.values():
        source = _source(brand.file)
        if source is not None:
            out += contrast_problems(brand, source)
    return out


def lint_handout(entry: HandoutEntry, config: LintConfig) -> list[Problem]:
    """The lints of one handout and its translations (those that loaded)."""
    handout = entry.handout
    if handout is None or entry.source is None or any(p.is_error for p in entry.problems):
        return []  # lints judge valid files: the errors come first
    out: list[Problem] = []
    sources = {lang: _source(tr.file) for lang, tr in entry.translations.items()}
    for lang, tr in sorted(entry.translations.items()):
        source = sources[lang]
        if source is not None:
            out += lint_translation(handout, tr, source, config)
    reference = entry.translations.get(handout.source_language)
    for lang, tr in sorted(entry.translations.items()):
        source = sources[lang]
        if reference is not None and lang != handout.source_language and source is not None:
            out += translation_gaps(reference, tr, source)
    out += unused_figures(handout, list(entry.translations.values()), entry.source)
    out += handout_placeholders(entry.source)
    return out


def _source(path: Path) -> Source | None:
    """A file's positions, to locate problems (it loaded once already, so it parses)."""
    source, _ = load(path)
    return source
