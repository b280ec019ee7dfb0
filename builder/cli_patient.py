"""Commands for the practitioner: several handouts in one file, and a handout by e-mail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from .cli import (
    CONTEXT,
    PATIENT_FIELDS,
    _guarded,
    _load,
    _password,
    _print_problems,
    common_options,
    main,
    patient_options,
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


@main.command(context_settings=CONTEXT)
@click.argument("handout_id", metavar="ID")
@click.option("--to", "to", multiple=True, required=True, metavar="ADDR",
              help="The recipient's e-mail address (repeatable).")
@click.option("-l", "--lang", "langs", multiple=True, metavar="LANG",
              help="The language (the message is written in it too).")
@click.option("-b", "--brand", "brands", multiple=True, metavar="BRAND", help="The clinic.")
@click.option("--layout", "layouts", multiple=True, metavar="NAME",
              help="The layout. Default: leaflet.")
@click.option("--paper", "papers", multiple=True, type=click.Choice(["a4", "letter"]),
              help="Paper size. Default: the brand's paper.")
@click.option("--fillable", is_flag=True, help="Send the variant with form fields.")
@click.option("--no-encrypt", is_flag=True,
              help="Send a patient's copy without a password (not recommended).")
@click.option("--dry-run", is_flag=True,
              help="Write the message to -o FILE.eml instead of sending it.")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="With --dry-run: the .eml file to write.")
@patient_options
@common_options
def email(root: Path | None, debug: bool, handout_id: str, to: tuple[str, ...],
          langs: tuple[str, ...], brands: tuple[str, ...], layouts: tuple[str, ...],
          papers: tuple[str, ...], fillable: bool, no_encrypt: bool, dry_run: bool,
          out: Path | None, **personal: Any) -> int:
    """Build a handout (a patient's copy, with the patient options) and e-mail it.

    The mail server comes from email.yaml in the project folder (host, port, security:
    starttls | ssl | none, user, from) or from HANDOUT_SMTP_HOST, _PORT, _SECURITY, _USER
    and _FROM; the password only from HANDOUT_SMTP_PASSWORD. A patient's copy is always sent
    encrypted: give --password-env VAR (or type the password at the prompt), unless
    --no-encrypt. The message names neither the patient nor the condition.

    \b
    Examples:
      HANDOUT_PASSWORD=… handout email acupuncture-session --to hanako@example.jp -l ja \\
          -b hinode-tokyo --patient hanako.yaml --password-env HANDOUT_PASSWORD
      handout email knee-osteoarthritis --to sam@example.com -l en -b riverbend-physio \\
          --patient-name "Sam Lee" --aftercare rest-24h,keep-exercising \\
          --password-env PDF_PASSWORD --dry-run -o sam.eml
    """
    from .batch import UsageError, render_job
    from .mail import MailError, compose, load_settings, send, valid_address
    from .output import write_atomic
    from .personal_build import job_for, patient_input, protect, render_copy, request

    engine = _load(root)
    bad = [a for a in to if not valid_address(a)]
    if bad:
        raise UsageError(f"--to: '{bad[0]}' is not an e-mail address")
    if dry_run != (out is not None):
        raise UsageError("--dry-run writes the message to -o FILE.eml; give both or neither")
    if out is not None and out.suffix.lower() != ".eml":
        raise UsageError(f"-o: '{out}' should be a file name ending in .eml")
    job = job_for(engine, request((handout_id,), langs, brands, layouts, papers, fillable))
    options = {field: personal[name] for name, field in PATIENT_FIELDS.items()}
    given, problems, messages = patient_input(personal["patient_file"], options)
    if messages:
        raise UsageError("\n".join(messages))
    if problems:
        _print_problems(problems)
        return 1
    if given is not None and not no_encrypt and not personal["password_env"]:
        raise UsageError("a patient's copy is sent encrypted: give --password-env VAR (the "
                         "password is read from that environment variable), or --no-encrypt")
    settings = None
    if not dry_run:
        settings, wrong = load_settings(engine.root)
        if wrong:
            for line in wrong:
                click.echo(line, err=True)
            return 2
    password = None if no_encrypt else _password(personal["password_env"])
    if given is not None:
        pdf, problems, messages = _guarded(
            lambda: render_copy(engine, job, given, dt.date.today()), debug)
        if messages:
            raise UsageError("\n".join(messages))
        if problems:
            _print_problems(problems)
            return 1
    else:
        from .errors import BuildError

        try:
            pdf = render_job(engine, job).pdf
        except BuildError as exc:
            _print_problems(exc.problems)
            return 1
    pdf = protect(pdf, password)
    brand = engine.project.brands[job.brand]
    from .labels import load_labels

    lang = job.languages[0]
    message = compose(to=list(to), brand=brand, brand_name=brand.local_name(lang),
                      labels=load_labels(lang), pdf=pdf,
                      sender=settings.sender if settings else None,
                      protected=password is not None)
    if out is not None:
        write_atomic(out, message.as_bytes())
        click.echo(f"wrote {out} (not sent)", err=True)
        return 0
    assert settings is not None
    try:
        send(message, settings)
    except MailError as exc:
        click.echo(f"handout: not sent: {exc}", err=True)
        return 1
    count = len(to)
    click.echo(f"sent to {count} recipient{'s' if count > 1 else ''} via {settings.host}"
               + (" (attachment password-protected)" if password else ""), err=True)
    return 0
