"""What the benchmark runs on: generated creators, the briefs it matches, and cached stores.

A store for a size is built once under ``<home>/bench/<key>/`` (the key names the size, seed,
posts per creator and embedding model) and reused by later runs. Building is an ordinary ingest,
so an interrupted build resumes where it stopped: complete creators are skipped by their hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.datagen import generate_creators
from app.models import MatchRequest
from app.settings import Settings

# Briefs across the generator's niches, as a marketer would type them.
BRIEFS: tuple[str, ...] = (
    "vegan protein bar for marathon runners",
    "clean skincare serum for sensitive skin",
    "budget travel backpack for solo trips",
    "specialty coffee subscription for home baristas",
    "indie video game launch for retro fans",
    "eco-friendly reusable kitchen products",
    "beginner yoga mats and home practice",
    "family meal planning app for busy parents",
    "premium dog food for active breeds",
    "personal finance app that helps young people save",
    "mirrorless camera for street photography",
    "cozy home decor for small apartments",
    "gravel bike and cycling apparel",
    "sourdough baking kit for beginners",
    "sustainable fashion brand with recycled fabrics",
    "noise-cancelling headphones for music producers",
    "book subscription box for fantasy readers",
    "hiking boots for alpine trails",
    "organic garden seeds and raised beds",
    "strength training app for women",
)

# Hard filters of the filtered runs: a categorical one, a range one, and a mix of both.
FILTERS: tuple[dict[str, Any], ...] = (
    {"platforms": ["instagram"], "min_followers": 10_000, "max_followers": 100_000},
    {"countries": ["US", "GB"], "min_engagement": 2.0},
    {"tiers": ["micro", "nano"], "platforms": ["tiktok"], "max_price_usd": 500},
)


def requests(count: int, filtered: bool) -> list[MatchRequest]:
    """``count`` match requests cycling through the briefs (and the filters when asked)."""
    out = []
    for i in range(count):
        extra = FILTERS[i % len(FILTERS)] if filtered else {}
        out.append(MatchRequest(topic=BRIEFS[i % len(BRIEFS)], k=10, **extra))
    return out


def write_creators(path: Path, n: int, seed: int, posts_per_creator: int | None) -> int:
    """Write ``n`` generated creators as JSONL, keeping at most ``posts_per_creator`` posts."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in generate_creators(n, seed):
            if posts_per_creator is not None:
                record["posts"] = record["posts"][:posts_per_creator]
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


@dataclass(frozen=True)
class SizeSpec:
    """One store size of the benchmark."""

    creators: int
    seed: int
    posts_per_creator: int | None  # None: every generated post (6 to 12 per creator)

    def key(self, settings: Settings) -> str:
        """Folder name of the cached store: size, seed, posts cap and embedding model."""
        model = settings.embedding.model
        slug = re.sub(r"[^a-zA-Z0-9]+", "-", Path(model).name or model).strip("-").lower()
        digest = hashlib.sha256(
            f"{model}|{settings.embedding.resolved_backend}".encode()
        ).hexdigest()[:8]
        posts = "all" if self.posts_per_creator is None else str(self.posts_per_creator)
        return f"n{self.creators}-seed{self.seed}-posts{posts}-{slug}-{digest}"


def cache_root(settings: Settings) -> Path:
    """Where built benchmark stores are kept between runs."""
    return settings.home / "bench"
