"""`handout watch`: a saved file rebuilds its handout and its preview."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from builder.watch import Watcher, changed, snapshot, watch

from .conftest import make_project, pdf_text


def test_changes_are_mapped_to_the_handouts_they_affect(tmp_path: Path) -> None:
    watcher = Watcher(tmp_path, ["a", "b"])
    h = tmp_path / "handouts"
    assert watcher.affected({h / "a/en.yaml"}) == ["a"]
    assert watcher.affected({h / "c/en.yaml"}) == []
    assert watcher.affected({tmp_path / "assets/brands/x/brand.yaml"}) == ["a", "b"]
    assert watcher.layouts_changed({tmp_path / "layouts/mine.py"})


def test_snapshots_see_added_changed_and_removed_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("1")
    (tmp_path / "b.yaml").write_text("1")
    before = snapshot([tmp_path])
    (tmp_path / "a.yaml").write_text("22")
    (tmp_path / "b.yaml").unlink()
    (tmp_path / "c.yaml").write_text("1")
    assert changed(before, snapshot([tmp_path])) == {tmp_path / n for n in ("a.yaml", "b.yaml",
                                                                           "c.yaml")}


def test_a_rebuild_waits_until_the_files_are_quiet(tmp_path: Path) -> None:
    folder = tmp_path / "handouts" / "a"
    folder.mkdir(parents=True)
    calls: list[list[str]] = []

    def rebuild(ids: list[str], layouts: bool) -> None:
        calls.append(ids)
        if len(calls) == 1:
            (folder / "en.yaml").write_text("again")

    (folder / "en.yaml").write_text("x")
    os.utime(folder / "en.yaml", ns=(1, 1))
    watch(Watcher(tmp_path, ["a"]), rebuild, interval=0.01, rounds=1)
    assert calls == []  # nothing changed
    import threading

    timer = threading.Timer(0.02, lambda: (folder / "en.yaml").write_text("changed"))
    timer.start()
    watch(Watcher(tmp_path, ["a"]), rebuild, interval=0.05, rounds=8)
    timer.join()
    assert calls == [["a"], ["a"]]  # the save, then the write made by the first rebuild


def test_a_file_saved_during_the_first_build_is_rebuilt(tmp_path: Path) -> None:
    folder = tmp_path / "handouts" / "a"
    folder.mkdir(parents=True)
    (folder / "en.yaml").write_text("x")
    watcher = Watcher(tmp_path, ["a"])
    before = snapshot(watcher.folders())  # (taken before the first build, as `handout watch`)
    (folder / "en.yaml").write_text("saved while the first build ran")
    calls: list[list[str]] = []
    watch(watcher, lambda ids, layouts: calls.append(ids), interval=0.01, rounds=3,
          since=before)
    assert calls == [["a"]]


def test_watch_rebuilds_the_pdf_and_preview_when_a_file_is_saved(tmp_path: Path) -> None:
    proj = make_project(tmp_path / "proj")
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "watch", "demo", "--root", "proj", "-b", "demo-brand",
         "-o", "out", "--interval", "0.1"], cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    pdf = tmp_path / "out/demo-brand/en/demo-leaflet-a4.pdf"
    preview = tmp_path / "out/previews/demo.png"
    try:
        deadline = time.monotonic() + 60
        while not preview.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert preview.exists() and pdf.exists()
        first = (pdf.read_bytes(), preview.read_bytes())
        en = proj / "handouts/demo/en.yaml"
        en.write_text(en.read_text().replace("Demo handout", "Changed handout"))
        while (pdf.read_bytes() == first[0] or preview.read_bytes() == first[1]) and \
                time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.3)  # (the preview is written just after the PDF)
        assert "Changed handout" in pdf_text(pdf)
        assert preview.read_bytes() != first[1]
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    # What watch built is recorded: a build of the same documents has nothing to do.
    again = subprocess.run(
        [sys.executable, "-m", "builder", "build", "demo", "--root", "proj", "-b", "demo-brand",
         "-o", "out"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "Built 0, 1 up to date" in again.stderr, again.stderr
    assert "Changed handout" in pdf_text(pdf)
    lines = err.splitlines()
    assert lines[0].endswith(" demo: built 1 documents, preview out/previews/demo.png")
    assert "Watching 1 handouts; stop with Ctrl+C." in lines
    assert sum(line.endswith("demo: built 1 documents, preview out/previews/demo.png")
               for line in lines) == 2
    assert lines[-1] == "Stopped."
