"""Nichematch's page: a thin layer over the service functions the CLI uses too.

It draws and keeps session state. The heavy objects (embedding model, store, service) are built
once per server process with ``st.cache_resource``; widget callbacks only queue actions, which
run at the top of the next script run, where errors are shown as friendly messages.
"""

from __future__ import annotations

import streamlit as st

from app.conversation import Conversation
from app.metrics import tier_names
from app.pipeline import SHORTLIST_STAGES
from app.service import Nichematch
from app.settings import Settings, load_settings
from app.ui import sidebar, state, warmup
from app.ui.actions import keep_reply, perform
from app.ui.assistant import Assistant
from app.ui.brief_view import draw_brief
from app.ui.data_view import draw_data
from app.ui.drafts import DraftSlot
from app.ui.find_view import draw_history, draw_results, draw_welcome, take_turn
from app.ui.pipeline_view import draw_pipeline
from app.ui.text import escape_markdown

VIEW_ICONS = {
    "Find creators": ":material/search:",
    "Pipeline": ":material/view_kanban:",
    "Brief": ":material/description:",
    "Data": ":material/database:",
}
CHAT_PLACEHOLDER = "Describe the creators you want, or refine: “only TikTok”, “cheaper”…"


@st.cache_resource(show_spinner=False)
def _service(config: str, _settings: Settings) -> Nichematch:
    """The service for one configuration (built at server start, or now, and warmed up)."""
    return warmup.service_for(_settings)


@st.cache_data(show_spinner=False, max_entries=4)
def _points(config: str, creators: int, _service: Nichematch) -> list[dict[str, object]]:
    """Every creator's followers and engagement for the chart; re-read when the count changes."""
    return _service.creator_points()


def get_service() -> Nichematch | None:
    """The service for the settings in the environment / ``.env`` (None if it cannot start)."""
    with state.shown_errors():
        settings = load_settings()
        return _service(warmup.config_key(settings), settings)
    return None


def first_run(service: Nichematch) -> None:
    """Reload the most recently saved brand profile; show the default filters."""
    if st.session_state.get("started"):
        return
    st.session_state.started = True
    saved = service.review.brands()
    sidebar.load_brand_into_form(saved[0] if saved else state.brand())
    sidebar.mirror_request(None)


def find_view(service: Nichematch, chat: Conversation, llm: Assistant, stats: dict) -> None:
    """Chat, then the matches in force."""
    prompt = st.chat_input(CHAT_PLACEHOLDER, key="chat") or st.session_state.pending_prompt
    st.session_state.pending_prompt = None
    if not st.session_state.messages and not prompt:
        draw_welcome()
    draw_history()
    if prompt:
        reply = take_turn(str(prompt), chat, sidebar.filters_from_widgets())
        if reply is not None:
            keep_reply(reply, service)
    brand = state.brand().name
    entries = service.review.entries(brand)
    creators = int(stats.get("creators") or 0)
    config = str(service.settings.home)
    draw_results(
        {entry.creator_id: entry.stage for entry in entries},
        DraftSlot(service.review, llm, {entry.creator_id: entry.drafts for entry in entries}),
        lambda: _points(config, creators, service),
        service.settings.tiers,
    )


def main() -> None:
    """Draw the page."""
    st.set_page_config(page_title="Nichematch", page_icon="🎯", layout="wide")
    state.init()
    service = get_service()
    if service is None:
        st.stop()
        return
    first_run(service)
    llm = Assistant(service)
    tiers = tier_names(service.settings.tiers)
    chat = Conversation(service, tiers, parse=llm.parse, answer=llm.answer)
    for action in state.take_actions():
        with state.shown_errors():
            perform(action, service, chat, llm)
    state.show_flashes()

    brand = state.brand()
    st.title("Nichematch")
    st.caption(
        f"Niche creators for **{escape_markdown(brand.name)}**: find them, judge them, "
        "shortlist them, write to them."
    )
    view = st.segmented_control(
        "View",
        state.VIEWS,
        default=state.VIEWS[0],
        required=True,
        format_func=lambda name: f"{VIEW_ICONS[name]} {name}",
        key="view",
        label_visibility="collapsed",
    )
    stats = service.stats()
    if view == "Pipeline":
        draw_pipeline(
            brand.name, service.review.entries(brand.name), service.review.counts(brand.name)
        )
    elif view == "Brief":
        draw_brief(brand, service.review.entries(brand.name, SHORTLIST_STAGES), llm)
    elif view == "Data":
        draw_data(stats, service.settings.home / "uploads", service.ingest)
    else:
        find_view(service, chat, llm, stats)

    with st.sidebar:
        sidebar.draw_brand(service.review.brands())
        sidebar.draw_filters(tiers)
        sidebar.draw_llm(service.settings.llm.provider, llm.provider(), st.session_state.llm_health)
        sidebar.draw_store(stats)


main()
