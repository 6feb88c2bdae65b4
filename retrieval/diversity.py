"""Keeps near-duplicate creators from crowding the top of a ranking.

Two creators are near-duplicates when the words of their best-matching posts overlap almost
entirely (Jaccard similarity of the word sets ≥ ``threshold``): mirrored accounts, reposting
networks, one person's accounts on two platforms. The better-ranked one keeps its place; the
other is moved behind every creator that is not a near-duplicate of someone above it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
DUPLICATE_JACCARD = 0.7


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b| (0 for two empty sets)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def spread(
    items: Sequence[Item],
    words: Callable[[Item], frozenset[str]],
    threshold: float = DUPLICATE_JACCARD,
) -> tuple[list[Item], set[int]]:
    """Items reordered so near-duplicates follow the distinct ones; and the moved positions."""
    kept: list[Item] = []
    kept_words: list[frozenset[str]] = []
    moved: list[Item] = []
    moved_at: set[int] = set()
    for position, item in enumerate(items):
        mine = words(item)
        if mine and any(jaccard(mine, other) >= threshold for other in kept_words):
            moved.append(item)
            moved_at.add(position)
            continue
        kept.append(item)
        kept_words.append(mine)
    return kept + moved, moved_at
