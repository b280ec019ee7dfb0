"""Incremental batch builds: skip the documents whose inputs, code and files are unchanged
since they were built, and record what was built in the output folder's manifest."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .digests import Digests
from .errors import Problem, display_path
from .inputs import code_fingerprint, job_inputs, label, locate, plan_files
from .manifest import (
    MANIFEST_NAME,
    Output,
    Plan,
    PlannedJob,
    Selection,
    job_key,
    manifest_bytes,
    read_manifest,
    write_manifest,
)
from .reviews import ReviewDates

if TYPE_CHECKING:
    from .batch import Engine, Job, Result


class BuildRecord:
    """One batch build's view of its output folder's manifest.

    Every input is hashed when this is made, before the engine reads anything, so that a file
    changed while the build runs is seen as changed by the next build.
    """

    def __init__(self, out_dir: Path, selection: Selection) -> None:
        self.out_dir = out_dir
        self.selection = selection
        self.manifest, self._read, self.warning = read_manifest(out_dir)
        self.digests = Digests(self.manifest.digests)
        self.code = code_fingerprint(selection.root, self.digests)
        self.files = plan_files(selection.root, self.digests)
        self._keys: dict[Job, tuple[str, tuple[str, ...]]] = {}
        self._by_label: dict[str, str] = {}

    def unchanged(self) -> tuple[Plan, list[Output]] | None:
        """The plan of this selection and the record of each of its documents, when nothing
        they depend on changed and every file they wrote is as written; else None."""
        plan = self.manifest.plans.get(self.selection.key())
        if plan is None or plan.code != self.code or plan.files != self.files:
            return None
        outputs = []
        for job in plan.jobs:
            output = self.manifest.outputs.get(job.output)
            if output is None or output.key != self._current_key(job.fields, output.inputs) \
                    or not output.intact(self.out_dir):
                return None
            outputs.append(output)
        return plan, outputs

    def split(self, engine: Engine, jobs: list[Job], *, force: bool = False
              ) -> tuple[list[Job], dict[Job, Output]]:
        """The jobs to build, and the up-to-date ones with their records."""
        todo: list[Job] = []
        fresh: dict[Job, Output] = {}
        for job in jobs:
            known = self._job_key(engine, job)
            if known is not None:
                self._keys[job] = known
            output = self.manifest.outputs.get(_relative(job))
            if not force and known is not None and output is not None and \
                    output.key == known[0] and output.intact(self.out_dir):
                fresh[job] = output
            else:
                todo.append(job)
        return todo, fresh

    def add(self, results: list[Result]) -> None:
        """Record each document built (a failed one is not: it is built again next time)."""
        for result in results:
            known = self._keys.get(result.job)
            if not result.ok or result.path is None or known is None:
                continue
            files = {}
            for path in [result.path, *result.extras]:
                try:
                    info = os.stat(path)
                except OSError:  # (removed already: there is nothing to record)
                    break
                files[path.relative_to(self.out_dir).as_posix()] = (info.st_size,
                                                                     info.st_mtime_ns)
            else:
                self.manifest.outputs[_relative(result.job)] = Output(
                    known[0], known[1], files, result.pages, result.size,
                    round(result.millis, 1), tuple(p for p in result.problems if not p.is_error))

    def remember(self, jobs: list[Job], reviews: list[ReviewDates]) -> None:
        """Keep this selection's plan, so that a build with nothing to do needs no engine."""
        planned = tuple(PlannedJob(_fields(j), j.name, _relative(j)) for j in jobs)
        self.manifest.remember(self.selection, Plan(self.code, self.files, planned,
                                                    tuple(reviews)))

    def save(self) -> Problem | None:
        """Write the manifest when it changed; a warning when it cannot be written."""
        self.manifest.digests = self.digests.cache()
        data = manifest_bytes(self.manifest)
        if data == self._read:
            return None
        try:
            write_manifest(self.out_dir, data)
        except OSError as exc:
            return Problem(display_path(self.out_dir / MANIFEST_NAME), message=(
                f"not saved ({exc.strerror or exc}); the next build builds these documents "
                "again"), severity="warning")
        return None

    def _job_key(self, engine: Engine, job: Job) -> tuple[str, tuple[str, ...]] | None:
        """A job's key and the labels of its input files; None for a job always built."""
        files = job_inputs(engine, job)
        if files is None:
            return None
        names = []
        for file in files:
            name = label(file, self.selection.root)
            if name is None:  # (outside the project and the builder: not tracked)
                return None
            names.append(name)
        return self._current_key(_fields(job), tuple(names)), tuple(names)

    def _current_key(self, fields: dict[str, str | bool], inputs: tuple[str, ...]) -> str:
        return job_key(fields, {name: self._digest(name) for name in inputs}, self.code)

    def _digest(self, name: str) -> str:
        if name not in self._by_label:  # (most inputs are shared: fonts, brands, handouts)
            self._by_label[name] = self.digests.of(locate(name, self.selection.root))
        return self._by_label[name]


def _fields(job: Job) -> dict[str, str | bool]:
    import dataclasses  # (only a build that plans imports it; one with nothing to do does not)

    return dataclasses.asdict(job)


def _relative(job: Job) -> str:
    """A job's main file, relative to the output folder."""
    return job.output(Path()).as_posix()
