"""Faults during a batch: a killed worker, a full disk, a read-only output folder, a handout
removed mid-run. Each is reported, leaves no partial file, keeps the good outputs of an earlier
run, and a rerun completes."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder import batch, output
from builder.cli import main
from builder.manifest import MANIFEST_NAME
from builder.pool import resilient_map

from .hostile import BRAND_YAML, EN_YAML, HANDOUT_YAML, edit, write_files

IDS = ("h1", "h2", "h3", "h4", "h5")
BRAND = "demo-brand"


def make_batch_project(root: Path, layout: str = "leaflet") -> Path:
    """Five handouts (h1 … h5) in one layout, and one brand."""
    files: dict[str, str | bytes] = {f"assets/brands/{BRAND}/brand.yaml": BRAND_YAML}
    for hid in IDS:
        files[f"handouts/{hid}/handout.yaml"] = edit(edit(HANDOUT_YAML, "id: demo", f"id: {hid}"),
                                                     "layouts: [leaflet]", f"layouts: [{layout}]")
        files[f"handouts/{hid}/en.yaml"] = edit(EN_YAML, "Demo handout", f"Handout {hid}")
    write_files(root, files)
    return root


def handout(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["build", "--root", str(root), "-b", BRAND, "-o", "out",
                                       "-j", "1", *args], prog_name="handout")
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output, \
        result.output
    return result


def pdf(root: Path, hid: str, layout: str = "leaflet") -> Path:
    return root / "out" / BRAND / "en" / f"{hid}-{layout}-a4.pdf"


def leftovers(root: Path) -> list[str]:
    """Files under out/ that are not finished PDFs (temporary or partial files); the build
    record is neither."""
    out = root / "out"
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")
                  if p.is_file() and (p.name.startswith(".") or p.suffix != ".pdf")
                  and p.name != MANIFEST_NAME)


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The five-handout project, built once: every test starts from good outputs."""
    root = make_batch_project(tmp_path / "proj")
    monkeypatch.chdir(root)
    assert handout(root).exit_code == 0
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {hid: pdf(root, hid).read_bytes() for hid in IDS}


def assert_rerun_completes(root: Path, before: dict[str, bytes]) -> None:
    result = handout(root)
    assert result.exit_code == 0, result.output
    assert snapshot(root) == before  # (builds are reproducible: the same bytes again)
    assert leftovers(root) == []


# -- a worker process that dies ----------------------------------------------------------------


def _square_or_die(n: int) -> int:
    if n in (3, 6):
        os.kill(os.getpid(), signal.SIGKILL)
    return n * n


def _no_setup() -> None:
    pass


def test_a_dying_worker_costs_only_its_own_items() -> None:
    lost: list[int] = []

    def on_lost(item: int, error: BaseException) -> int:
        lost.append(item)
        return -1

    results = list(resilient_map(_square_or_die, list(range(10)), workers=2,
                                 initializer=_no_setup, initargs=(), lost=on_lost))
    assert results == [0, 1, 4, -1, 16, 25, -1, 49, 64, 81]
    assert sorted(lost) == [3, 6]  # (each once, as its process's death is noticed)


def _children() -> set[int]:
    """This process's child processes, running or not yet waited for."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found |= {int(pid) for pid in (task / "children").read_text().split()}
    return found


def _pid_and_square(n: int) -> tuple[int, int]:
    if n == 5:
        raise ValueError("five is not wanted")
    return os.getpid(), n * n


def _unpicklable(n: int) -> object:
    return (lambda: n) if n == 2 else n


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")
def test_forked_workers_answer_in_order_and_leave_nothing_running() -> None:
    from builder.forked_workers import reap

    before = _children()
    lost: list[tuple[int, str]] = []

    def on_lost(item: int, error: BaseException) -> tuple[int, int]:
        lost.append((item, type(error).__name__))
        return -1, -1

    results = list(resilient_map(_pid_and_square, list(range(40)), workers=3,
                                 initializer=_no_setup, initargs=(), lost=on_lost))
    assert [square for _, square in results] == [-1 if n == 5 else n * n for n in range(40)]
    assert lost == [(5, "ValueError")]  # (an item's own error: its process lives on)
    assert 1 <= len({pid for pid, _ in results} - {-1}) <= 3
    assert os.getpid() not in {pid for pid, _ in results}
    odd = list(resilient_map(_unpicklable, [1, 2, 3, 4], workers=2, initializer=_no_setup,
                             initargs=(), lost=lambda item, error: type(error).__name__))
    assert odd[0] == 1 and odd[2:] == [3, 4]
    assert odd[1] in ("PicklingError", "AttributeError")  # (a result that cannot be sent)
    reap(block=True)
    assert _children() - before == set()


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")
def test_forked_workers_stop_when_their_results_are_no_longer_wanted() -> None:
    from builder.forked_workers import reap

    before = _children()
    answers = resilient_map(_square_or_die, [0, 1, 2, 4, 5, 7, 8, 9], workers=2,
                            initializer=_no_setup, initargs=(), lost=lambda item, error: -1)
    assert next(answers) == 0
    answers.close()
    reap(block=True)
    assert _children() - before == set()


DOOMED_LAYOUT = '''\
"""The leaflet, except that it kills its own process while the handout holds a file KILL.

