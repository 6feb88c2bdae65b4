"""Aggregation, fusion, the final score and diversity."""

from __future__ import annotations

import numpy as np
import pytest

from app.models import Evidence, Match, PriceEstimate, RiskSignal, ScoreBreakdown
from app.settings import MatchSettings
from retrieval.diversity import jaccard, spread
from retrieval.fusion import aggregate_posts, fuse, normalise, top_mean
from retrieval.ranking import final_score


def test_consistent_creator_beats_one_lucky_post() -> None:
    consistent = top_mean([0.6, 0.58, 0.57], n=3, floor=0.3)
    lucky = top_mean([0.7], n=3, floor=0.3)
    assert consistent > lucky


def test_aggregate_posts_respects_the_allowed_mask_and_depth() -> None:
    scores = np.array([5.0, 4.0, 3.0, 9.0, 0.0])
    owners = np.array([0, 0, 1, 2, 1])
    allowed = np.array([True, False, False])
    got = aggregate_posts(scores, owners, allowed, n=2, depth=10)
    assert got == {0: 4.5}  # creators 1 and 2 are filtered out
    both = aggregate_posts(scores, owners, np.array([True, True, False]), n=2, depth=10)
    assert both == {0: 4.5, 1: 1.5}  # a missing second post counts as 0
    shallow = aggregate_posts(scores, owners, np.array([True, True, True]), n=1, depth=1)
    assert shallow == {2: 9.0}


def test_normalise_and_fuse() -> None:
    assert normalise({"a": 2.0, "b": 1.0, "c": 0.5}, floor=0.5) == {"a": 1.0, "b": 1 / 3, "c": 0.0}
    assert normalise({}) == {}
    fused = fuse({"dense": {"a": 1.0, "b": 0.5}, "lexical": {"b": 1.0}}, {"dense": 1, "lexical": 1})
    assert fused == {"a": 0.5, "b": 0.75}
    # A signal that is absent for the request does not dilute the others.
    assert fuse({"dense": {"a": 1.0}}, {"dense": 1, "lexical": 1}) == {"a": 1.0}


def breakdown(fit: float, percentile: float | None = 50.0, risks: int = 0) -> ScoreBreakdown:
    signal = RiskSignal(name="x", detail="y")
    return ScoreBreakdown(
        fit=fit,
        engagement_percentile=percentile,
        risk_signals=[signal] * risks,
        price=PriceEstimate(usd=100, basis="b", quoted=False),
    )


def test_final_score_is_the_documented_weighted_sum() -> None:
    config = MatchSettings(weight_fit=0.75, weight_engagement=0.15, weight_risk=0.10)
    assert final_score(breakdown(1.0, 100.0), config) == pytest.approx(0.9)
    assert final_score(breakdown(1.0, 100.0, risks=1), config) == pytest.approx(0.85)
    assert final_score(breakdown(1.0, None), config) == pytest.approx(0.825)
    with_budget = breakdown(0.5, 0.0).model_copy(update={"budget_fit": 0.5})
    assert final_score(with_budget, config.model_copy(update={"weight_budget": 0.2})) == (
        pytest.approx(0.375 + 0.1)
    )


def match(cid: str, text: str) -> Match:
    return Match(
        creator_id=cid,
        handle=f"@{cid}",
        platform="instagram",
        followers=1,
        tier="nano",
        engagement_rate=1.0,
        score=1.0,
        reasons=[],
        evidence=[Evidence(post_id="p", text=text)],
    )


def test_near_duplicates_move_behind_distinct_creators() -> None:
    items = [
        match("a", "sourdough starter feeding schedule and crumb shots"),
        match("b", "sourdough starter feeding schedule and crumb shots!"),
        match("c", "espresso tamping pressure and grind size"),
    ]
    ordered, moved = spread(items, lambda m: frozenset(m.evidence[0].text.split()))
    assert [m.creator_id for m in ordered] == ["a", "c", "b"]
    assert moved == {1}
    assert jaccard(frozenset(), frozenset()) == 0.0


def test_the_vectorised_filters_agree_with_the_per_creator_check() -> None:
    from app.models import MatchRequest
    from retrieval.filters import allowed_mask, violations

    rng = np.random.default_rng(7)
    metas = [
        {
            "creator_id": f"c{i}",
            "handle": f"@C{i}",
            "platform": rng.choice(["instagram", "tiktok", "youtube"]),
            "country": rng.choice(["DE", "US", ""]),
            "language": rng.choice(["de", "en"]),
            "tier": rng.choice(["nano", "micro", "mid"]),
            "followers": int(rng.integers(500, 300_000)),
            "engagement_rate": float(rng.uniform(0, 8)),
            "price_usd": float(rng.uniform(10, 3_000)),
        }
        for i in range(300)
    ]
    columns = {
        key: np.array([m[key] for m in metas], dtype=object) for key in metas[0] if key != "handle"
    }
    columns["handle"] = np.array([m["handle"].lower() for m in metas], dtype=object)
    for key in ("followers", "engagement_rate", "price_usd"):
        columns[key] = columns[key].astype(float)
    requests = [
        MatchRequest(topic="x", platforms=["tiktok"], min_engagement=2.5),
        MatchRequest(topic="x", countries=["DE", "US"], tiers=["micro"], max_price_usd=900),
        MatchRequest(topic="x", min_followers=5_000, max_followers=50_000, languages=["de"]),
        MatchRequest(topic="x", exclude_ids=["c1", "c2"], exclude_handles=["c3", "@C4"]),
    ]
    for request in requests:
        mask = allowed_mask(request, columns)
        expected = [not violations(request, meta) for meta in metas]
        assert mask.tolist() == expected
