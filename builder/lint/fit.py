"""Every document rendered in memory: does it fit its layout, and is its type large enough?"""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..errors import BuildError, Problem
from ..pool import resilient_map

if TYPE_CHECKING:
    from ..batch import Engine, Job

BODY_MIN = 11.0  # points: the smallest body text of any layout (SPEC, "What every PDF must be")


def font_sizes(pdf: bytes) -> Counter[float]:
    """How many characters the PDF sets at each font size (0.1 pt steps), as PDFium reads it."""
    import pypdfium2
    import pypdfium2.raw as raw

    sizes: Counter[float] = Counter()
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            text = page.get_textpage()
            for i in range(text.count_chars()):
                code = raw.FPDFText_GetUnicode(text.raw, i)
                if code and not chr(code).isspace():
                    sizes[round(raw.FPDFText_GetFontSize(text.raw, i), 1)] += 1
    finally:
        document.close()
    return sizes


def size_problems(engine: Engine, job: Job, pdf: bytes) -> list[Problem]:
    """Body text below 11 pt (fit: shrink went below it), or any text below a layout's
    minimum (large print: 16 pt)."""
    from ..batch import SHRINK_STEP
    from ..layout_spec import layout_spec

    spec = layout_spec(engine.layouts[job.layout])
    sizes = font_sizes(pdf)
    if not sizes:
        return []
    file = str(engine.project.handouts[job.handout].folder / f"{job.languages[0]}.yaml")
    where = f"the {job.layout} layout ({job.paper})"
    smallest = min(sizes)
    if spec.theme.min_size and smallest < spec.theme.min_size - 0.05:
        return [Problem(file, message=f"{sizes[smallest]} characters are {smallest:g} pt in "
                        f"{where}; this layout promises at least {spec.theme.min_size:g} pt")]
    # The body size is one of the sizes `fit: shrink` may choose: the one most text is set in
    # (counting only those, as footers and fine print may outnumber a short body).
    ladder = [round(spec.body_size - n * SHRINK_STEP, 1)
              for n in range(int((spec.body_size - spec.body_floor) / SHRINK_STEP + 1e-9) + 1)]
    body = max(ladder, key=lambda s: (sizes[s], s))
    if sizes[body] and body < BODY_MIN - 0.05:
        return [Problem(file, message=f"body text is {body:g} pt in {where} to make it fit "
                        f"(fit: shrink); {BODY_MIN:g} pt is the smallest comfortable size: "
                        "shorten the text", severity="warning")]
    return []


def check_job(engine: Engine, job: Job, debug: bool = False) -> list[Problem]:
    """Render one document without writing it; its fit and type-size problems."""
    from ..batch import render_job

    try:
        rendered = render_job(engine, job)
    except BuildError as exc:
        return exc.problems
    except Exception as exc:  # one broken document must not stop the check
        detail = traceback.format_exc() if debug else f"{type(exc).__name__}: {exc}"
        return [Problem(job.name, message=f"internal error while rendering: {detail}")]
    return size_problems(engine, job, rendered.pdf)


def _check(task: tuple[Job, bool]) -> list[Problem]:
    from ..batch import worker_engine

    job, debug = task
    engine, why = worker_engine()
    if engine is None:
        return [Problem(job.name, message=f"the project could not be loaded again to check it: "
                                          f"{why}")]
    return check_job(engine, job, debug)


def _lost(task: tuple[Job, bool], error: BaseException) -> list[Problem]:
    """The problems of a job whose process died even when run alone."""
    return [Problem(task[0].name, message="the check process stopped unexpectedly (killed, or "
                    f"out of memory?) ({type(error).__name__})")]


def check_jobs(engine: Engine, jobs: list[Job], workers: int = 1,
               debug: bool = False) -> Iterator[list[Problem]]:
    """The problems of each job, in plan order; several processes when `workers` > 1, forked
    warm from this one, where a process that dies costs only the document it was checking."""
    if workers <= 1 or len(jobs) < 4:
        for job in jobs:
            yield check_job(engine, job, debug)
        return
    from ..batch import init_worker, share_with_workers

    share_with_workers(engine)
    yield from resilient_map(_check, [(job, debug) for job in jobs], workers=workers,
                             initializer=init_worker, initargs=(str(engine.root),), lost=_lost)
