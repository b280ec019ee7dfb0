"""Clinics' QR codes kept in the cache folder: a code read back is module for module the one
encoded, a process that has it encodes nothing, and an entry that is not exactly what was
written is never used."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder import disk_cache, qr_cache
from builder.flowables import qr_modules
from builder.qr_code import FastQRCode

ADDRESSES = ["https://hinode.example/booking", "https://riverbend.example/book?clinic=2",
             "x", "https://example.org/" + "a" * 300]


@pytest.fixture
def fresh(cache: Path) -> Path:
    qr_modules.cache_clear()
    yield cache
    qr_modules.cache_clear()


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "qr").glob("*.bin"))


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_kept_code_is_the_one_encoded(fresh: Path, monkeypatch: pytest.MonkeyPatch,
                                        address: str) -> None:
    encoded = qr_modules(address)
    assert len(_entries(fresh)) == 1
    qr_modules.cache_clear()  # (another process)

    def refuse(self: FastQRCode) -> None:
        raise AssertionError("encoded again")
    monkeypatch.setattr(FastQRCode, "make", refuse)
    assert qr_modules(address) == encoded


def _damaged(payload: bytes) -> list[bytes]:
    head = len(qr_cache.FORMAT) + 2
    side = payload[len(qr_cache.FORMAT)]
    return [
        b"",
        payload[:-1],
        payload + b"\x00",
        payload[:head] + b"\x02" + payload[head + 1:],  # (a module neither dark nor light)
        qr_cache.FORMAT + (side + 1).to_bytes(2, "little") + payload[head:],
        qr_cache.FORMAT + (20).to_bytes(2, "little") + b"\x00" * 400,
        b"handout-qr 2\n" + payload[len(qr_cache.FORMAT):],
    ]


@pytest.mark.parametrize("case", range(7))
def test_an_entry_that_is_not_what_was_written_is_a_miss(fresh: Path, case: int) -> None:
    encoded = qr_modules(ADDRESSES[0])
    [entry] = _entries(fresh)
    payload = disk_cache.unseal(entry.read_bytes())
    assert payload is not None and qr_cache.decode(payload) == encoded
    entry.write_bytes(disk_cache.seal(_damaged(payload)[case]))
    assert qr_cache.read(ADDRESSES[0]) is None
    qr_modules.cache_clear()
    assert qr_modules(ADDRESSES[0]) == encoded
    assert disk_cache.unseal(entry.read_bytes()) == payload  # (written again, whole)


def test_codes_are_encoded_without_a_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOUT_CACHE_DIR", "off")
    qr_modules.cache_clear()
    try:
        assert len(qr_modules(ADDRESSES[0])) in range(21, 178, 4)
    finally:
        qr_modules.cache_clear()
