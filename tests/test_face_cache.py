"""Fonts' character maps and widths kept on disk: a hit equals a fresh reading, and nothing
but a whole, unchanged entry for the same file is ever used."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.ttfonts import TTFontFace

from builder import disk_cache, face_cache
from builder.font_faces import FastFace, HorizontalMetrics

from .test_fast_paths import FONTS, _face_attributes

JP = "NotoSansJP-Regular.ttf"


@pytest.fixture
def font(tmp_path: Path) -> Path:
    """A copy of a Japanese font of the project's own, so that it can be changed."""
    path = tmp_path / "fonts" / JP
    path.parent.mkdir()
    shutil.copyfile(FONTS / JP, path)
    return path


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "faces").glob("*.bin")) if (cache / "faces").is_dir() else []


def _read_without_the_map(monkeypatch: pytest.MonkeyPatch, path: Path) -> FastFace:
    """A face that must come from the cache: reading the character map fails."""
    def refuse(*_: object) -> None:
        raise AssertionError("character map read although the cache holds it")
    with monkeypatch.context() as patch:
        patch.setattr(FastFace, "_character_map", refuse)
        return FastFace(str(path))


@pytest.mark.parametrize("name", [JP, "NotoSans-Regular.ttf", "ipaexg.ttf",
                                  "wqy-microhei.ttc"])
def test_a_face_from_the_cache_equals_reportlabs_reading(
        cache: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    path = FONTS / name
    first = FastFace(str(path))
    assert len(_entries(cache)) == 1
    again = _read_without_the_map(monkeypatch, path)
    slow = TTFontFace(str(path))
    assert _face_attributes(first) == _face_attributes(again) == _face_attributes(slow)
    assert list(again.charWidths) == list(slow.charWidths)  # (same order too)
    subset = sorted(slow.charToGlyph)[:300]
    assert again.makeSubset(subset) == slow.makeSubset(subset)


def test_a_changed_font_file_is_read_again(cache: Path, font: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    FastFace(str(font))
    stat = font.stat()
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    read: list[bool] = []
    original = FastFace._character_map

    def counted(self: FastFace, data: bytes) -> object:
        read.append(True)
        return original(self, data)
    monkeypatch.setattr(FastFace, "_character_map", counted)
    FastFace(str(font))
    assert read == [True]
    assert len(_entries(cache)) == 2


def test_a_font_moved_elsewhere_has_an_entry_of_its_own(cache: Path, font: Path) -> None:
    FastFace(str(font))
    moved = font.with_name("moved.ttf")
    shutil.copyfile(font, moved)
    FastFace(str(moved))
    assert len(_entries(cache)) == 2


def _damaged(data: bytes) -> list[bytes]:
    payload = disk_cache.unseal(data)
    assert payload is not None
    middle = len(data) // 2
    return [
        b"",
        data[:10],
        data[:-1],  # truncated
        data + b"\0",  # something after the end
        data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1:],  # one bit changed
        disk_cache.seal(b"handout-face-map 2\n" + payload[len(face_cache.FORMAT):]),
        disk_cache.seal(payload[:-4]),  # a whole entry whose arrays are cut short
        disk_cache.seal(payload + b"\0" * 8),  # or run on
        os.urandom(len(data)),
    ]


def test_a_damaged_entry_is_a_miss_and_is_written_again(
        cache: Path, font: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _face_attributes(TTFontFace(str(font)))
    FastFace(str(font))
    [entry] = _entries(cache)
    whole = entry.read_bytes()
    for damaged in _damaged(whole):
        entry.write_bytes(damaged)
        assert face_cache.read(entry) is None
        assert _face_attributes(FastFace(str(font))) == expected
        assert entry.read_bytes() == whole  # (the miss wrote the entry again)


def test_an_entry_whose_counts_disagree_is_refused(cache: Path, font: Path) -> None:
    FastFace(str(font))
    [entry] = _entries(cache)
    stored = face_cache.read(entry)
    assert stored is not None
    lopsided = face_cache.FaceMap(stored.chars, stored.glyphs[:-1], stored.width_chars,
                                  stored.widths)
    assert face_cache.decode(face_cache.encode(lopsided)) is None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_bytes_that_are_not_an_entry_are_refused_without_an_error(data: bytes) -> None:
    assert disk_cache.unseal(data) is None
    assert face_cache.decode(data) is None
    # A payload of the right kind, however cut or run on, gives a miss or whole arrays.
    found = face_cache.decode(face_cache.FORMAT + data)
    assert found is None or (len(found.chars) == len(found.glyphs)
                             and len(found.width_chars) == len(found.widths))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 0x10FFFF), st.integers(0, 0xFFFF))),
       st.one_of(st.lists(st.integers(-(2 ** 40), 2 ** 40)),
                 st.lists(st.floats(allow_nan=False))))
def test_an_entry_gives_back_what_was_kept(pairs: list[tuple[int, int]],
                                          widths: list[int] | list[float]) -> None:
    chars = [c for c, _ in pairs]
    glyphs = [g for _, g in pairs]
    width_chars = chars[:len(widths)] + [0] * max(0, len(widths) - len(chars))
    kept = face_cache.FaceMap(chars, glyphs, width_chars, widths)
    back = face_cache.decode(face_cache.encode(kept))
    assert back == kept
    assert [type(w) for w in back.widths] == [type(w) for w in widths]


def test_the_cache_can_be_turned_off(tmp_path: Path, font: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOUT_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert disk_cache.cache_dir() is None
    FastFace(str(font))
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_without_a_setting_the_cache_is_in_the_users_cache_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOUT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(disk_cache.sys, "platform", "linux")
    assert disk_cache.cache_dir() == tmp_path / "xdg" / "handout-builder"


def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path: Path, font: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("HANDOUT_CACHE_DIR", str(blocked))
    assert _face_attributes(FastFace(str(font))) == _face_attributes(TTFontFace(str(font)))
    assert blocked.read_text() == "a file where the cache folder would be"


def test_nothing_half_written_is_left_in_the_cache(cache: Path, font: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*_: object) -> bytes:
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(disk_cache, "seal", full_disk)
    FastFace(str(font))
    assert list((cache / "faces").iterdir()) == []


def test_horizontal_metrics_read_as_reportlabs_list() -> None:
    slow = TTFontFace(str(FONTS / JP))
    fast = FastFace(str(FONTS / JP))
    metrics = fast.hmetrics
    assert isinstance(metrics, HorizontalMetrics)
    assert len(metrics) == len(slow.hmetrics)
    for index in (0, 1, len(metrics) - 1, -1, -len(metrics)):
        assert metrics[index] == slow.hmetrics[index]
    assert metrics[5:20:3] == slow.hmetrics[5:20:3]
    for index in (len(metrics), -len(metrics) - 1):
        with pytest.raises(IndexError):
            metrics[index]
