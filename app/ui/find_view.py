"""The main view: the chat, the matches as cards, and the engagement chart."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import streamlit as st

from app.conversation import Conversation, Reply, describe_filters
from app.exports import matches_csv
from app.models import Match
from app.ui import state
from app.ui.cards import draw_card
from app.ui.chart import engagement_chart
from app.ui.text import escape_markdown, escaped_chunks, word_chunks

EXAMPLES = (
    "micro fitness creators in Germany on TikTok with engagement above 3%",
    "vegan baking creators on Instagram, budget $300 a post",
    "sustainable fashion creators in the UK",
)
HISTORY_SHOWN = 6


def draw_history() -> None:
    """The chat so far: the latest messages, older ones folded away."""
    messages = st.session_state.messages
    older, recent = messages[:-HISTORY_SHOWN], messages[-HISTORY_SHOWN:]
    if older:
        with st.expander(f"Earlier messages ({len(older)})"):
            for message in older:
                st.text(
                    ("You: " if message["role"] == "user" else "Nichematch: ") + message["text"]
                )
    for message in recent:
        with st.chat_message(message["role"]):
            st.markdown(escape_markdown(message["text"]))


def draw_welcome() -> None:
    """The empty state: what to type, with examples to click."""
    st.info(
        "Describe the creators you need in plain words, in the box below. Nichematch reads "
        "filters from your words (platform, country, tier, followers, engagement, budget), "
        "finds creators whose own posts match, and explains every pick. Then refine: "
        "“only TikTok”, “cheaper”, “more like the first one”, “drop the first two”.",
        icon=":material/waving_hand:",
    )
    st.caption("Try one of these:")
    for index, example in enumerate(EXAMPLES):
        st.button(
            f"“{example}”",
            key=f"example-{index}",
            on_click=_use_example,
            args=(example,),
        )


def _use_example(text: str) -> None:
    st.session_state.pending_prompt = text


def _collect(chunks: Iterable[str], sink: list[str]) -> Iterator[str]:
    for chunk in chunks:
        sink.append(chunk)
        yield chunk


def take_turn(prompt: str, conversation: Conversation, filters: dict[str, Any]) -> Reply | None:
    """One chat turn drawn in place: the message, then the streamed reply."""
    state.say("user", prompt)
    with st.chat_message("user"):
        st.markdown(escape_markdown(prompt))
    with st.chat_message("assistant"), state.shown_errors():
        with st.spinner("Finding creators…"):
            reply = conversation.respond(
                prompt, state.request(), state.matches(), filters, state.brand()
            )
        raw: list[str] = []
        if reply.stream is not None:
            st.write_stream(escaped_chunks(_collect(reply.stream, raw)))
            text = "".join(raw)
        else:
            text = reply.text
            st.write_stream(word_chunks(escape_markdown(text)))
        state.say("assistant", text)
        return reply
    return None


def draw_results(
    stages: dict[str, str],
    draft_slot: Callable[[Match], None],
    points: Callable[[], list[dict[str, object]]],
    tiers: Any,
) -> None:
    """The matches in force: filter chips, downloads, chart and cards."""
    found = [m for m in state.matches() if stages.get(m.creator_id) != "rejected"]
    current = state.request()
    if current is None:
        return
    chips = describe_filters(current)
    left, right = st.columns([4, 1], vertical_alignment="center")
    count = f"{len(found)} match{'es' if len(found) != 1 else ''}"
    topic = escape_markdown(current.topic[:80])
    left.markdown(
        f"**{count}** for “{topic}”"
        + (" · " + " · ".join(escape_markdown(c) for c in chips) if chips else "")
    )
    right.download_button(
        "These matches (CSV)",
        icon=":material/download:",
        data=matches_csv(found),
        file_name="nichematch-matches.csv",
        mime="text/csv",
        key="download-matches",
        on_click="ignore",
    )
    if not found:
        st.info("No creators to show. Loosen a filter in the sidebar, or describe the niche again.")
        return
    label = "Engagement vs followers: where these creators sit"
    with st.expander(label, icon=":material/scatter_plot:"):
        st.altair_chart(engagement_chart(points(), found, tiers), width="stretch")
        st.caption(
            "Every creator in the store is a grey dot; the numbered dots are the matches. "
            "Engagement usually falls as follower count rises, so compare within a tier band."
        )
    for rank, match in enumerate(found, start=1):
        draw_card(rank, match, stages.get(match.creator_id), draft_slot)
