"""The `handout` command line: the only module that prints or exits."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import sys
import time
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import click

from . import __version__

if TYPE_CHECKING:
    from .batch import Engine, Job, Result
    from .build_report import Outcome
    from .errors import Problem
    from .incremental import BuildRecord
    from .manifest import Output, Plan

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Settings:
    """Options given before the command name (`handout --root DIR build`)."""

    def __init__(self) -> None:
        self.root: Path | None = None
        self.debug = False


def common_options(func: Callable[..., int | None]) -> Callable[..., None]:
    """--root and --debug on every command; usage and internal errors become exit codes."""

    @click.option("--root", type=click.Path(file_okay=False, path_type=Path),
                  help="A handout project folder (handouts/, assets/brands/, layouts/). "
                       "Default: the built-in library.")
    @click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors.")
    @click.pass_context
    @wraps(func)
    def wrapper(ctx: click.Context, root: Path | None, debug: bool, **kwargs: Any) -> None:
        settings: Settings = ctx.ensure_object(Settings)
        root = root or settings.root
        debug = debug or settings.debug
        from .errors import BuildError

        if root is not None and not (root / "handouts").is_dir():
            _fail(f"--root: '{root}' has no handouts/ folder; is it a handout project?")
        try:
            code = func(root=root, debug=debug, **kwargs)
        except BuildError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            ctx.exit(2)
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except BrokenPipeError:
            # The reader went away (`handout list | head`): stop quietly, as other tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:
            if _is_usage_error(exc):
                _fail(str(exc))
            if debug:
                import traceback

                traceback.print_exc()
            click.echo(f"handout: internal error: {type(exc).__name__}: {exc}"
                       + ("" if debug else " (run again with --debug for details)"), err=True)
            ctx.exit(2)
        ctx.exit(code or 0)

    return wrapper


def _fail(message: str) -> None:
    raise click.UsageError(message)


def _is_usage_error(exc: Exception) -> bool:
    """Whether `exc` is a batch.UsageError. (A command that never imported the engine cannot
    have raised one, and a build with nothing to do must not import it to find out.)"""
    batch = sys.modules.get(f"{__package__}.batch")
    return batch is not None and isinstance(exc, batch.UsageError)


def _print_problems(problems: Iterable[Problem], seen: set[str] | None = None) -> int:
    """Print each problem once, in file order; returns how many errors there were."""
    seen = set() if seen is None else seen
    errors = 0
    for problem in sorted(problems, key=lambda p: (p.file, p.line, p.col, p.message)):
        text = str(problem)
        if text in seen:
            continue
        seen.add(text)
        errors += problem.is_error
        click.echo(text, err=True)
    return errors


class _Commands(click.Group):
    """The command group. The authoring and patient-copy commands live in modules of their
    own, imported when one of them is named or listed: a build, the commonest command and
    often a no-op rebuild, starts without them."""

    ELSEWHERE: ClassVar[dict[str, str]] = {
        "check": "cli_authoring", "schema": "cli_authoring", "new": "cli_authoring",
        "preview": "cli_authoring", "gallery": "cli_authoring", "watch": "cli_authoring",
        "bundle": "cli_patient", "email": "cli_patient"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.ELSEWHERE})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self.ELSEWHERE.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"{__package__}.{module}")  # (it registers its commands)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="handout")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), hidden=True)
@click.option("--debug", is_flag=True, hidden=True)
@click.pass_context
def main(ctx: click.Context, root: Path | None, debug: bool) -> None:
    """Build branded, print-ready patient handouts (PDF) from YAML.

    \b
    Examples:
      handout build                          every handout, language and brand
      handout build knee-osteoarthritis -b hinode-tokyo
      handout check                          validate and lint without writing PDFs
      handout list                           handouts x languages x status
    """
    settings = ctx.ensure_object(Settings)
    settings.root, settings.debug = root, debug


# True when this process is the `handout` command itself (`run`), not click's test runner or
# another program calling `main`: only then may a command end the process early.
_OWN_PROCESS = False


def run() -> None:
    """The `handout` command: `main`, in a process of its own."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    _fill_standard_descriptors()
    main()


