"""Engagement rate against followers (log scale), tier bands behind, current matches on top."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from app.models import Match
from app.settings import TierSettings

#: Engagement rates above this (percent) are drawn at the top edge, so outliers keep the scale.
ER_CAP = 25.0


def tier_bands(tiers: TierSettings, top: int) -> pd.DataFrame:
    """One row per tier: its name and follower range, the last one ending at ``top``."""
    ordered = tiers.ordered()
    rows = []
    for index, (name, low) in enumerate(ordered):
        high = ordered[index + 1][1] if index + 1 < len(ordered) else max(top, low * 2)
        rows.append({"tier": name, "low": low, "high": high, "middle": (low * high) ** 0.5})
    return pd.DataFrame(rows)


def engagement_chart(
    points: Sequence[Mapping[str, Any]], matches: Sequence[Match], tiers: TierSettings
) -> alt.LayerChart | alt.FacetChart:
    """All creators as faint dots, the matches as large labelled dots, over tier bands."""
    frame = pd.DataFrame(list(points), columns=["handle", "platform", "followers", "er", "tier"])
    frame = frame[frame["followers"] > 0]
    frame["er"] = frame["er"].clip(upper=ER_CAP)
    picked = pd.DataFrame(
        [
            {
                "handle": m.handle,
                "platform": m.platform,
                "followers": max(m.followers, 1),
                "er": min(m.engagement_rate, ER_CAP),
                "tier": m.tier,
                "rank": rank,
            }
            for rank, m in enumerate(matches, start=1)
        ],
        columns=["handle", "platform", "followers", "er", "tier", "rank"],
    )
    top = int(max([1, *frame["followers"].tolist(), *picked["followers"].tolist()]))
    x_scale = alt.Scale(type="log", domain=[max(100, tiers.nano // 10), top * 1.2])
    y_scale = alt.Scale(domain=[0, ER_CAP], clamp=True)
    bands = (
        alt.Chart(tier_bands(tiers, top))
        .mark_rect(opacity=0.12, clip=True)
        .encode(
            x=alt.X("low:Q", scale=x_scale, title="Followers (log scale)"),
            x2="high:Q",
            color=alt.Color("tier:N", legend=None, sort=None),
            tooltip=["tier:N", alt.Tooltip("low:Q", format=",")],
        )
    )
    labels = (
        alt.Chart(tier_bands(tiers, top))
        .mark_text(baseline="top", dy=4, fontSize=11, opacity=0.6, clip=True)
        .encode(x=alt.X("middle:Q", scale=x_scale), y=alt.value(0), text="tier:N")
    )
    everyone = (
        alt.Chart(frame)
        .mark_circle(size=14, opacity=0.25, color="#8a8a8a")
        .encode(
            x=alt.X("followers:Q", scale=x_scale),
            y=alt.Y("er:Q", scale=y_scale, title="Engagement rate (%)"),
            tooltip=["handle:N", "platform:N", alt.Tooltip("followers:Q", format=","), "er:Q"],
        )
    )
    chosen = (
        alt.Chart(picked)
        .mark_circle(size=140, opacity=0.95, color="#e4572e", stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("followers:Q", scale=x_scale),
            y=alt.Y("er:Q", scale=y_scale),
            tooltip=[
                "rank:Q",
                "handle:N",
                "platform:N",
                alt.Tooltip("followers:Q", format=","),
                alt.Tooltip("er:Q", format=".2f"),
            ],
        )
    )
    ranks = (
        alt.Chart(picked)
        .mark_text(dy=-12, fontSize=11, fontWeight="bold", color="#e4572e")
        .encode(
            x=alt.X("followers:Q", scale=x_scale),
            y=alt.Y("er:Q", scale=y_scale),
            text="rank:Q",
        )
    )
    return alt.layer(bands, labels, everyone, chosen, ranks).properties(height=320)
