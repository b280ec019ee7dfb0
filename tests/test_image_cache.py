"""Brand logos scaled for print once and kept on disk: a document drawn from the cache is
byte for byte the one drawn from the file, an edited logo is read again, and an entry that is
not exactly what was written is never used."""

from __future__ import annotations

import io
import marshal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from builder import disk_cache, images, pdf_images
from builder.batch import Job, load_engine, render_job
from builder.memo import forget_texts

from .conftest import BRAND_YAML, make_project, write


def _logo(colour: tuple[int, int, int, int]) -> bytes:
    """A logo larger than print needs, with transparency: scaled and given a soft mask."""
    image = Image.new("RGBA", (900, 300), colour)
    for x in range(0, 900, 30):
        image.paste((0, 0, 0, 0), (x, 0, x + 10, 300))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project")
    write(root / "assets" / "brands" / "demo-brand" / "brand.yaml", BRAND_YAML + "logo: logo.png\n")
    (root / "assets" / "brands" / "demo-brand" / "logo.png").write_bytes(_logo((20, 90, 160, 255)))
    return root


def _new_process() -> None:
    """Forget what this process made, as a new worker starts without it."""
    pdf_images._FILE_OBJECTS.clear()
    pdf_images._SIZES.clear()
    images._cached.cache_clear()
    forget_texts()


def _render(root: Path, layout: str = "leaflet") -> bytes:
    engine = load_engine(root)
    return render_job(engine, Job("demo", "en", "demo-brand", layout, "a4")).pdf


def _entries(cache: Path, kind: str) -> list[Path]:
    return sorted((cache / kind).glob("*.bin")) if (cache / kind).is_dir() else []


def _without_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path) -> None:
        raise AssertionError(f"{path} decoded although the cache holds it")
    monkeypatch.setattr(pdf_images, "load_image", refuse)


@pytest.mark.parametrize("layout", ["leaflet", "booklet", "card"])
def test_a_logo_from_the_cache_draws_the_same_document(
        cache: Path, root: Path, monkeypatch: pytest.MonkeyPatch, layout: str) -> None:
    _new_process()
    first = _render(root, layout)
    assert _entries(cache, "images") and _entries(cache, "image-sizes")
    _new_process()
    with monkeypatch.context() as patch:
        _without_the_file(patch)
        assert _render(root, layout) == first


def test_an_edited_logo_is_read_again(cache: Path, root: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _new_process()
    blue = _render(root)
    logo = root / "assets" / "brands" / "demo-brand" / "logo.png"
    logo.write_bytes(_logo((200, 40, 40, 255)))
    _new_process()
    red = _render(root)
    assert red != blue
    monkeypatch.setenv("HANDOUT_CACHE_DIR", "off")
    _new_process()
    assert _render(root) == red


def test_a_damaged_entry_is_a_miss(cache: Path, root: Path) -> None:
    _new_process()
    expected = _render(root)
    for entry in _entries(cache, "images") + _entries(cache, "image-sizes"):
        data = entry.read_bytes()
        entry.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    _new_process()
    assert _render(root) == expected


def _sealed_objects(cache: Path) -> tuple[Path, tuple[object, ...]]:
    [entry] = _entries(cache, "images")
    payload = disk_cache.unseal(entry.read_bytes())
    assert payload is not None
    return entry, marshal.loads(payload)


def test_an_entry_holding_anything_but_image_fields_is_not_taken(cache: Path,
                                                                root: Path) -> None:
    _new_process()
    expected = _render(root)
    entry, (key, name, fields, mask) = _sealed_objects(cache)
    assert pdf_images._unpacked(marshal.dumps((key, name, fields, mask))) is not None
    odd = [
        (key, name, {**fields, "_extra": 1}, mask),  # a field images do not have
        (key, name, {**fields, "width": "167"}, mask),  # a field of the wrong type
        (key, name, {**fields, "_filters": (1,)}, mask),
        (key, "another name", fields, mask),  # a name that is not the key's
        (key, name, {k: v for k, v in fields.items() if k != "streamContent"}, mask),
        (key, name, fields, {**mask, "mask": "auto"}),
        (key, name, fields),
        "not a tuple",
    ]
    for payload in odd:
        assert pdf_images._unpacked(marshal.dumps(payload)) is None
        entry.write_bytes(disk_cache.seal(marshal.dumps(payload)))
        _new_process()
        assert _render(root) == expected


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_bytes_that_are_not_an_entry_are_refused_without_an_error(data: bytes) -> None:
    assert disk_cache.unseal(data) is None
    assert pdf_images._unpacked(data) is None


def test_the_cache_key_follows_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOUT_CACHE_DIR", str(tmp_path / "cache"))
    file = tmp_path / "a.png"
    file.write_bytes(b"one")
    first = disk_cache.entry("images", disk_cache.file_key(file))
    file.write_bytes(b"three")
    assert disk_cache.entry("images", disk_cache.file_key(file)) != first
    assert disk_cache.file_key(tmp_path / "missing.png") is None
    assert disk_cache.entry("images", None) is None
    monkeypatch.setenv("HANDOUT_CACHE_DIR", "off")
    assert disk_cache.entry("images", disk_cache.file_key(file)) is None
