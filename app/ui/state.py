"""Session state of the page, the action queue, and the one place errors are shown.

Widget callbacks only *queue* an action (they run before the script, where an error could not be
shown in context). The script performs queued actions at the top of each run inside
:func:`shown_errors`, which turns a :class:`~app.errors.NichematchError` into a friendly message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from app.errors import NichematchError
from app.models import BrandProfile, Match, MatchRequest
from app.ui.text import escape_markdown

VIEWS = ("Find creators", "Pipeline", "Brief", "Data")
DEFAULT_BRAND = "My brand"

_DEFAULTS: dict[str, Any] = {
    "messages": [],  # chat history: {"role": "user" | "assistant", "text": str}
    "request": None,  # the MatchRequest in force
    "matches": [],  # its results, best first
    "actions": [],  # queued by widget callbacks
    "flashes": [],  # short confirmations shown once
    "drafting": None,  # (creator_id, kind) of a draft to write on this run
    "pending_prompt": None,  # an example prompt clicked in the empty state
    "brief_text": "",
    "llm_health": None,
}


def init() -> None:
    """Fill in missing session keys."""
    for key, value in _DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = list(value) if isinstance(value, list) else value


def queue(kind: str, **params: Any) -> None:
    """Widget callback: remember an action for the script to perform."""
    st.session_state.actions.append({"kind": kind, **params})


def take_actions() -> list[dict[str, Any]]:
    """The queued actions, in order; the queue is emptied."""
    actions = list(st.session_state.actions)
    st.session_state.actions = []
    return actions


def flash(message: str, icon: str = ":material/check:") -> None:
    """A confirmation to show on this run (the message is shown literally)."""
    st.session_state.flashes.append((escape_markdown(message), icon))


def show_flashes() -> None:
    """Show and forget the confirmations."""
    for message, icon in st.session_state.flashes:
        st.toast(message, icon=icon)
    st.session_state.flashes = []


@contextmanager
def shown_errors() -> Iterator[None]:
    """Show a Nichematch error as a friendly message instead of a stack trace."""
    try:
        yield
    except NichematchError as exc:
        st.error(escape_markdown(str(exc)), icon=":material/warning:")


def brand() -> BrandProfile:
    """The brand profile in use."""
    current = st.session_state.get("brand")
    return current if isinstance(current, BrandProfile) else BrandProfile(name=DEFAULT_BRAND)


def request() -> MatchRequest | None:
    """The match request in force."""
    return st.session_state.request  # type: ignore[no-any-return]


def matches() -> list[Match]:
    """The matches on screen."""
    return list(st.session_state.matches)


def find_match(creator_id: str) -> Match | None:
    """A match on screen by creator id."""
    return next((m for m in st.session_state.matches if m.creator_id == creator_id), None)


def say(role: str, text: str) -> None:
    """Add a message to the chat history."""
    st.session_state.messages.append({"role": role, "text": text})
