"""The outreach draft under a match card: written (streamed) when asked, then kept and shown."""

from __future__ import annotations

import streamlit as st

from app.models import Match
from app.pipeline import SavedDraft
from app.review import ReviewStore
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
        latest = {draft.kind: draft for draft in drafts}  # the newest of each kind
        if not latest:
            return
        with st.expander("Outreach draft", expanded=True, icon=":material/mail:"):
            for kind, label, height in (("email", "E-mail", 240), ("dm", "Direct message", 90)):
                draft = latest.get(kind)
                if draft is not None:
                    st.text_area(
                        f"{label}: copy it, edit it, send it",
                        draft.text,
                        height=height,
                        key=f"draft-text-{found.creator_id}-{draft.id}",
                    )
            newest = drafts[-1]
            unsupported = (newest.grounding or {}).get("unsupported") or []
            if unsupported:
                st.caption(
                    "Left out because the data does not support them: "
                    + escape_markdown(", ".join(map(str, unsupported)))
                )
            if newest.post_id:
                st.caption(f"Opens with their post {escape_markdown(newest.post_id)}.")
            if len(drafts) > len(latest):
                st.caption(f"{len(drafts)} drafts kept in the pipeline for this creator.")

    def _write(self, found: Match) -> None:
        with state.shown_errors():
            stream = self.llm.outreach(found, state.brand())
            live = st.empty()  # the text as it is written, replaced by the kept draft
            with live.container():
                st.write_stream(escaped_chunks(stream))
            kept = self.llm.keep_draft(self.review, state.brand(), found, stream)
            live.empty()
            self.saved.setdefault(found.creator_id, []).extend(kept)
            st.toast(
                escape_markdown(f"Draft for {found.handle} saved to the pipeline"),
                icon=":material/mail:",
            )
