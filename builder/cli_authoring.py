"""Commands for the people who write handouts: check (and, with it, the lints)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .cli import CONTEXT, _load, common_options, main

if TYPE_CHECKING:
    from .errors import Problem


@main.command(context_settings=CONTEXT)
@click.argument("ids", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print problems.")
@common_options
def check(root: Path | None, debug: bool, ids: tuple[str, ...], fmt: str) -> int:
    """Validate handouts and brands and check that every layout fits; writes no PDFs.

    Exits with 0 when everything is valid and 1 when anything is not.

    \b
    Examples:
      handout check
      handout check knee-osteoarthritis --format json
    """
    from .batch import plan, review_warnings, run

    engine = _load(root)
    planned = plan(engine, ids)
    problems: list[Problem] = engine.project.all_brand_problems()
    for hid in sorted({job.handout for job in planned} | set(ids)):
        problems += engine.project.handouts[hid].problems
    problems += review_warnings(engine, dt.date.today(), overdue="error")
    for result in run(engine, planned, None, workers=1, debug=debug):
        problems += result.problems
    unique = {str(p): p for p in problems}
    ordered = sorted(unique.values(), key=lambda p: (p.file, p.line, p.col, p.message))
    errors = sum(p.is_error for p in ordered)
    if fmt == "json":
        click.echo(json.dumps([{**p.__dict__, "text": str(p)} for p in ordered], indent=2,
                              ensure_ascii=False))
    else:
        for p in ordered:
            click.echo(str(p))
        checked = len({j.handout for j in planned})
        click.echo(f"Checked {checked} handouts, {len(engine.project.brands)} brands, "
                   f"{len(planned)} documents: {errors} errors, {len(ordered) - errors} warnings.",
                   err=True)
    return 1 if errors else 0
