"""The final rank of a creator: niche fit combined with engagement, risk and budget fit.

``score = w_fit·fit + w_engagement·percentile/100 − w_risk·risk + w_budget·budget_fit``

- ``fit`` (0–1) is the fused niche fit relative to the best creator for the request,
- ``percentile`` is the ER percentile among peers of the same tier and platform,
- ``risk`` is 0 with no risk signal, 0.5 with one, 1 with two or more,
- ``budget_fit`` is ``min(1, budget / price)`` and only counts when the request has a budget.

The weights are settings (``NICHEMATCH_MATCH__WEIGHT_FIT`` …). ``reasons`` says in plain words
why the creator is there; the breakdown keeps every figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.models import CreatorProfile, Evidence, MatchRequest, ScoreBreakdown
from app.scores import (
    Figures,
    PeerStats,
    budget_fit,
    describe_engagement,
    figures,
    risk_penalty,
    risk_signals,
)
from app.settings import MatchSettings


@dataclass
class Signals:
    """Why a creator was retrieved: the per-signal evidence behind the fused fit."""

    fit: float
    dense: float | None = None
    lexical: float | None = None
    dense_posts: int = 0
    matched_terms: list[str] = field(default_factory=list)
    niches: list[str] = field(default_factory=list)
    brief_niches: list[str] = field(default_factory=list)


def final_score(breakdown: ScoreBreakdown, settings: MatchSettings) -> float:
    """The weighted combination of the separate scores (see the module docstring)."""
    score = settings.weight_fit * breakdown.fit
    if breakdown.engagement_percentile is not None:
        score += settings.weight_engagement * breakdown.engagement_percentile / 100
    else:
        score += settings.weight_engagement * 0.5  # unknown: neither rewarded nor punished
    score -= settings.weight_risk * risk_penalty(breakdown.risk_signals)
    if breakdown.budget_fit is not None:
        score += settings.weight_budget * breakdown.budget_fit
    return round(score, 4)


def breakdown_for(
    profile: CreatorProfile,
    signals: Signals,
    request: MatchRequest,
    peers: PeerStats,
    settings: MatchSettings,
) -> tuple[ScoreBreakdown, list[str]]:
    """The separate scores of a creator for a request, and the reasons in words."""
    row = figures(profile, settings.recent_posts_for_er)
    percentile, peer_count = peers.engagement_percentile(row)
    risks = risk_signals(row, peers)
    breakdown = ScoreBreakdown(
        fit=round(signals.fit, 4),
        engagement_percentile=percentile,
        risk_signals=risks,
        price=profile.price,
        budget_fit=budget_fit(profile.price, request.max_price_usd),
    )
    return breakdown, reasons_for(profile, signals, breakdown, peer_count, row, request)


def reasons_for(
    profile: CreatorProfile,
    signals: Signals,
    breakdown: ScoreBreakdown,
    peer_count: int,
    row: Figures,
    request: MatchRequest,
) -> list[str]:
    """Plain-word reasons: fit first, then engagement, risk, price and budget."""
    creator = profile.creator
    reasons = []
    total_posts = len(creator.posts)
    if signals.dense_posts:
        reasons.append(
            f"{signals.dense_posts} of their {total_posts} posts are among the closest in "
            "meaning to the brief"
        )
    if signals.matched_terms:
        reasons.append("their posts use the brief's words: " + ", ".join(signals.matched_terms[:6]))
    shared = [niche for niche in signals.niches if niche in signals.brief_niches]
    if shared:
        reasons.append(f"their content is in the brief's niche ({', '.join(shared)})")
    elif signals.niches:
        reasons.append(f"their niches: {', '.join(signals.niches)}")
    reasons.append(
        f"{profile.tier} creator on {creator.platform} with {creator.followers:,} followers"
    )
    reasons.append(describe_engagement(breakdown.engagement_percentile, peer_count, row))
    for signal in breakdown.risk_signals:
        reasons.append(f"risk signal (a flag, not a verdict): {signal.name}: {signal.detail}")
    if breakdown.price is not None:
        reasons.append(f"about ${breakdown.price.usd:,.0f} per post ({breakdown.price.basis})")
    if breakdown.budget_fit is not None and request.max_price_usd is not None:
        reasons.append(f"within the budget of ${request.max_price_usd:,.0f} per post")
    return reasons


def evidence_for(
    profile: CreatorProfile,
    post_similarity: dict[str, float],
    post_lexical: dict[str, float],
    count: int,
) -> list[Evidence]:
    """The creator's own posts that best show the fit: dense similarity plus lexical overlap."""
    creator = profile.creator
    top_lexical = max(post_lexical.values(), default=0.0) or 1.0

    def strength(post_id: str) -> float:
        return (
            post_similarity.get(post_id, 0.0) + 0.5 * post_lexical.get(post_id, 0.0) / top_lexical
        )

    posts = sorted(creator.posts, key=lambda post: (-strength(post.id), post.id))
    chosen: Sequence = [post for post in posts if strength(post.id) > 0][:count] or posts[:1]
    return [
        Evidence(
            post_id=post.id,
            text=post.text,
            similarity=(round(post_similarity[post.id], 4) if post.id in post_similarity else None),
        )
        for post in chosen
    ]
