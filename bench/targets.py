"""Every speed, memory and size target of the builder, each a ratio against a baseline
measured in the same run, with PASS or FAIL.

Run by hand (never in CI), from the project root, with the bench extra installed:

    python3 -m pip install -e '.[bench]'
    python3 bench/targets.py [--rounds N] [--workers N] [--quick]

Baselines: a bare reportlab script (bench/baseline_reportlab.py) and Typst
(bench/baseline_typst.py + bench/leaflet.typ) rendering the same leaflet content with the same
fonts; `python -c "import click"` for start-up. Each figure is given as min / median / max
over the rounds; ratios compare medians.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench import baseline_reportlab  # noqa: E402
from bench.baseline_typst import TypstLeaflet  # noqa: E402
from bench.content import leaflet_content  # noqa: E402
from bench.synthetic import make_project  # noqa: E402
from builder.batch import Engine, Job, load_engine, plan, render_job, run  # noqa: E402
from builder.memo import forget_texts  # noqa: E402
from builder.model import Patient  # noqa: E402
from builder.pool import start_context  # noqa: E402


@dataclass
class Warm:
    """The document both sides are warmed on before a timed batch: Typst's compilers compile
    it, the builder renders it in the process its workers are forked from."""

    engine: Engine
    job: Job

    @property
    def content(self) -> dict[str, Any]:
        return leaflet_content(self.engine, self.job)

    def builder(self) -> None:
        render_job(self.engine, self.job)


@dataclass
class Target:
    name: str
    unit: str
    ours: list[float]
    base: list[float]
    base_name: str
    limit: float
    at_least: bool = False  # a rate: ours / base must reach the limit
    absolute: float | None = None  # the limit is on our median itself (memory), not a ratio

    @property
    def ratio(self) -> float:
        return statistics.median(self.ours) / statistics.median(self.base)

    @property
    def passed(self) -> bool:
        if self.absolute is not None:
            return statistics.median(self.ours) <= self.absolute
        return self.ratio >= self.limit if self.at_least else self.ratio <= self.limit


def spread(values: Sequence[float]) -> str:
    return (f"{min(values):8.1f} {statistics.median(values):8.1f} {max(values):8.1f}")


def report(targets: list[Target]) -> bool:
    print()
    print(f"{'target':44} {'unit':6} {'ours: min   median      max':>27}   "
          f"{'baseline: min  median      max':>30}  {'ratio':>6} {'limit':>7}  result")
    ok = True
    for t in targets:
        sign = ">=" if t.at_least else "<="
        limit = f"{sign}{t.limit:<5}" if t.absolute is None else f"<={t.absolute:g}{t.unit}"
        verdict = "PASS" if t.passed else "FAIL"
        ok &= t.passed
        print(f"{t.name:44} {t.unit:6} {spread(t.ours)}   {spread(t.base)} "
              f"({t.base_name})  {t.ratio:6.2f} {limit:>7}  {verdict}")
    return ok


def timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


# -- one leaflet, warm --------------------------------------------------------------------

def leaflet_jobs(engine: Engine) -> list[Job]:
    """Every shipped handout's leaflet in English and Japanese (the bare script sets text
    left to right only), A4 for the Tokyo clinic."""
    jobs = []
    for hid, entry in sorted(engine.project.handouts.items()):
        if entry.handout is None:
            continue
        jobs += [Job(hid, lang, "hinode-tokyo", "leaflet", "a4")
                 for lang in ("en", "ja") if lang in entry.handout.languages]
    return jobs


def warm_leaflet(engine: Engine, rounds: int) -> tuple[Target, Target]:
    """Milliseconds per leaflet with everything loaded, the text new to the process."""
    jobs = leaflet_jobs(engine)
    contents = [leaflet_content(engine, job) for job in jobs]
    for job, content in zip(jobs, contents, strict=True):  # fonts, images, themes
        render_job(engine, job)
        baseline_reportlab.render(content)
    ours, base, sizes_ours, sizes_base = [], [], [], []
    for _ in range(rounds):
        total = 0.0
        for job in jobs:
            forget_texts()
            total += timed(lambda job=job: render_job(engine, job))
        ours.append(total / len(jobs) * 1000)
        base.append(timed(lambda: [baseline_reportlab.render(c) for c in contents])
                    / len(jobs) * 1000)
    for job, content in zip(jobs, contents, strict=True):
        sizes_ours.append(len(render_job(engine, job).pdf) / 1024)
        sizes_base.append(len(baseline_reportlab.render(content)) / 1024)
    return (Target(f"leaflet, warm ({len(jobs)} leaflets, en+ja)", "ms", ours, base,
                   "reportlab", 1.2),
            Target("PDF size, same content", "KB", sizes_ours, sizes_base, "reportlab", 1.1))


# -- batches: documents per second against Typst ------------------------------------------

_TYPST: dict[str, TypstLeaflet] = {}


def _typst_start(warm: dict[str, Any]) -> None:
    _TYPST["leaflet"] = TypstLeaflet(warm=warm)


def _typst_write(task: tuple[dict[str, Any], str]) -> int:
    content, path = task
    pdf = _TYPST["leaflet"].render(content)
    Path(path).write_bytes(pdf)
    return len(pdf)


def _ready(_: int) -> bool:
    return True


def typst_rate(contents: list[dict[str, Any]], warm: dict[str, Any], workers: int,
               out: Path) -> float:
    """Documents per second: Typst compilers started and warmed first, then the batch
    compiled and written by `workers` processes."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    tasks = [(c, str(out / f"{n}.pdf")) for n, c in enumerate(contents)]
    with ProcessPoolExecutor(workers, initializer=_typst_start, initargs=(warm,),
                             mp_context=start_context()) as pool:
        list(pool.map(_ready, range(workers * 4)))  # every worker started
        seconds = timed(lambda: list(pool.map(_typst_write, tasks, chunksize=4)))
    return len(tasks) / seconds


