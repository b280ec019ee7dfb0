"""A layout module's optional settings and hooks, with the defaults a plain layout gets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER

from .theme import ThemeOptions

PAPER_SIZES: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}


def _paper(paper: str) -> tuple[float, float]:
    return PAPER_SIZES[paper]


def _same(pages: int) -> int:
    return pages


@dataclass(frozen=True)
class LayoutSpec:
    """What render() needs to know about a layout beyond its templates and story.

    Optional module attributes (all have defaults):
      BODY_SIZE, BODY_FLOOR   body size, and the smallest `fit: shrink` may step down to
      THEME                   ThemeOptions (minimum sizes, italics, contrast …)
      LANGUAGES               2 for a layout that sets two languages side by side
      COPY_PAGE_BUDGET        pages a patient's copy may take, when more than PAGE_BUDGET
                              (its appointment, note and name need room; one copy is printed)
      FILLABLE                True when its pages can carry form fields (--fillable): pages
                              that are not imposed, so fields stay where they were drawn
      page_size(paper)        the size of the pages it flows text into
      final_pages(flowed)     pages of the finished document (padding to 4, a back panel …)
      pad_page(canvas, ctx, page, pages)   draws a page added by final_pages
      finish(pdf, ctx)        -> Finished: imposition onto sheets, extra files
      folds(ctx)              x positions of folds on the finished sheets (fold marks): one
                              list, or one per sheet side
    """

    body_size: float = 11.0
    body_floor: float = 10.0
    theme: ThemeOptions = field(default_factory=ThemeOptions)
    languages: int = 1
    fillable: bool = False
    copy_budget: int | None = None
    page_size: Callable[[str], tuple[float, float]] = _paper
    final_pages: Callable[[int], int] = _same
    pad_page: Callable[..., None] | None = None
    finish: Callable[..., Any] | None = None
    folds: Callable[..., list[float] | list[list[float]]] | None = None

    def flow_budget(self, budget: int) -> int:
        """How many pages text may flow into so the finished document keeps to `budget`."""
        fitting = [n for n in range(1, budget + 1) if self.final_pages(n) <= budget]
        return max(fitting) if fitting else 0


def layout_spec(module: ModuleType | None) -> LayoutSpec:
    if module is None:
        return LayoutSpec()
    defaults = LayoutSpec()
    return LayoutSpec(
        body_size=float(getattr(module, "BODY_SIZE", defaults.body_size)),
        body_floor=float(getattr(module, "BODY_FLOOR", defaults.body_floor)),
        theme=getattr(module, "THEME", defaults.theme),
        languages=int(getattr(module, "LANGUAGES", 1)),
        fillable=bool(getattr(module, "FILLABLE", False)),
        copy_budget=getattr(module, "COPY_PAGE_BUDGET", None),
        page_size=getattr(module, "page_size", _paper),
        final_pages=getattr(module, "final_pages", _same),
        pad_page=getattr(module, "pad_page", None),
        finish=getattr(module, "finish", None),
        folds=getattr(module, "folds", None),
    )
