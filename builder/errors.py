"""Problems found in a handout project, located to file, line and column."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong (or worth a warning) in one file, in compiler style; sorted by file,
    line and column. (A named tuple: every command imports it, and it costs a tenth of a
    dataclass to create at start.)"""

    file: str
    line: int = 0
    col: int = 0
    path: str = ""
    message: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = display_path(self.file)
        if self.line:
            where += f":{self.line}:{self.col}" if self.col else f":{self.line}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return f"{text} (warning)" if self.severity == "warning" else text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class BuildError(Exception):
    """Raised with the problems that stop a document (or a whole run) from being built."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FitError(BuildError):
    """The text does not fit a layout at the size tried: a smaller size (`fit: shrink`) may."""


def display_path(file: str | os.PathLike[str]) -> str:
    """A path relative to the working folder when it lies below it, else absolute."""
    # Links are not followed: the message names the file as the user sees it.
    absolute = Path(os.path.abspath(file))
    for base in (Path(os.path.abspath(Path.cwd())), Path.cwd().resolve()):
        try:
            return str(absolute.relative_to(base))
        except ValueError:
            continue
    return str(absolute)


# Language codes people often write for another (country codes, old tags).
LANGUAGE_ALIASES = {"jp": "ja", "jpn": "ja", "cn": "zh-Hans", "zh": "zh-Hans", "zh-CN": "zh-Hans",
                    "zh-TW": "zh-Hant", "kr": "ko", "kor": "ko", "sp": "es", "esp": "es",
                    "vn": "vi", "eng": "en", "en-GB": "en", "en-US": "en", "sa": "ar"}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' Did you mean 'x'?' for the closest choice, or '' when none is close."""
    options = sorted(set(choices))
    by_case = {c.lower(): c for c in options}
    alias = LANGUAGE_ALIASES.get(word)
    if alias in options:
        close = [alias]
    elif word.lower() in by_case:
        close = [by_case[word.lower()]]
    else:
        import difflib  # (only for a mistake: most runs never need it)

        close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def one_of(choices: Iterable[str]) -> str:
    """A readable list of allowed values: 'a', 'b' or 'c'."""
    items = [f"'{c}'" for c in sorted(set(choices))]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
