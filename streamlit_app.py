"""Nichematch's Streamlit page: a thin layer over the service functions."""

from __future__ import annotations

import streamlit as st

from app.models import MatchRequest
from app.service import Nichematch
from app.settings import load_settings


@st.cache_resource(show_spinner="Loading the embedding model and the store…")
def get_service() -> Nichematch:
    """The service, built once per server process."""
    service = Nichematch(load_settings())
    service.ensure_ingested()
    return service


st.set_page_config(page_title="Nichematch", page_icon="🎯", layout="wide")
st.title("Nichematch")
st.caption("Find niche creators for your brand.")

service = get_service()
brief = st.chat_input("Describe your brand or the creators you want")
if brief:
    with st.chat_message("user"):
        st.text(brief)
    with st.chat_message("assistant"):
        for found in service.match(MatchRequest(topic=brief)):
            with st.container(border=True):
                st.markdown(
                    f"**{found.handle}** · {found.platform} · {found.followers:,} followers"
                )
                st.text(" · ".join(found.reasons))
                for post in found.evidence:
                    st.text(f"“{post.text}”")
