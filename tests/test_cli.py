"""The command line as a user meets it: help, exit codes, outputs, atomic writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EN_YAML, invoke, make_project, pdf_text


@pytest.mark.parametrize("command", ["build", "check", "list", "translated"])
def test_every_command_has_help_with_an_example(runner, command: str) -> None:
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"handout {command}" in result.output


def test_version(runner) -> None:
    result = invoke(runner, "--version")
    assert result.exit_code == 0
    assert result.output.startswith("handout, version ")


@pytest.mark.parametrize(("args", "message"), [
    (["build", "nope"], "Error: 'nope' is not a handout. Known: 'demo'."),
    (["build", "-b", "demo-brnd"], "Error: 'demo-brnd' is not a brand. Did you mean 'demo-brand'?"),
    (["build", "--layout", "leaflat"], "Error: 'leaflat' is not a layout. Did you mean 'leaflet'?"),
    (["build", "--paper", "a3"], "Error: Invalid value for '--paper': 'a3' is not one of 'a4', "
                                 "'letter'."),
])
def test_usage_errors_exit_2(runner, project: Path, args: list[str], message: str) -> None:
    result = invoke(runner, *args, "--root", str(project))
    assert result.exit_code == 2
    assert message in result.output


def test_root_without_handouts_is_a_usage_error(runner, tmp_path: Path) -> None:
    result = invoke(runner, "build", "--root", str(tmp_path))
    assert result.exit_code == 2
    assert "has no handouts/ folder" in result.output


def test_build_writes_to_the_documented_path(runner, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(runner, "build", "--root", str(project), "-b", "demo-brand", "-o", str(out),
                    "--paper", "a4", "--paper", "letter")
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == [
        "demo-brand/en/demo-leaflet-a4.pdf", "demo-brand/en/demo-leaflet-letter.pdf"]
    assert "Built 2, 0 up to date, 0 failed" in result.output


def test_report_lists_every_output(runner, project: Path, tmp_path: Path) -> None:
    import json

    report = tmp_path / "report.json"
    result = invoke(runner, "build", "--root", str(project), "-b", "demo-brand", "-o",
                    str(tmp_path / "out"), "--report", str(report))
    assert result.exit_code == 0
    data = json.loads(report.read_text())
    (entry,) = data["outputs"]
    assert entry["status"] == "built" and entry["pages"] == 1 and entry["bytes"] > 1000


def test_a_failed_write_leaves_no_file_behind(runner, project: Path, tmp_path: Path,
                                              monkeypatch) -> None:
    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    out = tmp_path / "out"
    result = invoke(runner, "build", "--root", str(project), "-b", "demo-brand", "-o", str(out))
    assert result.exit_code == 1
    assert "cannot write: No space left on device" in result.output
    assert [p for p in out.rglob("*") if p.is_file()] == []


def test_content_that_does_not_fit_is_a_located_error(runner, tmp_path: Path,
                                                      monkeypatch) -> None:
    long_faq = "".join(f"      - q: Question number {n}?\n        a: {'A long answer. ' * 12}\n"
                       for n in range(30))
    en = EN_YAML.split("  - type: faq")[0] + "  - type: faq\n    items:\n" + long_faq
    proj = make_project(tmp_path / "proj", en=en)
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "build", "--root", str(proj), "-b", "demo-brand", "-o", "out")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "does not fit" in line]
    assert len(lines) == 1
    assert lines[0].startswith("proj/handouts/demo/en.yaml:24:5: sections[4]: does not fit the "
                               "leaflet layout (2 pages) on a4 paper for demo-brand: 'faq' "
                               "overflows by ")
    assert lines[0].endswith(" lines; the closing part (sources, review dates, disclaimer) follows;"
                             " shorten the text, or allow `fit: shrink` in handout.yaml")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))


def test_a_red_flag_box_taller_than_a_column_is_a_located_error(runner, tmp_path: Path,
                                                               monkeypatch) -> None:
    flags = "".join(f"      - id: flag-{n}\n        text: Warning sign {n} that takes a line "
                    "or two to say clearly.\n" for n in range(40))
    en = EN_YAML.replace("      - id: fever\n        text: A fever after the session.\n", flags)
    make_project(tmp_path / "proj", en=en)
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "build", "--root", "proj", "-b", "demo-brand", "-o", "out")
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if "does not fit" in x]
    assert line.startswith("proj/handouts/demo/en.yaml:20:5: sections[3]: does not fit the "
                           "leaflet layout on a4 paper for demo-brand: 'red_flags' cannot be "
                           "split across columns and is taller than a whole column by ")
    assert line.endswith(" lines; shorten the text, or allow `fit: shrink` in handout.yaml")
    assert "Table" not in line and "0x" not in line


def test_list_shows_each_language(runner, project: Path) -> None:
    result = invoke(runner, "list", "--root", str(project))
    assert result.exit_code == 0
    assert result.output.splitlines() == ["HANDOUT  en      REVIEW DUE",
                                          "demo     source  2028-11-01"]


def test_installed_command_builds_in_a_real_process(project: Path, tmp_path: Path) -> None:
    exe = shutil.which("handout")
    command = [exe] if exe else [sys.executable, "-m", "builder"]
    out = tmp_path / "out"
    done = subprocess.run([*command, "build", "--root", str(project), "-b", "demo-brand",
                           "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    pdf = out / "demo-brand/en/demo-leaflet-a4.pdf"
    assert done.stdout.strip() == f"built {pdf}"
    assert "Demo handout" in pdf_text(pdf)
    assert "Traceback" not in done.stderr


def test_a_projects_own_layouts_may_share_helpers(runner, project: Path, tmp_path: Path) -> None:
    builtin = Path(__file__).resolve().parent.parent / "layouts"
    shutil.copytree(builtin, project / "layouts")
    text = (project / "layouts" / "leaflet.py").read_text(encoding="utf-8")
    assert "from ._common import" in text
    (project / "layouts" / "leaflet.py").write_text(
        text.replace('NAME = "leaflet"', 'NAME = "clinic-leaflet"'), encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(runner, "build", "--root", str(project), "--layout", "clinic-leaflet",
                    "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "demo-brand/en/demo-clinic-leaflet-a4.pdf").is_file()


def test_a_missing_translation_file_is_reported_not_the_language(runner, project: Path,
                                                                 tmp_path: Path) -> None:
    handout = project / "handouts/demo/handout.yaml"
    handout.write_text(handout.read_text(encoding="utf-8") + "languages: [en, ja]\n",
                       encoding="utf-8")
    result = invoke(runner, "build", "--root", str(project), "-l", "en", "-o",
                    str(tmp_path / "out"))
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "no ja.yaml" in x)
    assert line.endswith("handouts/demo/handout.yaml:11:17: languages[1]: no ja.yaml in demo/.")
    assert "is not a language" not in result.output


def test_output_to_a_closed_pipe_ends_quietly(project: Path) -> None:
    handout = shutil.which("handout")
    if handout is None:
        pytest.skip("the handout command is not installed")
    listing = subprocess.Popen([handout, "--root", str(project), "list"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert listing.stdout is not None
    listing.stdout.close()  # the reader goes away before anything is read
    _, err = listing.communicate(timeout=60)
    assert b"Traceback" not in err and b"internal error" not in err


def test_a_report_that_cannot_be_written_is_reported(tmp_path, runner, monkeypatch):
    make_project(tmp_path / "proj")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").write_text("a file, not a folder")
    result = invoke(runner, "build", "--root", "proj", "-b", "demo-brand", "-o", "out",
                    "--report", "taken/report.json")
    assert result.exit_code == 1
    assert "taken/report.json: cannot write the report: " in result.output
    assert "internal error" not in result.output
    assert (tmp_path / "out/demo-brand/en/demo-leaflet-a4.pdf").is_file()


def test_every_command_is_listed_before_its_module_is_imported() -> None:
    """The group names the commands of the modules it imports only when needed: each of
    those commands is there, and nothing it names is missing."""
    import importlib

    from builder.cli import _Commands, main

    modules = set(_Commands.ELSEWHERE.values())
    for module in modules:
        importlib.import_module(f"builder.{module}")
    elsewhere = {name for name, command in main.commands.items()
                 if command.callback is not None
                 and command.callback.__module__.split(".")[-1] in modules}
    assert elsewhere == set(_Commands.ELSEWHERE)
