"""A static HTML page of built PDFs, by brand, language and layout, with thumbnails.

The page and its thumbnails live in the output folder and link to the PDFs by relative
paths, so it opens from disk (file://), offline, and still works when the folder is moved.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .output import write_atomic
from .preview import page_png

PAGE = "index.html"
THUMBNAILS = "thumbnails"
THUMB_WIDTH = 240  # pixels; shown at half that width, sharp on high-density screens
VARIANTS = ("print-reading", "print", "reading")  # longest suffix first


@dataclass
class Entry:
    """One built document (its main PDF) and the files built beside it."""

    path: Path
    brand: str
    lang: str
    handout: str
    layout: str
    paper: str
    title: str = ""
    pages: int = 0
    size: int = 0
    reviewed: dt.date | None = None
    thumbnail: Path | None = None
    variants: dict[str, Path] = field(default_factory=dict)  # 'print', 'reading' -> file


def parse_name(stem: str, layouts: Iterable[str]) -> tuple[str, str, str, str]:
    """'<id>-<layout>-<paper>[-variant]' -> (id, layout, paper, variant); layout names may
    contain '-' (large-print), so the known names decide where the id ends."""
    names = "|".join(re.escape(n) for n in sorted(layouts, key=len, reverse=True))
    variants = "|".join(VARIANTS)
    match = re.fullmatch(rf"(.+)-({names})-(a4|letter)(?:-({variants}))?", stem) if names \
        else None
    return (match.group(1), match.group(2), match.group(3), match.group(4) or "") if match \
        else (stem, "", "", "")


def scan(out_dir: Path, layouts: Iterable[str]) -> list[Entry]:
    """Every PDF under OUT/<brand>/<lang>/, grouped with its print and reading versions."""
    layouts = list(layouts)
    entries: dict[tuple[str, ...], Entry] = {}
    extras: list[tuple[tuple[str, ...], str, Path]] = []
    for path in sorted(out_dir.glob("*/*/*.pdf")):
        brand, lang = path.parent.parent.name, path.parent.name
        hid, layout, paper, variant = parse_name(path.stem, layouts)
        key = (brand, lang, hid, layout, paper)
        if variant:
            extras.append((key, variant, path))
        else:
            entries[key] = Entry(path, brand, lang, hid, layout, paper)
    for key, variant, path in extras:
        if key not in entries:  # (a print-ready file built alone stands for its document)
            entries[key] = Entry(path, *key)
        else:
            entries[key].variants[variant] = path
    return sorted(entries.values(), key=lambda e: (e.brand, e.lang, e.handout, e.layout,
                                                   e.paper))


def describe(entry: Entry, out_dir: Path) -> None:
    """Fill in title, pages, size and review date from the PDF; make its thumbnail."""
    import pypdfium2

    pdf = entry.path.read_bytes()
    entry.size = len(pdf)
    document = pypdfium2.PdfDocument(pdf)
    try:
        entry.pages = len(document)
        meta = document.get_metadata_dict()
    finally:
        document.close()
    entry.title = meta.get("Title", "") or entry.handout
    # The builder stamps the handout's last review date as the PDF's date.
    found = re.match(r"D:(\d{4})(\d{2})(\d{2})", meta.get("CreationDate", ""))
    entry.reviewed = dt.date(*map(int, found.groups())) if found else None
    thumb = out_dir / THUMBNAILS / entry.path.relative_to(out_dir).with_suffix(".png")
    if not thumb.is_file() or thumb.stat().st_mtime_ns < entry.path.stat().st_mtime_ns:
        write_atomic(thumb, page_png(pdf, 1, width=THUMB_WIDTH))
    entry.thumbnail = thumb


def write_gallery(out_dir: Path, layouts: Iterable[str]) -> tuple[Path, list[Entry]]:
    """Write OUT/index.html (and thumbnails); returns the page and what it lists."""
    entries = scan(out_dir, layouts)
    for entry in entries:
        describe(entry, out_dir)
    _remove_stale_thumbnails(out_dir, entries)
    page = out_dir / PAGE
    write_atomic(page, render_page(entries, out_dir).encode("utf-8"))
    return page, entries


def _remove_stale_thumbnails(out_dir: Path, entries: list[Entry]) -> None:
    keep = {e.thumbnail for e in entries}
    for png in (out_dir / THUMBNAILS).rglob("*.png"):
        if png not in keep:
            png.unlink()


def _href(path: Path, base: Path) -> str:
    return quote(path.relative_to(base).as_posix())


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} KB"


STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;
color:#1a1a1a;background:#fff}
h1{font-size:1.6rem;margin:.5rem 0}h2{margin:2rem 0 .3rem;border-bottom:2px solid #ccd}
h3{margin:1rem 0 .5rem;color:#445}
ul.cards{list-style:none;padding:0;display:grid;gap:1rem;
grid-template-columns:repeat(auto-fill,minmax(12rem,1fr))}
li.card{border:1px solid #ccd;border-radius:6px;padding:.6rem;background:#f8f9fb}
li.card img{display:block;width:120px;height:auto;margin:0 auto .5rem;border:1px solid #bbc;
background:#fff}
li.card a.title{font-weight:600}dl{margin:.3rem 0 0;font-size:.85rem;display:grid;
grid-template-columns:auto 1fr;gap:0 .5rem}dt{color:#556}dd{margin:0}
p.note{color:#445}
"""


def render_page(entries: list[Entry], out_dir: Path) -> str:
    """The gallery HTML: one section per brand, one list per language, one card per PDF."""
    esc = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>Handout gallery</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
             "<h1>Handout gallery</h1>",
             f'<p class="note">{len(entries)} documents. Click a title to open its PDF.</p>']
    if not entries:
        parts.append('<p class="note">No PDFs here yet: run <code>handout build</code> '
                     "first.</p>")
    by_brand: dict[str, dict[str, list[Entry]]] = {}
    for entry in entries:
        by_brand.setdefault(entry.brand, {}).setdefault(entry.lang, []).append(entry)
    for brand, languages in by_brand.items():
        parts.append(f'<section id="{esc(brand)}"><h2>{esc(brand)}</h2>')
        for lang, items in languages.items():
            parts.append(f'<h3 lang="en">Language: {esc(lang)}</h3><ul class="cards">')
            parts += [_card(e, out_dir) for e in items]
            parts.append("</ul>")
        parts.append("</section>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _card(entry: Entry, out_dir: Path) -> str:
    esc = html.escape
    lang = entry.lang.split("+")[0]
    thumb = (f'<img src="{_href(entry.thumbnail, out_dir)}" alt="First page of '
             f'{esc(entry.title)}" width="120">') if entry.thumbnail else ""
    rows = [("Handout", entry.handout), ("Layout", entry.layout or "?"),
            ("Paper", entry.paper.upper() if entry.paper == "a4" else entry.paper or "?"),
            ("Pages", str(entry.pages)), ("Size", _size(entry.size)),
            ("Reviewed", entry.reviewed.isoformat() if entry.reviewed else "?")]
    details = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    more = "".join(f' · <a href="{_href(p, out_dir)}">{esc(name)}</a>'
                   for name, p in sorted(entry.variants.items()))
    return (f'<li class="card">{thumb}<a class="title" lang="{esc(lang)}" '
            f'href="{_href(entry.path, out_dir)}">{esc(entry.title)}</a>{more}'
            f"<dl>{details}</dl></li>")
