"""`fit: shrink`: the body size steps down to the layout's floor, never further, never cut."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from .conftest import HANDOUT_YAML, chars, invoke, make_project


def _faq_project(root: Path, questions: int, fit: str | None) -> Path:
    faq = "".join(f"      - q: Question number {n}?\n        a: An answer that takes about two "
                  f"lines in a column of the leaflet, at most.\n" for n in range(questions))
    en = ("title: Long\nsections:\n  - type: red_flags\n    items:\n      - id: x\n"
          "        text: Call us.\n  - type: faq\n    items:\n" + faq)
    handout = HANDOUT_YAML + (f"fit: {fit}\n" if fit else "")
    return make_project(root, en=en, handout=handout)


def _build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, questions: int,
           fit: str | None, *extra: str):
    proj = _faq_project(tmp_path / "proj", questions, fit)
    monkeypatch.chdir(tmp_path)
    return invoke(CliRunner(), "build", "--root", str(proj), "-b", "demo-brand", "-o", "out",
                  *extra)


def test_without_fit_shrink_text_that_is_too_long_fails(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    result = _build(tmp_path, monkeypatch, 47, None)
    assert result.exit_code == 1
    assert "does not fit the leaflet layout (2 pages)" in result.output
    assert "allow `fit: shrink` in handout.yaml" in result.output
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_fit_shrink_steps_the_body_down_and_keeps_every_question(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _build(tmp_path, monkeypatch, 47, "shrink")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out/demo-brand/en/demo-leaflet-a4.pdf"
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == 2
    text = " ".join(p.extract_text() for p in reader.pages)
    assert all(f"Question number {n}?" in text for n in range(47))
    sizes = {round(c.size, 1) for c in chars(pdf) if c.text == "?"}
    assert sizes and all(10 <= s < 11 for s in sizes), sizes


def test_fit_shrink_never_goes_below_the_floor(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    result = _build(tmp_path, monkeypatch, 60, "shrink")
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if "does not fit" in x]
    assert line.endswith(", even with the body text at 10 pt; shorten the text")


def test_fit_shrink_leaves_text_that_fits_at_full_size(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    result = _build(tmp_path, monkeypatch, 10, "shrink")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out/demo-brand/en/demo-leaflet-a4.pdf"
    assert {round(c.size, 1) for c in chars(pdf) if c.text == "?"} == {11.0}


def test_fit_must_be_none_or_shrink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _build(tmp_path, monkeypatch, 10, "squeeze")
    assert result.exit_code == 1
    assert "proj/handouts/demo/handout.yaml:11:6: fit: " in result.output


def test_problems_other_than_fit_get_no_fit_advice(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    en = "title: No aftercare\nsections:\n  - type: red_flags\n    items:\n      - id: x\n" \
         "        text: Call us.\n"
    proj = make_project(tmp_path / "proj", en=en, handout=HANDOUT_YAML + "fit: shrink\n")
    monkeypatch.chdir(tmp_path)
    result = invoke(CliRunner(), "build", "--root", str(proj), "-b", "demo-brand", "--layout",
                    "card", "-o", "out")
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if "aftercare" in x]
    assert "shrink" not in line and "shorten" not in line
