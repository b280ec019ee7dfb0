"""What a process keeps between documents of a batch, and a way to forget the texts.

Fonts, themes, QR codes and compressed images are kept for the whole run. So are the texts
a document sets: their markup, parsed fragments, broken lines and font subsets, reused by
every other document that sets the same text in the same style and width. `forget_texts`
empties the text caches; the benchmarks use it to time a document whose text is new to the process.
"""

from __future__ import annotations

from . import font_subsets, linebreak, text


def forget_texts() -> None:
    text._shared_markup.cache_clear()
    linebreak._PARSED.clear()
    linebreak._PARSED_FRAGS.clear()
    linebreak._LINES.clear()
    font_subsets.forget()
