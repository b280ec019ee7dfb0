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
import sys
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
    import pkgutil  # (here: a build with nothing to do imports this package, never its layouts)

    found: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            module = _check(importlib.import_module(f"{__name__}.{info.name}"), info.name)
            found[module.NAME] = module
    return found


PROJECT_PACKAGE = "handout_project_layouts"


def _project_package(folder: Path) -> None:
    """Make a project's layouts/ a package, so its modules can share helpers
    (`from ._common import ...`) as the built-in ones do. Its __init__.py is not run."""
    package = ModuleType(PROJECT_PACKAGE)
    package.__path__ = [str(folder)]
    package.__package__ = PROJECT_PACKAGE
    for name in [n for n in sys.modules if n.startswith(PROJECT_PACKAGE + ".")]:
        del sys.modules[name]  # another project's layouts, loaded earlier in this process
    sys.modules[PROJECT_PACKAGE] = package


def project_layouts(root: Path) -> dict[str, ModuleType]:
    """Layouts a project brings in its own layouts/ folder (Python code: trusted like a plugin)."""
    found: dict[str, ModuleType] = {}
    folder = root / "layouts"
    if not folder.is_dir():
        return found
    _project_package(folder)
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        name = f"{PROJECT_PACKAGE}.{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # reported with its path as a usage error, never a traceback
            del sys.modules[name]
            raise LayoutProblem(f"{path}: cannot load layout: {exc}") from exc
        _check(module, str(path))
        found[module.NAME] = module
    return found
