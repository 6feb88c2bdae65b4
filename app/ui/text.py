"""Showing text safely, and the number formats the page uses.

Creator bios, posts and names are untrusted, and so is model output built from them. Where such
text goes through Markdown (a heading, a streamed answer) every ASCII punctuation character is
backslash-escaped, so it shows literally: no links, images, emphasis, LaTeX or HTML.
Elsewhere it goes to ``st.text``, which parses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows literally (CommonMark escapes all ASCII punctuation)."""
    return _PUNCTUATION.sub(r"\\\1", text)


def escaped_chunks(chunks: Iterable[str]) -> Iterator[str]:
    """Escape a stream chunk by chunk (the escape is per character, so chunking is safe)."""
    for chunk in chunks:
        yield escape_markdown(chunk)


def word_chunks(text: str) -> Iterator[str]:
    """Our own text in small pieces, for ``st.write_stream``."""
    yield from re.findall(r"\S+\s*", text)


def compact(count: float) -> str:
    """12,500 → "12.5k", 1,200,000 → "1.2M"."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if abs(count) >= size:
            value = f"{count / size:.1f}".rstrip("0").rstrip(".")
            return f"{value}{suffix}"
    return f"{count:,.0f}"


def ordinal(value: float) -> str:
    """72 → "72nd"."""
    number = round(value)
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
