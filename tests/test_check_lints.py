"""Every lint of `handout check`: one failing and one passing fixture each, exact messages."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from builder.batch import Engine
from builder.errors import Problem
from builder.fonts import load_library
from builder.lint import LintConfig, lint_project
from builder.lint import readability as R
from builder.project import BUILTIN_ROOT, load_project
from builder.scaffold import placeholder_png
from layouts import builtin_layouts

from .conftest import invoke

FIXTURE = Path(__file__).parent / "fixtures" / "authoring"
TODAY = dt.date(2026, 11, 23)
EN = "handouts/good/en.yaml"
ES = "handouts/good/es.yaml"
JA = "handouts/good/ja.yaml"
H = "handouts/good/handout.yaml"
B = "assets/brands/good-brand/brand.yaml"


@pytest.fixture(scope="module")
def tools() -> tuple:
    return load_library(BUILTIN_ROOT / "assets" / "fonts"), builtin_layouts()


@pytest.fixture
def good(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture project (valid and lint-clean) copied to tmp_path, the working folder."""
    root = tmp_path / "p"
    shutil.copytree(FIXTURE, root)
    (root / "handouts/good/figures").mkdir()
    (root / "handouts/good/figures/knee.png").write_bytes(placeholder_png())
    monkeypatch.chdir(root)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def lints(root: Path, tools: tuple, config: LintConfig | None = None,
          today: dt.date = TODAY) -> list[str]:
    fonts, layouts = tools
    project = load_project(root, fonts, sorted(layouts))
    assert not [p for p in project.handouts["good"].problems if p.is_error]
    engine = Engine(root.resolve(), fonts, layouts, project)
    found: list[Problem] = lint_project(engine, ["good"], today, config)
    return sorted(str(p) for p in found if "good" in p.file)


def test_the_fixture_is_clean(good: Path, tools: tuple) -> None:
    assert lints(good, tools) == []


# -- reading level ------------------------------------------------------------------------

ABOUT_EN = ("Your knee may hurt or feel stiff. Acupuncture may ease the pain for a while.\n\n"
            "      Trials found it helps some people a little. It does not cure the cause.")
HARD_EN = ("Osteoarthritis is a degenerative musculoskeletal condition characterised by "
           "progressive deterioration of articular cartilage, accompanied by considerable "
           "inflammatory symptomatology. Consequently, individuals experiencing persistent "
           "discomfort frequently require multidisciplinary management incorporating "
           "pharmacological interventions, according to published trials.")


def test_english_grade_above_the_limit_is_an_error(good: Path, tools: tuple) -> None:
    edit(good, EN, ABOUT_EN, HARD_EN)
    found = lints(good, tools)
    assert len(found) == 1
    assert found[0].startswith("handouts/good/en.yaml:6:11: sections[0].text: reading level: "
                               "Flesch-Kincaid grade ")
    assert found[0].endswith(", above 8; use shorter sentences and everyday words, starting "
                             "here")


def test_the_grade_limit_is_configurable(good: Path, tools: tuple) -> None:
    edit(good, EN, ABOUT_EN, HARD_EN)
    assert lints(good, tools, LintConfig(max_grade=40)) == []


def test_long_english_sentences_are_a_warning(good: Path, tools: tuple) -> None:
    long = ("You may feel a dull ache near a needle and this is normal and it goes away and you "
            "can tell us if it is too much and we will stop and take the needle out")
    edit(good, EN, "It does not cure the cause.", f"{long} {long}. " * 5 + "It does not "
         "cure the cause.")
    found = lints(good, tools, LintConfig(max_grade=30))
    assert len(found) == 1
    assert found[0].startswith("handouts/good/en.yaml:6:11: sections[0].text: sentences "
                               "average ")
    assert found[0].endswith(" words; aim for 20 or fewer, starting with the longest here "
                             "(warning)")


def test_spanish_reading_ease_below_60_is_an_error(good: Path, tools: tuple) -> None:
    edit(good, ES, "Su rodilla puede doler o estar rígida. La acupuntura puede aliviar el dolor "
         "un tiempo.", "La osteoartritis constituye una enfermedad degenerativa "
         "caracterizada por el deterioro progresivo del cartílago articular, acompañada "
         "habitualmente de sintomatología inflamatoria considerable. Consecuentemente, "
         "determinadas personas necesitarán tratamientos multidisciplinarios "
         "individualizados.")
    edit(good, ES, "Algunas personas mejoran un poco. No cura la causa.", "Determinadas "
         "personas experimentan mejorías relativamente moderadas; desafortunadamente, "
         "la acupuntura no elimina definitivamente la enfermedad subyacente.")
    found = lints(good, tools)
    assert len(found) == 1
    assert found[0].startswith("handouts/good/es.yaml:5:11: sections[0].text: reading level: "
                               "Fernández-Huerta ease ")
    assert ", below 60; " in found[0]