Before dying it leaves a temporary file where write_atomic would have been writing, as a
process killed in the middle of writing does."""

import os
import signal

from layouts.leaflet import *  # noqa: F403
from layouts.leaflet import story as _story

NAME = "doomed"


def story(ctx):
    marker = ctx.doc.handout.folder / "KILL"
    if marker.exists():
        temp = marker.read_text().strip().format(pid=os.getpid())
        with open(temp, "wb") as handle:
            handle.write(b"%PDF-1.4 half a file")
        os.kill(os.getpid(), signal.SIGKILL)
    return _story(ctx)
'''


def test_a_worker_killed_mid_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_batch_project(tmp_path / "proj", layout="doomed")
    write_files(root, {"layouts/doomed.py": DOOMED_LAYOUT})
    monkeypatch.chdir(root)
    assert handout(root).exit_code == 0
    before = {hid: pdf(root, hid, "doomed").read_bytes() for hid in IDS}
    partial = f"out/{BRAND}/en/.h3-doomed-a4.pdf.{{pid}}.k1lled00.tmp"
    (root / "handouts/h3/KILL").write_text(partial)
    # The installed command, in a real process pool of two workers; --force, as nothing
    # the documents are made from changed.
    done = subprocess.run([shutil.which("handout") or "handout", "build", "--root", str(root),
                           "-b", BRAND, "-o", "out", "-j", "2", "--force"], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert (f"out/{BRAND}/en/h3-doomed-a4.pdf: the process building it stopped unexpectedly "
            "(killed, or out of memory?); nothing was written (BrokenProcessPool)"
            ) in done.stderr.splitlines(), done.stderr
    assert done.stderr.splitlines()[-1].startswith("Built 4, 0 up to date, 1 failed, in "), \
        done.stderr
    built = sorted(line.split("/")[-1] for line in done.stdout.splitlines())
    assert built == ["h1-doomed-a4.pdf", "h2-doomed-a4.pdf", "h4-doomed-a4.pdf",
                     "h5-doomed-a4.pdf"]
    assert pdf(root, "h3", "doomed").read_bytes() == before["h3"]  # the good old one stays
    assert leftovers(root) == []  # the dead worker's half-written file is gone
    (root / "handouts/h3/KILL").unlink()
    result = handout(root)
    assert result.exit_code == 0, result.output
    assert {hid: pdf(root, hid, "doomed").read_bytes() for hid in IDS} == before


def test_a_check_process_killed_costs_only_its_document(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`handout check` renders in warm forked processes too: one killed while rendering a
    document reports that document, and every other document is still checked."""
    root = make_batch_project(tmp_path / "proj", layout="doomed")
    write_files(root, {"layouts/doomed.py": DOOMED_LAYOUT})
    (root / "handouts/h3/KILL").write_text(str(tmp_path / "never-written.{pid}"))
    monkeypatch.chdir(root)
    done = subprocess.run([shutil.which("handout") or "handout", "check", "--root", str(root),
                           "-j", "2"], cwd=root, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr + done.stdout
    output = done.stdout + done.stderr
    lost = [line.split(":")[0] for line in output.splitlines() if "stopped unexpectedly" in line]
    # (every brand's h3 kills its process: each is reported, and nothing else is lost)
    assert lost and all("/h3-doomed-" in doc for doc in lost), output
    assert f"{BRAND}/en/h3-doomed-a4" in lost
    assert "Checked 5 handouts" in output, output


def test_a_worker_that_cannot_load_the_project_reports_it(
        proj: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "_WORKER", {})
    monkeypatch.setattr(batch, "_WORKER_ERROR", [])
    monkeypatch.setattr(batch, "load_engine", _raise_os_error)
    batch.init_worker(str(proj))
    job = batch.Job("h1", "en", BRAND, "leaflet", "a4")
    result = batch._worker_build((job, str(proj / "out"), False))
    assert [str(p) for p in result.problems] == [
        f"{BRAND}/en/h1-leaflet-a4: the project could not be loaded again to build it: "
        "PermissionError: [Errno 13] Permission denied"]


def _raise_os_error(root: Path) -> batch.Engine:
    raise PermissionError(13, "Permission denied")


# -- a full disk, a read-only folder ------------------------------------------------------------


def fail_writes(monkeypatch: pytest.MonkeyPatch, which: Callable[[str], bool],
                code: int) -> list[str]:
    """os.write to temporary files that `which` accepts writes a little, then fails with
    `code`, as a disk that fills up does; returns the names of the files it failed."""
    real_write = os.write
    failed: list[str] = []

    def write(fd: int, data: bytes) -> int:
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        if name.endswith(".tmp") and which(name):
            if name not in failed:
                failed.append(name)
                return real_write(fd, bytes(data)[:1000])
            raise OSError(code, os.strerror(code))
        return real_write(fd, data)

    monkeypatch.setattr(output.os, "write", write)
    return failed


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to name an fd")
@pytest.mark.parametrize("failing", ["h2", "all"])
def test_disk_full(proj: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    before = snapshot(proj)
    failed = fail_writes(monkeypatch, lambda name: failing == "all" or f".{failing}-" in name,
                         errno.ENOSPC)
    result = handout(proj, "--force")
    assert result.exit_code == 1, result.output
    broken = list(IDS) if failing == "all" else [failing]
    assert len([name for name in failed if ".pdf." in name]) == len(broken)
    for hid in broken:
        assert (f"out/{BRAND}/en/{hid}-leaflet-a4.pdf: cannot write: No space left on device"
                ) in result.stderr.splitlines(), result.output
    assert f"Built {5 - len(broken)}, 0 up to date, {len(broken)} failed, in " in result.stderr
    assert snapshot(proj) == before  # the failed ones keep their earlier, complete files
    assert leftovers(proj) == []
    monkeypatch.undo()
    monkeypatch.chdir(proj)
    assert_rerun_completes(proj, before)


def test_read_only_file_system(proj: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(proj)

    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(output.tempfile, "mkstemp", mkstemp)
    result = handout(proj, "--force")
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert [line for line in lines if "cannot write" in line] == [
        f"out/{BRAND}/en/{hid}-leaflet-a4.pdf: cannot write: Read-only file system"
        for hid in IDS]
    assert lines[-1].startswith("Built 0, 0 up to date, 5 failed, in "), result.output
    assert snapshot(proj) == before and leftovers(proj) == []
    monkeypatch.undo()
    monkeypatch.chdir(proj)
    assert_rerun_completes(proj, before)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="folder permissions do not stop root from writing")
def test_read_only_output_folder(proj: Path) -> None:
    before = snapshot(proj)
    folder = proj / "out" / BRAND / "en"
    folder.chmod(0o555)
    try:
        result = handout(proj, "--force")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1, result.output
    assert (f"out/{BRAND}/en/h1-leaflet-a4.pdf: cannot write: Permission denied"
            ) in result.stderr.splitlines(), result.output
    assert snapshot(proj) == before and leftovers(proj) == []
    assert_rerun_completes(proj, before)


def test_a_file_where_the_output_folder_should_be(proj: Path) -> None:
    before = snapshot(proj)
    shutil.rmtree(proj / "out" / BRAND)
    (proj / "out" / BRAND).write_text("not a folder")
    result = handout(proj)
    assert result.exit_code == 1, result.output
    assert [line for line in result.stderr.splitlines() if "cannot write" in line] == [
        f"out/{BRAND}/en/{hid}-leaflet-a4.pdf: cannot write: out/{BRAND} is a file, not a "
        "folder" for hid in IDS]
    (proj / "out" / BRAND).unlink()
    assert_rerun_completes(proj, before)


# -- a handout removed while the batch runs ------------------------------------------------------


def remove_before_building(monkeypatch: pytest.MonkeyPatch, hid: str,
                           remove: Callable[[], None]) -> None:
    """Call `remove` just before the batch builds handout `hid` (after the earlier ones)."""
    real = batch.build_one

    def build_one(engine: batch.Engine, job: batch.Job, *args: object,
                  **kwargs: object) -> batch.Result:
        if job.handout == hid:
            remove()
        return real(engine, job, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "build_one", build_one)


@pytest.mark.parametrize(("removed", "problem"), [
    ("handouts/h3", "handouts/h3/handout.yaml: was removed or renamed during the build; nothing "
                    f"was written for {BRAND}/en/h3-leaflet-a4"),
    ("handouts/h3/en.yaml", "handouts/h3/en.yaml: was removed or renamed during the build; "
                            f"nothing was written for {BRAND}/en/h3-leaflet-a4"),
    ("handouts/h3/figures/points.png",
     "handouts/h3/figures/points.png: cannot read image: No such file or directory"),
])
def test_a_handout_removed_during_the_batch(proj: Path, monkeypatch: pytest.MonkeyPatch,
                                            removed: str, problem: str) -> None:
    from .hostile import image_bytes

    write_files(proj, {
        "handouts/h3/handout.yaml": (proj / "handouts/h3/handout.yaml").read_text()
        + "figures:\n  points: figures/points.png\n",
        "handouts/h3/figures/points.png": image_bytes("PNG"),
        "handouts/h3/en.yaml": (proj / "handouts/h3/en.yaml").read_text()
        + "  - type: figure\n    figure: points\n",
    })
    assert handout(proj).exit_code == 0
    before = snapshot(proj)
    target = proj / removed
    remove_before_building(monkeypatch, "h3", lambda: shutil.rmtree(target) if target.is_dir()
                           else target.unlink())
    result = handout(proj, "--force")
    assert result.exit_code == 1, result.output
    assert problem in result.stderr.splitlines(), result.output
    assert result.stderr.splitlines()[-1].startswith("Built 4, 0 up to date, 1 failed, in "), \
        result.output
    assert snapshot(proj) == before and leftovers(proj) == []
    monkeypatch.undo()
    monkeypatch.chdir(proj)
    rerun = handout(proj)
    if removed == "handouts/h3":
        assert rerun.exit_code == 0, rerun.output
        assert rerun.stderr.splitlines()[-1].startswith("Built 0, 4 up to date, 0 failed, in "), \
            rerun.output
    else:  # the handout still lists what is missing: the rerun says what to restore
        assert rerun.exit_code == 1 and removed.split("/")[-1] in rerun.stderr, rerun.output


def test_a_worker_that_loads_after_the_removal(proj: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool worker loads the project itself; a handout gone by then fails alone."""
    shutil.rmtree(proj / "handouts" / "h2")
    monkeypatch.setattr(batch, "_WORKER", {})
    batch.init_worker(str(proj))
    out = str(proj / "out")
    gone = batch._worker_build((batch.Job("h2", "en", BRAND, "leaflet", "a4"), out, False))
    kept = batch._worker_build((batch.Job("h1", "en", BRAND, "leaflet", "a4"), out, False))
    assert [str(p) for p in gone.problems] == [
        "handouts/h2/handout.yaml: was removed or renamed during the build; nothing "
        f"was written for {BRAND}/en/h2-leaflet-a4"]
    assert kept.ok and kept.path == pdf(proj, "h1")


def test_a_stale_temporary_file_of_a_dead_writer_is_removed(tmp_path: Path) -> None:
    target = tmp_path / "doc.bin"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".doc.bin.{dead}.abcdefgh.tmp"
    mine = tmp_path / f".doc.bin.{os.getpid()}.abcdefgh.tmp"  # a live writer's: kept
    other = tmp_path / f".other.bin.{dead}.abcdefgh.tmp"  # another file's: kept
    for path in (stale, mine, other):
        path.write_bytes(b"half")
    output.write_atomic(target, b"%PDF-1.4\n")
    assert target.read_bytes() == b"%PDF-1.4\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["doc.bin", mine.name, other.name])
