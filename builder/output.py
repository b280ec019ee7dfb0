"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, flush: bool = True) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place.

    On any failure (a full disk, a read-only folder) the temporary file is removed and `path`
    keeps what it held before. The temporary name carries the writer's process id, so that
    one left behind by a process that was killed is removed by the next write of `path`.
    `flush=False` leaves the flushing to the system: for a batch's documents, which the
    build record checks (size and time) and builds again should a power cut spoil one.
    """
    _make_folder(path.parent)
    remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                               dir=path.parent)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if flush:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _make_folder(folder: Path) -> None:
    """mkdir -p, with a clear message when a file stands where a folder is needed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()),
                        folder)
        raise NotADirectoryError(errno.ENOTDIR, f"{blocking} is a file, not a folder") from exc


_TEMP = re.compile(r"\.(\d+)\.[^.]+\.tmp$")


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove temporary files for `path` left by writers that no longer run; returns them."""
    removed = []
    with contextlib.suppress(OSError):
        for temp in path.parent.glob(f".{_glob_escape(path.name)}.*.tmp"):
            found = _TEMP.search(temp.name[len(path.name) + 1:])
            if found and not _alive(int(found.group(1))):
                with contextlib.suppress(OSError):
                    temp.unlink()
                    removed.append(temp)
    return removed


def _glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (it exists, but belongs to someone else)
        return True
    return True