def test_japanese_long_sentences_are_an_error(good: Path, tools: tuple) -> None:
    long = "ひざが痛んだりこわばったりするのは、軟骨が少しずつすり減っていくためで、" * 3
    edit(good, JA, "ひざが痛んだり、こわばったりします。",
         long + "痛みます。" + long + "はれます。")
    edit(good, JA, "少し楽になる人もいます。", long + "楽になります。" + long + "続きます。")
    found = lints(good, tools)
    assert len(found) == 1
    assert found[0].startswith("handouts/good/ja.yaml:5:11: sections[0].text: sentences "
                               "average ")
    assert found[0].endswith(" characters; at most 40 read easily: split long sentences, "
                             "starting here")


def test_too_many_kanji_is_an_error(good: Path, tools: tuple) -> None:
    edit(good, JA, "ひざが痛んだり、こわばったりします。鍼で痛みが少し楽になることがあります。",
         "膝関節痛及硬直症状。鍼治療後疼痛緩和。変形性膝関節症診断確定後治療開始。")
    edit(good, JA, "少し楽になる人もいます。原因を治すものではありません。",
         "一部患者症状軽減。根本治療非該当。")
    found = lints(good, tools)
    assert len(found) == 1
    assert found[0].startswith("handouts/good/ja.yaml:5:11: sections[0].text: kanji are ")
    assert "% of the text; at most 40% read easily" in found[0]


def test_japanese_measures_count_as_documented() -> None:
    assert R.split_japanese(["一文目です。二文目！", "見出し"]) == ["一文目です。", "二文目！",
                                                                "見出し."]
    assert R.kanji_ratio("漢字かな。") == pytest.approx(2 / 5)
    assert R.mean_chars(["あいう", "かきくけ"]) == 3.5


# -- sections, evidence, review dates -----------------------------------------------------

def test_a_missing_required_section_is_an_error(good: Path, tools: tuple) -> None:
    for rel in (EN, ES, JA):
        text = (good / rel).read_text(encoding="utf-8")
        start = text.index("  - type: precautions")
        end = text.index("  - type: aftercare")
        (good / rel).write_text(text[:start] + text[end:], encoding="utf-8")
    assert lints(good, tools) == [
        "handouts/good/en.yaml:5:3: sections: no 'precautions' section (tell us if…: cautions "
        "and contraindications); every handout needs 'expect', 'precautions', 'aftercare' and "
        "'red_flags'"]


def test_evidence_without_sources_is_an_error(good: Path, tools: tuple) -> None:
    text = (good / H).read_text()
    start, end = text.index("sources:"), text.index("figures:")
    (good / H).write_text(text[:start] + text[end:])
    assert lints(good, tools) == [
        "handouts/good/en.yaml:6:11: sections[0].text: states evidence ('Trials') but "
        "handout.yaml lists no sources; add the sources it relies on"]


def test_text_without_evidence_needs_no_sources(good: Path, tools: tuple) -> None:
    text = (good / H).read_text()
    start, end = text.index("sources:"), text.index("figures:")
    (good / H).write_text(text[:start] + text[end:])
    edit(good, EN, "Trials found it helps some people a little.", "It helps some people.")
    assert lints(good, tools) == []


@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2099, 1, 11), "handouts/good/handout.yaml:6:13: review_due: the review was due "
                           "on 2099-01-10; have it reviewed"),
    (dt.date(2098, 12, 1), "handouts/good/handout.yaml:6:13: review_due: the review is due on "
                           "2099-01-10 (warning)"),
    (dt.date(2098, 10, 1), None),
])
def test_review_due_passed_is_an_error_and_soon_a_warning(good: Path, tools: tuple,
                                                          today: dt.date,
                                                          expected: str | None) -> None:
    assert lints(good, tools, today=today) == ([expected] if expected else [])


# -- translations, figures, bullets, placeholders -----------------------------------------

def test_a_text_the_translation_lacks_is_a_warning(good: Path, tools: tuple) -> None:
    edit(good, EN, "  - type: precautions\n", "  - type: precautions\n    intro: 'Tell us "
         "if you:'\n")
    found = lints(good, tools)
    assert found == [
        "handouts/good/es.yaml:13:5: sections[2]: missing: en.yaml has 'intro' in sections[2]; "
        "translate it here (warning)",
        "handouts/good/ja.yaml:13:5: sections[2]: missing: en.yaml has 'intro' in sections[2]; "
        "translate it here (warning)"]


