"""A patient's copy: what it shows, what it leaves out, where it goes, and what never leaks."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from tests.conftest import fold, invoke, make_project, pdf_text, write

PATIENT = """\
patient: Ann Example
practitioner: Dr B. Smith
date: 2026-11-22
next_appointment: 2026-11-29T10:30
aftercare: [water]
notes: |
  Keep the heat pack to 15 minutes.

  Call us if the bruise grows.
"""

# A Japanese patient of the Tokyo clinic, for the acupuncture-session handout.
HANAKO = """\
patient: 山田 花子
practitioner: 佐藤
date: 2026-11-22
next_appointment: 2026-11-29T10:30
aftercare: [rest-24h, water]
notes: 温湿布は15分までにしてください。
"""


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_project(tmp_path / "proj")
    write(tmp_path / "ann.yaml", PATIENT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def build(runner: CliRunner, *args: str):
    return invoke(runner, "build", "demo", "--root", "proj", "-b", "demo-brand", *args)


def test_copy_shows_patient_appointment_note_and_only_chosen_aftercare(setup, runner):
    result = build(runner, "--patient", "ann.yaml", "-o", "ann.pdf")
    assert result.exit_code == 0, result.output
    text = pdf_text(setup / "ann.pdf")
    assert "Prepared for Ann Example on November 22, 2026 by Dr B. Smith" in text
    assert "Next appointment Sunday, November 29, 2026, 10:30 AM" in text
    assert "A note for you Keep the heat pack to 15 minutes. Call us if the bruise grows." \
        in text
    assert "Drink water." in text
    assert "Rest for a day." not in text  # not chosen
    assert "A fever after the session." in text  # red flags always stay
    assert "Does it hurt?" in text
    # Nothing but the one file asked for was written.
    assert sorted(p.name for p in setup.iterdir()) == ["ann.pdf", "ann.yaml", "proj"]


def test_options_alone_and_over_a_file(setup, runner):
    result = build(runner, "--patient-name", "Cy Doe", "--aftercare", "rest",
                   "--date", "2026-01-05", "-o", "cy.pdf")
    assert result.exit_code == 0, result.output
    text = pdf_text(setup / "cy.pdf")
    assert "Prepared for Cy Doe on January 5, 2026" in text
    assert "by " not in text.split("Prepared for")[1][:40]
    assert "Rest for a day." in text and "Drink water." not in text
    assert "Next appointment" not in text
    # An option wins over the same field in the file.
    result = build(runner, "--patient", "ann.yaml", "--aftercare", "rest,water",
                   "--note", "Other note.", "-o", "mixed.pdf")
    assert result.exit_code == 0, result.output
    text = pdf_text(setup / "mixed.pdf")
    assert "Prepared for Ann Example" in text and "Other note." in text
    assert "Rest for a day." in text and "Drink water." in text
    assert "heat pack" not in text


def test_date_defaults_to_today(setup, runner):
    assert build(runner, "--patient-name", "Di", "-o", "di.pdf").exit_code == 0
    today = dt.date.today()
    assert f"Prepared for Di on {today:%B} {today.day}, {today.year}" in pdf_text(setup / "di.pdf")


def test_markup_in_name_and_note_prints_literally(setup, runner):
    name = "<b>Ann</b> **Bold** *x* & <font size=40>"
    note = "Use <i>ice</i> & **not** heat; a < b > c"
    result = build(runner, "--patient-name", name, "--note", note, "-o", "m.pdf")
    assert result.exit_code == 0, result.output
    text = pdf_text(setup / "m.pdf")
    assert f"Prepared for {name} on" in text
    assert note in text


def test_unknown_aftercare_id_in_file_is_located_and_lists_valid_ids(setup, runner):
    write(setup / "bad.yaml", PATIENT.replace("[water]", "[water, watr]"))
    result = build(runner, "--patient", "bad.yaml", "-o", "bad.pdf")
    assert result.exit_code == 1
    assert "bad.yaml:5:20: aftercare[1]: 'watr' is not an aftercare item of demo. " \
           "Did you mean 'water'? Its items: 'rest' or 'water'" in result.output
    assert not (setup / "bad.pdf").exists()


def test_unknown_aftercare_id_as_option_is_a_usage_error(setup, runner):
    result = build(runner, "--patient-name", "Ann", "--aftercare", "rest,sleep", "-o", "x.pdf")
    assert result.exit_code == 2
    assert "--aftercare: 'sleep' is not an aftercare item of demo. Its items: 'rest' or " \
           "'water'" in result.output
    assert not (setup / "x.pdf").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--patient-name", "Ann"], "give -o FILE.pdf"),
    (["--patient-name", "Ann", "-o", "out/ann.pdf"], "inside the shared output folder"),
    (["--patient-name", "Ann", "-o", "ann.txt"], "give -o FILE.pdf"),
    (["--patient-name", "Ann", "--date", "2026-13-01", "-o", "a.pdf"],
     "--date: '2026-13-01' is not a real date"),
    (["--patient-name", "Ann", "--next-appointment", "tomorrow", "-o", "a.pdf"],
     "--next-appointment: 'tomorrow' is not a date and time"),
    (["--practitioner", "Dr B", "-o", "a.pdf"], "needs the patient's name"),
    (["--patient-name", "Ann", "--print-ready", "-o", "a.pdf"], "--print-ready is for batches"),
    (["--patient-name", "Ann", "--layout", "trifold", "--fillable", "-o", "a.pdf"],
     "no fillable variant"),
    (["--password-env", "PW"], "--password-env protects a patient's copy"),
])
def test_copy_usage_errors(setup, runner, args, message):
    result = build(runner, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not list(setup.glob("*.pdf")) and not (setup / "out").exists()


def test_patient_details_never_appear_in_messages(setup, runner, monkeypatch):
    secret = "Zebediah Quux"
    write(setup / "ctl.yaml", PATIENT.replace("Ann Example", secret + "\\u0007")
          .replace("patient: ", 'patient: "', 1).replace("\\u0007\n", '\\u0007"\n', 1))
    result = build(runner, "--patient", "ctl.yaml", "-o", "c.pdf")
    assert result.exit_code == 1
    assert "ctl.yaml:1:10: patient:" in result.output and secret not in result.output
    # An internal error on a copy names its kind, never its text.
    from builder import personal_build

    def broken(*_args, **_kwargs):
        raise ValueError(f"cannot draw {secret}")

    monkeypatch.setattr(personal_build, "render_job", broken)
    result = build(runner, "--patient-name", secret, "-o", "d.pdf")
    assert result.exit_code == 2
    assert "ValueError" in result.output and secret not in result.output
    assert not (setup / "d.pdf").exists()


def test_password_protected_copy(setup, runner, monkeypatch):
    monkeypatch.setenv("ANN_PW", "correct horse")
    result = build(runner, "--patient", "ann.yaml", "--password-env", "ANN_PW", "-o", "p.pdf")
    assert result.exit_code == 0, result.output
    assert "correct horse" not in result.output
    reader = pypdf.PdfReader(setup / "p.pdf")
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"]
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)  # AES-256
    with pytest.raises(pypdf.errors.FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert reader.decrypt("wrong") == pypdf.PasswordType.NOT_DECRYPTED
    assert reader.decrypt("correct horse") != pypdf.PasswordType.NOT_DECRYPTED
    assert "Prepared for Ann Example" in fold(" ".join(p.extract_text() for p in reader.pages))
    assert reader.metadata.title == "Demo handout"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_password_variable_must_be_set_when_not_on_a_terminal(setup, runner, monkeypatch):
    monkeypatch.delenv("NO_SUCH_PW", raising=False)
    result = build(runner, "--patient", "ann.yaml", "--password-env", "NO_SUCH_PW", "-o",
                   "p.pdf")
    assert result.exit_code == 2
    assert "NO_SUCH_PW is not set" in result.output
    assert not (setup / "p.pdf").exists()


def test_fillable_form_fields(setup, runner):
    result = invoke(runner, "build", "--root", "proj", "-b", "demo-brand", "--fillable",
                    "--layout", "leaflet", "--layout", "large-print", "-o", "out")
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in (setup / "out/demo-brand/en").iterdir())
    assert built == ["demo-large-print-a4-fillable.pdf", "demo-leaflet-a4-fillable.pdf"]
    path = setup / "out/demo-brand/en/demo-leaflet-a4-fillable.pdf"
    fields = pypdf.PdfReader(path).get_fields()
    types = {name: str(f.get("/FT")) for name, f in fields.items()}
    expected = {"patient_name": "/Tx", "next_appointment": "/Tx",
                "aftercare_rest": "/Btn", "aftercare_water": "/Btn",
                **{f"pain_day_{n:02d}": "/Tx" for n in range(1, 15)}}
    assert types == expected
    assert fields["pain_day_03"].get("/TU") == "Pain on day 3, from 0 to 10"
    text = pdf_text(path)
    assert "Pain diary" in text and "Day 14" in text and "Name" in text


def test_every_shipped_leaflet_has_a_fillable_variant(tmp_path, runner, monkeypatch):
    """A full two-page leaflet whose form (name box, pain diary, tick boxes) does not fit on
    one sheet takes another, as a patient's copy does, rather than fail; the plain leaflet
    keeps to its two pages."""
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "build", "--fillable", "--layout", "leaflet", "-o", "out")
    assert result.exit_code == 0, result.output
    built = sorted((tmp_path / "out").rglob("*-fillable.pdf"))
    assert len(built) == 19
    for path in built:
        pages = len(pypdf.PdfReader(path).pages)
        assert 2 <= pages <= 4, path
        plain = path.with_name(path.name.replace("-fillable", ""))
        assert not plain.exists()
    spanish = tmp_path / "out/riverbend-physio/es/acupuncture-session-leaflet-letter-fillable.pdf"
    assert "Diario del dolor" in pdf_text(spanish, "es")
    result = invoke(runner, "build", "acupuncture-session", "-l", "es", "-b",
                    "riverbend-physio", "--layout", "leaflet", "-o", "plain")
    assert result.exit_code == 0, result.output
    [plain] = (tmp_path / "plain").rglob("*.pdf")
    assert len(pypdf.PdfReader(plain).pages) == 2


def test_fillable_copy_prints_what_is_known(setup, runner):
    result = build(runner, "--patient", "ann.yaml", "--fillable", "-o", "f.pdf")
    assert result.exit_code == 0, result.output
    fields = pypdf.PdfReader(setup / "f.pdf").get_fields()
    # The name and appointment are printed text; the patient fills in the rest.
    assert "patient_name" not in fields and "next_appointment" not in fields
    assert set(fields) == {"aftercare_water", *(f"pain_day_{n:02d}" for n in range(1, 15))}


def test_japanese_copy_from_the_library(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "hanako.yaml", HANAKO)
    result = invoke(runner, "build", "acupuncture-session", "-l", "ja", "-b", "hinode-tokyo",
                    "--patient", "hanako.yaml", "--fillable", "-o", "hanako.pdf")
    assert result.exit_code == 0, result.output
    text = "".join(pdf_text(tmp_path / "hanako.pdf", "ja").split())
    assert "山田花子様用（2026年11月22日、担当：佐藤）" in text
    assert "次回のご予約2026年11月29日日曜日10:30" in text
    assert "担当者からのメモ温湿布は15分までにしてください。" in text
    assert "痛みの記録" in text and "14日目" in text
    assert "アルコール" not in text.split("施術後の過ごし方")[1].split("痛みの記録")[0]


@pytest.mark.parametrize("layout", ["card", "bilingual", "booklet", "large-print"])
def test_every_layout_carries_the_copy(tmp_path, runner, monkeypatch, layout):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "p.yaml", """\
        patient: Ann Example
        date: 2026-11-22
        next_appointment: 2026-11-29
        aftercare: [rest-24h]
        notes: Short note.
        """)
    lang = "ja+en" if layout == "bilingual" else "en"
    result = invoke(runner, "build", "acupuncture-session", "-l", lang, "-b", "hinode-tokyo",
                    "--layout", layout, "--patient", "p.yaml", "-o", "p.pdf")
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(tmp_path / "p.pdf")
    text = fold(" ".join(p.extract_text() for p in reader.pages))
    assert "Prepared for Ann Example on November 22, 2026" in text
    assert "Sunday, November 29, 2026" in text
    assert text.count("Short note.") == 1
    assert "Avoid alcohol" not in text


def test_installed_command_writes_an_encrypted_copy(tmp_path):
    write(tmp_path / "ann.yaml", PATIENT.replace("[water]", "[water, rest-24h]"))
    env = {**os.environ, "PDF_PW": "pw-123"}
    done = subprocess.run(
        [sys.executable, "-m", "builder", "build", "acupuncture-session", "-l", "en", "-b",
         "riverbend-physio", "--patient", "ann.yaml", "--password-env", "PDF_PW", "-o",
         "copy.pdf"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Ann" not in done.stderr + done.stdout
    reader = pypdf.PdfReader(io.BytesIO((tmp_path / "copy.pdf").read_bytes()))
    reader.decrypt("pw-123")
    assert "Prepared for Ann Example" in fold(" ".join(p.extract_text() for p in reader.pages))


def test_a_copy_may_take_a_second_sheet_of_the_leaflet(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "build", "knee-osteoarthritis", "-l", "en", "-b",
                    "riverbend-physio", "--patient-name", "Ann", "--note", "A note. " * 40,
                    "-o", "ann.pdf")
    assert result.exit_code == 0, result.output
    texts = [fold(p.extract_text()) for p in pypdf.PdfReader(tmp_path / "ann.pdf").pages]
    assert 2 < len(texts) <= 4
    assert f"Page {len(texts)} of {len(texts)}" in texts[-1]
