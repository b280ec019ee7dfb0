"""`handout gallery`: a static page of built PDFs, checked in a real headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from builder.gallery import parse_name

from .browser import Browser, chromium
from .conftest import invoke, make_project

LAYOUTS = ["leaflet", "large-print", "booklet", "card"]


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo project built in two layouts (and the booklet's reading-order copy), then the
    gallery written into its output folder."""
    from click.testing import CliRunner

    base = tmp_path_factory.mktemp("gallery")
    make_project(base / "proj")
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(base)
    try:
        built = invoke(runner, "build", "--root", "proj", "-b", "demo-brand", "-o", "out",
                       "--layout", "leaflet", "--layout", "booklet", "-j", "1")
        assert built.exit_code == 0, built.output
        result = invoke(runner, "gallery", "--root", "proj", "-o", "out")
        assert result.exit_code == 0, result.output
        assert result.output == "wrote out/index.html (2 documents)\n"
    finally:
        os.chdir(old)
    return base / "out"


def test_names_are_split_at_known_layouts() -> None:
    assert parse_name("knee-pain-large-print-a4", LAYOUTS) == ("knee-pain", "large-print",
                                                               "a4", "")
    assert parse_name("a-booklet-letter-reading", LAYOUTS) == ("a", "booklet", "letter",
                                                               "reading")
    assert parse_name("notes", LAYOUTS) == ("notes", "", "", "")


def test_the_page_lists_every_pdf_with_relative_links(gallery: Path) -> None:
    page = (gallery / "index.html").read_text()
    for rel in ("demo-brand/en/demo-leaflet-a4.pdf", "demo-brand/en/demo-booklet-a4.pdf",
                "demo-brand/en/demo-booklet-a4-reading.pdf",
                "thumbnails/demo-brand/en/demo-leaflet-a4.png"):
        assert f'"{rel}"' in page
    assert "file:" not in page and "http" not in page  # nothing to fetch; opens from disk
    assert "<dt>Reviewed</dt><dd>2026-11-01</dd>" in page
    assert "<dt>Pages</dt><dd>1</dd>" in page and "<dt>Layout</dt><dd>booklet</dd>" in page


def test_the_gallery_opens_in_chromium_with_thumbnails_and_working_links(gallery: Path
                                                                          ) -> None:
    binary = chromium()
    if binary is None:
        pytest.skip("Chromium is not installed (Debian package 'chromium'; .ci/run installs it)")
    browser = Browser(binary)
    try:
        browser.open((gallery / "index.html").as_uri())
        images = browser.evaluate("[...document.images].map(i => [i.currentSrc, i.complete, "
                                  "i.naturalWidth, i.naturalHeight])")
        links = browser.evaluate("[...document.links].map(a => a.href)")
        title = browser.evaluate("document.title")
    finally:
        browser.close()
    assert title == "Handout gallery"
    assert len(images) == 2
    for src, complete, width, height in images:
        assert complete and width == 240 and height > 100, src  # decoded, not broken
    assert len(links) == 3
    for href in links:
        url = urlparse(href)
        assert url.scheme == "file"
        target = Path(unquote(url.path))
        assert target.is_file() and target.read_bytes().startswith(b"%PDF"), href
