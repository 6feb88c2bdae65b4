"""Engagement percentile among peers, risk signals, price and budget fit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.models import Creator, CreatorProfile, Post, PriceEstimate
from app.scores import (
    MIN_PEERS,
    Figures,
    PeerStats,
    budget_fit,
    describe_engagement,
    figures,
    risk_penalty,
    risk_signals,
)


def row(
    er: float,
    cid: str = "c",
    tier: str = "micro",
    platform: str = "instagram",
    followers: int = 20_000,
    following: int | None = 500,
    ratio: float | None = 0.03,
) -> Figures:
    return Figures(cid, platform, tier, followers, following, er, ratio)


def peers(values: list[float], **kwargs: object) -> PeerStats:
    return PeerStats(row(value, cid=f"p{i}", **kwargs) for i, value in enumerate(values))  # type: ignore[arg-type]


def test_percentile_formula_counts_half_of_ties() -> None:
    stats = peers([1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
    # below = 1, equal = 2, peers = 10 -> 100 * (1 + 1) / 10
    assert stats.engagement_percentile(row(2.0)) == (20.0, 10)
    assert stats.engagement_percentile(row(100.0)) == (100.0, 10)
    assert stats.engagement_percentile(row(0.1)) == (0.0, 10)


def test_peers_are_the_same_tier_and_platform_only() -> None:
    stats = PeerStats(
        [row(1.0 + i, cid=f"a{i}") for i in range(10)]
        + [row(50.0, cid=f"t{i}", platform="tiktok") for i in range(10)]
        + [row(0.01, cid=f"m{i}", tier="mid") for i in range(10)]
    )
    percentile, count = stats.engagement_percentile(row(5.5))
    assert count == 10
    assert percentile == 50.0


def test_too_few_peers_gives_no_percentile_and_no_peer_signal() -> None:
    stats = peers([2.0] * (MIN_PEERS - 1))
    assert stats.engagement_percentile(row(0.01))[0] is None
    assert risk_signals(row(0.01), stats) == []
    assert "too few" in describe_engagement(None, MIN_PEERS - 1, row(0.01))


def test_er_far_below_and_implausibly_high_fire_with_their_names() -> None:
    stats = peers([2.0 + 0.1 * i for i in range(40)])
    low = [signal.name for signal in risk_signals(row(0.2), stats)]
    high = [signal.name for signal in risk_signals(row(30.0), stats)]
    normal = risk_signals(row(3.0), stats)
    assert low == ["engagement far below peers"]
    assert high == ["implausibly high engagement"]
    assert normal == []


def test_comment_ratio_outliers_and_following_close_to_followers() -> None:
    stats = peers([2.0] * 20, ratio=0.03)
    pods = risk_signals(row(2.0, ratio=0.6), stats)
    bought = risk_signals(row(2.0, ratio=0.001), stats)
    follow = risk_signals(row(2.0, followers=5_000, following=4_800), stats)
    assert [s.name for s in pods] == ["comments out of proportion to likes"]
    assert [s.name for s in bought] == ["likes without conversation"]
    assert [s.name for s in follow] == ["following close to followers"]
    assert "4,800" in follow[0].detail


def test_signals_are_flags_with_an_explanation() -> None:
    stats = peers([2.0] * 20)
    signal = risk_signals(row(0.1), stats)[0]
    assert "pattern" in signal.detail and "%" in signal.detail
    assert risk_penalty([]) == 0.0
    assert risk_penalty([signal]) == 0.5
    assert risk_penalty([signal, signal, signal]) == 1.0


@pytest.mark.parametrize(
    ("price", "budget", "expected"),
    [(100.0, None, None), (100.0, 300.0, 1.0), (600.0, 300.0, 0.5), (0.0, 10.0, 1.0)],
)
def test_budget_fit(price: float, budget: float | None, expected: float | None) -> None:
    estimate = PriceEstimate(usd=price, basis="test", quoted=False)
    assert budget_fit(estimate, budget) == expected


def test_figures_from_a_profile_use_recent_posts() -> None:
    posts = [
        Post(
            id=f"p{i}",
            text="x",
            likes=100,
            comments=i,
            posted_at=datetime(2026, 1, i + 1, tzinfo=UTC),
        )
        for i in range(5)
    ]
    creator = Creator(
        id="c1", handle="@c1", platform="instagram", followers=10_000, following=90, posts=posts
    )
    profile = CreatorProfile(
        creator=creator,
        tier="micro",
        engagement_rate=1.0,
        price=PriceEstimate(usd=100, basis="b", quoted=False),
    )
    got = figures(profile, recent=2)  # the two newest posts have 4 and 3 comments
    assert got.comments_per_like == pytest.approx(7 / 200)
    assert got.following == 90
