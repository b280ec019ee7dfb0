"""Translations against their source: which texts changed since a translation was made."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem
from .model import Translation
from .output import write_atomic
from .source import KeyPath, Source

if TYPE_CHECKING:
    from .project import HandoutEntry

HASHES_KEY = "source_hashes"
HASH_LENGTH = 8


def fingerprint(text: str) -> str:
    """A short hash of a text; re-wrapping lines or changing spaces does not change it."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:HASH_LENGTH]


def units(tr: Translation) -> dict[str, tuple[str, KeyPath]]:
    """Every translatable text by a key that is the same in every language, with its path."""
    out: dict[str, tuple[str, KeyPath]] = {}
    for key in ("title", "subtitle", "summary"):
        value = getattr(tr, key)
        if value:
            out[key] = (value, (key,))
    for s in tr.sections:
        base: KeyPath = ("sections", s.index)
        for key in ("heading", "intro", "text", "caption", "alt"):
            value = getattr(s, key)
            if value:
                out[f"sections[{s.index}].{key}"] = (value, (*base, key))
        list_key = "steps" if s.type == "expect" else "items"
        for j, item in enumerate(s.items):
            name = item.id or f"sections[{s.index}].{list_key}[{j}]"
            path: KeyPath = (*base, list_key, j)
            if item.question is not None:
                out[f"{name}.q"] = (item.question, (*path, "q"))
                out[f"{name}.a"] = (item.text, (*path, "a"))
            else:
                out[name] = (item.text, (*path, "text"))
    return out


def stale_units(ref: Translation, tr: Translation) -> list[str]:
    """Keys of texts whose source changed since the translation recorded it."""
    if tr.source_hashes is None:
        return []
    current = {key: fingerprint(text) for key, (text, _) in units(ref).items()}
    return [key for key in units(tr)
            if key in current and tr.source_hashes.get(key) != current[key]]


def stale_problems(ref: Translation, tr: Translation, source: Source) -> list[Problem]:
    """Warnings for every text whose source changed since it was translated."""
    paths = units(tr)
    return [source.problem(paths[key][1], f"stale: changed in {ref.file.name} since this "
                                          "translation was made", severity="warning")
            for key in stale_units(ref, tr)]


_BLOCK = re.compile(rf"(?ms)^(# What this translation was made from[^\n]*\n)?{HASHES_KEY}:"
                    r"[^\n]*\n(?:[ \t]+[^\n]*\n|[ \t]*\n)*")


def stamp(path: Path, ref: Translation) -> int:
    """Record the current source texts' hashes at the end of a translation file."""
    text = path.read_text(encoding="utf-8-sig")
    text = _BLOCK.sub("", text if text.endswith("\n") else text + "\n").rstrip("\n") + "\n"
    lines = ["\n# What this translation was made from (written by `handout translated`).",
             f"{HASHES_KEY}:"]
    lines += [f'  "{key}": "{fingerprint(value)}"' for key, (value, _) in units(ref).items()]
    write_atomic(path, (text + "\n".join(lines) + "\n").encode("utf-8"))
    return len(lines) - 2


def language_status(entry: HandoutEntry, lang: str) -> str:
    """One word (and a count) for a handout's language in listings."""
    handout = entry.handout
    path = entry.folder / f"{lang}.yaml"
    if not path.is_file():
        return "missing" if handout and lang in handout.languages else "-"
    own = [p for p in entry.problems if Path(p.file) == path]
    if handout is None or lang not in entry.translations or any(p.is_error for p in own):
        return "invalid"
    if lang == handout.source_language:
        return "source"
    stale = sum(p.message.startswith("stale:") for p in own)
    if stale:
        return f"stale ({stale})"
    if entry.translations[lang].source_hashes is None:
        return "unverified"
    return "complete"
