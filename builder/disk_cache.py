"""Work kept on disk between runs: what depends only on a bundled or brand file and costs each
process tens of milliseconds to redo (a CJK font's character map, a logo scaled for print).

Entries live in the user's cache folder (`HANDOUT_CACHE_DIR`, else the platform's cache
folder; `off` turns the cache off), under a key that names the file by path, size,
modification time and inode, so an edited file is a new key. Each entry is a payload behind a
format line and a checksum: a damaged, truncated or foreign entry is read as a miss, never
trusted. A cache that cannot be read or written is no cache; the work is then done as
before. Nothing of a patient's is ever kept here: only fonts and brand images.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

_FORMAT = b"handout-cache 1\n"
_DIGEST = 16
_ENV = "HANDOUT_CACHE_DIR"


def cache_dir() -> Path | None:
    """Where entries live; None when the cache is off."""
    chosen = os.environ.get(_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off") else Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "handout-builder") if base else None


def file_key(path: str | os.PathLike[str]) -> str | None:
    """A file as it is now: path, size, modification time and inode; None when it cannot be
    looked at."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return f"{os.path.abspath(path)}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}"


def entry(kind: str, *key: str | None) -> Path | None:
    """Where the entry of `kind` for `key` lives; None when the cache is off or a part of the
    key is unknown."""
    folder = cache_dir()
    known = [part for part in key if part is not None]
    if folder is None or len(known) != len(key):
        return None
    digest = hashlib.sha256("\0\0".join((kind, *known)).encode()).hexdigest()[:40]
    return folder / kind / f"{digest}.bin"


def seal(payload: bytes) -> bytes:
    """An entry's bytes: the format line, the payload's checksum, the payload."""
    return _FORMAT + hashlib.blake2b(payload, digest_size=_DIGEST).digest() + payload


def unseal(data: bytes) -> bytes | None:
    """The payload of a whole, unchanged entry; None for anything else."""
    head = len(_FORMAT) + _DIGEST
    if len(data) < head or not data.startswith(_FORMAT):
        return None
    payload = data[head:]
    if hashlib.blake2b(payload, digest_size=_DIGEST).digest() != data[len(_FORMAT):head]:
        return None
    return payload


def read(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        return unseal(path.read_bytes())
    except OSError:
        return None


def write(path: Path | None, payload: bytes) -> None:
    """Keep an entry, written whole or not at all (several processes may write at once)."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            try:
                view = memoryview(seal(payload))
                while view:
                    view = view[os.write(handle, view):]
            finally:
                os.close(handle)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass  # (a read-only or full disk: the next run does the work again)
