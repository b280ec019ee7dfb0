"""What a build depends on: each document's input files, the files that decide the plan, and
the code that turns them into PDFs. Light on purpose: nothing here loads the engine."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .digests import Digests, text_sha256

if TYPE_CHECKING:
    from .batch import Engine, Job

# The same folder as project.BUILTIN_ROOT; importing project would load reportlab.
BUILTIN_ROOT = Path(__file__).resolve().parent.parent
FONTS = BUILTIN_ROOT / "assets" / "fonts"

# Libraries whose version can change the bytes of a PDF.
LIBRARIES = ("reportlab", "pypdf", "pillow", "babel", "pyphen", "python-bidi",
             "arabic-reshaper", "pyyaml")


def label(path: Path, root: Path) -> str | None:
    """A file's name relative to the project (`project/…`) or to the builder's own files
    (`builtin/…`), so that a project and its output folder can move together; None for a
    file outside both."""
    for prefix, base in (("project", root), ("builtin", BUILTIN_ROOT)):
        if path.is_relative_to(base):
            return f"{prefix}/{path.relative_to(base).as_posix()}"
    return None


def locate(name: str, root: Path) -> Path:
    """The file a label names (see `label`)."""
    prefix, _, rest = name.partition("/")
    return (root if prefix == "project" else BUILTIN_ROOT) / rest


def job_inputs(engine: Engine, job: Job) -> list[Path] | None:
    """Every file a job's document is made from; None when its handout or brand has
    problems (such a job is always built, and fails with them)."""
    entry = engine.project.handouts.get(job.handout)
    brand = engine.project.brands.get(job.brand)
    if entry is None or not entry.ok or entry.handout is None or brand is None:
        return None
    files = [entry.handout.file, *(entry.folder / f"{lang}.yaml" for lang in job.languages),
             *entry.handout.figures.values(), brand.file]
    if brand.logo is not None:
        files.append(brand.logo)
    files.append(FONTS)
    return files


def plan_files(root: Path, digests: Digests) -> dict[str, str]:
    """The folders that decide which documents a build plans, each with one hash over
    everything in it: the handouts and their languages, the brands with their papers and
    languages, and the fonts (a brand whose name no font covers has problems, and is planned
    in every language)."""
    folders = [root / "handouts", root / "assets" / "brands",
               BUILTIN_ROOT / "assets" / "brands", FONTS]
    return {name: digests.of(folder) for folder in dict.fromkeys(folders)
            if (name := label(folder, root)) is not None}


def code_fingerprint(root: Path, digests: Digests) -> str:
    """One hash over the builder's version, code, label catalogues and layouts (the project's
    own too), and the versions of Python and of the libraries that write the PDFs."""
    import layouts  # (the package's own __init__ only; no layout module is imported)

    parts = {
        "builder": __version__,
        "python": sys.version,
        "libraries": library_versions(LIBRARIES),
        "code": digests.of(Path(__file__).parent),
        "layouts": digests.of(Path(layouts.__file__).parent),
    }
    if root != BUILTIN_ROOT and (root / "layouts").is_dir():
        parts["project layouts"] = digests.of(root / "layouts")
    return text_sha256(json.dumps(parts, sort_keys=True).encode())


def library_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Each installed distribution's version, from the name of its metadata folder
    (`<name>-<version>.dist-info`) found first on sys.path, as importlib.metadata would find
    it; reading the folder names takes a millisecond where importlib.metadata takes forty."""
    wanted = {_normal(name): name for name in names}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            listing = os.listdir(folder or ".")
        except OSError:
            continue
        for item in listing:
            if item.endswith((".dist-info", ".egg-info")):
                name, _, version = item.rpartition(".")[0].partition("-")
                target = wanted.get(_normal(name))
                if target is not None:
                    found.setdefault(target, version)
    return {name: found.get(name, "not installed") for name in names}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()
