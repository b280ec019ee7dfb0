"""`handout new`: a handout with every section type, valid as created."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.fields import SECTION_TYPES

from .conftest import invoke


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "proj" / "handouts").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "proj"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_new_handout_checks_clean_but_for_placeholders(runner, root: Path, lang: str) -> None:
    made = invoke(runner, "new", "shoulder-pain", "--lang", lang, "--root", "proj")
    assert made.exit_code == 0, made.output
    folder = root / "handouts/shoulder-pain"
    text = (folder / f"{lang}.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schema/translation.schema"
                           ".json\n")
    assert (folder / "handout.yaml").read_text().startswith(
        "# yaml-language-server: $schema=../../schema/handout.schema.json\n")
    assert (root / "schema/translation.schema.json").is_file()
    for kind in SECTION_TYPES:
        assert f"  - type: {kind}\n" in text
        # Every section is explained by the comment line above it.
        assert text.split(f"  - type: {kind}\n")[0].rstrip().splitlines()[-1].lstrip() \
            .startswith("#")
    result = invoke(runner, "check", "shoulder-pain", "--root", "proj", "-j", "1")
    assert result.exit_code == 0, result.output
    problems = result.stdout.splitlines()
    assert problems and all("placeholder text: replace the 'TODO' text" in p and
                            p.endswith("(warning)") for p in problems), result.output
    assert "0 errors" in result.output


def test_a_filled_in_handout_has_no_warnings(runner, root: Path) -> None:
    invoke(runner, "new", "shoulder-pain", "--root", "proj")
    for name in ("en.yaml", "handout.yaml"):
        path = root / "handouts/shoulder-pain" / name
        path.write_text(path.read_text().replace("TODO: ", "").replace("TODO", "Done"))
    result = invoke(runner, "check", "shoulder-pain", "--root", "proj", "-j", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


@pytest.mark.parametrize(("args", "message"), [
    (["Shoulder_Pain"], "'Shoulder_Pain' is not a valid id; use lowercase a-z, 0-9 and -"),
    (["x", "--lang", "fr"], "--lang: the builder has no labels for 'fr'."),
])
def test_bad_requests_are_usage_errors(runner, root: Path, args: list[str], message: str) -> None:
    result = invoke(runner, "new", *args, "--root", "proj")
    assert result.exit_code == 2
    assert message in result.output


def test_an_existing_handout_is_never_overwritten(runner, root: Path) -> None:
    invoke(runner, "new", "shoulder-pain", "--root", "proj")
    en = root / "handouts/shoulder-pain/en.yaml"
    en.write_text("title: Mine\n")
    result = invoke(runner, "new", "shoulder-pain", "--root", "proj")
    assert result.exit_code == 2
    assert "already exists; choose another id" in result.output
    assert en.read_text() == "title: Mine\n"


@pytest.mark.parametrize("command", ["check", "new", "preview", "gallery", "watch", "schema"])
def test_every_authoring_command_has_help_with_an_example(runner, command: str) -> None:
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and f"handout {command}" in result.output
    assert "--root" in result.output and "--debug" in result.output
