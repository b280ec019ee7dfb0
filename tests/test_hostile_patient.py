"""Hostile patient files: a bad patient.yaml gives one located line and writes no copy at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from .conftest import invoke, make_project, pdf_text

CASES = [
    pytest.param("patient: Hanako Yamada\naftercare: [rest, sleep]\n",
                 r"patient\.yaml:2:19: aftercare\[1\]: 'sleep' is not an aftercare item of demo\. "
                 r"Its items: 'rest' or 'water'", id="unknown-aftercare-id"),
    pytest.param("patient: Hanako Yamada\naftercare: [rest, water, rest]\n",
                 r"patient\.yaml:2:26: aftercare\[2\]: 'rest' is listed twice",
                 id="aftercare-id-twice"),
    pytest.param("patient: Hanako Yamada\naftercare: [Rest_24h]\n",
                 r"patient\.yaml:2:13: aftercare\[0\]: 'Rest_24h' is not a valid id; use "
                 r"lowercase a-z, 0-9 and -", id="aftercare-id-not-an-id"),
    pytest.param("patient: !!python/object/apply:os.system [id]\n",
                 r"patient\.yaml:1:10: patient: is not valid here; .*", id="python-tag"),
    pytest.param("patient: &p Hanako\npractitioner: *p\n",
                 r"patient\.yaml:1:10: .*anchors.*|patient\.yaml:1:10: is not valid here; .*",
                 id="anchor-and-alias"),
    pytest.param("", r"patient\.yaml:1:1: (the file is empty|is not valid here; .*)",
                 id="empty-file"),
    pytest.param("patient: Hanako\ndate: 2026-02-30\n",
                 r"patient\.yaml:2:7: date: '2026-02-30' is not a real date \(day is out of "
                 r"range for month\)", id="invalid-date"),
    pytest.param("patient: [Hanako, Yamada]\n",
                 r"patient\.yaml:1:10: patient: .*", id="name-is-a-list"),
    pytest.param("patient: Hanako\nward: 7\n",
                 r"patient\.yaml:2:1: ward: .*", id="unknown-field"),
    pytest.param("patient: Hanako\nnotes: \"Call \\u202Eus\"\n",
                 r"patient\.yaml:2:8: notes: .*", id="direction-override-in-notes"),
]


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "proj")
    monkeypatch.chdir(tmp_path)
    return root


def build_copy(proj: Path, patient: str) -> Result:
    (proj.parent / "patient.yaml").write_text(patient, encoding="utf-8")
    return invoke(CliRunner(), "build", "demo", "-l", "en", "-b", "demo-brand", "--layout",
                  "leaflet", "--root", str(proj), "--patient", "patient.yaml", "-o", "copy.pdf")


@pytest.mark.parametrize(("patient", "problem"), CASES)
def test_hostile_patient_file(proj: Path, patient: str, problem: str) -> None:
    result = build_copy(proj, patient)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert any(re.fullmatch(problem, line) for line in result.stderr.splitlines()), \
        result.output
    assert sorted(p.name for p in proj.parent.iterdir()) == ["patient.yaml", "proj"]


def test_markup_in_a_patient_file_prints_as_typed(proj: Path) -> None:
    name = '<img src="/etc/passwd"/> & <b>Hanako'
    note = "**<font size=99>** &amp; <a href='javascript:x'>y</a>"
    result = build_copy(proj, f"patient: '{name}'\nnotes: \"{note}\"\n")
    assert result.exit_code == 0, result.output
    shown = "".join(pdf_text(proj.parent / "copy.pdf").split())
    for text in (name, note):
        assert "".join(text.split()) in shown, text
