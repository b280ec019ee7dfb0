"""Find and load a handout project: handouts, translations and brands, all checked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import fields as F
from .color import contrast, tint
from .errors import Problem, did_you_mean, one_of
from .fonts import FontLibrary, describe_char
from .labels import available as label_languages
from .labels import has_labels
from .loaders import load_brand, load_handout, load_translation
from .model import Brand, Handout, Translation
from .source import KeyPath, Source
from .theme import RED_FLAG_TINT
from .translations import stale_problems

BUILTIN_ROOT = Path(__file__).resolve().parent.parent
_LANG_FILE = re.compile(F.LANG_PATTERN)


@dataclass
class HandoutEntry:
    """A handout and its translations; `problems` say what stops any of it from building."""

    id: str
    folder: Path
    handout: Handout | None = None
    source: Source | None = None
    translations: dict[str, Translation] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.handout is not None and not any(p.is_error for p in self.problems)


class HandoutEntries(Mapping[str, HandoutEntry]):
    """The project's handouts by id, each read and checked the first time it is asked for:
    `handout build ID` reads one handout, not the whole library."""

    def __init__(self, folders: list[Path], load: Callable[[Path], HandoutEntry]):
        self._folders = {folder.name: folder for folder in folders}
        self._load = load
        self._loaded: dict[str, HandoutEntry] = {}

    def __getitem__(self, handout_id: str) -> HandoutEntry:
        entry = self._loaded.get(handout_id)
        if entry is None:
            entry = self._loaded[handout_id] = self._load(self._folders[handout_id])
        return entry

    def __contains__(self, handout_id: object) -> bool:
        return handout_id in self._folders

    def __iter__(self) -> Iterator[str]:
        return iter(self._folders)

    def __len__(self) -> int:
        return len(self._folders)


@dataclass
class Project:
    root: Path
    handouts: Mapping[str, HandoutEntry]
    brands: dict[str, Brand]
    brand_problems: dict[str, list[Problem]]  # brand id -> what is wrong with it

    def all_brand_problems(self) -> list[Problem]:
        return [p for problems in self.brand_problems.values() for p in problems]


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path`, links followed, lies inside `folder` (content may not point elsewhere)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _not_a_file(path: Path) -> str:
    """Why a name that should be a text file cannot be read as one."""
    if path.is_symlink() and not path.exists():
        return "is a link to a file that does not exist"
    if path.is_dir():
        return "is a folder, not a file"
    return "is not a regular file (a pipe or a device?); save the text as a file"


def _handout_folders(root: Path) -> list[Path]:
    base = root / "handouts"
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _brand_folders(roots: list[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in roots:
        base = root / "assets" / "brands"
        if base.is_dir():
            for p in sorted(base.iterdir()):
                if p.is_dir() and not p.name.startswith((".", "_")):
                    found[p.name] = p  # a project's own brand replaces a built-in one
    return found


def load_project(root: Path, fonts: FontLibrary, layout_names: list[str]) -> Project:
    """Every handout and brand under `root` (brands also from the built-in assets); brands
    are read now, handouts when first asked for."""
    root = root.resolve()
    roots = [BUILTIN_ROOT] if root == BUILTIN_ROOT else [BUILTIN_ROOT, root]
    brands: dict[str, Brand] = {}
    brand_problems: dict[str, list[Problem]] = {}
    for brand_id, folder in _brand_folders(roots).items():
        path = folder / "brand.yaml"
        if path.exists() and not (_inside(folder, folder.parent) and _inside(path, folder)):
            brand_problems[brand_id] = [Problem(str(path), message=(
                "is a link to a file outside the brand's folder; copy the file in instead"))]
            continue
        if not path.is_file():
            brand_problems[brand_id] = [Problem(str(folder),
                                                message="no brand.yaml in this folder")]
            continue
        brand, source, problems = load_brand(path)
        if brand is not None and source is not None:
            problems += _brand_checks(brand, source, fonts)
        if problems:
            brand_problems[brand_id] = problems
        if brand is not None and not any(p.is_error for p in problems):
            brands[brand_id] = brand
    handouts = HandoutEntries(_handout_folders(root),
                              lambda folder: _load_entry(folder, fonts, layout_names))
    return Project(root, handouts, brands, brand_problems)


def _brand_checks(brand: Brand, source: Source, fonts: FontLibrary) -> list[Problem]:
    problems = []
    red_flag_bg = tint(brand.colors.accent, RED_FLAG_TINT)
    for name in ("primary", "accent", "text"):
        color = getattr(brand.colors, name)
        ratio = contrast(color)
        if ratio < 4.5:
            problems.append(source.problem(("colors", name), f"{color} on white has contrast "
                                           f"{ratio:.1f}:1; at least 4.5:1 is needed"))
        elif name != "primary" and contrast(color, red_flag_bg) < 4.5:
            problems.append(source.problem(("colors", name), f"{color} on the red-flag box has "
                                           f"contrast {contrast(color, red_flag_bg):.1f}:1; at "
                                           "least 4.5:1 is needed"))
    texts: list[tuple[KeyPath, str]] = [(("name",), brand.name)]
    texts += [(("name_local", k), v) for k, v in brand.name_local.items()]
    texts += [(("contact", "address", k) if k != "*" else ("contact", "address"), v)
              for k, v in brand.address.items()]
    texts += [(("footer", k) if k != "*" else ("footer",), v) for k, v in brand.footer.items()]
    texts += [((key,), value) for key, value in (("contact", brand.phone),
              ("emergency_phone", brand.emergency_phone)) if value]
    for path, text in texts:
        lang = path[-1] if isinstance(path[-1], str) and has_labels(path[-1]) else "en"
        problems += _coverage(source, path, text, fonts, lang)
    return problems


def _coverage(source: Source, path: KeyPath, text: str, fonts: FontLibrary,
              lang: str) -> list[Problem]:
    missing = fonts.missing(text, lang)
    if not missing:
        return []
    chars = ", ".join(describe_char(c) for c in missing[:5])
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    return [source.problem(path, f"no bundled font has a glyph for {chars}{more}")]


def _load_entry(folder: Path, fonts: FontLibrary, layout_names: list[str]) -> HandoutEntry:
    entry = HandoutEntry(folder.name, folder)
    if not _inside(folder, folder.parent):
        entry.problems.append(Problem(str(folder), message=(
            "is a link to a folder outside handouts/; copy the handout in instead")))
        return entry
    outside = [p for p in sorted(folder.glob("*.yaml")) if not _inside(p, folder)]
    for path in outside:
        entry.problems.append(Problem(str(path), message=(
            "is a link to a file outside this handout's folder; copy the file in instead")))
    if outside:
        return entry
    handout_file = folder / "handout.yaml"
    for path in sorted(folder.glob("*.yaml")):
        if not path.is_file():
            entry.problems.append(Problem(str(path), message=_not_a_file(path)))
    lang_files = sorted(p for p in folder.glob("*.yaml")
                        if p.name != "handout.yaml" and p.is_file())
    for path in lang_files:
        if not _LANG_FILE.match(path.stem):
            entry.problems.append(Problem(str(path), message=(
                f"'{path.name}' is not named after a language tag (en.yaml, ja.yaml, "
                "zh-Hans.yaml …)")))
    present = [p.stem for p in lang_files if _LANG_FILE.match(p.stem)]
    if not handout_file.is_file():
        entry.problems.append(Problem(str(folder), message="no handout.yaml in this folder"))
        return entry
    handout, hsource, problems = load_handout(handout_file, present)
    entry.problems += problems
    if handout is None or hsource is None:
        return entry
    for i, name in enumerate(handout.layouts):
        if name not in layout_names:
            hint = did_you_mean(name, layout_names) or f" Known: {one_of(layout_names)}."
            entry.problems.append(hsource.problem(("layouts", i), f"'{name}' is not a "
                                                  f"layout.{hint}"))
    listed = isinstance(hsource.data, dict) and "languages" in hsource.data
    for i, lang in enumerate(handout.languages):
        if not has_labels(lang):
            hint = did_you_mean(lang, label_languages()) or \
                f" Languages with labels: {one_of(label_languages())}."
            message = f"the builder has no labels for '{lang}' yet.{hint}"
            entry.problems.append(hsource.problem(("languages", i), message) if listed else
                                  Problem(str(folder / f"{lang}.yaml"), message=message))
    sources: dict[str, Source] = {}
    for lang in handout.languages:
        path = folder / f"{lang}.yaml"
        loaded, problems = load_translation(path, folder)
        entry.problems += problems
        if loaded is not None:
            translation, source = loaded
            entry.translations[lang] = translation
            sources[lang] = source
            entry.problems += _translation_checks(handout, translation, source, fonts)
    reference = entry.translations.get(handout.source_language)
    if reference is not None:
        for lang, translation in entry.translations.items():
            if lang != handout.source_language:
                differences = _same_structure(reference, translation, sources[lang])
                entry.problems += differences or stale_problems(reference, translation,
                                                                sources[lang])
    entry.handout = handout
    entry.source = hsource
    return entry


def _translation_checks(handout: Handout, tr: Translation, source: Source,
                        fonts: FontLibrary) -> list[Problem]:
    problems: list[Problem] = []
    ids: dict[str, KeyPath] = {}
    for s in tr.sections:
        base: KeyPath = ("sections", s.index)
        if s.type == "figure" and s.figure not in handout.figures:
            known = list(handout.figures)
            hint = did_you_mean(s.figure or "", known) or (
                f" Figures in handout.yaml: {one_of(known)}." if known else
                " handout.yaml lists no figures.")
            problems.append(source.problem((*base, "figure"), f"'{s.figure}' is not a figure "
                                                              f"of this handout.{hint}"))
        key = "steps" if s.type == "expect" else "items"
        for j, item in enumerate(s.items):
            if item.id is None:
                continue
            if item.id in ids:
                first = ids[item.id]
                problems.append(source.problem((*base, key, j, "id"), f"duplicate id "
                                f"'{item.id}' (also sections[{first[1]}].{first[2]}[{first[3]}])"))
            else:
                ids[item.id] = (*base, key, j)
    for path, text in _texts(tr):
        problems += _coverage(source, path, text, fonts, tr.lang)
    return problems


def _texts(tr: Translation) -> list[tuple[KeyPath, str]]:
    """Every text field of a translation with its key path."""
    out: list[tuple[KeyPath, str]] = [(("title",), tr.title)]
    out += [((k,), v) for k, v in (("subtitle", tr.subtitle), ("summary", tr.summary)) if v]
    for s in tr.sections:
        base: KeyPath = ("sections", s.index)
        out += [((*base, k), v) for k in ("heading", "intro", "text", "caption", "alt")
                if (v := getattr(s, k))]
        key = "steps" if s.type == "expect" else "items"
        for j, item in enumerate(s.items):
            out.append(((*base, key, j, "a" if s.type == "faq" else "text"), item.text))
            if item.question:
                out.append(((*base, key, j, "q"), item.question))
    return out


def _same_structure(ref: Translation, tr: Translation, source: Source) -> list[Problem]:
    """A translation has the source's sections, in order, with the same item ids."""
    problems: list[Problem] = []
    ref_types = [s.type for s in ref.sections]
    types = [s.type for s in tr.sections]
    if ref_types != types:
        return [source.problem(("sections",), f"sections differ from {ref.file.name}: expected "
                               f"{', '.join(ref_types)}; found {', '.join(types)}")]
    for a, b in zip(ref.sections, tr.sections, strict=True):
        key = "steps" if b.type == "expect" else "items"
        ref_ids = [i.id for i in a.items]
        ids = [i.id for i in b.items]
        if ref_ids != ids:
            missing = [i for i in ref_ids if i not in ids]
            extra = [i for i in ids if i not in ref_ids]
            detail = "; ".join(x for x in (
                f"missing {', '.join(map(str, missing))}" if missing else "",
                f"not in {ref.file.name}: {', '.join(map(str, extra))}" if extra else "",
                "" if missing or extra else "in a different order") if x)
            if len(ref_ids) != len(ids) and not missing and not extra:
                detail = f"{len(ids)} entries, {ref.file.name} has {len(ref_ids)}"
            problems.append(source.problem(("sections", b.index, key), f"entries differ from "
                                           f"{ref.file.name}: {detail}"))
    return problems
