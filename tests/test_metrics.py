"""Tiers, engagement rate and price estimates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.metrics import engagement_rate, estimate_price, tier_for, tier_range
from app.models import Creator, Post
from app.settings import MatchSettings, TierSettings


def creator(followers=10_000, likes=(100, 300), rate=None):
    start = datetime(2026, 10, 1, tzinfo=UTC)
    posts = [
        Post(id=f"p{i}", text="t", likes=like, comments=0, posted_at=start - timedelta(days=i))
        for i, like in enumerate(likes)
    ]
    return Creator(
        id="c", handle="@c", platform="instagram", followers=followers, posts=posts, rate_usd=rate
    )


@pytest.mark.parametrize(
    ("followers", "tier"),
    [
        (500, "sub-nano"),
        (1_000, "nano"),
        (9_999, "nano"),
        (10_000, "micro"),
        (99_999, "micro"),
        (100_000, "mid"),
        (500_000, "macro"),
        (2_000_000, "mega"),
    ],
)
def test_default_tiers(followers, tier):
    assert tier_for(followers, TierSettings()) == tier


def test_tiers_follow_settings():
    tiers = TierSettings(nano=1_000, micro=2_000, mid=100_000, macro=500_000, mega=1_000_000)
    assert tier_for(5_000, tiers) == "micro"
    assert tier_range("micro", tiers) == (2_000, 100_000)
    assert tier_range("mega", tiers) == (1_000_000, None)


def test_tier_bounds_must_increase():
    with pytest.raises(ValueError, match="strictly increase"):
        TierSettings(micro=500)


def test_engagement_rate_is_mean_of_recent_posts_in_percent():
    # (100/10k + 300/10k) / 2 = 2 %
    assert engagement_rate(creator()) == pytest.approx(2.0)
    # only the newest post counts with recent=1: 100/10k = 1 %
    assert engagement_rate(creator(), recent=1) == pytest.approx(1.0)
    assert engagement_rate(creator(followers=0)) == 0.0


def test_price_prefers_quoted_rate():
    quoted = estimate_price(creator(rate=250), MatchSettings())
    assert (quoted.usd, quoted.quoted) == (250, True)
    estimated = estimate_price(creator(followers=50_000), MatchSettings())
    assert estimated.usd == 500 and not estimated.quoted and "10k followers" in estimated.basis
