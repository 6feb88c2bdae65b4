"""Hard filters of a match request: as a store query, and as a check on each result.

The store applies the filters in the query, so no creator that violates them is even a
candidate; :func:`violations` checks every returned creator again, so a bug in either place
shows up as a failed test instead of a wrong shortlist.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

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
    handles = {handle.lower().lstrip("@") for handle in request.exclude_handles}
    if str(meta.get("handle", "")).lower().lstrip("@") in handles:
        broken.append("excluded")
    return broken


def allowed_mask(request: MatchRequest, columns: Mapping[str, np.ndarray]) -> np.ndarray:
    """The request's hard filters over column arrays of many creators at once (True = allowed).

    ``columns`` holds one array per metadata field (``platform``, ``country``, ``language``,
    ``tier``, ``followers``, ``engagement_rate``, ``price_usd``, ``creator_id``, ``handle``
    lower-cased); the same rules as :func:`violations`.
    """
    mask = np.ones(len(columns["creator_id"]), dtype=bool)
    for key, values in (
        ("platform", request.platforms),
        ("country", request.countries),
        ("language", request.languages),
        ("tier", request.tiers),
    ):
        if values:
            mask &= np.isin(columns[key], list(values))
    if request.min_followers is not None:
        mask &= columns["followers"] >= request.min_followers
    if request.max_followers is not None:
        mask &= columns["followers"] <= request.max_followers
    if request.min_engagement is not None:
        mask &= columns["engagement_rate"] >= float(request.min_engagement)
    if request.max_price_usd is not None:
        mask &= columns["price_usd"] <= float(request.max_price_usd)
    if request.exclude_ids:
        mask &= ~np.isin(columns["creator_id"], list(request.exclude_ids))
    if request.exclude_handles:
        handles = [handle.lower() for handle in request.exclude_handles]
        handles += [f"@{handle.lstrip('@')}" for handle in handles]
        mask &= ~np.isin(columns["handle"], handles)
    return mask
