"""Hard filters of a match request: as a store query, and as a check on each result.

The store applies the filters in the query, so no creator that violates them is even a
candidate; :func:`violations` checks every returned creator again, so a bug in either place
shows up as a failed test instead of a wrong shortlist.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.models import MatchRequest
from retrieval.store import Where, where_all


def store_where(request: MatchRequest) -> Where | None:
    """The request's hard filters as a Chroma ``where`` clause over document metadata."""
    conditions: list[Where] = []

    def one_of(key: str, values: list[str]) -> None:
        if len(values) == 1:
            conditions.append({key: values[0]})
        elif values:
            conditions.append({key: {"$in": list(values)}})

    one_of("platform", request.platforms)
    one_of("country", request.countries)
    one_of("language", request.languages)
    one_of("tier", request.tiers)
    if request.min_followers is not None:
        conditions.append({"followers": {"$gte": request.min_followers}})
    if request.max_followers is not None:
        conditions.append({"followers": {"$lte": request.max_followers}})
    if request.min_engagement is not None:
        conditions.append({"engagement_rate": {"$gte": float(request.min_engagement)}})
    if request.max_price_usd is not None:
        conditions.append({"price_usd": {"$lte": float(request.max_price_usd)}})
    if request.exclude_ids:
        conditions.append({"creator_id": {"$nin": list(request.exclude_ids)}})
    return where_all(conditions)


def violations(request: MatchRequest, meta: Mapping[str, Any]) -> list[str]:
    """Which hard filters a creator's metadata breaks (empty when it satisfies all)."""
    broken = []
    if request.platforms and meta.get("platform") not in request.platforms:
        broken.append("platform")
    if request.countries and meta.get("country") not in request.countries:
        broken.append("country")
    if request.languages and meta.get("language") not in request.languages:
        broken.append("language")
    if request.tiers and meta.get("tier") not in request.tiers:
        broken.append("tier")
    followers = int(meta.get("followers", 0))
    if request.min_followers is not None and followers < request.min_followers:
        broken.append("min_followers")
    if request.max_followers is not None and followers > request.max_followers:
        broken.append("max_followers")
    engagement = float(meta.get("engagement_rate", 0.0))
    if request.min_engagement is not None and engagement < request.min_engagement:
        broken.append("min_engagement")
    price = float(meta.get("price_usd", 0.0))
    if request.max_price_usd is not None and price > request.max_price_usd:
        broken.append("max_price_usd")
    if meta.get("creator_id") in request.exclude_ids:
        broken.append("excluded")
    return broken
