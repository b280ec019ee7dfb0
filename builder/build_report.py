"""What a batch build did with each document: the summary line and the --report JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .errors import Problem

if TYPE_CHECKING:
    from .batch import Result
    from .manifest import Output

BUILT, UP_TO_DATE, FAILED = "built", "up to date", "failed"


class Outcome(NamedTuple):
    """One document of a build: built now, up to date (as recorded when built), or failed."""

    name: str
    path: Path | None
    status: str
    pages: int = 0
    bytes: int = 0
    milliseconds: float = 0.0  # time spent on it in this build
    warnings: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()

    @classmethod
    def of_result(cls, result: Result) -> Outcome:
        return cls(result.job.name, result.path, BUILT if result.ok else FAILED, result.pages,
                   result.size, result.millis,
                   tuple(p for p in result.problems if not p.is_error),
                   tuple(p for p in result.problems if p.is_error))

    @classmethod
    def up_to_date(cls, name: str, path: Path, output: Output) -> Outcome:
        return cls(name, path, UP_TO_DATE, output.pages, output.bytes, 0.0, output.warnings)


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    return {status: sum(o.status == status for o in outcomes)
            for status in (BUILT, UP_TO_DATE, FAILED)}


def summary(outcomes: list[Outcome], seconds: float, failed_names: list[str]) -> str:
    """'Built 3, 77 up to date, 0 failed, in 1.2 s.', naming what failed."""
    n = counts(outcomes)
    text = f"Built {n[BUILT]}, {n[UP_TO_DATE]} up to date, {n[FAILED]} failed, in {seconds:.1f} s"
    if failed_names:
        text += "; failed: " + ", ".join(failed_names[:6]) + (" …" if len(failed_names) > 6
                                                              else "")
    return text + "."


def report_json(outcomes: list[Outcome], seconds: float) -> bytes:
    n = counts(outcomes)
    data = {
        "totals": {"built": n[BUILT], "up_to_date": n[UP_TO_DATE], "failed": n[FAILED],
                   "seconds": round(seconds, 3)},
        "outputs": [{
            "name": o.name, "path": str(o.path) if o.path else None, "status": o.status,
            "pages": o.pages, "bytes": o.bytes, "milliseconds": round(o.milliseconds, 1),
            "warnings": [str(p) for p in o.warnings], "errors": [str(p) for p in o.errors],
        } for o in outcomes],
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