def _fill_standard_descriptors() -> None:
    """Open the null device on each of descriptors 0-2 that the command was started without
    (`handout build >&-`): a file or pipe opened later would otherwise take that number, and
    a message meant for the terminal, or a worker's output, would land in it."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def _end_process(code: int) -> None:
    """End the `handout` process at once with `code`, once its output is flushed.

    Python's exit tears down every module it imported, 20-30 ms that are a tenth of a
    build with nothing to do, and that frees nothing the system would not. Called only where
    nothing is left open: no file being written, no worker, no temporary file."""
    if not _OWN_PROCESS:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # (None: started with that descriptor closed)
                stream.flush()
    except (OSError, ValueError):  # (a closed pipe: the normal exit reports it as always)
        return
    os._exit(code)


def _load(root: Path | None) -> Engine:
    from .batch import load_engine

    return load_engine(root)


def patient_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options that make a patient's own copy (build and email share them)."""
    options = [
        click.option("--patient", "patient_file",
                     type=click.Path(dir_okay=False, exists=True, path_type=Path),
                     help="A patient.yaml: the patient's name, practitioner, date, next "
                          "appointment, aftercare ids to keep, and a note."),
        click.option("--patient-name", metavar="NAME", help="The patient's name."),
        click.option("--practitioner", metavar="TEXT", help="Who prepared the copy."),
        click.option("--date", "prepared", metavar="YYYY-MM-DD",
                     help="The date it was prepared. Default: today."),
        click.option("--next-appointment", metavar="YYYY-MM-DDTHH:MM",
                     help="The next appointment, e.g. 2026-11-29T10:30."),
        click.option("--aftercare", metavar="ID,ID…",
                     help="Keep only these aftercare items (ids, comma-separated); "
                          "precautions and red flags always stay."),
        click.option("--note", metavar="TEXT", help="A note from the practitioner."),
        click.option("--password-env", metavar="VAR",
                     help="Encrypt the copy (AES-256) with the password in environment "
                          "variable VAR; asked for on a terminal when VAR is not set."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command(context_settings=CONTEXT)
@click.argument("ids", nargs=-1)
@click.option("-l", "--lang", "langs", multiple=True, metavar="LANG",
              help="Only these languages (repeatable); two joined by '+' (ja+en) for the "
                   "bilingual layout. Default: every language of a handout.")
@click.option("-b", "--brand", "brands", multiple=True, metavar="BRAND",
              help="Only these brands (repeatable). Default: every brand.")
@click.option("--layout", "layouts", multiple=True, metavar="NAME",
              help="Layouts to build (repeatable). Default: the handout's own list.")
@click.option("--paper", "papers", multiple=True, type=click.Choice(["a4", "letter"]),
              help="Paper size (repeatable). Default: the brand's paper.")
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: out). For a patient's copy: the PDF file.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel processes. Default: the number of CPUs.")
@click.option("--print-ready", is_flag=True,
              help="Write the print shop's version (<id>-<layout>-<paper>-print.pdf): 3 mm "
                   "bleed, crop and fold marks, TrimBox and BleedBox, CMYK colours.")
@click.option("--fold-guides", is_flag=True,
              help="Print small fold guides at the folds of a tri-fold, for folding by hand.")
@click.option("--fillable", is_flag=True,
              help="The variant with form fields (name, next appointment, a 14-day pain "
                   "diary, aftercare tick boxes): <id>-<layout>-<paper>-fillable.pdf.")
@click.option("--force", is_flag=True,
              help="Build every document, also those that are up to date.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a JSON report of every output.")
@patient_options
@common_options
def build(root: Path | None, debug: bool, ids: tuple[str, ...], langs: tuple[str, ...],
          brands: tuple[str, ...], layouts: tuple[str, ...], papers: tuple[str, ...],
          out: Path | None, jobs: int | None, print_ready: bool, fold_guides: bool,
          fillable: bool, force: bool, report: Path | None, **personal: Any) -> int:
    """Build PDFs into OUT/<brand>/<lang>/<id>-<layout>-<paper>.pdf, or one patient's copy.

    A handout with problems fails alone: every other one is still built, and the run exits
    with 1. Files are written under a temporary name and renamed, so a failed build never
    leaves a partial PDF.

    A document is built only when it is missing, was changed by hand, or something it is
    made from changed since it was built (its YAML files, figures, brand, logo, fonts, the
    builder itself); OUT/.handout-manifest.json records what each was built from. --force
    builds every one.

    A patient's copy (--patient FILE, or --patient-name and the other patient options) is
    one document written only to -o FILE.pdf; protect it with --password-env.

    \b
    Examples:
      handout build
      handout build knee-osteoarthritis -l en -b riverbend-physio --paper letter
      handout build knee-osteoarthritis --layout trifold --print-ready
      handout build acupuncture-session --layout bilingual -l ja+en
      handout build --fillable -l en
      handout build --force --report build.json
      handout build acupuncture-session -l ja -b hinode-tokyo --patient hanako.yaml \\
          --password-env HANDOUT_PASSWORD -o ~/Desktop/hanako.pdf
      handout build knee-osteoarthritis -l en --patient-name "Sam Lee" \\
          --aftercare rest-24h,keep-exercising --next-appointment 2026-12-01T09:30 -o sam.pdf
    """
    started = time.perf_counter()
    if any(value is not None for value in personal.values()):
        # A patient's copy never reads or writes the build record: it is health data.
        return _patient_command(root, ids, langs, brands, layouts, papers, out, fillable,
                                print_ready, fold_guides, force, report, debug, personal)
    out_dir = out or Path("out")
    if out_dir.suffix.lower() == ".pdf" or out_dir.is_file():
        _fail(f"-o: '{out_dir}' is a file; a batch is written into a folder. "
              "A single PDF (-o FILE.pdf) is for a patient's copy (--patient)")
    from .incremental import BuildRecord
    from .inputs import BUILTIN_ROOT
    from .manifest import Selection

    record = BuildRecord(out_dir, Selection((root or BUILTIN_ROOT).resolve(), ids, langs,
                                            brands, layouts, papers, print_ready, fold_guides,
                                            fillable))
    seen: set[str] = set()
    if record.warning:
        _print_problems([record.warning], seen)
    unchanged = None if force else record.unchanged()
    if unchanged is not None:
        code = _nothing_changed(*unchanged, out_dir, report, started, seen)
        _end_process(code)
        return code
    return _build_batch(_load(root), record, out_dir, jobs, force, report, debug, started,
                        seen)


def _nothing_changed(plan: Plan, outputs: list[Output], out_dir: Path, report: Path | None,
                     started: float, seen: set[str]) -> int:
    """Finish a build whose documents are all up to date, without loading the engine."""
    from .build_report import Outcome
    from .reviews import review_problems

    today = dt.date.today()
    _print_problems([p for dates in plan.reviews for p in review_problems(dates, today)], seen)
    if not plan.jobs:
        click.echo("Nothing to build.", err=True)
        return 0
    outcomes = [Outcome.up_to_date(job.name, out_dir / job.output, output)
                for job, output in zip(plan.jobs, outputs, strict=True)]
    return _finish(outcomes, [], report, started)


def _build_batch(engine: Engine, record: BuildRecord, out_dir: Path, jobs: int | None,
                 force: bool, report: Path | None, debug: bool, started: float,
                 seen: set[str]) -> int:
    """Plan the selection, build what is not up to date and record it."""
    from .batch import default_workers, plan, review_warnings
    from .build_report import FAILED, Outcome
    from .reviews import review_dates

    s = record.selection
    planned = plan(engine, s.ids, s.langs, s.brands, s.layouts, s.papers,
                   print_ready=s.print_ready, fold_guides=s.fold_guides, fillable=s.fillable)
    building = sorted({job.handout for job in planned})  # (only these handouts are read)
    _print_problems(review_warnings(engine, dt.date.today(), ids=building), seen)
    todo, fresh = record.split(engine, planned, force=force)
    results = _run_with_progress(engine, todo, out_dir, jobs or default_workers(), debug,
                                 seen) if todo else []
    record.add(results)
    if all(r.ok for r in results):
        record.remember(planned, review_dates(engine.project, building))
    problem = record.save()
    if problem is not None:
        _print_problems([problem], seen)
    if not planned:
        click.echo("Nothing to build.", err=True)
        return 0
    built = {r.job: r for r in results}
    outcomes = [Outcome.up_to_date(job.name, job.output(out_dir), fresh[job]) if job in fresh
                else Outcome.of_result(built[job]) for job in planned]
    broken = {r.job.handout for r in results if not r.ok
              and engine.project.handouts[r.job.handout].handout is None}
    failed = list(dict.fromkeys(r.job.handout if r.job.handout in broken else r.job.name
                                for r in results if not r.ok))
    code = _finish(outcomes, failed, report, started)
    return 1 if any(o.status == FAILED for o in outcomes) else code


def _finish(outcomes: list[Outcome], failed: list[str], report: Path | None,
            started: float) -> int:
    """Print the summary and write the report; 1 when the report cannot be written."""
    from .build_report import summary

    seconds = time.perf_counter() - started
    click.echo(summary(outcomes, seconds, failed), err=True)
    if report:
        try:
            _write_report(report, outcomes, seconds)
        except OSError as exc:
            from .errors import display_path

            click.echo(f"{display_path(report)}: cannot write the report: "
                       f"{exc.strerror or exc}", err=True)
            return 1
    return 0


def _patient_command(root: Path | None, ids: tuple[str, ...], langs: tuple[str, ...],
                     brands: tuple[str, ...], layouts: tuple[str, ...],
                     papers: tuple[str, ...], out: Path | None, fillable: bool,
                     print_ready: bool, fold_guides: bool, force: bool, report: Path | None,
                     debug: bool, personal: dict[str, Any]) -> int:
    """`build` given patient options: one patient's copy."""
    from .batch import UsageError

    engine = _load(root)
    copy = _patient_copy(engine, ids, langs, brands, layouts, papers, out, fillable,
                         print_ready, fold_guides, force, report, debug, personal)
    if copy is not None:
        return copy
    raise UsageError("--password-env protects a patient's copy; give the patient "
                     "(--patient FILE or --patient-name) and -o FILE.pdf")


PATIENT_FIELDS = {"patient_name": "patient", "practitioner": "practitioner",
                  "prepared": "date", "next_appointment": "next_appointment",
                  "aftercare": "aftercare", "note": "notes"}


def _patient_copy(engine: Engine, ids: tuple[str, ...], langs: tuple[str, ...],
                  brands: tuple[str, ...], layouts: tuple[str, ...], papers: tuple[str, ...],
                  out: Path | None, fillable: bool, print_ready: bool, fold_guides: bool,
                  force: bool, report: Path | None, debug: bool,
                  personal: dict[str, Any]) -> int | None:
    """Build and write one patient's copy; None when the command asks for no patient."""
    from .batch import UsageError
    from .output import write_atomic
    from .personal_build import job_for, patient_input, protect, render_copy, request

    options = {field: personal[name] for name, field in PATIENT_FIELDS.items()}
    given, problems, messages = patient_input(personal["patient_file"], options)
    if given is None and not problems:
        return None
    for flag, name in ((print_ready, "--print-ready"), (fold_guides, "--fold-guides"),
                       (force, "--force"), (report, "--report")):
        if flag:
            raise UsageError(f"{name} is for batches; a patient's copy is one PDF to -o")
    target = _copy_target(out)
    job = job_for(engine, request(ids, langs, brands, layouts, papers, fillable))
    if messages:
        raise UsageError("\n".join(messages))
    if problems:
        _print_problems(problems)
        return 1
    password = _password(personal["password_env"])
    assert given is not None
    pdf, problems, messages = _guarded(lambda: render_copy(engine, job, given,
                                                           dt.date.today()), debug)
    if messages:
        raise UsageError("\n".join(messages))
    if problems:
        _print_problems(problems)
        return 1
    write_atomic(target, protect(pdf, password))
    click.echo(f"wrote {target}" + (" (password-protected)" if password else ""), err=True)
    return 0


def _copy_target(out: Path | None) -> Path:
    """-o for a patient's copy: a .pdf file outside the shared output folder."""
    from .batch import UsageError

    if out is None or out.suffix.lower() != ".pdf":
        raise UsageError("a patient's copy is written only where you say: give -o FILE.pdf")
    if out.is_dir():
        raise UsageError(f"-o: '{out}' is a folder; give a file name ending in .pdf")
    shared = Path("out").resolve()
    if out.resolve().is_relative_to(shared):
        raise UsageError(f"-o: '{out}' is inside the shared output folder out/, which holds "
                         "the handouts for everyone; write a patient's copy somewhere else")
    return out


def _is_terminal(stream: Any) -> bool:
    """Whether a standard stream is a terminal (None: the command was started without it)."""
    return stream is not None and stream.isatty()


def _password(variable: str | None) -> str | None:
    """The password from the environment variable, or typed at a terminal; never an option."""
    from .batch import UsageError

    if variable is None:
        return None
    password = os.environ.get(variable)
    if password:
        return password
    if not _is_terminal(sys.stdin):
        raise UsageError(f"--password-env: the environment variable {variable} is not set "
                         "(or empty); set it, or run on a terminal to type the password")
    password = click.prompt("Password for the PDF", hide_input=True,
                            confirmation_prompt="Type it again", err=True)
    if not password:
        raise UsageError("the password is empty")
    return password


def _guarded(work: Callable[[], Any], debug: bool) -> Any:
    """Run the work on a patient's copy; an internal error is reported without its text,
    which may quote the patient's details."""
    try:
        return work()
    except Exception as exc:
        from .errors import BuildError

        if isinstance(exc, BuildError) or debug:
            raise
        raise PrivateError(type(exc).__name__) from None


class PrivateError(Exception):
    """An internal error on a patient's copy; its message names only the kind of error."""

    def __init__(self, kind: str):
        super().__init__(f"{kind} while building a patient's copy (details are not shown, as "
                         "they may contain the patient's details; --debug shows them)")


def _run_with_progress(engine: Engine, planned: list[Job], out_dir: Path, workers: int,
                       debug: bool, seen: set[str]) -> list[Result]:
    from .batch import run

    def show(result: Result) -> None:
        if result.ok and result.path is not None:
            if not interactive:
                click.echo(f"built {result.path}")
        else:
            _print_problems(result.problems, seen)

    interactive = _is_terminal(sys.stderr) and len(planned) > 1
    if not interactive:
        return run(engine, planned, out_dir, workers=workers, debug=debug, on_result=show)
    with click.progressbar(length=len(planned), label="Building", file=sys.stderr) as bar:
        def advance(result: Result) -> None:
            show(result)
            bar.update(1)
        return run(engine, planned, out_dir, workers=workers, debug=debug, on_result=advance)


def _write_report(path: Path, outcomes: list[Outcome], seconds: float) -> None:
    from .build_report import report_json
    from .output import write_atomic

    write_atomic(path, report_json(outcomes, seconds))


@main.command("list", context_settings=CONTEXT)
@common_options
def list_(root: Path | None, debug: bool) -> int:
    """List handouts x languages: source, complete, stale, unverified, invalid or missing.

    \b
    stale       the source text changed since it was translated (see `handout check`)
    unverified  the translation does not record what it was made from (`handout translated`)

    \b
    Example:
      handout list
    """
    from .translations import language_status

    engine = _load(root)
    entries = sorted(engine.project.handouts.items())
    languages = sorted({lang for _, e in entries if e.handout for lang in e.handout.languages}
                       | {p.stem for _, e in entries for p in e.folder.glob("*.yaml")
                          if p.name != "handout.yaml"})
    rows = [("HANDOUT", *languages, "REVIEW DUE")]
    for hid, entry in entries:
        cells = [language_status(entry, lang) for lang in languages]
        due = entry.handout.review_due.isoformat() if entry.handout else "invalid"
        rows.append((hid, *cells, due))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return 0


@main.command(context_settings=CONTEXT)
@click.argument("handout_id", metavar="ID")
@click.option("-l", "--lang", "langs", multiple=True, required=True, metavar="LANG",
              help="The translation(s) to mark as made from the current source text.")
@common_options
def translated(root: Path | None, debug: bool, handout_id: str, langs: tuple[str, ...]) -> int:
    """Record that a translation is up to date with its source language.

    Run it after checking a translation against the current source text: it writes the
    source texts' hashes at the end of the translation file, so that `handout check` and
    `handout list` can show which texts change later.

    \b
    Example:
      handout translated knee-osteoarthritis -l ja
    """
    from .batch import UsageError
    from .errors import display_path
    from .translations import stamp

    engine = _load(root)
    entry = engine.project.handouts.get(handout_id)
    if entry is None or entry.handout is None:
        raise UsageError(f"'{handout_id}' is not a valid handout; run `handout check` first")
    source_lang = entry.handout.source_language
    reference = entry.translations.get(source_lang)
    errors = [p for p in entry.problems if p.is_error]
    if errors or reference is None:
        _print_problems(errors)
        return 1
    for lang in langs:
        others = sorted(set(entry.translations) - {source_lang})
        if lang not in others:
            raise UsageError(f"'{lang}' is not a translation of {handout_id}; its "
                             f"translations: {', '.join(others) or 'none'}")
        count = stamp(entry.translations[lang].file, reference)
        click.echo(f"recorded {count} source texts in "
                   f"{display_path(entry.translations[lang].file)}")
    return 0