def builder_rate(engine: Engine, jobs: list[Job], workers: int, out: Path,
                 warm_up: Callable[[], Any]) -> float:
    """Documents per second: the builder's own batch run (workers forked from a process
    warmed on another document, as Typst's compilers are; files written atomically), its
    texts new to the process."""
    shutil.rmtree(out, ignore_errors=True)
    warm_up()
    forget_texts()
    results: list[Any] = []
    seconds = timed(lambda: results.extend(run(engine, jobs, out, workers=workers)))
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(f"{len(failed)} documents failed: {failed[0].problems[0]}")
    return len(jobs) / seconds


def batch_targets(name: str, engine: Engine, jobs: list[Job], warm: Warm, rounds: int,
                  workers: int, scratch: Path) -> Target:
    contents = [leaflet_content(engine, job) for job in jobs]
    ours, base = [], []
    for _ in range(rounds):
        ours.append(builder_rate(engine, jobs, workers, scratch / "ours", warm.builder))
        base.append(typst_rate(contents, warm.content, workers, scratch / "typst"))
    return Target(f"{name} ({len(jobs)} docs, -j {workers})", "doc/s", ours, base, "typst",
                  1.0, at_least=True)


_COPY: dict[str, Any] = {}


def _copy_write(task: tuple[Job, Patient, str]) -> int:
    job, patient, path = task
    pdf = render_job(_COPY["engine"], job, patient).pdf
    Path(path).write_bytes(pdf)
    return len(pdf)


def _copy_start() -> None:
    if "engine" not in _COPY:  # (started, not forked)
        _COPY["engine"] = load_engine()


def patients(count: int) -> list[Patient]:
    given = ["Sam", "Alex", "Yuki", "Hana", "Maria", "Kenji", "Aiko", "Jordan", "Priya"]
    family = ["Lee", "Tanaka", "Garcia", "Smith", "Sato", "Nguyen", "Kim", "Okafor"]
    start = dt.date(2026, 11, 2)
    return [Patient(name=f"{given[n % len(given)]} {family[n // 7 % len(family)]}-{n}",
                    practitioner="Dr Aoki", date=start + dt.timedelta(days=n % 40),
                    next_appointment=dt.datetime(2026, 12, 1 + n % 28, 9 + n % 8, 30))
            for n in range(count)]


