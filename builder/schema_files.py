"""The schema/ folder of a project: JSON Schemas that editors find through a comment line."""

from __future__ import annotations

import os
from pathlib import Path

from .json_schema import FORMATS, file_name, render
from .output import write_atomic

FOLDER = "schema"


def write_schemas(folder: Path, names: list[str] | None = None) -> list[Path]:
    """Write schema/<name>.schema.json for each format whose file is missing or different;
    returns the files written."""
    written = []
    for name in names or list(FORMATS):
        path = folder / file_name(name)
        text = render(name)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text.encode("utf-8"))
            written.append(path)
    return written


def format_of(path: Path) -> str:
    """Which format a YAML file of a project is, by its name and place."""
    if path.name == "handout.yaml":
        return "handout"
    if path.name == "brand.yaml":
        return "brand"
    if path.name == "patient.yaml" or path.parent.parent.name != "handouts":
        return "patient"
    return "translation"


def modeline(path: Path, root: Path) -> str:
    """The first line that tells YAML editors (yaml-language-server) which schema a file
    follows, as a path relative to the file so that it resolves offline."""
    target = root / FOLDER / file_name(format_of(path))
    relative = os.path.relpath(target, path.parent).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={relative}"
