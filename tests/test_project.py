"""Discovering a project: links that lead outside it are refused, not followed."""

from __future__ import annotations

import os
from pathlib import Path

from .conftest import invoke, make_project


def test_translation_linked_from_outside_is_refused(runner, tmp_path: Path, monkeypatch) -> None:
    proj = make_project(tmp_path / "proj")
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("title: x\n")
    os.symlink(outside, proj / "handouts/demo/fr.yaml")
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "check", "--root", "proj")
    assert result.exit_code == 1
    assert ("proj/handouts/demo/fr.yaml: is a link to a file outside this handout's folder; "
            "copy the file in instead") in result.output


def test_handout_folder_linked_from_outside_is_refused(runner, tmp_path: Path,
                                                       monkeypatch) -> None:
    proj = make_project(tmp_path / "proj")
    other = make_project(tmp_path / "other", handout_id="linked")
    os.symlink(other / "handouts/linked", proj / "handouts/linked")
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "build", "--root", "proj", "-b", "demo-brand", "-o", "out")
    assert result.exit_code == 1
    assert ("proj/handouts/linked: is a link to a folder outside handouts/; copy the handout "
            "in instead") in result.output
    assert (tmp_path / "out/demo-brand/en/demo-leaflet-a4.pdf").is_file()
    assert not (tmp_path / "out/demo-brand/en/linked-leaflet-a4.pdf").exists()


def test_a_project_brand_sits_beside_the_builtin_ones(runner, project: Path) -> None:
    en = project / "handouts/demo/en.yaml"  # (`check` asks every handout for precautions)
    en.write_text(en.read_text() + "  - type: precautions\n    items:\n      - id: pregnancy\n"
                  "        text: Tell us if you are pregnant.\n")
    result = invoke(runner, "check", "--root", str(project))
    assert result.exit_code == 0, result.output
    assert "3 brands" in result.output


def test_a_brand_folder_without_brand_yaml_fails_only_its_own_documents(
        runner, project: Path, tmp_path: Path, monkeypatch) -> None:
    (project / "assets/brands/empty").mkdir()
    monkeypatch.chdir(project.parent)
    result = invoke(runner, "build", "--root", "proj", "-b", "empty", "-b", "demo-brand",
                    "-o", "out")
    assert result.exit_code == 1
    assert "proj/assets/brands/empty: no brand.yaml in this folder" in result.output.splitlines()
    assert (project.parent / "out/demo-brand/en/demo-leaflet-a4.pdf").is_file()
    assert not (project.parent / "out/empty").exists()
