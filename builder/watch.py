"""`handout watch`: rebuild a handout, and its preview, whenever one of its files changes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .batch import Engine
    from .errors import Problem
    from .incremental import BuildRecord

Snapshot = dict[Path, tuple[int, int]]  # file -> (modification time in ns, size)


def snapshot(folders: list[Path]) -> Snapshot:
    """Every file under the folders with its modification time and size."""
    out: Snapshot = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            try:
                if path.is_file() and not path.name.startswith((".", "~")):
                    stat = path.stat()
                    out[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:  # removed while we looked: the next look sees it gone
                continue
    return out


def changed(before: Snapshot, after: Snapshot) -> set[Path]:
    """Files added, removed or modified between two snapshots."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


@dataclass
class Watcher:
    """Which handouts need a rebuild: a change in a handout's folder rebuilds it; a change to
    a brand or a layout rebuilds every handout watched."""

    root: Path
    ids: list[str]

    def folders(self) -> list[Path]:
        return [self.root / "handouts" / hid for hid in self.ids] + \
            [self.root / "assets" / "brands", self.root / "layouts"]

    def affected(self, files: set[Path]) -> list[str]:
        out = set()
        for path in files:
            parts = path.relative_to(self.root).parts
            if parts[0] == "handouts" and len(parts) > 1:
                out.add(parts[1])
            else:
                out.update(self.ids)
        return [hid for hid in self.ids if hid in out]

    def layouts_changed(self, files: set[Path]) -> bool:
        return any(path.relative_to(self.root).parts[0] == "layouts" for path in files)


def watch(watcher: Watcher, rebuild: Callable[[list[str], bool], None], *,
          interval: float = 0.5, rounds: int | None = None,
          since: Snapshot | None = None) -> None:
    """Call `rebuild(ids, layouts_changed)` for the handouts whose files changed since
    `since` (default: now), once the files have stopped changing (an editor may write a file
    in several steps). Runs until interrupted, or for `rounds` polls."""
    seen = snapshot(watcher.folders()) if since is None else since
    pending: set[Path] = set()
    count = 0
    while rounds is None or count < rounds:
        count += 1
        time.sleep(interval)
        now = snapshot(watcher.folders())
        moved = changed(seen, now)
        seen = now
        if moved:
            pending |= moved
            continue  # wait for one quiet interval
        if pending:
            ids = watcher.affected(pending)
            layouts = watcher.layouts_changed(pending)
            pending = set()
            if ids:
                rebuild(ids, layouts)


@dataclass
class Rebuilt:
    """What one rebuild of one handout did."""

    built: list[Path]
    problems: list[Problem]
    preview: Path | None = None


def rebuild_handout(engine: Engine, handout_id: str, out_dir: Path, langs: tuple[str, ...],
                    brands: tuple[str, ...], layouts: tuple[str, ...],
                    record: BuildRecord | None = None) -> Rebuilt:
    """Build a handout's documents into `out_dir` and write `out_dir`/previews/<id>.png, the
    first page of its first document (source language unless `langs` says otherwise). The
    documents built are added to `record`."""
    from .batch import UsageError, plan, render_job, run
    from .errors import BuildError, Problem
    from .output import write_atomic
    from .preview import page_png
    from .preview_job import choose_job

    entry = engine.project.handouts[handout_id]
    problems = list(entry.problems)
    if any(p.is_error for p in problems):
        return Rebuilt([], problems)
    try:
        jobs = plan(engine, (handout_id,), langs, brands, layouts)
        first = choose_job(engine, handout_id, langs[0] if langs else None,
                           brands[0] if brands else None, layouts[0] if layouts else None)
    except UsageError as exc:  # e.g. a language this handout does not have
        return Rebuilt([], [*problems, Problem(str(entry.folder), message=str(exc))])
    if record is not None:
        record.split(engine, jobs, force=True)  # (each document's key, from its inputs)
    results = run(engine, jobs, out_dir)
    if record is not None:
        record.add(results)
    built = [r.path for r in results if r.ok and r.path]
    for result in results:
        problems += result.problems
    preview = out_dir / "previews" / f"{handout_id}.png"
    target = first.output(out_dir)
    try:
        pdf = target.read_bytes() if target in built else render_job(engine, first).pdf
    except BuildError as exc:
        return Rebuilt(built, problems + exc.problems)
    write_atomic(preview, page_png(pdf, 1, dpi=100))
    return Rebuilt(built, problems, preview)
