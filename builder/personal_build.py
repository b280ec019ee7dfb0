"""One patient's copy: which document it is, its checks, and its bytes (protected or not).

A copy is one document, built in memory and written only where the user says. Nothing about
the patient goes into a message: a failure names the file and field, never the value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .batch import Engine, Job, UsageError, plan, render_job
from .errors import BuildError, Problem
from .patient import (
    PatientInput,
    aftercare_problems,
    load_patient_file,
    patient_from_options,
    with_defaults,
)


@dataclass(frozen=True)
class Request:
    """What was asked for on the command line: at most one of each."""

    handout: str
    lang: str | None = None
    brand: str | None = None
    layout: str | None = None
    paper: str | None = None
    fillable: bool = False


def _one(values: tuple[str, ...], option: str) -> str | None:
    if len(values) > 1:
        raise UsageError(f"a patient's copy is one document: give one {option}, not "
                         f"{len(values)}")
    return values[0] if values else None


def request(ids: tuple[str, ...], langs: tuple[str, ...], brands: tuple[str, ...],
            layouts: tuple[str, ...], papers: tuple[str, ...], fillable: bool) -> Request:
    """The single document a command names, or a UsageError saying what to narrow down."""
    if len(ids) != 1:
        raise UsageError("a patient's copy is one handout: name exactly one handout id")
    return Request(ids[0], _one(langs, "-l"), _one(brands, "-b"), _one(layouts, "--layout"),
                   _one(papers, "--paper"), fillable)


def job_for(engine: Engine, req: Request) -> Job:
    """The one job a request means, with defaults filled in where the choice is clear."""
    project = engine.project
    entry = project.handouts.get(req.handout)
    handout = entry.handout if entry else None
    brand_id = req.brand
    if brand_id is None:
        known = sorted(set(project.brands) | set(project.brand_problems))
        if len(known) != 1:
            raise UsageError(f"choose the clinic with -b ({', '.join(known)})")
        brand_id = known[0]
    brand = project.brands.get(brand_id)
    lang = req.lang
    if lang is None and handout is not None:
        offered = [x for x in handout.languages
                   if brand is None or not brand.languages or x in brand.languages]
        if len(offered) != 1:
            raise UsageError(f"choose the patient's language with -l "
                             f"({', '.join(offered or handout.languages)})")
        lang = offered[0]
    layout = req.layout
    if layout is None:
        own = list(handout.layouts) if handout and handout.layouts else ["leaflet"]
        layout = "leaflet" if "leaflet" in own else own[0]
    jobs = plan(engine, (req.handout,), (lang,) if lang else (), (brand_id,), (layout,),
                (req.paper,) if req.paper else (), fillable=req.fillable)
    if len(jobs) != 1:
        raise UsageError(f"{req.handout} has no {layout} document in '{lang}' for {brand_id}")
    return jobs[0]


def patient_input(file: Path | None, options: dict[str, str | None]
                  ) -> tuple[PatientInput | None, list[Problem], list[str]]:
    """The patient from a file and options: (input, file problems, option messages).

    None when neither a file nor any option was given (not a patient's copy).
    """
    base = None
    if file is not None:
        base, problems = load_patient_file(file)
        if problems:
            return None, problems, []
    if base is None and not any(v is not None for v in options.values()):
        return None, [], []
    given, messages = patient_from_options(options, base)
    if given.patient.name is None and not messages:
        messages.append("--patient-name: a patient's copy needs the patient's name "
                        "(or --patient FILE with 'patient:' in it)")
    return given, [], messages


def render_copy(engine: Engine, job: Job, given: PatientInput, today: dt.date
                ) -> tuple[bytes, list[Problem], list[str]]:
    """The copy's PDF bytes, or the problems (file) and messages (options) that stop it."""
    entry = engine.project.handouts[job.handout]
    problems: list[Problem] = []
    messages: list[str] = []
    for lang in job.languages:
        translation = entry.translations.get(lang)
        if translation is not None:
            found, said = aftercare_problems(given, job.handout, translation)
            problems += found
            messages += [m for m in said if m not in messages]
    if problems or messages:
        return b"", problems, messages
    complete = with_defaults(given, today)
    try:
        rendered = render_job(engine, job, complete.patient)
    except BuildError as exc:
        return b"", exc.problems, []
    return rendered.pdf, [], []


def protect(pdf: bytes, password: str | None) -> bytes:
    if not password:
        return pdf
    from .protect import encrypt  # (pypdf's encryption: only for a protected copy)

    return encrypt(pdf, password)
