"""Content hashes (sha256) of files and folders, with a cache keyed by each file's size,
modification time and inode, so that unchanged files are not read again."""

from __future__ import annotations

import os
import stat
import time

try:  # the interpreter's own SHA-256, for short texts: hashlib loads OpenSSL, 6 ms of a start
    from _sha256 import sha256 as _short_sha256
except ImportError:  # (named _sha2 from Python 3.12)
    try:
        from _sha2 import sha256 as _short_sha256
    except ImportError:
        from hashlib import sha256 as _short_sha256

# size, mtime_ns, inode, sha256 (hex)
CacheEntry = tuple[int, int, int, str]

# Files above this size are identified by their size, time and inode instead of being read:
# no input of a handout is this big, and one dropped into a project must not stall each run.
BIG_FILE = 512 * 1024 * 1024

# A file modified this recently may be modified again within the file system's timestamp
# resolution (2 s on FAT) without its time changing, so its hash is not cached yet.
RACY_NS = 2_000_000_000

_SKIPPED = ("__pycache__",)


class Digests:
    """Hashes of the files one run looks at; `cache` holds those of earlier runs."""

    def __init__(self, cache: dict[str, CacheEntry] | None = None) -> None:
        self._cache = cache or {}
        self._memo: dict[str, str] = {}
        self._used: dict[str, CacheEntry] = {}
        self._now = time.time_ns()

    def of(self, path: str | os.PathLike[str]) -> str:
        """The hash of a file, or of every file below a folder; a short text saying what is
        there instead when it is missing, unreadable or not a regular file."""
        key = os.path.abspath(path)
        found = self._memo.get(key)
        if found is None:
            try:
                info = os.stat(key)
            except OSError as exc:
                found = f"missing:{exc.errno}"
            else:
                found = self._folder(key) if stat.S_ISDIR(info.st_mode) \
                    else self._file(key, info)
            self._memo[key] = found
        return found

    def cache(self) -> dict[str, CacheEntry]:
        """The cache to keep for the next run: the files hashed or confirmed in this one."""
        return dict(self._used)

    def _file(self, key: str, info: os.stat_result) -> str:
        if not stat.S_ISREG(info.st_mode):  # a pipe or a device is never opened
            return f"special:{stat.S_IFMT(info.st_mode):o}"
        if info.st_size > BIG_FILE:
            return f"big:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"
        entry = self._cache.get(key)
        if entry is not None and entry[:3] == (info.st_size, info.st_mtime_ns, info.st_ino):
            self._used[key] = entry
            return entry[3]
        try:
            digest, info = _read(key)
        except OSError as exc:
            return f"unreadable:{exc.errno}"
        if info.st_mtime_ns < self._now - RACY_NS:
            self._used[key] = (info.st_size, info.st_mtime_ns, info.st_ino, digest)
        return digest

    def _folder(self, folder: str) -> str:
        """One hash over the names and hashes of every file below `folder` (compiled Python
        left out); a linked folder counts by where it points, and is not entered."""
        lines = []
        pending = [(folder, "")]
        while pending:
            current, prefix = pending.pop()
            try:
                entries = list(os.scandir(current))
            except OSError as exc:
                lines.append(f"{prefix}\0unreadable:{exc.errno}")
                continue
            for entry in entries:
                name = prefix + entry.name
                if entry.name in _SKIPPED or entry.name.endswith(".pyc"):
                    continue
                try:
                    if entry.is_symlink() and entry.is_dir():
                        lines.append(f"{name}\0link:{os.readlink(entry.path)}")
                    elif entry.is_dir(follow_symlinks=False):
                        pending.append((entry.path, name + "/"))
                    else:
                        lines.append(f"{name}\0{self.of(entry.path)}")
                except OSError as exc:
                    lines.append(f"{name}\0unreadable:{exc.errno}")
        return text_sha256("\n".join(sorted(lines)).encode("utf-8", "surrogateescape"))


def text_sha256(data: bytes) -> str:
    """The sha256 (hex) of a short text: a key or a listing, not a file's contents."""
    return _short_sha256(data).hexdigest()


def _read(path: str) -> tuple[str, os.stat_result]:
    """The sha256 of a regular file, and its status as it was opened."""
    import hashlib  # (OpenSSL's, several times faster on a font than the interpreter's own)

    # O_NONBLOCK: a file swapped for a pipe since it was looked at must not block the read.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file")
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest(), info
    finally:
        os.close(fd)
