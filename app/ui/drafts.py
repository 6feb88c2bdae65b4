"""The outreach draft under a match card: written (streamed) when asked, then kept and shown."""

from __future__ import annotations

import streamlit as st

from app.models import Match
from app.review import ReviewStore, SavedDraft
from app.ui import state
from app.ui.assistant import Assistant
from app.ui.text import escape_markdown, escaped_chunks


class DraftSlot:
    """Draws a card's draft area; writes a new draft on the run after "Draft outreach"."""

    def __init__(
        self, review: ReviewStore, llm: Assistant, saved: dict[str, list[SavedDraft]]
    ) -> None:
        self.review = review
        self.llm = llm
        self.saved = saved

    def __call__(self, found: Match) -> None:
        if st.session_state.drafting == found.creator_id:
            st.session_state.drafting = None
            self._write(found)
        drafts = self.saved.get(found.creator_id) or []
        if not drafts:
            return
        latest = drafts[-1]
        label = f"Outreach draft ({len(drafts)} saved: e-mail and DM)"
        with st.expander(label, expanded=True, icon=":material/mail:"):
            st.text_area(
                "Draft: copy it, edit it, send it",
                latest.text,
                height=220,
                key=f"draft-text-{found.creator_id}-{latest.id}",
            )
            grounding = latest.grounding or {}
            unsupported = grounding.get("unsupported") or []
            if unsupported:
                st.caption(
                    "Removed because the data does not support them: "
                    + escape_markdown(", ".join(map(str, unsupported)))
                )
            if latest.post_id:
                st.caption(f"Opens with their post {escape_markdown(latest.post_id)}.")

    def _write(self, found: Match) -> None:
        with state.shown_errors():
            stream = self.llm.outreach(found, state.brand())
            st.write_stream(escaped_chunks(stream))
            kept = self.llm.keep_draft(self.review, state.brand(), found, stream)
            self.saved.setdefault(found.creator_id, []).append(kept)
            state.flash(f"Draft for {found.handle} saved to the pipeline", ":material/mail:")
