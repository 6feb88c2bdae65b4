"""Figures derived from a creator record: tier, engagement rate, price per post.

Engagement rate (ER) of one post = (likes + comments) / followers. A creator's ER is the
**mean** of that over their most recent posts (``match.recent_posts_for_er``, default 12),
in percent. The platform's share/save counts are not in the record, so they are not counted.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.models import Creator, Post, PriceEstimate
from app.settings import MatchSettings, TierSettings

SUB_NANO = "sub-nano"


def tier_for(followers: int, tiers: TierSettings) -> str:
    """Name of the tier a follower count falls in, by the configured lower bounds."""
    name = SUB_NANO
    for tier, lower in tiers.ordered():
        if followers >= lower:
            name = tier
    return name


def tier_names(tiers: TierSettings) -> list[str]:
    """All tier names, smallest first, including the one below nano."""
    return [SUB_NANO, *(name for name, _ in tiers.ordered())]


def tier_range(tier: str, tiers: TierSettings) -> tuple[int, int | None]:
    """Follower range [low, high) of a tier; ``high`` is None for the top tier."""
    ordered = tiers.ordered()
    if tier == SUB_NANO:
        return 0, ordered[0][1]
    for index, (name, lower) in enumerate(ordered):
        if name == tier:
            upper = ordered[index + 1][1] if index + 1 < len(ordered) else None
            return lower, upper
    raise ValueError(f"unknown tier {tier!r}; known tiers: {', '.join(tier_names(tiers))}")


def recent_posts(posts: Sequence[Post], count: int) -> list[Post]:
    """The ``count`` most recent posts, newest first."""
    return sorted(posts, key=lambda post: post.posted_at, reverse=True)[:count]


def post_engagement_rate(post: Post, followers: int) -> float:
    """ER of one post in percent; 0 for an account without followers."""
    if followers <= 0:
        return 0.0
    return 100.0 * (post.likes + post.comments) / followers


def engagement_rate(creator: Creator, recent: int = 12) -> float:
    """Mean ER over the creator's ``recent`` newest posts, in percent."""
    posts = recent_posts(creator.posts, recent)
    if not posts:
        return 0.0
    return sum(post_engagement_rate(post, creator.followers) for post in posts) / len(posts)


def estimate_price(creator: Creator, match: MatchSettings) -> PriceEstimate:
    """Price per post: the creator's quoted rate when known, else the followers rule of thumb."""
    if creator.rate_usd is not None:
        return PriceEstimate(
            usd=round(creator.rate_usd, 2), basis="quoted by the creator", quoted=True
        )
    usd = max(10.0, round(creator.followers / 10_000 * match.usd_per_10k_followers, 2))
    return PriceEstimate(
        usd=usd,
        basis=(
            f"estimate: ${match.usd_per_10k_followers:g} per 10k followers per post "
            "(rule of thumb from an agency price guide), floor $10"
        ),
        quoted=False,
    )
