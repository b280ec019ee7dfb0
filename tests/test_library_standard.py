"""The shipped handouts meet the standard of patient information the library promises."""

from __future__ import annotations

import re

import pytest
import textstat

from builder.text import paragraphs, plain_text

SHIPPED = ["knee-osteoarthritis", "knee-pain-physiotherapy", "pain-behind-the-knee",
           "rheumatoid-arthritis-knee", "after-knee-surgery", "acupuncture-session"]
REQUIRED_SECTIONS = {"expect", "prepare", "precautions", "side_effects", "aftercare",
                     "red_flags", "faq"}
MAX_GRADE = 8.0
MAX_SENTENCE_WORDS = 20
# Claims the facts mark as unsupported: a handout may only deny them.
UNSUPPORTED = re.compile(r"(repair|mend|heal)\w* (a |the |your )?(torn )?menisc|"
                         r"regrow\w* (the )?cartilage|remov\w* (a |the |your )?baker",
                         re.IGNORECASE)


def english_sentences(translation) -> list[str]:
    """Every text of the English version as sentences (a bullet without a full stop counts
    as one sentence), marks removed."""
    texts = [translation.title, translation.subtitle or "", translation.summary or ""]
    for section in translation.sections:
        texts += [section.heading or "", section.intro or "", section.text or "",
                  section.caption or ""]
        for item in section.items:
            texts += [item.question or "", item.text]
    out = []
    for text in texts:
        for para in paragraphs(text) if text else []:
            para = plain_text(para).strip()
            out.append(para if para[-1] in ".?!:" else para + ".")
    return out


def test_the_six_handouts_are_shipped_in_english_and_japanese(library) -> None:
    assert set(SHIPPED) <= set(library.handouts)
    for handout_id in SHIPPED:
        entry = library.handouts[handout_id]
        assert not entry.problems, entry.problems
        assert {"en", "ja"} <= set(entry.translations), handout_id


@pytest.mark.parametrize("handout_id", SHIPPED)
def test_english_reads_at_grade_8_or_below(library, handout_id: str) -> None:
    text = " ".join(english_sentences(library.handouts[handout_id].translations["en"]))
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{handout_id}: Flesch-Kincaid grade {grade}"
    assert textstat.avg_sentence_length(text) < MAX_SENTENCE_WORDS


@pytest.mark.parametrize("handout_id", SHIPPED)
def test_every_handout_has_the_sections_patients_need(library, handout_id: str) -> None:
    entry = library.handouts[handout_id]
    english = entry.translations["en"]
    types = {s.type for s in english.sections}
    assert types >= REQUIRED_SECTIONS, REQUIRED_SECTIONS - types
    faq = next(s for s in english.sections if s.type == "faq")
    assert 4 <= len(faq.items) <= 6
    aftercare = next(s for s in english.sections if s.type == "aftercare")
    assert all(item.id for item in aftercare.items)
    handout = entry.handout
    assert handout.sources and handout.reviewed < handout.review_due


@pytest.mark.parametrize("handout_id", SHIPPED)
def test_no_unsupported_claim_and_no_case_report_percentages(library, handout_id: str) -> None:
    for sentence in english_sentences(library.handouts[handout_id].translations["en"]):
        if UNSUPPORTED.search(sentence):
            assert re.search(r"\b(not|no|cannot|can't|does not|doesn't|won't)\b", sentence,
                             re.IGNORECASE), sentence
        assert "%" not in sentence and "percent" not in sentence.lower(), sentence


def test_guideline_disagreement_is_stated_where_guidelines_are_cited(library) -> None:
    for handout_id in SHIPPED:
        handout = library.handouts[handout_id].handout
        cited = {s.id for s in handout.sources}
        if {"acr2019", "nice-ng226"} <= cited:
            text = " ".join(english_sentences(library.handouts[handout_id].translations["en"]))
            assert "NICE" in text, handout_id
            assert "American College of Rheumatology" in text or "US guideline" in text, \
                handout_id
