"""Lints of one translation's words: reading level, sections, bullets, placeholders, evidence."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..errors import Problem
from ..fields import LIST_SECTION_TYPES, SECTION_TYPES
from ..model import Handout, Translation
from ..source import KeyPath, Source
from ..text import plain_text
from ..translations import units
from . import readability as R
from .config import LintConfig

# Scripts written without spaces between words are measured in characters.
UNSPACED = ("ja", "zh")
PLACEHOLDER = re.compile(r"\bTODO\b")
# Words that state evidence: such a handout must say where the evidence comes from.
EVIDENCE = {
    "en": re.compile(r"\b(stud(y|ies)|trials?|research|evidence|meta-analys[ie]s|reviews? of|"
                     r"guidelines?|proven|shown to)\b", re.IGNORECASE),
    "es": re.compile(r"\b(estudios?|ensayos?|investigaci[oó]n|evidencias?|pruebas científicas|"
                     r"gu[ií]as? clínicas?|demostrad[oa]s?)\b", re.IGNORECASE),
    "ja": re.compile(r"研究|臨床試験|試験|ガイドライン|診療指針|エビデンス|科学的根拠"),
}


def lint_translation(handout: Handout, tr: Translation, source: Source,
                     config: LintConfig) -> list[Problem]:
    """Every lint of one language file of a handout."""
    problems = reading_level(tr, source, config)
    problems += long_items(tr, source, config)
    problems += placeholders(tr, source)
    if tr.lang == handout.source_language:
        problems += required_sections(tr, source, config)
        if not handout.sources:
            problems += unsourced_evidence(tr, source)
    return problems


Score = Callable[[str], float]


def _hardest(tr: Translation, score: Score, minimum: int = 0) -> KeyPath:
    """The path of the text that scores highest among texts of at least `minimum` characters:
    where an author should start rewriting."""
    candidates = [(score(text), path) for text, path in units(tr).values()
                  if len(plain_text(text)) >= minimum]
    return max(candidates, key=lambda c: c[0])[1] if candidates else ("title",)


def reading_level(tr: Translation, source: Source, config: LintConfig) -> list[Problem]:
    """Reading level of the whole text, pointing at the hardest text to start with."""
    found = R.reading(tr)
    if found is None:
        return []
    base = tr.lang.split("-")[0]
    out = []
    if base == "en" and found.score > config.max_grade:
        where = _hardest(tr, lambda t: R.english_grade(R.split([t])), 80)
        out.append(source.problem(where, f"reading level: Flesch-Kincaid grade "
                                  f"{found.score:.1f}, above {config.max_grade:g}; use shorter "
                                  "sentences and everyday words, starting here"))
    if base == "es" and found.score < config.min_spanish_ease:
        where = _hardest(tr, lambda t: -R.spanish_ease(R.split([t])), 80)
        out.append(source.problem(where, f"reading level: Fernández-Huerta ease "
                                  f"{found.score:.0f}, below {config.min_spanish_ease:g}; use "
                                  "shorter sentences and everyday words, starting here"))
    if base in ("en", "es") and found.sentence_length > config.max_sentence_words:
        where = _hardest(tr, lambda t: _mean(len(s.split()) for s in R.split([t])))
        out.append(source.problem(where, f"sentences average {found.sentence_length:.1f} "
                                  f"words; aim for {config.max_sentence_words:g} or fewer, "
                                  "starting with the longest here", severity="warning"))
    if base == "ja":
        if found.sentence_length > config.max_sentence_chars:
            where = _hardest(tr, lambda t: R.mean_chars(R.split_japanese([t])))
            out.append(source.problem(where, f"sentences average {found.sentence_length:.0f} "
                                      f"characters; at most {config.max_sentence_chars:g} read "
                                      "easily: split long sentences, starting here"))
        if found.kanji_ratio > config.max_kanji_ratio:
            where = _hardest(tr, lambda t: R.kanji_ratio(plain_text(t)), 20)
            out.append(source.problem(where, f"kanji are {found.kanji_ratio:.0%} of the text; "
                                      f"at most {config.max_kanji_ratio:.0%} read easily: write "
                                      "more words in kana, starting here"))
    return out


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def long_items(tr: Translation, source: Source, config: LintConfig) -> list[Problem]:
    """Bullets and steps that say too much for one point."""
    out = []
    unspaced = tr.lang.split("-")[0] in UNSPACED
    for s in tr.sections:
        if s.type not in (*LIST_SECTION_TYPES, "expect"):
            continue
        key = "steps" if s.type == "expect" else "items"
        for j, item in enumerate(s.items):
            text = plain_text(item.text)
            size = len("".join(text.split())) if unspaced else len(text.split())
            limit = config.max_item_chars if unspaced else config.max_item_words
            if size > limit:
                unit = "characters" if unspaced else "words"
                out.append(source.problem(("sections", s.index, key, j, "text"), (
                    f"this entry has {size} {unit}; one point in at most {limit} {unit} reads "
                    "best: split it, or move detail into a text section"), severity="warning"))
    return out


def placeholders(tr: Translation, source: Source) -> list[Problem]:
    """Text left as the template wrote it ('TODO: …')."""
    return [source.problem(path, "placeholder text: replace the 'TODO' text before printing",
                           severity="warning")
            for text, path in units(tr).values() if PLACEHOLDER.search(text)]


def required_sections(tr: Translation, source: Source, config: LintConfig) -> list[Problem]:
    """Every handout tells patients what happens, what to tell us, aftercare and red flags."""
    present = {s.type for s in tr.sections}
    out = []
    for kind in config.required_sections:
        if kind not in present:
            what = SECTION_TYPES[kind]["type"].doc.rstrip(".")
            out.append(source.problem(("sections",), f"no '{kind}' section ({what[0].lower()}"
                                      f"{what[1:]}); every handout needs "
                                      f"{_and(config.required_sections)}"))
    return out


def _and(words: tuple[str, ...]) -> str:
    quoted = [f"'{w}'" for w in words]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else "".join(quoted)


def unsourced_evidence(tr: Translation, source: Source) -> list[Problem]:
    """Statements about studies or guidelines in a handout that lists no sources."""
    pattern = EVIDENCE.get(tr.lang.split("-")[0])
    if pattern is None:
        return []
    out = []
    for text, path in units(tr).values():
        match = pattern.search(plain_text(text))
        if match:
            out.append(source.problem(path, f"states evidence ('{match.group(0)}') but "
                                      "handout.yaml lists no sources; add the sources it "
                                      "relies on"))
    return out
