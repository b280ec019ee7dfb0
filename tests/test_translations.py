"""Translations follow their source: same structure, and stale texts are reported."""

from __future__ import annotations

from pathlib import Path

from .conftest import EN_YAML as DEMO_EN_YAML
from .conftest import HANDOUT_YAML, invoke, make_project, write

# `handout check` asks every handout for a precautions section.
EN_YAML = DEMO_EN_YAML + """\
  - type: precautions
    items:
      - id: pregnancy
        text: Tell us if you are pregnant.
"""

ES_YAML = """\
title: Folleto de prueba
subtitle: Un subtítulo corto
summary: Un resumen corto.
sections:
  - type: about
    text: |
      Primer párrafo sobre la afección.

      Segundo párrafo con **negrita** y *énfasis* y https://example.org/info.
  - type: expect
    steps:
      - text: El primer paso.
      - text: El segundo paso.
  - type: aftercare
    items:
      - id: rest
        text: Descanse un día.
      - id: water
        text: Beba agua.
  - type: red_flags
    items:
      - id: fever
        text: Fiebre después de la sesión.
  - type: faq
    items:
      - q: ¿Duele?
        a: La mayoría siente poco.
  - type: precautions
    items:
      - id: pregnancy
        text: Avísenos si está embarazada.
"""


def _project(tmp_path: Path, es: str = ES_YAML) -> Path:
    proj = make_project(tmp_path / "proj", handout=HANDOUT_YAML + "languages: [en, es]\n",
                        en=EN_YAML)
    write(proj / "handouts/demo/es.yaml", es)
    return proj


def test_unverified_then_complete_then_stale(runner, tmp_path: Path, monkeypatch) -> None:
    proj = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    listing = invoke(runner, "list", "--root", "proj").output
    assert "demo     source  unverified  2028-11-01" in listing
    check = invoke(runner, "check", "--root", "proj")
    assert check.exit_code == 0
    assert "0 errors, 0 warnings" in check.output

    stamped = invoke(runner, "translated", "demo", "-l", "es", "--root", "proj")
    assert stamped.exit_code == 0, stamped.output
    assert "demo     source  complete  2028-11-01" in invoke(runner, "list", "--root",
                                                             "proj").output
    en = proj / "handouts/demo/en.yaml"
    # Re-wrapping a text is not a change; rewording one is.
    en.write_text(EN_YAML.replace("text: Rest for a day.", "text: Rest  for\n          a day.")
                  .replace("text: Drink water.", "text: Drink plenty of water."))
    listing = invoke(runner, "list", "--root", "proj").output
    assert "demo     source  stale (1)  2028-11-01" in listing
    check = invoke(runner, "check", "--root", "proj")
    assert check.exit_code == 0
    assert ("proj/handouts/demo/es.yaml:19:15: sections[2].items[1].text: stale: changed in "
            "en.yaml since this translation was made (warning)") in check.output


def test_stamping_twice_keeps_one_record(runner, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    for _ in range(2):
        invoke(runner, "translated", "demo", "-l", "es", "--root", str(proj))
    text = (proj / "handouts/demo/es.yaml").read_text()
    assert text.count("source_hashes:") == 1
    assert text.startswith(ES_YAML)


def test_edited_hashes_are_a_located_error(runner, tmp_path: Path, monkeypatch) -> None:
    _project(tmp_path, ES_YAML + 'source_hashes:\n  title: "not-a-hash"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "check", "--root", "proj")
    assert result.exit_code == 1
    assert ("proj/handouts/demo/es.yaml:33:10: source_hashes.title: expected a short hash "
            "written by `handout translated`; run it again instead of editing these lines"
            ) in result.output


def test_a_translation_that_lacks_an_item_is_an_error(runner, tmp_path: Path,
                                                      monkeypatch) -> None:
    _project(tmp_path, ES_YAML.replace("      - id: water\n        text: Beba agua.\n",
                                              ""))
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "check", "--root", "proj")
    assert result.exit_code == 1
    assert ("proj/handouts/demo/es.yaml:16:7: sections[2].items: entries differ from en.yaml: "
            "missing water") in result.output


def test_translated_refuses_the_source_language(runner, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    result = invoke(runner, "translated", "demo", "-l", "en", "--root", str(proj))
    assert result.exit_code == 2
    assert "'en' is not a translation of demo; its translations: es" in result.output


def test_a_brand_gets_only_its_languages_by_default(runner, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    brand = proj / "assets/brands/demo-brand/brand.yaml"
    brand.write_text(brand.read_text() + "languages: [es]\n")
    out = tmp_path / "out"
    result = invoke(runner, "build", "--root", str(proj), "-b", "demo-brand", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert [p.relative_to(out).as_posix() for p in out.rglob("*.pdf")] == [
        "demo-brand/es/demo-leaflet-a4.pdf"]
    result = invoke(runner, "build", "--root", str(proj), "-b", "demo-brand", "-l", "en",
                    "-o", str(out))
    assert (out / "demo-brand/en/demo-leaflet-a4.pdf").is_file()