def test_a_text_copied_from_the_source_is_a_warning(good: Path, tools: tuple) -> None:
    edit(good, ES, "Le preguntamos por su salud y su dolor.",
         "We ask about your health and your pain.")
    assert lints(good, tools) == [
        "handouts/good/es.yaml:11:15: sections[1].steps[0].text: same text as in en.yaml; is "
        "it translated? (warning)"]


def test_unused_figures_and_images_are_warnings(good: Path, tools: tuple) -> None:
    edit(good, H, "  knee: figures/knee.png", "  knee: figures/knee.png\n  spare: "
         "figures/spare.png")
    for name in ("spare.png", "stray.png"):
        (good / "handouts/good/figures" / name).write_bytes(placeholder_png((40, 30)))
    assert lints(good, tools) == [
        "handouts/good/figures/stray.png: not used: handout.yaml 'figures' does not list this "
        "image (warning)",
        "handouts/good/handout.yaml:15:10: figures.spare: figure 'spare' is not used by any "
        "'figure' section; show it or remove it (warning)"]


def test_an_overlong_bullet_is_a_warning(good: Path, tools: tuple) -> None:
    edit(good, EN, "text: Rest for a day.", "text: " + "Rest and drink water. " * 10)
    edit(good, JA, "その日はゆっくり休んでください。", "休んでください。" * 10)
    relaxed = LintConfig(max_grade=30, max_sentence_words=30)
    assert lints(good, tools, relaxed) == []  # 40 words, 80 characters: at the limit
    edit(good, EN, "Rest and drink water. Rest", "Rest and drink cool water. Rest")
    edit(good, JA, "休んでください。休", "休んでください。。休")
    assert lints(good, tools, relaxed) == [
        "handouts/good/en.yaml:21:15: sections[3].items[0].text: this entry has 41 words; one "
        "point in at most 40 words reads best: split it, or move detail into a text section "
        "(warning)",
        "handouts/good/ja.yaml:20:15: sections[3].items[0].text: this entry has 81 characters; "
        "one point in at most 80 characters reads best: split it, or move detail into a text "
        "section (warning)"]


def test_placeholder_text_is_a_warning(good: Path, tools: tuple) -> None:
    edit(good, EN, "text: Rest for a day.", "text: 'TODO: what to do after.'")
    edit(good, H, "reviewed_by: Test lead", "reviewed_by: 'TODO: who'")
    assert lints(good, tools) == [
        "handouts/good/en.yaml:21:15: sections[3].items[0].text: placeholder text: replace the "
        "'TODO' text before printing (warning)",
        "handouts/good/handout.yaml:7:14: reviewed_by: placeholder text: replace the 'TODO' "
        "text before printing (warning)"]


# -- brand colours -------------------------------------------------------------------------

def test_text_colour_on_the_summary_panel_is_checked(good: Path, tools: tuple) -> None:
    # 5.0:1 on white and 4.6:1 on the red-flag box (so the brand loads), 4.4:1 on the
    # summary panel tinted with a black primary colour.
    edit(good, B, 'colors: {primary: "#1B4F72", accent: "#A93226", text: "#1A1A1A"}',
         'colors: {primary: "#000000", accent: "#4A4A4A", text: "#6E6E6E"}')
    found = [p for p in lints(good, tools) if "brand.yaml" in p]
    assert found == [
        'assets/brands/good-brand/brand.yaml:3:55: colors.text: #6E6E6E on the summary panel '
        '(#EDEDED) has contrast 4.4:1; at least 4.5:1 is needed for the summary; choose a '
        'darker colour']
    edit(good, B, 'text: "#6E6E6E"', 'text: "#666666"')
    assert [p for p in lints(good, tools) if "brand.yaml" in p] == []


def test_large_headings_need_3_to_1_and_small_text_4_5_to_1() -> None:
    from builder.color import contrast
    from builder.lint.contrast import PAIRINGS, contrast_problems
    from builder.model import Brand, Colors
    from builder.source import Source

    source = Source(Path("brand.yaml"), {}, {("colors", "primary"): (3, 20)})

    def messages(primary: str) -> list[str]:
        brand = Brand("b", Path("."), Path("brand.yaml"), "B", colors=Colors(primary=primary))
        return [p.message for p in contrast_problems(brand, source)]

    assert messages("#1B4F72") == []
    # 3.4:1 on white: enough for the large headings (3:1), not for links and small headings.
    assert contrast("#8C8C8C") > 3 and messages("#8C8C8C") == [
        "#8C8C8C on the summary panel (#F7F7F7) has contrast 3.1:1; at least 4.5:1 is needed "
        "for links in the summary; choose a darker colour"]
    # The large headings' 3:1 on white: only a colour that fails it fails there most.
    pairings = [(p.background, p.minimum) for p in PAIRINGS if p.color == "primary"]
    assert ("page", 3.0) in pairings and ("page", 4.5) in pairings
    brand = Brand("b", Path("."), Path("brand.yaml"), "B", colors=Colors(primary="#A8A8A8"))
    assert contrast("#A8A8A8") < 3 and contrast_problems(brand, source)


