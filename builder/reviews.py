"""Review dates: a handout whose review is overdue, due soon, or dated in the future."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from .errors import Problem

if TYPE_CHECKING:
    from .project import Project

REVIEW_SOON_DAYS = 90


class ReviewDates(NamedTuple):
    """A handout's review dates and where handout.yaml gives them (line, column)."""

    file: str
    reviewed: dt.date
    reviewed_at: tuple[int, int]
    review_due: dt.date
    due_at: tuple[int, int]


def review_dates(project: Project, ids: Iterable[str] | None = None) -> list[ReviewDates]:
    """The review dates of every handout that loaded (of those in `ids`, when given: a
    build reads only the handouts it builds)."""
    out = []
    chosen = project.handouts.keys() if ids is None else sorted(set(ids))
    for entry in (project.handouts[hid] for hid in chosen if hid in project.handouts):
        h = entry.handout
        if h is None or entry.source is None:
            continue
        out.append(ReviewDates(str(h.file), h.reviewed, entry.source.where(("reviewed",)),
                               h.review_due, entry.source.where(("review_due",))))
    return out


def review_problems(dates: ReviewDates, today: dt.date,
                    overdue: str = "warning") -> list[Problem]:
    """Problems for a review that is overdue (`overdue` severity) or due soon, or a review
    date in the future."""
    out = []
    if dates.reviewed > today:
        out.append(Problem(dates.file, *dates.reviewed_at, "reviewed",
                           f"{dates.reviewed} is in the future; is the year right?", "warning"))
    if dates.review_due < today:
        out.append(Problem(dates.file, *dates.due_at, "review_due",
                           f"the review was due on {dates.review_due}; have it reviewed",
                           overdue))
    elif (dates.review_due - today).days <= REVIEW_SOON_DAYS:
        out.append(Problem(dates.file, *dates.due_at, "review_due",
                           f"the review is due on {dates.review_due}", "warning"))
    return out
