"""Nichematch's Streamlit app: ``streamlit run streamlit_app.py`` (what ``make run`` does).

The page itself is ``app/ui/page.py``. This file only serves it, and starts loading the
embedding model, the store and the matcher in the background as soon as the server starts,
so a marketer who opens the page finds them ready.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st

from app.ui import warmup

PAGE = Path(__file__).resolve().parent / "app" / "ui" / "page.py"


@asynccontextmanager
async def lifespan(_: st.App) -> AsyncIterator[None]:
    """Server start: begin loading in the background; nothing to undo at shutdown."""
    warmup.start()
    yield None


app = st.App(PAGE, lifespan=lifespan)
