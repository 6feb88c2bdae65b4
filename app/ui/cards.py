"""A match card: who the creator is, why they fit, their numbers, their posts, and actions.

Creator text (name, bio snippets, posts) is shown with ``st.text`` or escaped Markdown, never as
HTML.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app.models import Match
from app.ui.state import queue
from app.ui.text import compact, escape_markdown, ordinal

STAGE_BADGES = {
    "suggested": "",
    "shortlisted": ":material/star: Shortlisted",
    "contacted": ":material/mail: Contacted",
    "negotiating": ":material/handshake: Negotiating",
    "agreed": ":material/check_circle: Agreed",
    "declined": ":material/undo: Declined",
    "rejected": ":material/block: Rejected",
}


def _engagement(found: Match) -> str:
    scores = found.scores
    text = f"{found.engagement_rate:.2f}%"
    if scores and scores.engagement_percentile is not None:
        text += f" · {ordinal(scores.engagement_percentile)} pct"
    return text


def _engagement_help(found: Match) -> str:
    base = (
        "Mean of (likes + comments) / followers over the creator's most recent posts. "
        "The percentile compares them with creators of the same tier on the same platform "
        "in this data."
    )
    scores = found.scores
    if scores and scores.engagement_percentile is not None:
        base += (
            f" {found.handle} is at the {ordinal(scores.engagement_percentile)} percentile of "
            f"{found.tier} {found.platform} creators."
        )
    return base


def _price(found: Match) -> tuple[str, str]:
    price = found.scores.price if found.scores else None
    if price is None:
        return "—", "No price data."
    label = f"${price.usd:,.0f}" + ("" if price.quoted else " est.")
    return label, price.basis


def draw_card(
    rank: int,
    found: Match,
    stage: str | None,
    draft_slot: Callable[[Match], None],
) -> None:
    """One bordered card with the creator's figures, evidence and the four actions."""
    key = found.creator_id
    with st.container(border=True, key=f"card-{key}"):
        head, badge = st.columns([5, 2], vertical_alignment="top")
        with head:
            st.markdown(f"**{rank}. {escape_markdown(found.handle)}**")
            where = " · ".join(
                part for part in (found.name, found.platform, found.country, found.language) if part
            )
            st.caption(escape_markdown(where))
        with badge:
            label = STAGE_BADGES.get(stage or "", "")
            st.markdown(f"**{label}**" if label else " ")
            st.caption(f"match score {found.score:.2f}")
        price, basis = _price(found)
        st.markdown(
            f"**{compact(found.followers)}** followers · **{found.tier}** · "
            f"engagement **{escape_markdown(_engagement(found))}** · "
            f"**{escape_markdown(price)}** per post",
            help=f"{_engagement_help(found)}\n\nPrice: {basis}",
        )
        risks = found.scores.risk_signals if found.scores else []
        if risks:
            st.caption(escape_markdown(f"Price basis: {basis}"))
            st.warning(
                "Risk signals (flags, not verdicts): "
                + "; ".join(escape_markdown(f"{s.name}: {s.detail}") for s in risks),
                icon=":material/flag:",
            )
        else:
            st.caption(escape_markdown(f"Price basis: {basis}. No risk signals fired."))
        if found.niches:
            st.text("Niches: " + ", ".join(found.niches))
        st.caption("Why: " + escape_markdown("; ".join(found.reasons)))
        label = f"Evidence: {len(found.evidence)} of their own posts"
        with st.expander(label, icon=":material/format_quote:"):
            for post in found.evidence:
                st.text(f"“{post.text}”")
                st.caption(f"post {escape_markdown(post.post_id)}")

        _actions(found, stage)
        draft_slot(found)


def _action(kind: str, label: str, icon: str, creator_id: str, **options: object) -> None:
    """A button that queues ``kind`` for the creator; its key is ``<kind>-<creator id>``."""
    st.button(
        label,
        icon=icon,
        key=f"{kind}-{creator_id}",
        on_click=queue,
        args=(kind,),
        kwargs={"creator_id": creator_id},
        width="stretch",
        **options,  # type: ignore[arg-type]
    )


def _actions(found: Match, stage: str | None) -> None:
    key = found.creator_id
    shortlist, reject, similar, draft = st.columns(4)
    with shortlist:
        listed = stage not in (None, "suggested", "rejected", "declined")
        label = "Shortlisted" if listed else "Shortlist"
        _action("shortlist", label, ":material/star:", key, disabled=listed)
    with reject, st.popover("Reject", icon=":material/block:", width="stretch"):
        st.text_input(
            "Reason (optional)",
            key=f"reason-{key}",
            placeholder="e.g. off-brand content, too expensive",
        )
        _action("reject", "Reject for this brand", ":material/block:", key, type="primary")
    with similar:
        _action("more_like", "More like this", ":material/manage_search:", key)
    with draft:
        _action(
            "draft",
            "Draft outreach",
            ":material/edit:",
            key,
            help="An e-mail and a short DM that open with one of their real posts.",
        )
