"""`handout bundle`: several handouts in one PDF, read back for bookmarks, labels and links."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from tests.conftest import EN_YAML, fold, invoke, make_project, page_texts

IDS = ("knee-osteoarthritis", "acupuncture-session", "after-knee-surgery")


def _titles(reader: pypdf.PdfReader) -> list[str]:
    return [item.title for item in reader.outline]


def test_bundle_in_japanese(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "bundle", *IDS, "-l", "ja", "-b", "hinode-tokyo", "-o", "pack.pdf")
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(tmp_path / "pack.pdf")
    assert len(reader.pages) == 1 + 2 * 3  # contents, then three two-page leaflets
    assert _titles(reader) == ["変形性膝関節症の鍼治療", "鍼治療を受けられる方へ",
                               "ひざの手術後の鍼治療"]
    assert [reader.get_destination_page_number(item) for item in reader.outline] == [1, 3, 5]
    assert reader.page_labels == ["i", "1-1", "1-2", "2-1", "2-2", "3-1", "3-2"]
    assert reader.trailer["/Root"]["/Lang"] == "ja"
    assert reader.metadata.title.startswith("お渡しする資料: 変形性膝関節症の鍼治療")
    assert reader.metadata.author == "ひので鍼灸院"
    contents = "".join(page_texts(tmp_path / "pack.pdf", "ja")[0].split())
    assert "お渡しする資料" in contents and "3点" in contents
    assert "1.変形性膝関節症の鍼治療" in contents and "4ページ" in contents
    # Each entry on the contents page links to its handout's first page.
    links = [annot.get_object() for annot in reader.pages[0]["/Annots"]]
    targets = [reader.get_page_number(link["/Dest"][0].get_object()) for link in links]
    assert targets == [1, 3, 5]
    # Each handout's pages are its own leaflet, in order.
    texts = page_texts(tmp_path / "pack.pdf", "ja")
    assert "1/2ページ" in "".join(texts[1].split()) and "2/2ページ" in "".join(texts[6].split())


def test_duplex_starts_each_handout_on_a_front(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "bundle", *IDS[:2], "-l", "en", "-b", "riverbend-physio",
                    "--layout", "large-print", "--duplex", "-o", "pack.pdf")
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(tmp_path / "pack.pdf")
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert all(start % 2 == 0 for start in starts)  # page index 0, 2, 4 … is a front
    assert len(reader.pages) % 2 == 0
    assert reader.page_labels[:2] == ["i", "ii"]
    assert reader.pages[0].mediabox.width == pytest.approx(612)  # the brand's Letter paper


def test_a_handout_that_fails_writes_no_bundle(tmp_path, runner, monkeypatch):
    proj = make_project(tmp_path / "proj")
    make_project(proj, handout_id="broken", en=EN_YAML.replace("    text: |", "    txt: |", 1))
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "bundle", "demo", "broken", "--root", str(proj), "-l", "en",
                    "-b", "demo-brand", "-o", "pack.pdf")
    assert result.exit_code == 1
    assert "broken/en.yaml:" in result.output and "unknown field 'txt'" in result.output
    assert "No bundle written" in result.output
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*tmp"))


@pytest.mark.parametrize(("args", "message"), [
    (["--layout", "booklet"], "bundle takes page-by-page layouts"),
    (["--layout", "bilingual"], "bundle takes page-by-page layouts"),
    (["-l", "xx"], "'xx' is not a language"),
    (["knee-osteoarthritis"], "'knee-osteoarthritis' is named twice"),
])
def test_bundle_usage_errors(tmp_path, runner, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    base = ["bundle", "knee-osteoarthritis", "acupuncture-session", "-b", "hinode-tokyo",
            "-o", "pack.pdf"]
    if "-l" not in args:
        base += ["-l", "en"]
    result = invoke(runner, *base, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not Path(tmp_path / "pack.pdf").exists()


def test_bundle_text_is_each_handouts_text(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    invoke(runner, "build", *IDS[:2], "-l", "en", "-b", "riverbend-physio", "--layout",
           "leaflet", "-o", "out")
    result = invoke(runner, "bundle", *IDS[:2], "-l", "en", "-b", "riverbend-physio",
                    "-o", "pack.pdf")
    assert result.exit_code == 0, result.output
    bundled = page_texts(tmp_path / "pack.pdf")
    for n, hid in enumerate(IDS[:2]):
        single = page_texts(tmp_path / f"out/riverbend-physio/en/{hid}-leaflet-letter.pdf")
        assert [fold(t) for t in bundled[1 + 2 * n: 3 + 2 * n]] == [fold(t) for t in single]