def copies_target(engine: Engine, count: int, rounds: int, workers: int,
                  scratch: Path) -> Target:
    """1,000 personalized copies of one handout: different names, dates and appointments."""
    job = Job("knee-osteoarthritis", "en", "riverbend-physio", "leaflet", "letter")
    people = patients(count)
    contents = [leaflet_content(engine, job, p) for p in people]
    warm = Warm(engine, Job("acupuncture-session", "en", "riverbend-physio", "leaflet",
                            "letter"))
    ours, base = [], []
    for _ in range(rounds):
        out = scratch / "copies"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        warm.builder()
        forget_texts()
        _COPY["engine"] = engine  # forked workers start with it
        tasks = [(job, p, str(out / f"{n}.pdf")) for n, p in enumerate(people)]
        with ProcessPoolExecutor(workers, initializer=_copy_start,
                                 mp_context=start_context()) as pool:
            started = time.perf_counter()
            list(pool.map(_copy_write, tasks, chunksize=8))
            ours.append(len(tasks) / (time.perf_counter() - started))
        base.append(typst_rate(contents, warm.content, workers, scratch / "typst"))
    return Target(f"personalized copies ({count}, -j {workers})", "doc/s", ours, base,
                  "typst", 1.0, at_least=True)


# -- whole commands ------------------------------------------------------------------------

def command_seconds(args: list[str], rounds: int, cwd: Path = ROOT) -> list[float]:
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        out.append(time.perf_counter() - started)
    return out


def handout_command() -> list[str]:
    """The installed `handout` script of this Python (not a version manager's wrapper)."""
    beside = Path(sys.executable).with_name("handout")
    found = str(beside) if beside.is_file() else shutil.which("handout")
    return [found] if found else [sys.executable, "-m", "builder"]


def paired_seconds(ours: list[str], base: list[str], rounds: int) -> tuple[list[float],
                                                                          list[float]]:
    """Both commands timed in turn, round after round, so that a busy moment of the machine
    falls on both alike."""
    mine, theirs = [], []
    for _ in range(rounds):
        mine += command_seconds(ours, 1)
        theirs += command_seconds(base, 1)
    return mine, theirs


def compile_builder() -> None:
    """Compile the builder's modules to bytecode, as pip does when it installs a package:
    an editable install under PYTHONDONTWRITEBYTECODE (this sandbox sets it) would otherwise
    compile them from source at every start, while the libraries and the bare script's
    reportlab start from their compiled files."""
    for package in ("builder", "layouts"):
        compileall.compile_dir(ROOT / package, quiet=1)


def startup_targets(rounds: int, scratch: Path, engine: Engine) -> list[Target]:
    handout = handout_command()
    help_s, click_s = paired_seconds([*handout, "--help"],
                                     [sys.executable, "-c", "import click"], rounds * 3)
    job = Job("knee-osteoarthritis", "en", "hinode-tokyo", "leaflet", "a4")
    content = scratch / "content.json"
    content.write_text(json.dumps(leaflet_content(engine, job), ensure_ascii=False))
    cold_ours, cold_base = paired_seconds(
        [*handout, "build", job.handout, "-l", job.lang, "-b", job.brand, "--layout",
         job.layout, "--force", "-o", str(scratch / "cold")],
        [sys.executable, str(HERE / "baseline_reportlab.py"), str(content),
         str(scratch / "cold-bare.pdf")], rounds * 2)
    return [Target("handout --help", "s", help_s, click_s, "import click", 1.5),
            Target("cold `handout build <id>`, one leaflet", "s", cold_ours, cold_base,
                   "reportlab", 2.0)]