# -- fit and type size (rendered), and the command ----------------------------------------

def test_fit_and_shrunk_body_text_are_reported_by_check(good: Path, runner) -> None:
    answer = "We will talk about what you want from the sessions and how you feel. " * 4
    questions = [f"      - q: Question {n}?\n        a: {answer}\n" for n in range(14)]
    for rel in (ES, JA):
        (good / rel).unlink()
    edit(good, EN, "  - type: figure\n", "  - type: faq\n    items:\n" + "".join(questions)
         + "  - type: figure\n")
    result = invoke(runner, "check", "--root", ".", "-j", "1")
    assert result.exit_code == 1
    assert "handouts/good/en.yaml: does not fit the leaflet layout (2 pages)" in result.output
    # Shrunk to fit: a warning that the body text is below 11 pt.
    edit(good, H, "layouts: [leaflet]", "layouts: [leaflet]\nfit: shrink")
    text = (good / EN).read_text()
    (good / EN).write_text(text.replace("".join(questions), "".join(questions[:13])))
    result = invoke(runner, "check", "--root", ".", "-j", "1")
    assert result.exit_code == 0, result.output
    shrunk = [line for line in result.output.splitlines() if "pt in the leaflet" in line]
    assert shrunk and all(line.startswith("handouts/good/en.yaml: body text is 1") and
                          line.endswith("to make it fit (fit: shrink); 11 pt is the smallest "
                                        "comfortable size: shorten the text (warning)")
                          for line in shrunk), result.output
    # At 11 pt nothing is said.
    (good / EN).write_text(text.replace("".join(questions), "".join(questions[:2])))
    result = invoke(runner, "check", "--root", ".", "-j", "1")
    assert result.exit_code == 0 and "pt in the leaflet" not in result.output, result.output


def test_check_json_lists_problems_and_exits_1_on_errors(good: Path, runner) -> None:
    clean = invoke(runner, "check", "--root", ".", "--format", "json")
    assert clean.exit_code == 0, clean.output
    assert json.loads(clean.stdout) == []
    edit(good, EN, ABOUT_EN, HARD_EN)
    edit(good, EN, "text: Rest for a day.", "text: 'TODO: rest.'")
    result = invoke(runner, "check", "--root", ".", "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert [(p["file"].split("/p/")[-1], p["line"], p["col"], p["severity"]) for p in found] == [
        ("handouts/good/en.yaml", 6, 11, "error"), ("handouts/good/en.yaml", 19, 15, "warning")]
    assert found[0]["text"].startswith("handouts/good/en.yaml:6:11: sections[0].text: reading")


def test_the_shipped_library_passes_every_lint(library) -> None:
    engine = Engine(library.root, None, builtin_layouts(), library)  # type: ignore[arg-type]
    found = lint_project(engine, sorted(library.handouts), dt.date.today())
    assert [str(p) for p in found] == []


TINY_PRINT_LAYOUT = '''\
"""A large-print layout whose footer breaks its own promise: 8 pt under a 16 pt minimum."""
from layouts import large_print
from layouts.large_print import *  # noqa: F403

NAME = "tiny-print"


def decorate_page(canvas, ctx, page, pages):
    large_print.decorate_page(canvas, ctx, page, pages)
    canvas.setFont(ctx.theme.family.regular, 8)
    canvas.drawString(40, 20, "small print")
'''


def test_text_below_a_layouts_minimum_is_an_error(good: Path, runner) -> None:
    for rel in (ES, JA):
        (good / rel).unlink()
    edit(good, H, "layouts: [leaflet]", "layouts: [large-print]")
    result = invoke(runner, "check", "--root", ".", "-j", "1")
    assert result.exit_code == 0 and "promises at least" not in result.output, result.output
    (good / "layouts").mkdir()
    (good / "layouts" / "tiny_print.py").write_text(TINY_PRINT_LAYOUT)
    edit(good, H, "layouts: [large-print]", "layouts: [tiny-print]")
    result = invoke(runner, "check", "--root", ".", "-j", "1")
    assert result.exit_code == 1, result.output
    assert "handouts/good/en.yaml: 30 characters are 8 pt in the tiny-print layout (a4); this " \
           "layout promises at least 16 pt" in result.output, result.output
