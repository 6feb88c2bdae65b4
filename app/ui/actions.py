"""What the page's buttons do: each queued action, carried out at the top of a script run."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app.conversation import Conversation, Intent, Reply, describe_filters
from app.models import MatchRequest
from app.service import Nichematch
from app.ui import sidebar, state
from app.ui.assistant import Assistant


def keep_reply(reply: Reply, service: Nichematch) -> None:
    """Keep a reply's request and matches, mirror its filters, record the suggestions."""
    if reply.request is None or reply.matches is None:
        return
    st.session_state.request = reply.request
    st.session_state.matches = reply.matches
    sidebar.mirror_request(reply.request)
    if reply.matches:
        service.review.suggest(state.brand().name, reply.matches)


def perform(
    action: dict[str, Any], service: Nichematch, chat: Conversation, llm: Assistant
) -> None:
    """Carry out one queued action; errors are shown by the caller."""
    kind, review, brand = action["kind"], service.review, state.brand()
    found = state.find_match(action.get("creator_id", ""))
    if kind == "shortlist" and found:
        review.move(brand.name, found, "shortlisted")
        state.flash(f"{found.handle} shortlisted for {brand.name}", ":material/star:")
    elif kind == "reject" and found:
        reason = st.session_state.get(f"reason-{found.creator_id}")
        review.move(brand.name, found, "rejected", reason)
        state.flash(
            f"{found.handle} rejected: left out of {brand.name}'s results", ":material/block:"
        )
    elif kind == "more_like" and found:
        state.say("user", f"More like {found.handle}")
        reply = chat.more_like(found, state.request() or MatchRequest(topic=found.handle), brand)
        state.say("assistant", reply.text)
        keep_reply(reply, service)
    elif kind == "draft" and found:
        st.session_state.drafting = found.creator_id
    elif kind == "move":
        review.move(brand.name, action["creator_id"], action["stage"])
        state.flash(f"Moved to {action['stage']}")
    elif kind == "note":
        text = st.session_state.get(f"note-{action['creator_id']}", "")
        review.add_note(brand.name, action["creator_id"], text)
    elif kind in ("filters", "clear_filters"):
        _refilter(kind == "clear_filters", service)
    elif kind == "save_brand":
        profile = sidebar.brand_from_form()
        if brand.name not in {saved.name for saved in review.brands()}:
            review.adopt_pipeline(brand.name, profile.name)  # shortlisted before it was named
        review.save_brand(profile)
        sidebar.load_brand_into_form(profile)
        state.flash(f"Brand profile “{profile.name}” saved", ":material/save:")
    elif kind == "load_brand" and action.get("name"):
        sidebar.load_brand_into_form(review.brand(action["name"]))
    elif kind == "check_llm":
        st.session_state.llm_health = llm.health()
    elif kind == "brief":
        st.session_state.briefing = True


def _refilter(clear: bool, service: Nichematch) -> None:
    """Run the request in force again with the sidebar's filters."""
    if clear:
        sidebar.mirror_request(None)
    current = state.request()
    if current is None:
        return
    new = MatchRequest.model_validate({**current.model_dump(), **sidebar.filters_from_widgets()})
    matches = service.match_for_brand(new, state.brand().name)
    labels = " · ".join(describe_filters(new)) or "no filters"
    state.say("assistant", f"Filters changed ({labels}): {len(matches)} creators.")
    keep_reply(Reply(Intent.REFINE, "", new, matches), service)
