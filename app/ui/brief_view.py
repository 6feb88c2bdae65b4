"""The campaign brief: built from the shortlist and the brand profile, edited, downloaded."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from app.models import BrandProfile
from app.pipeline import PipelineEntry
from app.ui import state
from app.ui.assistant import Assistant
from app.ui.text import escaped_chunks


def draw_brief(brand: BrandProfile, shortlist: Sequence[PipelineEntry], llm: Assistant) -> None:
    """Pick creators from the shortlist, build the brief, edit it, download it."""
    st.subheader(f"Campaign brief: {brand.name}")
    if not shortlist:
        st.info(
            "A brief is built from your shortlist. Shortlist a few creators first "
            "(Shortlist on a match card), then come back here.",
            icon=":material/description:",
        )
    else:
        names = {entry.creator_id: entry.handle for entry in shortlist}
        st.multiselect(
            "Creators in this campaign",
            list(names),
            default=list(names),
            format_func=lambda cid: names.get(cid, cid),
            key="brief-creators",
        )
        missing = [
            label
            for label, value in (
                ("product", brand.product),
                ("description", brand.description),
                ("audience", brand.audience),
            )
            if not value
        ]
        if missing or brand.name == state.DEFAULT_BRAND:
            st.caption(
                "Tip: fill in the brand profile in the sidebar (name, "
                + ", ".join(missing or ["values"])
                + ") for a sharper brief."
            )
        st.button(
            "Build brief",
            icon=":material/auto_awesome:",
            type="primary",
            on_click=state.queue,
            args=("brief",),
            key="build-brief",
            help="Objective, audience, key message, deliverables and fee per creator, "
            "hashtag and disclosure, timeline, budget split, promo codes and UTM links.",
        )
        if st.session_state.get("briefing"):
            st.session_state.briefing = False
            _write(brand, llm)
    st.text_area(
        "Brief (Markdown, editable)",
        key="brief_text",
        height=420,
        placeholder="The brief appears here once built; edit it freely before downloading.",
    )
    text = st.session_state.get("brief_text") or ""
    st.download_button(
        "Download brief (.md)",
        icon=":material/download:",
        data=text,
        file_name="campaign-brief.md",
        mime="text/markdown",
        disabled=not text.strip(),
        key="download-brief",
        on_click="ignore",
    )


def _write(brand: BrandProfile, llm: Assistant) -> None:
    """Stream a new brief, then put it in the editor."""
    chosen = list(st.session_state.get("brief-creators") or [])
    if not chosen:
        st.warning("Pick at least one creator for the campaign.")
        return
    with state.shown_errors(), st.status("Writing the brief…", expanded=True) as status:
        stream = llm.brief(brand, chosen)
        st.write_stream(escaped_chunks(stream))
        st.session_state.brief_text = llm.brief_markdown(stream)
        status.update(label="Brief ready: edit it below", state="complete", expanded=False)
