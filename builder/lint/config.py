"""The thresholds `handout check` applies; docs/checks.md says where each comes from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LintConfig:
    """Limits for the lints; the defaults are the library's writing standard."""

    max_grade: float = 8.0              # English Flesch-Kincaid grade (error above)
    max_sentence_words: float = 20.0    # English and Spanish mean words per sentence (warning)
    min_spanish_ease: float = 60.0      # Fernández-Huerta reading ease (error below)
    max_sentence_chars: float = 40.0    # Japanese mean characters per sentence (error above)
    max_kanji_ratio: float = 0.40       # Japanese share of kanji (error above)
    max_item_words: int = 40            # words in one bullet or step (warning above)
    max_item_chars: int = 80            # characters in one bullet, unspaced scripts (warning)
    required_sections: tuple[str, ...] = ("expect", "precautions", "aftercare", "red_flags")
