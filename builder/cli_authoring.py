"""Commands for the people who write handouts: check, schema, new, preview, gallery, watch."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .cli import CONTEXT, _load, _print_problems, common_options, main

if TYPE_CHECKING:
    from .errors import Problem


@main.command(context_settings=CONTEXT)
@click.argument("ids", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print problems (json: a list, for CI).")
@click.option("--max-grade", type=click.FloatRange(min=1), default=8.0, show_default=True,
              help="The highest English Flesch-Kincaid grade allowed.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel processes for rendering. Default: the number of CPUs.")
@common_options
def check(root: Path | None, debug: bool, ids: tuple[str, ...], fmt: str, max_grade: float,
          jobs: int | None) -> int:
    """Validate handouts and brands, lint them, and check that every layout fits.

    Writes no PDFs. Besides everything a build validates, it reports: reading level (English,
    Spanish, Japanese), required sections, review dates, evidence without sources, brand
    colour contrast, fit and type size in every layout, missing, stale or copied
    translations, unused figures, overlong bullets and placeholder text. Errors make it
    fail; warnings are printed. docs/checks.md explains each check and its threshold.

    Exits with 0 when there are no errors and 1 when there are.

    \b
    Examples:
      handout check
      handout check knee-osteoarthritis --format json
      handout check --max-grade 6
    """
    from .batch import default_workers, plan
    from .lint import LintConfig, lint_project
    from .lint.fit import check_jobs

    engine = _load(root)
    planned = plan(engine, ids)
    chosen = sorted({job.handout for job in planned} | set(ids))
    problems: list[Problem] = engine.project.all_brand_problems()
    for hid in chosen:
        problems += engine.project.handouts[hid].problems
    problems += lint_project(engine, chosen, dt.date.today(), LintConfig(max_grade=max_grade))
    for found in check_jobs(engine, planned, jobs or default_workers(), debug):
        problems += found
    unique = {str(p): p for p in problems}
    ordered = sorted(unique.values(), key=lambda p: (p.file, p.line, p.col, p.message))
    errors = sum(p.is_error for p in ordered)
    if fmt == "json":
        click.echo(json.dumps([{**p._asdict(), "text": str(p)} for p in ordered], indent=2,
                              ensure_ascii=False))
    else:
        for p in ordered:
            click.echo(str(p))
        click.echo(f"Checked {len(chosen)} handouts, {len(engine.project.brands)} brands, "
                   f"{len(planned)} documents: {errors} errors, {len(ordered) - errors} warnings.",
                   err=True)
    return 1 if errors else 0


@main.command(context_settings=CONTEXT)
@click.argument("formats", nargs=-1, type=click.Choice(["handout", "translation", "brand",
                                                        "patient"]))
@click.option("-o", "--out", "out_dir", metavar="DIR",
              help="Folder to write <format>.schema.json into, or '-' to print one schema. "
                   "Default: schema/ in the project (where the shipped YAML files point).")
@common_options
def schema(root: Path | None, debug: bool, formats: tuple[str, ...], out_dir: str | None
           ) -> int:
    """Write the JSON Schemas (2020-12) of handout.yaml, <lang>.yaml, brand.yaml and
    patient.yaml.

    They are generated from the same field declarations `handout check` validates with.
    A YAML file whose first line is

    \b
      # yaml-language-server: $schema=../../schema/handout.schema.json

    is completed and checked as you type in editors with a YAML extension (VS Code's
    "YAML" by Red Hat, and others that use yaml-language-server), offline.

    \b
    Examples:
      handout schema
      handout schema -o ~/clinic-handouts/schema
      handout schema translation -o -
    """
    from .batch import UsageError
    from .errors import display_path
    from .json_schema import render
    from .project import BUILTIN_ROOT
    from .schema_files import FOLDER, write_schemas

    if out_dir == "-":
        if len(formats) != 1:
            raise UsageError("-o -: name one format to print, e.g. `handout schema handout -o -`")
        click.echo(render(formats[0]), nl=False)
        return 0
    folder = Path(out_dir) if out_dir else (root or BUILTIN_ROOT) / FOLDER
    written = write_schemas(folder, list(formats) or None)
    for path in written:
        click.echo(f"wrote {display_path(path)}")
    if not written:
        click.echo(f"{display_path(folder)}: the schemas are up to date", err=True)
    return 0


@main.command(context_settings=CONTEXT)
@click.argument("handout_id", metavar="ID")
@click.option("-l", "--lang", default="en", show_default=True, metavar="LANG",
              help="The source language: the file written is <LANG>.yaml.")
@common_options
def new(root: Path | None, debug: bool, handout_id: str, lang: str) -> int:
    """Create a new handout from a template: handouts/ID/ with every section type.

    Each section is explained in a comment; every text to write says TODO. The new handout
    is valid at once: `handout check ID` lists the TODO texts (as warnings) until they are
    replaced, and `handout preview ID -o ID.png` shows what it looks like.

    \b
    Examples:
      handout new shoulder-pain
      handout new kata-no-itami --lang ja
      handout new shoulder-pain --root ~/clinic-handouts
    """
    from .batch import UsageError
    from .errors import did_you_mean, display_path, one_of
    from .labels import available, has_labels
    from .project import BUILTIN_ROOT
    from .scaffold import ScaffoldError, scaffold
    from .schema_files import FOLDER, write_schemas

    if not has_labels(lang):
        hint = did_you_mean(lang, available()) or f" Languages: {one_of(available())}."
        raise UsageError(f"--lang: the builder has no labels for '{lang}'.{hint}")
    base = root or BUILTIN_ROOT
    try:
        created = scaffold(base, handout_id, lang, dt.date.today())
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from exc
    write_schemas(base / FOLDER)  # the files' first line points editors at these
    for path in created:
        click.echo(f"created {display_path(path)}")
    where = f" --root {display_path(root)}" if root else ""
    click.echo(f"Next: write the TODO texts, then `handout check {handout_id}{where}` and "
               f"`handout preview {handout_id}{where} -o {handout_id}.png`.", err=True)
    return 0


@main.command(context_settings=CONTEXT)
@click.argument("handout_id", metavar="ID")
@click.option("-l", "--lang", metavar="LANG",
              help="Language, or two joined by '+' (ja+en) for the bilingual layout. "
                   "Default: the handout's source language.")
@click.option("-b", "--brand", metavar="BRAND",
              help="Brand. Default: the first brand that hands out the language.")
@click.option("--layout", metavar="NAME",
              help="Layout. Default: the handout's first layout (or bilingual for a pair).")
@click.option("--paper", type=click.Choice(["a4", "letter"]),
              help="Paper size. Default: the brand's paper.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True,
              help="The page to show (1 is the first).")
@click.option("--dpi", type=click.FloatRange(min=10, max=600), default=100, show_default=True,
              help="Pixels per inch of the image.")
@click.option("-o", "--out", "out_file", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The PNG file to write.")
@common_options
def preview(root: Path | None, debug: bool, handout_id: str, lang: str | None,
            brand: str | None, layout: str | None, paper: str | None, page: int, dpi: float,
            out_file: Path) -> int:
    """Render one page of a handout to a PNG image, without writing a PDF.

    \b
    Examples:
      handout preview knee-osteoarthritis -o preview.png
      handout preview knee-osteoarthritis -l ja --layout trifold --page 2 -o ja.png
      handout preview acupuncture-session -l ja+en -o pair.png --dpi 150
    """
    from .batch import UsageError, render_job
    from .errors import BuildError, display_path
    from .output import write_atomic
    from .preview import PageError, page_png
    from .preview_job import choose_job

    engine = _load(root)
    job = choose_job(engine, handout_id, lang, brand, layout, paper)

    try:
        rendered = render_job(engine, job)
        png = page_png(rendered.pdf, page, dpi=dpi)
    except BuildError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        return 1
    except PageError as exc:
        raise UsageError(f"--page: {exc}") from exc
    write_atomic(out_file, png)
    click.echo(f"wrote {display_path(out_file)} (page {page} of {rendered.pages}, {job.name})")
    return 0


@main.command(context_settings=CONTEXT)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True,
              help="The folder `handout build` wrote to; the page is written into it.")
@common_options
def gallery(root: Path | None, debug: bool, out_dir: Path) -> int:
    """Write OUT/index.html: every built PDF by brand, language and layout, with a
    thumbnail of its first page, page count, file size, review date and a link.

    The page works from disk, offline (open it in any browser); its links are relative, so
    the folder can be copied or shared as it is.

    \b
    Examples:
      handout build && handout gallery
      handout gallery -o print/
    """
    from .batch import UsageError
    from .errors import display_path
    from .gallery import write_gallery

    if not out_dir.is_dir():
        raise UsageError(f"-o: '{out_dir}' does not exist; run `handout build -o {out_dir}` "
                         "first")
    engine = _load(root)
    page, entries = write_gallery(out_dir, engine.layouts)
    click.echo(f"wrote {display_path(page)} ({len(entries)} documents)")
    return 0


@main.command("watch", context_settings=CONTEXT)
@click.argument("ids", nargs=-1)
@click.option("-l", "--lang", "langs", multiple=True, metavar="LANG",
              help="Only these languages (repeatable). The first is previewed.")
@click.option("-b", "--brand", "brands", multiple=True, metavar="BRAND",
              help="Only these brands (repeatable). The first is previewed.")
@click.option("--layout", "layouts", multiple=True, metavar="NAME",
              help="Layouts to build (repeatable). The first is previewed.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Output folder.")
@click.option("--interval", type=click.FloatRange(min=0.05), default=0.5, show_default=True,
              help="Seconds between looks at the files.")
@common_options
def watch_command(root: Path | None, debug: bool, ids: tuple[str, ...], langs: tuple[str, ...],
                  brands: tuple[str, ...], layouts: tuple[str, ...], out_dir: Path,
                  interval: float) -> int:
    """Rebuild handouts, and their previews, whenever their files change.

    Builds once at the start, then watches each handout's folder (and the brands and
    layouts): after a file is saved it rebuilds that handout's PDFs into OUT and writes
    OUT/previews/<id>.png, the first page of its first document. Keep the PNG open in an
    image viewer that reloads, save the YAML file, and see the change. Stop with Ctrl+C.

    \b
    Examples:
      handout watch knee-osteoarthritis
      handout watch knee-osteoarthritis -l ja -b hinode-tokyo --layout trifold
    """
    from .batch import UsageError, load_engine, plan
    from .errors import did_you_mean, display_path, one_of
    from .incremental import BuildRecord
    from .manifest import Selection
    from .project import load_project
    from .watch import Watcher, rebuild_handout, snapshot, watch

    engine = _load(root)
    known = sorted(engine.project.handouts)
    for hid in ids:
        if hid not in known:
            hint = did_you_mean(hid, known) or f" Known: {one_of(known)}."
            raise UsageError(f"'{hid}' is not a handout.{hint}")
    chosen = list(ids) or known
    seen: set[str] = set()

    def rebuild(changed_ids: list[str], layouts_changed: bool) -> None:
        nonlocal engine
        seen.clear()  # a problem that is still there is worth repeating after a save
        # The build record hashes the inputs before the engine reads them again, so that a
        # later `handout build` finds what is built here up to date (and a file saved again
        # meanwhile changed).
        record = BuildRecord(out_dir, Selection(engine.root.resolve(), tuple(changed_ids),
                                                langs, brands, layouts))
        engine = load_engine(root) if layouts_changed else type(engine)(
            engine.root, engine.fonts, engine.layouts,
            load_project(engine.root, engine.fonts, sorted(engine.layouts)))
        for hid in changed_ids:
            stamp = dt.datetime.now().strftime("%H:%M:%S")
            done = rebuild_handout(engine, hid, out_dir, langs, brands, layouts, record)
            _print_problems(done.problems, seen)
            note = f", preview {display_path(done.preview)}" if done.preview else ""
            click.echo(f"{stamp} {hid}: built {len(done.built)} documents{note}", err=True)
        problem = record.save()
        if problem is not None:
            _print_problems([problem], seen)

    plan(engine, tuple(chosen), langs, brands, layouts)  # unknown names: a usage error now
    watcher = Watcher(engine.root, chosen)
    before = snapshot(watcher.folders())  # (a file saved during the first build is seen)
    rebuild(chosen, False)
    click.echo(f"Watching {len(chosen)} handouts; stop with Ctrl+C.", err=True)
    try:
        watch(watcher, rebuild, interval=interval, since=before)
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    return 0
