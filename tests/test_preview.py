"""`handout preview`: one page of a handout as a PNG, rendered by PDFium."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from .conftest import invoke, make_project


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path / "proj")


def test_preview_writes_the_page_at_the_asked_resolution(runner, proj: Path) -> None:
    result = invoke(runner, "preview", "demo", "--root", "proj", "-b", "demo-brand",
                    "-o", "p.png", "--dpi", "72")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote p.png (page 1 of 1, demo-brand/en/demo-leaflet-a4)")
    image = Image.open(io.BytesIO(Path("p.png").read_bytes()))
    assert image.size == (596, 842)  # A4 is 595.3 x 841.9 pt: about a pixel per point
    # Text was drawn: a good share of the page is not white.
    dark = sum(image.convert("L").histogram()[:128])
    assert dark > 2000
    bigger = invoke(runner, "preview", "demo", "--root", "proj", "-b", "demo-brand", "-o",
                    "q.png", "--dpi", "144", "--paper", "letter")
    assert bigger.exit_code == 0
    assert Image.open("q.png").size == (1224, 1584)


@pytest.mark.parametrize(("args", "message"), [
    (["demo", "--page", "2"], "--page: there is no page 2; the document has 1 page"),
    (["demoo"], "'demoo' is not a handout. Did you mean 'demo'?"),
    (["demo", "-l", "ja"], "--lang: 'ja' is not a language of demo. Its languages: 'en'."),
    (["demo", "--layout", "leaflat"], "--layout: 'leaflat' is not a layout. Did you mean "
                                      "'leaflet'?"),
    (["demo", "-b", "demo-brnd"], "--brand: 'demo-brnd' is not a brand. Did you mean "
                                  "'demo-brand'?"),
])
def test_a_bad_request_is_a_usage_error(runner, proj: Path, args: list[str], message: str
                                        ) -> None:
    result = invoke(runner, "preview", *args, "--root", "proj", "-o", "p.png")
    assert result.exit_code == 2
    assert message in result.output
    assert not Path("p.png").exists()


def test_a_handout_that_does_not_build_is_reported(runner, proj: Path) -> None:
    en = proj / "handouts/demo/en.yaml"
    en.write_text(en.read_text().replace("title: Demo handout\n", ""))
    result = invoke(runner, "preview", "demo", "--root", "proj", "-o", "p.png")
    assert result.exit_code == 1
    assert "proj/handouts/demo/en.yaml:1:1: missing 'title'" in result.output
    assert not Path("p.png").exists()
