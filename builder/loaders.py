"""One file in, one checked model value out: handout.yaml, <lang>.yaml and brand.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import fields as F
from .errors import Problem, did_you_mean
from .images import check_image
from .model import Brand, Colors, Handout, Item, Section, SourceRef, Translation
from .schema import INVALID, Checker
from .source import KeyPath, Source, load

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


def _has_invalid(value: Any) -> bool:
    if value is INVALID:
        return True
    if isinstance(value, dict):
        return any(_has_invalid(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_invalid(v) for v in value)
    return False


def _image_problems(source: Source, path: KeyPath, file: Path) -> list[Problem]:
    if file.suffix.lower() not in IMAGE_SUFFIXES:
        return [source.problem(path, f"'{file.name}' must be a PNG or JPEG file (.png, .jpg)")]
    message = check_image(file)
    return [source.problem(path, f"{file.name}: {message}")] if message else []


def _checked(path: Path, spec: F.Field, folder: Path) -> tuple[Source | None, Any, list[Problem]]:
    source, problems = load(path)
    if source is None or problems:
        return source, None, problems
    checker = Checker(source, folder)
    data = checker.check(source.data, spec)
    return source, data, checker.problems


def load_handout(path: Path, present_languages: list[str]) -> tuple[
        Handout | None, Source | None, list[Problem]]:
    """Read handouts/<id>/handout.yaml; `present_languages` are the <lang>.yaml files found."""
    folder = path.parent
    source, data, problems = _checked(path, F.HANDOUT, folder)
    if source is None or data is INVALID or data is None:
        return None, source, problems
    if data.get("id") not in (None, INVALID) and data["id"] != folder.name:
        problems.append(source.problem(("id",), f"'{data['id']}' must equal the folder name "
                                                f"'{folder.name}'"))
    for key in ("reviewed", "review_due"):
        if data.get(key) is INVALID:
            data.pop(key)
    if "reviewed" in data and "review_due" in data and data["review_due"] < data["reviewed"]:
        problems.append(source.problem(("review_due",), f"{data['review_due']} is before the "
                                                        f"review date {data['reviewed']}"))
    for key in ("languages", "layouts"):
        values = data.get(key)
        for i, value in enumerate(values if isinstance(values, list) else []):
            if isinstance(value, str) and value in values[:i]:
                problems.append(source.problem((key, i), f"'{value}' is listed twice"))
    seen: dict[str, int] = {}
    sources = data.get("sources")
    for i, ref in enumerate(sources if isinstance(sources, list) else []):
        if isinstance(ref, dict) and isinstance(ref.get("id"), str):
            if ref["id"] in seen:
                problems.append(source.problem(("sources", i, "id"), f"duplicate source id "
                                               f"'{ref['id']}' (also sources[{seen[ref['id']]}])"))
            seen.setdefault(ref["id"], i)
    figures = data.get("figures")
    for name, file in (figures.items() if isinstance(figures, dict) else ()):
        if isinstance(file, Path):
            problems += _image_problems(source, ("figures", name), file)
    languages = data.get("languages")
    if isinstance(languages, list):
        for i, lang in enumerate(languages):
            if isinstance(lang, str) and lang not in present_languages:
                hint = did_you_mean(lang, present_languages)
                problems.append(source.problem(("languages", i),
                                               f"no {lang}.yaml in {folder.name}/.{hint}"))
    source_language = data.get("source_language")
    if isinstance(source_language, str) and source_language not in present_languages:
        hint = did_you_mean(source_language, present_languages)
        problems.append(source.problem(("source_language",),
                                       f"no {source_language}.yaml in {folder.name}/.{hint}"))
    if problems or _has_invalid(data):
        return None, source, problems
    return Handout(
        id=data["id"], folder=folder, file=path, condition=data["condition"],
        source_language=data["source_language"],
        languages=tuple(data.get("languages") or sorted(present_languages)),
        reviewed=data["reviewed"], review_due=data["review_due"],
        reviewed_by=_per_language(data.get("reviewed_by")),
        layouts=tuple(data.get("layouts") or ()),
        fit=data.get("fit") or "none",
        sources=tuple(SourceRef(s["id"], s["citation"], s.get("url"))
                      for s in data.get("sources") or ()),
        figures=dict(data.get("figures") or {}),
    ), source, []


def load_translation(path: Path, handout_folder: Path) -> tuple[
        tuple[Translation, Source] | None, list[Problem]]:
    """Read handouts/<id>/<lang>.yaml into a Translation (cross-checks happen later)."""
    source, data, problems = _checked(path, F.TRANSLATION, handout_folder)
    if source is None or data is INVALID or data is None or problems or _has_invalid(data):
        return None, problems
    sections = tuple(_section(i, s, source.where(("sections", i)))
                     for i, s in enumerate(data["sections"]))
    return (Translation(lang=path.stem, file=path, title=data["title"], sections=sections,
                        subtitle=data.get("subtitle"), summary=data.get("summary"),
                        source_hashes=data.get("source_hashes")), source), []


def _section(index: int, data: dict[str, Any], where: tuple[int, int]) -> Section:
    kind = data["type"]
    items: tuple[Item, ...] = ()
    if kind == "expect":
        items = tuple(Item(s.get("id"), s["text"]) for s in data["steps"])
    elif kind == "faq":
        items = tuple(Item(q.get("id"), q["a"], q["q"]) for q in data["items"])
    elif kind in F.LIST_SECTION_TYPES:
        items = tuple(Item(i["id"], i["text"]) for i in data["items"])
    return Section(type=kind, index=index, heading=data.get("heading"), intro=data.get("intro"),
                   text=data.get("text"), items=items, figure=data.get("figure"),
                   caption=data.get("caption"), alt=data.get("alt"), line=where[0], col=where[1])


def load_brand(path: Path) -> tuple[Brand | None, Source | None, list[Problem]]:
    """Read assets/brands/<id>/brand.yaml into a Brand."""
    folder = path.parent
    source, data, problems = _checked(path, F.BRAND, folder)
    if source is None or data is INVALID or data is None:
        return None, source, problems
    logo = data.get("logo")
    if isinstance(logo, Path):
        problems += _image_problems(source, ("logo",), logo)
    if problems or _has_invalid(data):
        return None, source, problems
    contact = data.get("contact") or {}
    address = contact.get("address")
    footer = data.get("footer")
    return Brand(
        id=folder.name, folder=folder, file=path, name=data["name"],
        name_local=dict(data.get("name_local") or {}), logo=logo,
        paper=data.get("paper") or "a4", languages=tuple(data.get("languages") or ()),
        colors=Colors(**(data.get("colors") or {})),
        address=address if isinstance(address, dict) else ({"*": address} if address else {}),
        phone=contact.get("phone"), email=contact.get("email"), web=contact.get("web"),
        emergency_phone=data.get("emergency_phone"), booking_url=data.get("booking_url"),
        footer=footer if isinstance(footer, dict) else ({"*": footer} if footer else {}),
    ), source, []


def _per_language(value: object) -> dict[str, str]:
    """A text given once for every language ('*'), or per language tag."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return {"*": str(value)} if value else {}