def rebuild_target(rounds: int, workers: int, scratch: Path) -> Target:
    """A no-op rebuild of the whole shipped library against a full build."""
    out = scratch / "library"
    build = [*handout_command(), "build", "-j", str(workers), "-o", str(out)]
    full, noop = [], []
    for _ in range(rounds):
        full += command_seconds([*build, "--force"], 1)
        noop += command_seconds(build, 1)
    return Target("no-op rebuild of the library", "s", noop, full, "full build", 0.05)


def memory_targets(workers: int, scratch: Path, synthetic: Path) -> list[Target]:
    """Peak resident memory of any process of a build (a forked worker counts what it shares
    with its parent): the shipped library, and the synthetic batch."""
    peaks = []
    for args in (["-o", str(scratch / "mem-library")],
                 ["--root", str(synthetic), "--layout", "leaflet", "-o",
                  str(scratch / "mem-synthetic")]):
        script = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], "
                  "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
                  "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        done = subprocess.run([sys.executable, "-c", script, *handout_command(), "build",
                               "--force", "-j", str(workers), *args],
                              capture_output=True, text=True, check=True)
        peaks.append(int(done.stdout.strip()) / 1024)
    bare = subprocess.run(
        [sys.executable, "-c", "import resource, subprocess, sys; subprocess.run(sys.argv[1:]);"
         " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)", sys.executable,
         str(HERE / "baseline_reportlab.py"), str(scratch / "content.json"),
         str(scratch / "mem-bare.pdf")], capture_output=True, text=True, check=True)
    bare_mb = int(bare.stdout.strip()) / 1024
    return [Target("peak memory per process, library build", "MB", peaks[:1], [bare_mb],
                   "reportlab", 0, absolute=150),
            Target("peak memory per process, synthetic batch", "MB", peaks[1:], [bare_mb],
                   "reportlab", 0, absolute=150)]


def describe_machine() -> None:
    import reportlab
    import typst

    cpus = os.cpu_count()
    print(f"{platform.platform()}, {cpus} CPUs, Python {platform.python_version()}, "
          f"reportlab {reportlab.Version}, typst-py {typst.__version__}")
    print(f"load average before: {os.getloadavg()[0]:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--synthetic", type=int, default=1000,
                        help="leaflets in the synthetic batch (a multiple of 20)")
    parser.add_argument("--copies", type=int, default=1000)
    parser.add_argument("--quick", action="store_true",
                        help="3 rounds, 200 synthetic leaflets and 200 copies")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.synthetic, args.copies = 3, 200, 200
    describe_machine()
    compile_builder()
    scratch = Path(tempfile.mkdtemp(prefix="handout-bench-"))
    try:
        engine = load_engine()
        targets = list(warm_leaflet(engine, args.rounds))
        print("leaflet, warm: done", flush=True)
        shipped = plan(engine, layouts=("leaflet",))
        warm = Warm(engine, Job("acupuncture-session", "es", "riverbend-physio", "leaflet",
                                "letter"))
        targets.append(batch_targets("batch: shipped leaflets", engine, shipped, warm,
                                     args.rounds, args.workers, scratch))
        print("batch, shipped: done", flush=True)
        synthetic_root = make_project(scratch / "synthetic", args.synthetic // 20, 10)
        synthetic = load_engine(synthetic_root)
        clinics = tuple(b for b in synthetic.project.brands if b.startswith("clinic-"))
        synthetic_jobs = plan(synthetic, brands=clinics, layouts=("leaflet",))
        targets.append(batch_targets("batch: synthetic leaflets", synthetic, synthetic_jobs,
                                     warm, max(1, args.rounds // 2), args.workers, scratch))
        print("batch, synthetic: done", flush=True)
        targets.append(copies_target(engine, args.copies, max(1, args.rounds // 2),
                                     args.workers, scratch))
        print("copies: done", flush=True)
        targets.append(rebuild_target(args.rounds, args.workers, scratch))
        targets += startup_targets(args.rounds, scratch, engine)
        targets += memory_targets(args.workers, scratch, synthetic_root)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    ok = report(targets)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
