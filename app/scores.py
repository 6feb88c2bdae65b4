"""Creator scores beside niche fit: engagement among peers, risk signals, price and budget fit.

Each score is computed from the data at hand and carries its own explanation:

- **Engagement percentile** among peers of the same tier *and* platform in the store:
  ``P = 100 × (B + ½·E) / N`` where N is the number of peers (the creator included), B those with
  a lower ER and E those with the same ER. ER falls with size and differs between platforms, so
  a flat threshold would favour small TikTok accounts over everything else.
- **Authenticity risk signals**: flags, never verdicts. Each names the pattern it saw and why it
  matters. There is no audience or follower-history data, so signals that need it (sudden
  follower jumps, generic repeated comments, audience quality) are not computed.
- **Price per post**: the creator's quoted rate first, else the rule-of-thumb estimate, always
  with its basis (:func:`app.metrics.estimate_price`).
- **Budget fit**: ``min(1, budget / price)``: 1 within budget, lower the further above it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from app.metrics import recent_posts
from app.models import CreatorProfile, PriceEstimate, RiskSignal

#: Fewest peers a comparison needs; below it no percentile or peer-based signal is given.
MIN_PEERS = 8
ER_LOW_FACTOR = 0.25
ER_HIGH_FACTOR = 4.0
HIGH_QUANTILE = 0.975
RATIO_HIGH_FACTOR = 4.0
RATIO_LOW_FACTOR = 0.15
FOLLOWING_SHARE = 0.8
FOLLOWING_MIN_FOLLOWERS = 1_000


@dataclass(frozen=True)
class Figures:
    """What the scores need to know about one creator."""

    creator_id: str
    platform: str
    tier: str
    followers: int
    following: int | None
    engagement_rate: float
    comments_per_like: float | None


def figures(profile: CreatorProfile, recent: int = 12) -> Figures:
    """The figures of a stored creator profile (comments per like over its recent posts)."""
    creator = profile.creator
    posts = recent_posts(creator.posts, recent)
    likes = sum(post.likes for post in posts)
    comments = sum(post.comments for post in posts)
    return Figures(
        creator_id=creator.id,
        platform=creator.platform,
        tier=profile.tier,
        followers=creator.followers,
        following=creator.following,
        engagement_rate=profile.engagement_rate,
        comments_per_like=(comments / likes) if likes > 0 else None,
    )


def _median(values: list[float]) -> float:
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def _quantile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


@dataclass
class PeerGroup:
    """Sorted figures of the creators of one tier on one platform."""

    er: list[float]
    ratio: list[float]


class PeerStats:
    """Engagement and comment figures grouped by (tier, platform)."""

    def __init__(self, rows: Iterable[Figures]) -> None:
        er: dict[tuple[str, str], list[float]] = defaultdict(list)
        ratio: dict[tuple[str, str], list[float]] = defaultdict(list)
        for row in rows:
            er[(row.tier, row.platform)].append(row.engagement_rate)
            if row.comments_per_like is not None:
                ratio[(row.tier, row.platform)].append(row.comments_per_like)
        self.groups = {
            key: PeerGroup(sorted(values), sorted(ratio.get(key, []))) for key, values in er.items()
        }

    def group(self, tier: str, platform: str) -> PeerGroup | None:
        """Peers of a tier on a platform, or None when there are too few to compare."""
        found = self.groups.get((tier, platform))
        return found if found and len(found.er) >= MIN_PEERS else None

    def engagement_percentile(self, row: Figures) -> tuple[float | None, int]:
        """(percentile 0–100, number of peers); None when there are too few peers."""
        peers = self.group(row.tier, row.platform)
        if peers is None:
            return None, len(self.groups.get((row.tier, row.platform), PeerGroup([], [])).er)
        below = bisect.bisect_left(peers.er, row.engagement_rate)
        equal = bisect.bisect_right(peers.er, row.engagement_rate) - below
        return round(100.0 * (below + 0.5 * equal) / len(peers.er), 1), len(peers.er)


def risk_signals(row: Figures, peers: PeerStats) -> list[RiskSignal]:
    """Authenticity risk signals that fire for a creator, each named and explained."""
    signals: list[RiskSignal] = []
    group = peers.group(row.tier, row.platform)
    who = f"{row.tier} {row.platform} creators"
    if group is not None:
        median = _median(group.er)
        if median > 0 and row.engagement_rate < ER_LOW_FACTOR * median:
            signals.append(
                RiskSignal(
                    name="engagement far below peers",
                    detail=(
                        f"ER {row.engagement_rate:.2f}% is under {ER_LOW_FACTOR:.0%} of the median "
                        f"{median:.2f}% of {len(group.er)} {who}; a pattern seen with bought "
                        "followers"
                    ),
                )
            )
        high = _quantile(group.er, HIGH_QUANTILE)
        if median > 0 and row.engagement_rate > max(ER_HIGH_FACTOR * median, high):
            signals.append(
                RiskSignal(
                    name="implausibly high engagement",
                    detail=(
                        f"ER {row.engagement_rate:.2f}% is over {ER_HIGH_FACTOR:g}× the median "
                        f"{median:.2f}% of {len(group.er)} {who}; a pattern seen with "
                        "engagement pods or bought likes"
                    ),
                )
            )
        if row.comments_per_like is not None and len(group.ratio) >= MIN_PEERS:
            ratio_median = _median(group.ratio)
            if ratio_median > 0 and row.comments_per_like > max(
                RATIO_HIGH_FACTOR * ratio_median, _quantile(group.ratio, HIGH_QUANTILE)
            ):
                signals.append(
                    RiskSignal(
                        name="comments out of proportion to likes",
                        detail=(
                            f"{row.comments_per_like:.3f} comments per like against a peer "
                            f"median of {ratio_median:.3f}; a pattern of comment pods or "
                            "generic bought comments"
                        ),
                    )
                )
            elif ratio_median > 0 and row.comments_per_like < RATIO_LOW_FACTOR * ratio_median:
                signals.append(
                    RiskSignal(
                        name="likes without conversation",
                        detail=(
                            f"{row.comments_per_like:.4f} comments per like against a peer "
                            f"median of {ratio_median:.3f}; a pattern seen with bought likes"
                        ),
                    )
                )
    if (
        row.following is not None
        and row.followers >= FOLLOWING_MIN_FOLLOWERS
        and row.following >= FOLLOWING_SHARE * row.followers
    ):
        signals.append(
            RiskSignal(
                name="following close to followers",
                detail=(
                    f"follows {row.following:,} accounts with {row.followers:,} followers; a "
                    "pattern of follow-for-follow growth"
                ),
            )
        )
    return signals


def risk_penalty(signals: list[RiskSignal]) -> float:
    """0 with no signal, 0.5 with one, 1 with two or more."""
    return min(1.0, 0.5 * len(signals))


def budget_fit(price: PriceEstimate, budget: float | None) -> float | None:
    """``min(1, budget / price)``; None when no budget was given."""
    if budget is None:
        return None
    if price.usd <= 0:
        return 1.0
    return round(min(1.0, budget / price.usd), 3)


def describe_engagement(percentile: float | None, peers: int, row: Figures) -> str:
    """The engagement percentile in words, with its formula."""
    who = f"{row.tier} {row.platform} creators"
    if percentile is None:
        return f"engagement {row.engagement_rate:.2f}% (too few {who} here to compare: {peers})"
    return (
        f"engagement {row.engagement_rate:.2f}% is at the {percentile:.0f}th percentile of "
        f"{peers} {who} (100 × (lower + ½ equal) / peers)"
    )
