"""Commands for the practitioner: several handouts in one file, and a handout by e-mail."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import (
    CONTEXT,
    _load,
    _print_problems,
    common_options,
    main,
)


@main.command(context_settings=CONTEXT)
@click.argument("ids", nargs=-1)
@click.option("-l", "--lang", required=True, metavar="LANG", help="The language of the bundle.")
@click.option("-b", "--brand", required=True, metavar="BRAND", help="The clinic.")
@click.option("--layout", default="leaflet", show_default=True, metavar="NAME",
              help="The layout of every handout in it (a page-by-page layout).")
@click.option("--paper", type=click.Choice(["a4", "letter"]),
              help="Paper size. Default: the brand's paper.")
@click.option("--duplex", is_flag=True,
              help="For printing on both sides: a blank back after the contents and after a "
                   "handout with an odd number of pages, so each handout starts a sheet.")
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF file to write.")
@common_options
def bundle(root: Path | None, debug: bool, ids: tuple[str, ...], lang: str, brand: str,
           layout: str, paper: str | None, duplex: bool, out: Path) -> int:
    """Several handouts in one PDF, with a contents page, bookmarks and page labels.

    The contents page lists the handouts with the page each starts on, and links to it.
    Page labels match the page numbers printed on the handouts: 2-1 is the first page of
    the second handout.

    \b
    Examples:
      handout bundle knee-osteoarthritis acupuncture-session -l en -b riverbend-physio \\
          -o knee-pack.pdf
      handout bundle knee-osteoarthritis after-knee-surgery -l ja -b hinode-tokyo --duplex \\
          -o print/knee-pack-ja.pdf
    """
    from .batch import UsageError
    from .bundle import bundle_jobs, make_bundle, render_parts
    from .layout_spec import layout_spec
    from .output import write_atomic

    engine = _load(root)
    if out.suffix.lower() != ".pdf":
        raise UsageError(f"-o: '{out}' should be a file name ending in .pdf")
    module = engine.layouts.get(layout)
    if module is not None and (layout_spec(module).finish or layout_spec(module).languages != 1):
        raise UsageError(f"the {layout} layout is imposed on sheets or pairs two languages; a "
                         "bundle takes page-by-page layouts such as leaflet, large-print or card")
    jobs = bundle_jobs(engine, ids, lang, brand, layout, paper)
    parts, problems = render_parts(engine, jobs)
    if problems:
        _print_problems(problems)
        click.echo(f"No bundle written: {len(jobs) - len(parts)} of {len(jobs)} handouts "
                   "could not be built.", err=True)
        return 1
    write_atomic(out, make_bundle(engine, parts, duplex=duplex))
    click.echo(f"wrote {out} ({len(parts)} handouts)", err=True)
    return 0
