"""A synthetic handout project for batch benchmarks: many handouts, many brands, no repeats.

Each handout is a shipped one with every text made its own (a reference number added to each
paragraph, item, question and answer), so no two handouts share a paragraph; each brand has
its own colours, paper and name. A leaflet batch of H handouts x B brands x 2 languages
(English and Japanese) is H x B x 2 documents that share no styled text with each other.
Each is set once, at the layout's own type size: the questions section is left out to make
room for the numbers.
"""

from __future__ import annotations

import colorsys
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from builder.project import BUILTIN_ROOT

# Shipped handouts in English and Japanese with room on both papers for the numbers.
SOURCES = ("acupuncture-session", "after-knee-surgery", "rheumatoid-arthritis-knee")
LANGUAGES = ("en", "ja")


def make_project(root: Path, handouts: int, brands: int) -> Path:
    """Write the project under `root` (replacing it) and return it."""
    shutil.rmtree(root, ignore_errors=True)
    for n in range(handouts):
        _handout(root, n)
    for n in range(brands):
        _brand(root, n)
    return root


def _handout(root: Path, n: int) -> None:
    source = BUILTIN_ROOT / "handouts" / SOURCES[n % len(SOURCES)]
    hid = f"synthetic-{n:04d}"
    folder = root / "handouts" / hid
    folder.mkdir(parents=True)
    facts = yaml.safe_load((source / "handout.yaml").read_text(encoding="utf-8"))
    facts.update(id=hid, languages=list(LANGUAGES), layouts=["leaflet"], fit="none")
    for key in ("reviewed", "review_due"):
        facts[key] = str(facts[key])
    _dump(folder / "handout.yaml", facts)
    for lang in LANGUAGES:
        text = yaml.safe_load((source / f"{lang}.yaml").read_text(encoding="utf-8"))
        text.pop("source_hashes", None)
        # Room for the numbers: the questions section goes, so every leaflet fits two pages
        # at the layout's own size (no document is set twice to shrink it).
        text["sections"] = [s for s in text["sections"] if s.get("type") != "faq"]
        _dump(folder / f"{lang}.yaml", _numbered(text, n + 1, lang))
    for figure in (source / "figures").glob("*") if (source / "figures").is_dir() else ():
        (folder / "figures").mkdir(exist_ok=True)
        shutil.copy(figure, folder / "figures" / figure.name)


def _numbered(value: Any, n: int, lang: str) -> Any:
    """Every text with the handout's reference number, so no paragraph repeats elsewhere."""
    mark = f"\uff03{n}" if lang == "ja" else f" #{n}"  # (a full-width number sign)
    if isinstance(value, dict):
        return {k: (_marked(v, mark) if k in _TEXTS and isinstance(v, str)
                    else _numbered(v, n, lang))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_numbered(v, n, lang) for v in value]
    return value


def _marked(text: str, mark: str) -> str:
    """The mark at the end of every paragraph of a text."""
    return "\n\n".join(p.strip() + mark for p in re.split(r"\n[ \t]*\n", text.strip()))


_TEXTS = {"title", "summary", "text", "intro", "heading", "q", "a", "question", "answer"}


def _brand(root: Path, n: int) -> None:
    folder = root / "assets" / "brands" / f"clinic-{n:02d}"
    folder.mkdir(parents=True)
    brand = yaml.safe_load((BUILTIN_ROOT / "assets/brands/hinode-tokyo/brand.yaml")
                           .read_text(encoding="utf-8"))
    hue = n / 10 % 1.0
    brand.update(name=f"Clinic {n:02d} Knee Care", name_local={"ja": f"ひざクリニック{n:02d}"},
                 paper="a4" if n % 2 == 0 else "letter", languages=list(LANGUAGES),
                 colors={"primary": _hex(hue, 0.25), "accent": _hex((hue + 0.5) % 1, 0.25),
                         "text": "#1A1A1A"})
    _dump(folder / "brand.yaml", brand)
    shutil.copy(BUILTIN_ROOT / "assets/brands/hinode-tokyo/logo.png", folder / "logo.png")


def _hex(hue: float, lightness: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue, lightness, 0.55)
    return f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
