"""The build record of an output folder (.handout-manifest.json): what each document was built
from and which files it wrote, and what each selection of documents planned.

The file is untrusted: anything unexpected in it (not JSON, wrong types, another format, a
path that leaves the output folder, a huge file) makes it unused, never a crash.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import stat
from pathlib import Path
from typing import Any, NamedTuple

from .digests import CacheEntry, text_sha256
from .errors import Problem, display_path
from .reviews import ReviewDates

MANIFEST_NAME = ".handout-manifest.json"
FORMAT = 1
MAX_BYTES = 64 * 1024 * 1024
MAX_PLANS = 32  # selections remembered; the least recently used is forgotten first

JobFields = dict[str, str | bool]

# The records below are named tuples rather than dataclasses: a build with nothing to do
# reads them and stops, and creating a dataclass costs a few milliseconds at every start.


class Selection(NamedTuple):
    """What a batch build was asked for: its options and the resolved project folder."""

    root: Path
    ids: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    layouts: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()
    print_ready: bool = False
    fold_guides: bool = False
    fillable: bool = False

    def key(self) -> str:
        return _sha256([FORMAT, str(self.root), self.ids, self.langs, self.brands, self.layouts,
                        self.papers, self.print_ready, self.fold_guides, self.fillable])


class Output(NamedTuple):
    """One document as it was last built."""

    key: str  # see job_key
    inputs: tuple[str, ...]  # labels of its input files (inputs.label)
    files: dict[str, tuple[int, int]]  # each file written, relative -> (size, mtime_ns)
    pages: int
    bytes: int
    milliseconds: float
    warnings: tuple[Problem, ...] = ()

    def intact(self, out_dir: Path) -> bool:
        """Whether every file it wrote is still there, as it was written."""
        for rel, (size, mtime_ns) in self.files.items():
            try:
                info = os.stat(os.path.join(out_dir, rel))
            except OSError:
                return False
            if not stat.S_ISREG(info.st_mode) or (info.st_size, info.st_mtime_ns) != \
                    (size, mtime_ns):
                return False
        return True


class PlannedJob(NamedTuple):
    fields: JobFields  # batch.Job's fields
    name: str
    output: str  # its main file, relative to the output folder


class Plan(NamedTuple):
    """What one selection planned, and what decided it."""

    code: str
    files: dict[str, str]
    jobs: tuple[PlannedJob, ...]
    reviews: tuple[ReviewDates, ...]


class Manifest:
    """The whole record: file hashes kept for the next run, plans, and outputs."""

    def __init__(self, digests: dict[str, CacheEntry] | None = None,
                 plans: dict[str, Plan] | None = None,
                 outputs: dict[str, Output] | None = None) -> None:
        self.digests = {} if digests is None else digests
        self.plans = {} if plans is None else plans
        self.outputs = {} if outputs is None else outputs

    def remember(self, selection: Selection, plan: Plan) -> None:
        key = selection.key()
        self.plans.pop(key, None)
        self.plans[key] = plan
        for old in list(self.plans)[:-MAX_PLANS]:
            del self.plans[old]


def job_key(fields: JobFields, inputs: dict[str, str], code: str) -> str:
    """The hash that names one document's inputs: the job, its files' hashes, the code."""
    return _sha256([FORMAT, sorted(fields.items()), sorted(inputs.items()), code])


def _sha256(value: object) -> str:
    return text_sha256(json.dumps(value).encode())


# -- reading and writing ---------------------------------------------------------------------


def read_manifest(out_dir: Path) -> tuple[Manifest, bytes, Problem | None]:
    """The manifest of `out_dir`, the bytes it was read from, and a warning when there is
    one that cannot be used (an empty manifest is used instead)."""
    path = out_dir / MANIFEST_NAME
    try:
        raw = _read(path)
    except (FileNotFoundError, NotADirectoryError):  # (nothing built there yet)
        return Manifest(), b"", None
    except OSError as exc:
        return Manifest(), b"", _unused(path, f"cannot be read: {exc.strerror or exc}")
    try:
        return _parse(json.loads(raw)), raw, None
    except ValueError as exc:
        return Manifest(), raw, _unused(path, str(exc))
    except Exception as exc:  # (e.g. nesting too deep to parse): whatever it is, rebuild
        return Manifest(), raw, _unused(path, f"unreadable ({type(exc).__name__})")


def manifest_bytes(manifest: Manifest) -> bytes:
    data = {
        "format": FORMAT,
        "digests": {k: list(v) for k, v in sorted(manifest.digests.items())},
        "plans": {k: _plan_json(p) for k, p in manifest.plans.items()},
        "outputs": {k: _output_json(o) for k, o in sorted(manifest.outputs.items())},
    }
    return (json.dumps(data, separators=(",", ":")) + "\n").encode()


def write_manifest(out_dir: Path, data: bytes) -> None:
    from .output import write_atomic  # (a build with nothing to do writes nothing)

    write_atomic(out_dir / MANIFEST_NAME, data)


def _read(path: Path) -> bytes:
    # O_NONBLOCK: a pipe in the manifest's place must not block the build.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file")
        if info.st_size > MAX_BYTES:
            raise OSError(0, f"larger than {MAX_BYTES // (1024 * 1024)} MB")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _unused(path: Path, reason: str) -> Problem:
    reason = " ".join(reason.split())[:120]
    return Problem(display_path(path), message=f"not used ({reason}); every document of this "
                                               "build is checked and built again",
                   severity="warning")


def _plan_json(plan: Plan) -> dict[str, Any]:
    return {"code": plan.code, "files": plan.files,
            "jobs": [{"fields": j.fields, "name": j.name, "output": j.output} for j in plan.jobs],
            "reviews": [[r.file, r.reviewed.isoformat(), list(r.reviewed_at),
                         r.review_due.isoformat(), list(r.due_at)] for r in plan.reviews]}


def _output_json(output: Output) -> dict[str, Any]:
    return {"key": output.key, "inputs": list(output.inputs),
            "files": {k: list(v) for k, v in output.files.items()}, "pages": output.pages,
            "bytes": output.bytes, "milliseconds": output.milliseconds,
            "warnings": [[p.file, p.line, p.col, p.path, p.message] for p in output.warnings]}


# -- checking what was read: ValueError with a short reason for anything unexpected ----------

# (isinstance checks below take tuples: `str | bool` would build a new union at every call.)
_HEX_DIGITS = "0123456789abcdef"
_FIELD_LETTERS = "abcdefghijklmnopqrstuvwxyz_"


def _parse(data: Any) -> Manifest:
    top = _dict(data, "the file")
    if top.get("format") != FORMAT:
        raise ValueError(f"format {str(top.get('format'))[:20]}, not {FORMAT}: written by "
                         "another version of the builder")
    digests = {_absolute(k): _entry(v) for k, v in _dict(top.get("digests"), "digests").items()}
    plans = {_hex(k): _plan(v) for k, v in _dict(top.get("plans"), "plans").items()}
    outputs = {_relative(k): _output(k, v)
               for k, v in _dict(top.get("outputs"), "outputs").items()}
    return Manifest(digests, plans, outputs)


def _entry(value: Any) -> CacheEntry:
    size, mtime, inode, digest = _list(value, "a digest", 4)
    return _int(size), _int(mtime), _int(inode), _hex(digest)


def _plan(value: Any) -> Plan:
    data = _dict(value, "a plan")
    files = {_str(k): _str(v) for k, v in _dict(data.get("files"), "plan files").items()}
    jobs = tuple(_planned(j) for j in _list(data.get("jobs"), "plan jobs"))
    reviews = tuple(_review(r) for r in _list(data.get("reviews"), "review dates"))
    return Plan(_hex(data.get("code")), files, jobs, reviews)


def _planned(value: Any) -> PlannedJob:
    data = _dict(value, "a planned job")
    fields: JobFields = {}
    for name, item in _dict(data.get("fields"), "job fields").items():
        if not _field_name(name) or not isinstance(item, (str, bool)):
            raise ValueError("a job field is not a name with a text or yes/no value")
        fields[name] = item
    return PlannedJob(fields, _str(data.get("name")), _relative(data.get("output")))


def _review(value: Any) -> ReviewDates:
    file, reviewed, reviewed_at, due, due_at = _list(value, "review dates", 5)
    return ReviewDates(_str(file), dt.date.fromisoformat(_str(reviewed)), _pair(reviewed_at),
                       dt.date.fromisoformat(_str(due)), _pair(due_at))


def _pair(value: Any) -> tuple[int, int]:
    first, second = _list(value, "a pair of numbers", 2)
    return _int(first), _int(second)


def _output(name: str, value: Any) -> Output:
    data = _dict(value, "an output")
    files = {_relative(k): _pair(v) for k, v in _dict(data.get("files"), "files").items()}
    if name not in files:
        raise ValueError("an output does not list its own file")
    millis = data.get("milliseconds")
    if not isinstance(millis, (int, float)) or isinstance(millis, bool):
        raise ValueError("a build time is not a number")
    warnings = []
    for item in _list(data.get("warnings"), "warnings"):
        file, line, col, where, message = _list(item, "a warning", 5)
        warnings.append(Problem(_str(file), _int(line), _int(col), _str(where), _str(message),
                                "warning"))
    return Output(_hex(data.get("key")), tuple(_label(i) for i in _list(data.get("inputs"),
                                                                           "inputs")),
                  files, _int(data.get("pages")), _int(data.get("bytes")), float(millis),
                  tuple(warnings))


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} is not a JSON object")
    return value


def _list(value: Any, what: str, length: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise ValueError(f"{what} is not a list" + (f" of {length}" if length else ""))
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a text is not a string")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:  # (not a bool either)
        raise ValueError("a number is not a whole number")
    return value


def _hex(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 64 or value.strip(_HEX_DIGITS):
        raise ValueError("a hash is not a sha256")
    return value


def _absolute(value: str) -> str:
    if not os.path.isabs(value) or "\0" in value:
        raise ValueError("a cached file name is not an absolute path")
    return value


def _relative(value: Any) -> str:
    """A path inside the output folder."""
    text = _str(value)
    if not _downward(text):
        raise ValueError(f"'{text[:60]}' is not a file inside the output folder")
    return text


def _label(value: Any) -> str:
    """An input file's label (inputs.label): inside the project or the builder's files."""
    text = _str(value)
    prefix, _, rest = text.partition("/")
    if prefix not in ("project", "builtin") or not _downward(rest):
        raise ValueError(f"'{text[:60]}' is not an input file of a project")
    return text


# Remembered: every document's record names the same few fields, fonts, brands and folders.
@functools.lru_cache(maxsize=4096)
def _field_name(name: str) -> bool:
    return 0 < len(name) <= 40 and not name.strip(_FIELD_LETTERS)


@functools.lru_cache(maxsize=4096)
def _downward(text: str) -> bool:
    """Whether a path is relative, with no '..', '.' or empty part: it stays inside."""
    if text.startswith("/") or "\\" in text or "\0" in text:
        return False
    parts = text.split("/")
    return "" not in parts and "." not in parts and ".." not in parts
