"""The pipeline: the brand's creators by stage, with notes and outreach drafts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from app.exports import shortlist_csv
from app.pipeline import SHORTLIST_STAGES, STAGES, PipelineEntry, Stage
from app.ui import state
from app.ui.text import compact, escape_markdown

STAGE_LABELS = {stage: stage.capitalize() for stage in STAGES}


def draw_pipeline(
    brand_name: str, entries: Sequence[PipelineEntry], counts: Mapping[Stage, int]
) -> None:
    """Counts per stage, a stage filter, the shortlist download and one row per creator."""
    st.subheader(f"Pipeline: {brand_name}")
    columns = st.columns(len(STAGES))
    for column, stage in zip(columns, STAGES, strict=True):
        column.metric(STAGE_LABELS[stage], counts.get(stage, 0))

    shown = st.pills(
        "Show stages",
        STAGES,
        selection_mode="multi",
        default=list(SHORTLIST_STAGES),
        format_func=lambda stage: STAGE_LABELS[stage],
        key="pipeline-stages",
    )
    working = [entry for entry in entries if entry.stage in SHORTLIST_STAGES]
    st.download_button(
        f"Shortlist as CSV ({len(working)} creator{'s' if len(working) != 1 else ''})",
        icon=":material/download:",
        data=shortlist_csv(working),
        file_name=f"nichematch-shortlist-{_slug(brand_name)}.csv",
        mime="text/csv",
        disabled=not working,
        key="download-shortlist",
        on_click="ignore",
    )
    visible = [entry for entry in entries if entry.stage in (shown or [])]
    if not entries:
        st.info(
            "Nothing here yet. Find creators, then press Shortlist on the ones you like: "
            "they appear here, and you can move them along as the conversation goes.",
            icon=":material/view_kanban:",
        )
        return
    if not visible:
        st.caption("No creator at the selected stages.")
    for entry in visible:
        _draw_entry(entry)


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-") or "brand"


def _draw_entry(entry: PipelineEntry) -> None:
    key = entry.creator_id
    with st.container(border=True, key=f"entry-{key}"):
        head, stage = st.columns([3, 2], vertical_alignment="center")
        with head:
            st.markdown(f"**{escape_markdown(entry.handle)}** · {escape_markdown(entry.platform)}")
            snap = entry.snapshot
            if snap is not None:
                price = snap.scores.price if snap.scores else None
                facts = [
                    f"{compact(snap.followers)} followers",
                    snap.tier,
                    f"ER {snap.engagement_rate:.2f}%",
                ]
                if price is not None:
                    facts.append(f"${price.usd:,.0f}/post" + ("" if price.quoted else " est."))
                st.caption(" · ".join(facts))
            if entry.stage == "rejected" and entry.reject_reason:
                st.text(f"Rejected: {entry.reject_reason}")
        with stage:
            st.selectbox(
                "Stage",
                STAGES,
                index=STAGES.index(entry.stage),
                format_func=lambda s: STAGE_LABELS[s],
                key=f"stage-{key}",
                on_change=lambda k=key: state.queue(
                    "move", creator_id=k, stage=st.session_state[f"stage-{k}"]
                ),
            )
        for note in entry.notes:
            st.text(f"Note: {note.text}")
            st.caption(note.created_at.strftime("%Y-%m-%d %H:%M UTC"))
        with st.form(f"note-form-{key}", border=False, clear_on_submit=True):
            note_col, add_col = st.columns([5, 1], vertical_alignment="bottom")
            note_col.text_input(
                "Add a note", key=f"note-{key}", placeholder="e.g. replied, wants $250"
            )
            add_col.form_submit_button(
                "Add",
                key=f"add-note-{key}",
                on_click=state.queue,
                args=("note",),
                kwargs={"creator_id": key},
            )
        if entry.drafts:
            label = f"Outreach drafts ({len(entry.drafts)})"
            with st.expander(label, icon=":material/mail:"):
                for draft in reversed(entry.drafts):
                    st.caption(
                        f"{draft.kind} · {draft.created_at.strftime('%Y-%m-%d %H:%M UTC')}"
                        + (
                            f" · opens with post {escape_markdown(draft.post_id)}"
                            if draft.post_id
                            else ""
                        )
                    )
                    st.text(draft.text)
