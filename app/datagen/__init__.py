"""Seeded generator of realistic demo creators for Nichematch.

Produces canonical creator records (bio, audience numbers, 6–12 posts each) across 26 niches,
five platforms and twenty countries, plus ground-truth fields (``true_niches``, ``true_risk``)
that the project's evaluation uses. Standard library only; deterministic for a given seed.

    >>> from app.datagen import generate_creators
    >>> first = next(generate_creators(1, seed=7))
    >>> first["id"]
    'c000001'

Regenerate the bundled dataset with ``python -m app.datagen --n 1500 --seed 7 --out
data/creators.jsonl``.
"""

from __future__ import annotations

from .compose import NICHE_KEYWORDS
from .generator import NICHES, TIER_RANGES, generate_creators, make_creator, write_jsonl

__all__ = [
    "NICHES",
    "NICHE_KEYWORDS",
    "TIER_RANGES",
    "generate_creators",
    "make_creator",
    "write_jsonl",
]
