"""Clinics' QR codes kept in the cache folder (builder/disk_cache.py), module by module.

Every document of a clinic prints the same booking address as a QR code. Encoding one takes
a process a few milliseconds the first time (tables for its version are built), in every
worker of every batch; the modules depend on nothing but the address and reportlab's
encoder. An entry holds the side and one byte per module, 0 or 1: whatever its bytes,
reading one gives a square of modules or a miss. Only a brand's booking address is ever
encoded, never anything of a patient's.
"""

from __future__ import annotations

import struct
from pathlib import Path

import reportlab

from . import disk_cache

FORMAT = b"handout-qr 1\n"
_SIDE = struct.Struct("<H")

Modules = tuple[tuple[bool, ...], ...]


def read(data: str) -> Modules | None:
    payload = disk_cache.read(_entry(data))
    return None if payload is None else decode(payload)


def write(data: str, modules: Modules) -> None:
    disk_cache.write(_entry(data), encode(modules))


def encode(modules: Modules) -> bytes:
    return FORMAT + _SIDE.pack(len(modules)) + bytes(m for row in modules for m in row)


def decode(payload: bytes) -> Modules | None:
    """The modules an entry holds; None for anything encode() did not write."""
    head = len(FORMAT) + _SIDE.size
    if not payload.startswith(FORMAT) or len(payload) < head:
        return None
    (side,) = _SIDE.unpack_from(payload, len(FORMAT))
    body = payload[head:]
    # (versions 1-40: 21 to 177 modules a side, in steps of four)
    if not 21 <= side <= 177 or (side - 21) % 4 or len(body) != side * side or \
            body.strip(b"\x00\x01"):
        return None
    return tuple(tuple(m == 1 for m in body[r * side:(r + 1) * side]) for r in range(side))


def _entry(data: str) -> Path | None:
    return disk_cache.entry("qr", FORMAT.decode(), reportlab.Version, "M", data)
