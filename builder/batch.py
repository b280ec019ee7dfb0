"""A batch: plan the documents (handout x language x brand x layout x paper), build each alone."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from reportlab.lib.units import mm

from .errors import BuildError, FitError, Problem
from .fonts import FontLibrary, load_library
from .layout_spec import layout_spec
from .model import Patient
from .output import remove_stale_temps, write_atomic
from .pool import resilient_map
from .project import BUILTIN_ROOT, Project, load_project
from .render import Rendered, make_context, render
from .resolve import resolve
from .reviews import review_dates, review_problems


class UsageError(Exception):
    """The request itself is wrong (unknown id, brand, layout …): exit code 2."""


@dataclass(frozen=True)
class Job:
    handout: str
    lang: str  # a language, or two joined by '+' for a bilingual layout ("ja+en")
    brand: str
    layout: str
    paper: str
    print_ready: bool = False
    fold_guides: bool = False
    fillable: bool = False

    @property
    def stem(self) -> str:
        return f"{self.handout}-{self.layout}-{self.paper}" + \
            ("-fillable" if self.fillable else "") + ("-print" if self.print_ready else "")

    @property
    def name(self) -> str:
        return f"{self.brand}/{self.lang}/{self.stem}"

    def output(self, out_dir: Path, suffix: str = "") -> Path:
        return out_dir / self.brand / self.lang / f"{self.stem}{'-' + suffix if suffix else ''}.pdf"

    @property
    def languages(self) -> list[str]:
        return self.lang.split("+")


@dataclass
class Result:
    job: Job
    path: Path | None = None
    pages: int = 0
    size: int = 0
    millis: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    extras: list[Path] = field(default_factory=list)  # other files written beside `path`

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


@dataclass
class Engine:
    """A loaded project with its fonts and layouts: what every command works from."""

    root: Path
    fonts: FontLibrary
    layouts: dict[str, ModuleType]
    project: Project


def load_engine(root: Path | None = None) -> Engine:
    from layouts import LayoutProblem, builtin_layouts, project_layouts

    root = (root or BUILTIN_ROOT).resolve()
    fonts = load_library(BUILTIN_ROOT / "assets" / "fonts")
    try:
        layouts = builtin_layouts()
        if root != BUILTIN_ROOT:
            layouts.update(project_layouts(root))
    except LayoutProblem as exc:
        raise UsageError(str(exc)) from exc
    project = load_project(root, fonts, sorted(layouts))
    return Engine(root, fonts, layouts, project)


def _pick(requested: tuple[str, ...], known: list[str], what: str) -> list[str]:
    from .errors import did_you_mean, one_of

    for name in requested:
        if name not in known:
            hint = did_you_mean(name, known) or (f" Known: {one_of(known)}." if known else "")
            raise UsageError(f"'{name}' is not a {what}.{hint}")
    return list(requested) if requested else known


def _check_pairs(langs: tuple[str, ...], known: list[str]) -> None:
    """'-l ja+en' names two different languages of the handouts."""
    for lang in langs:
        parts = lang.split("+")
        if len(parts) > 2 or len(set(parts)) != len(parts) or not all(parts):
            raise UsageError(f"'{lang}': a bilingual document takes two different languages "
                             f"joined by '+', e.g. ja+en")
        _pick(tuple(parts), known, "language of these handouts")


def plan(engine: Engine, ids: tuple[str, ...] = (), langs: tuple[str, ...] = (),
         brands: tuple[str, ...] = (), layouts: tuple[str, ...] = (),
         papers: tuple[str, ...] = (), *, print_ready: bool = False,
         fold_guides: bool = False, fillable: bool = False) -> list[Job]:
    """Every document to build, in a stable order. Handouts with problems are still planned:
    their jobs fail alone with the handout's problems.

    A bilingual layout takes language pairs ('ja+en'); without one it pairs each language
    of a brand with the handout's source language.
    """
    project = engine.project
    handout_ids = _pick(ids, sorted(project.handouts), "handout")
    brand_ids = _pick(brands, sorted(set(project.brands) | set(project.brand_problems)), "brand")
    _pick(layouts, sorted(engine.layouts), "layout")
    if all(project.handouts[hid].handout for hid in handout_ids):
        # (A handout that failed to load has no known languages: its jobs report why.)
        _check_pairs(langs, sorted({lang for hid in handout_ids
                                    if (h := project.handouts[hid].handout)
                                    for lang in h.languages}))
    if fillable:
        cannot = [n for n in layouts if not layout_spec(engine.layouts[n]).fillable]
        if cannot:
            can = [n for n in sorted(engine.layouts) if layout_spec(engine.layouts[n]).fillable]
            raise UsageError(f"the {cannot[0]} layout has no fillable variant (its pages are "
                             f"folded or imposed, and form fields would not move with them); "
                             f"--fillable works with {', '.join(can)}")
    pairs_asked = [lang for lang in langs if "+" in lang]
    singles_asked = [lang for lang in langs if "+" not in lang]
    if pairs_asked and layouts and not any(_languages(engine, n) == 2 for n in layouts):
        raise UsageError(f"'{pairs_asked[0]}' pairs two languages; only a bilingual layout "
                         f"takes a pair (--layout bilingual)")
    jobs: list[Job] = []
    for hid in handout_ids:
        entry = project.handouts[hid]
        handout = entry.handout
        languages = list(handout.languages) if handout else singles_asked or ["?"]
        chosen_layouts = list(layouts) or list(handout.layouts if handout and handout.layouts
                                               else ("leaflet",))
        if pairs_asked and not layouts:  # a pair asks for the bilingual layout
            two = [n for n in engine.layouts if _languages(engine, n) == 2]
            chosen_layouts = (chosen_layouts if singles_asked else []) + \
                [n for n in two if n not in chosen_layouts]
        for brand_id in brand_ids:
            brand = project.brands.get(brand_id)
            brand_papers = list(papers) or [brand.paper if brand else "a4"]
            # A brand gets the languages it hands out (all when it names none), unless both
            # the language and the brand were asked for by name.
            explicit = bool(langs) and bool(brands)
            handed_out = languages if explicit or not brand or not brand.languages else \
                [lang for lang in languages if lang in brand.languages]
            singles = [lang for lang in handed_out if not langs or lang in singles_asked]
            pairs = [p for p in pairs_asked if all(part in languages for part in p.split("+"))
                     and (explicit or all(part in handed_out for part in p.split("+")))]
            if not pairs and not pairs_asked and handout is not None:
                source = handout.source_language
                pairs = [f"{lang}+{source}" for lang in singles
                         if lang != source and source in handed_out]
                if source in singles_asked:  # `-l en`: English beside each other language
                    pairs += [f"{source}+{lang}" for lang in handed_out if lang != source]
            for layout in chosen_layouts:
                two = _languages(engine, layout) == 2
                for lang in (pairs if two else singles):
                    for paper in brand_papers:
                        jobs.append(Job(hid, lang, brand_id, layout, paper, print_ready,
                                        fold_guides, fillable))
    return sorted(jobs, key=lambda j: (j.handout, j.brand, j.lang.split("+")[0], j.lang,
                                       j.layout, j.paper))


def _languages(engine: Engine, layout: str) -> int:
    # (A handout may list a layout that does not exist: its jobs fail with that problem.)
    return layout_spec(engine.layouts.get(layout)).languages


def review_warnings(engine: Engine, today: dt.date, overdue: str = "warning",
                    ids: Iterable[str] | None = None) -> list[Problem]:
    """Problems for handouts (those in `ids`, when given) whose review is overdue (`overdue`
    severity) or due soon."""
    return [problem for dates in review_dates(engine.project, ids)
            for problem in review_problems(dates, today, overdue)]


def build_one(engine: Engine, job: Job, out_dir: Path | None, *, debug: bool = False) -> Result:
    """Build one document; write it atomically when `out_dir` is given. Never raises."""
    result = Result(job)
    started = time.perf_counter()
    try:
        _check_still_there(engine, job)
        rendered = render_job(engine, job)
        result.pages = rendered.pages
        result.size = len(rendered.pdf)
        if out_dir is not None:
            path = job.output(out_dir)
            # (Not flushed one by one: the build record notices a document a power cut
            # spoiled, and builds it again.)
            write_atomic(path, rendered.pdf, flush=False)
            result.path = path
            for suffix, pdf in rendered.extras.items():
                write_atomic(job.output(out_dir, suffix), pdf, flush=False)
                result.extras.append(job.output(out_dir, suffix))
    except BuildError as exc:
        result.problems = exc.problems
    except OSError as exc:
        target = job.output(out_dir) if out_dir else Path(job.name)
        result.problems = [Problem(str(target), message=f"cannot write: {exc.strerror or exc}")]
    except Exception as exc:  # one broken document must not stop the batch
        first_line = (str(exc).splitlines() or [""])[0][:200]
        detail = traceback.format_exc() if debug else f"{type(exc).__name__}: {first_line}"
        result.problems = [Problem(job.name, message=f"internal error while building: {detail}")]
    result.millis = (time.perf_counter() - started) * 1000
    return result


def _check_still_there(engine: Engine, job: Job) -> None:
    """BuildError when a job's handout or translation was removed since the project was
    loaded: a batch never writes a document whose source is gone."""
    entry = engine.project.handouts.get(job.handout)
    if entry is not None and entry.handout is None:
        return  # it did not load: render_job reports why
    folder = entry.folder if entry else engine.root / "handouts" / job.handout
    loaded = entry.translations if entry else {}
    for name in ("handout.yaml", *(f"{lang}.yaml" for lang in job.languages if lang in loaded)):
        if entry is None or not (folder / name).is_file():
            raise BuildError([Problem(str(folder / name), message=(
                "was removed or renamed during the build; nothing was written for "
                f"{job.name}"))])


def render_job(engine: Engine, job: Job, patient: Patient | None = None) -> Rendered:
    """The PDF bytes of one job (a patient's copy when `patient` is given), or BuildError
    with the problems that prevent it."""
    project = engine.project
    entry = project.handouts[job.handout]
    errors = [p for p in entry.problems if p.is_error]
    if errors or entry.handout is None:
        raise BuildError(errors or [Problem(str(entry.folder), message="handout not loaded")])
    handout = entry.handout
    brand = project.brands.get(job.brand)
    if brand is None:
        brand_errors = [p for p in project.brand_problems.get(job.brand, []) if p.is_error]
        raise BuildError(brand_errors or [Problem(job.brand, message="brand not loaded")])
    layout = engine.layouts[job.layout]
    spec = layout_spec(layout)
    if len(job.languages) != spec.languages:
        want = "two languages joined by '+' (e.g. -l ja+en)" if spec.languages == 2 else \
            "one language"
        raise BuildError([Problem(str(handout.file), message=(
            f"the {job.layout} layout takes {want}, not '{job.lang}'"))])
    docs = []
    for lang in job.languages:
        translation = entry.translations.get(lang)
        if translation is None:
            raise BuildError([Problem(str(entry.folder / f"{lang}.yaml"),
                                      message="translation not loaded")])
        docs.append(resolve(handout, translation, brand, job.paper, patient))
    options: dict[str, object] = {"fold_guides": job.fold_guides, "fillable": job.fillable}
    if job.print_ready:
        options.update(print_ready=True, bleed=BLEED)
    sizes = [spec.body_size]
    if handout.fit == "shrink":
        size = spec.body_size
        while size - SHRINK_STEP >= spec.body_floor - 1e-9:
            size -= SHRINK_STEP
            sizes.append(round(size, 2))
    last: FitError | None = None
    for size in sizes:
        ctx = make_context(docs[0], engine.fonts, size, layout, options,
                           pair=docs[1] if len(docs) > 1 else None)
        try:
            return render(ctx, layout)
        except FitError as exc:  # the text does not fit at this size; try the next one
            last = exc
    assert last is not None  # (the overflow is reported at the smallest size tried)
    raise BuildError([_fit_hint(p, handout.fit, spec.body_size, sizes[-1], spec.body_floor)
                      for p in last.problems])


BLEED = 3 * mm
SHRINK_STEP = 0.5


def _fit_hint(problem: Problem, fit: str, size: float, smallest: float,
              floor: float) -> Problem:
    """Say what was tried, or what may be allowed, after a message that the text does not fit."""
    if fit == "shrink" and smallest < size:
        note = f", even with the body text at {smallest:g} pt; shorten the text"
    elif fit != "shrink" and floor < size:
        note = "; shorten the text, or allow `fit: shrink` in handout.yaml"
    else:
        note = "; shorten the text"
    return problem._replace(message=problem.message + note)


# -- running many ------------------------------------------------------------------------

_WORKER: dict[str, Engine] = {}
_WORKER_ERROR: list[str] = []


def share_with_workers(engine: Engine) -> None:
    """The engine processes forked from now on start with (warm fonts and project)."""
    _WORKER["engine"] = engine


def worker_engine() -> tuple[Engine | None, str]:
    """The engine this worker process has, or None and why it could not load one."""
    return _WORKER.get("engine"), (_WORKER_ERROR[-1] if _WORKER_ERROR else "unknown error")


def init_worker(root: str) -> None:
    """A pool's initializer: keep the engine inherited by forking, else load the project."""
    inherited = _WORKER.get("engine")
    if inherited is not None and str(inherited.root) == root:
        return  # forked from the process that loaded it: fonts and project are warm
    try:
        _WORKER["engine"] = load_engine(Path(root))
    except Exception as exc:  # reported with each of this worker's jobs, not as a crash
        _WORKER_ERROR.append(f"{type(exc).__name__}: {exc}")


def _worker_build(task: tuple[Job, str | None, bool]) -> Result:
    job, out_dir, debug = task
    engine, why = worker_engine()
    if engine is None:
        return Result(job, problems=[Problem(job.name, message=(
            f"the project could not be loaded again to build it: {why}"))])
    return build_one(engine, job, Path(out_dir) if out_dir else None, debug=debug)


def _worker_lost(task: tuple[Job, str | None, bool], error: BaseException) -> Result:
    """The result of a job whose process died (killed, out of memory) even when run alone."""
    job, out_dir, _ = task
    where = job.output(Path(out_dir)) if out_dir else Path(job.name)
    if out_dir:
        remove_stale_temps(where)
    return Result(job, problems=[Problem(str(where), message=(
        "the process building it stopped unexpectedly (killed, or out of memory?); nothing "
        f"was written ({type(error).__name__})"))])


def run(engine: Engine, jobs: list[Job], out_dir: Path | None, *, workers: int = 1,
        debug: bool = False, on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Build every job; results come back in plan order. Output never depends on `workers`."""
    results: list[Result] = []
    with _few_collections():
        for result in _iter_results(engine, jobs, out_dir, workers, debug):
            if on_result:
                on_result(result)
            results.append(result)
    return results


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """A batch makes many short-lived objects and keeps what it loaded (fonts, the project)
    throughout: the loaded objects are frozen, so collections never walk them again (and
    forked workers share their pages instead of copying them), and the youngest objects are
    collected less often (5-10 % of a document's time otherwise)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _iter_results(engine: Engine, jobs: list[Job], out_dir: Path | None, workers: int,
                  debug: bool) -> Iterator[Result]:
    if workers <= 1 or len(jobs) < 4:
        for job in jobs:
            yield build_one(engine, job, out_dir, debug=debug)
        return
    out = str(out_dir) if out_dir else None
    share_with_workers(engine)
    yield from resilient_map(_worker_build, [(job, out, debug) for job in jobs], workers=workers,
                             initializer=init_worker, initargs=(str(engine.root),),
                             lost=_worker_lost)


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))
