"""A patient's details for a personalized copy: patient.yaml, command-line options, or both.

Everything here is health data. Messages name the file, the field and what is wrong, but
never quote a name or a note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import fields as F
from .errors import Problem, did_you_mean, one_of
from .model import Patient, Section, Translation
from .schema import INVALID, Checker
from .source import Source, load

# Option name for each patient.yaml field, so that an error names what the user typed.
OPTIONS = {
    "patient": "--patient-name",
    "practitioner": "--practitioner",
    "date": "--date",
    "next_appointment": "--next-appointment",
    "aftercare": "--aftercare",
    "notes": "--note",
}
# Fields whose values a message may quote: dates and item ids, never names or notes.
_QUOTABLE = {"date", "next_appointment", "aftercare"}


@dataclass(frozen=True)
class PatientInput:
    """A checked patient, with the file it came from (for locating later problems)."""

    patient: Patient
    source: Source | None = None
    from_options: frozenset[str] = frozenset()  # fields given as options


def _to_patient(data: dict[str, Any]) -> Patient:
    aftercare = data.get("aftercare")
    return Patient(name=data.get("patient"), practitioner=data.get("practitioner"),
                   date=data.get("date"), next_appointment=data.get("next_appointment"),
                   aftercare=tuple(aftercare) if aftercare is not None else None,
                   notes=data.get("notes"))


def _private(problem: Problem) -> Problem:
    """The problem with any quoted value of a name or note taken out of its message."""
    field = problem.path.split(".")[0].split("[")[0]
    if field in _QUOTABLE or "'" not in problem.message:
        return problem
    return problem._replace(message="is not valid here; check the value (not shown, "
                                    "as it may identify the patient)")


def load_patient_file(path: Path) -> tuple[PatientInput | None, list[Problem]]:
    """Read and check a patient.yaml; problems are located to its lines."""
    source, problems = load(path)
    if source is None or problems:
        return None, [_private(p) for p in problems]
    checker = Checker(source, path.parent)
    data = checker.check(source.data, F.PATIENT)
    if checker.problems or data is INVALID:
        return None, [_private(p) for p in checker.problems]
    return PatientInput(_to_patient(data), source), []


def patient_from_options(options: dict[str, str | None],
                         base: PatientInput | None = None) -> tuple[PatientInput, list[str]]:
    """Options given on the command line, over the values of a patient file (if any).

    Returns the merged input and messages for the options that are wrong.
    """
    given = {key: value for key, value in options.items() if value is not None}
    messages: list[str] = []
    data: dict[str, Any] = {}
    for key, value in given.items():
        raw: Any = value
        if key == "aftercare":
            raw = [part.strip() for part in value.split(",") if part.strip()] or value
        probe = Source(Path(OPTIONS[key]), {key: raw})
        checker = Checker(probe)
        checked = checker.check({key: raw}, F.Field("map", fields={key: F.PATIENT.fields[key]}))
        for problem in checker.problems:
            problem = _private(problem)
            where = problem.path.removeprefix(key).lstrip(".")
            messages.append(f"{OPTIONS[key]}: {where + ': ' if where else ''}{problem.message}")
        if not checker.problems and checked is not INVALID:
            data[key] = checked[key]
    patient = base.patient if base else Patient()
    fields = {"patient": "name"}
    merged = replace(patient, **{fields.get(k, k): (tuple(v) if k == "aftercare" else v)
                                 for k, v in data.items()})
    return PatientInput(merged, base.source if base else None, frozenset(data)), messages


def with_defaults(given: PatientInput, today: dt.date) -> PatientInput:
    """The date a copy was prepared is today unless it was given."""
    if given.patient.date is not None:
        return given
    return replace(given, patient=replace(given.patient, date=today))


def aftercare_problems(given: PatientInput, handout_id: str,
                       translation: Translation) -> tuple[list[Problem], list[str]]:
    """Chosen aftercare ids that the handout does not have, with the ids it does have:
    problems located in the patient file, and messages for the --aftercare option."""
    chosen = given.patient.aftercare
    if chosen is None:
        return [], []
    sections = [s for s in translation.sections if s.type == "aftercare"]
    valid = [item.id for s in sections for item in s.items if item.id]
    problems: list[Problem] = []
    messages: list[str] = []
    seen: set[str] = set()
    for i, item_id in enumerate(chosen):
        if item_id in seen:
            message = f"'{item_id}' is listed twice"
        elif not sections:
            message = (f"{handout_id} has no aftercare section, so there are no items to "
                       "choose; leave out aftercare")
        elif item_id not in valid:
            hint = did_you_mean(item_id, valid)
            message = (f"'{item_id}' is not an aftercare item of {handout_id}.{hint} "
                       f"Its items: {one_of(valid)}")
        else:
            seen.add(item_id)
            continue
        seen.add(item_id)
        if "aftercare" in given.from_options or given.source is None:
            messages.append(f"--aftercare: {message}")
        else:
            problems.append(given.source.problem(("aftercare", i), message))
    return problems, messages


def chosen_sections(sections: tuple[Section, ...], patient: Patient | None
                    ) -> tuple[Section, ...]:
    """The sections with only the chosen aftercare items; every other section stays whole."""
    if patient is None or patient.aftercare is None:
        return sections
    keep = set(patient.aftercare)
    out = []
    for section in sections:
        if section.type == "aftercare":
            items = tuple(item for item in section.items if item.id in keep)
            if not items:
                continue
            section = replace(section, items=items)
        out.append(section)
    return tuple(out)
