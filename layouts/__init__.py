"""Layout registry: every module in this folder (and a project's layouts/) not starting with _.

A layout module arranges; it does not build paragraphs or read files. It defines:

    NAME: str                  the name used on the command line and in handout.yaml
    DESCRIPTION: str
    PAGE_BUDGET: int | None    pages (or panels) it may use; None = unlimited
    UNIT: str                  what the budget counts ("page", "panel", "side")
    def page_templates(ctx: LayoutContext) -> list[PageTemplate]
    def story(ctx: LayoutContext) -> list[Flowable]
    def decorate_page(canvas, ctx: LayoutContext, page: int, pages: int) -> None
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from pathlib import Path
from types import ModuleType

REQUIRED = ("NAME", "DESCRIPTION", "PAGE_BUDGET", "UNIT", "page_templates", "story",
            "decorate_page")


class LayoutProblem(Exception):
    """A layout module that cannot be used."""


def _check(module: ModuleType, origin: str) -> ModuleType:
    missing = [name for name in REQUIRED if not hasattr(module, name)]
    if missing:
        raise LayoutProblem(f"{origin}: not a layout module; missing {', '.join(missing)}")
    return module


def builtin_layouts() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            module = _check(importlib.import_module(f"{__name__}.{info.name}"), info.name)
            found[module.NAME] = module
    return found


def project_layouts(root: Path) -> dict[str, ModuleType]:
    """Layouts a project brings in its own layouts/ folder (Python code: trusted like a plugin)."""
    found: dict[str, ModuleType] = {}
    folder = root / "layouts"
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"handout_project_layouts.{path.stem}", path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # a broken plugin is reported, not fatal
            raise LayoutProblem(f"{path}: cannot load layout: {exc}") from exc
        _check(module, str(path))
        found[module.NAME] = module
    return found
