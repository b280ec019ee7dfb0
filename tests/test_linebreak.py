"""Japanese and Chinese line breaking keeps the kinsoku rules at every width."""

from __future__ import annotations

import itertools

import pytest
from reportlab.lib.styles import ParagraphStyle

from builder.fonts import load_library
from builder.linebreak import HANGING, NO_END, NO_START, KinsokuParagraph, break_point
from builder.project import BUILTIN_ROOT

FONTS = load_library(BUILTIN_ROOT / "assets" / "fonts")
TEXT = ("あいうえおかきくけこ。さしすせそ、たちつてと」なにぬねのー（はひふへほ）"
        "まみむめもャュョっ「やゆよ Acupuncture 1234 のテスト<b>太字</b>です。")
PLAIN = TEXT.replace("<b>", "").replace("</b>", "")


def lines_at(width: float, text: str = TEXT, lang: str = "ja") -> list[str]:
    style = ParagraphStyle("cjk", fontName=FONTS.main_family(lang).regular, fontSize=11,
                           leading=17, wordWrap="CJK")
    para = KinsokuParagraph(text, style)
    para.wrap(width, 10_000)
    return ["".join(str(word.text) for word in line.words) for line in para.blPara.lines]


@pytest.mark.parametrize("width", range(110, 420, 7))
def test_no_line_starts_or_ends_with_a_forbidden_character(width: int) -> None:
    lines = lines_at(width)
    assert "".join(lines) == PLAIN
    for before, after in itertools.pairwise(lines):
        assert after[0] not in NO_START, lines
        assert before[-1] not in NO_END, lines
        assert not (before[-1].isascii() and before[-1].isalnum() and after[0].isascii()
                    and after[0].isalnum()), f"a Latin word was split: {lines}"


def test_closing_punctuation_hangs_instead_of_moving_a_character_down() -> None:
    chars = "あいうえお。かき"
    assert break_point(chars, 0, 5) == 6  # '。' would start the line: it hangs instead
    assert chars[5] in HANGING


def test_small_kana_and_opening_brackets_move_down_together() -> None:
    assert break_point("あいうャュ", 0, 3) == 2       # 'ャ' may not start a line
    assert break_point("あいう（え", 0, 4) == 3       # '（' may not end one


def test_chinese_uses_the_same_rules() -> None:
    text = "针灸不能治愈骨关节炎（关节表面光滑的一层）磨损，也不能让软骨再生。" * 3
    for width in range(90, 300, 11):
        lines = lines_at(width, text, "zh-Hans")
        assert "".join(lines) == text
        for before, after in itertools.pairwise(lines):
            assert after[0] not in NO_START and before[-1] not in NO_END, lines
