"""The sidebar: brand profile (saved and reloaded), filters that mirror the match request, the
LLM provider and its health, and what the store holds."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pycountry
import streamlit as st

from app.conversation import filters_of
from app.models import PLATFORMS, BrandProfile, MatchRequest
from app.ui import state
from app.ui.text import escape_markdown

#: Sidebar widget key for each filter field of the match request.
FILTER_KEYS = {
    "platforms": "f_platforms",
    "countries": "f_countries",
    "languages": "f_languages",
    "tiers": "f_tiers",
    "min_followers": "f_min_followers",
    "max_followers": "f_max_followers",
    "min_engagement": "f_min_er",
    "max_price_usd": "f_max_price",
    "k": "f_k",
}


@cache
def country_options() -> dict[str, str]:
    """ISO code → "Name (CODE)", sorted by name."""
    found = {
        c.alpha_2: f"{getattr(c, 'common_name', c.name)} ({c.alpha_2})" for c in pycountry.countries
    }
    return dict(sorted(found.items(), key=lambda item: item[1]))


@cache
def language_options() -> dict[str, str]:
    """ISO 639-1 code → "Name (code)", sorted by name."""
    found = {
        lang.alpha_2: f"{lang.name} ({lang.alpha_2})"
        for lang in pycountry.languages
        if getattr(lang, "alpha_2", None)
    }
    return dict(sorted(found.items(), key=lambda item: item[1]))


def mirror_request(request: MatchRequest | None) -> None:
    """Set the filter widgets to a request's filters (call before the sidebar is drawn)."""
    for name, value in filters_of(request).items():
        st.session_state[FILTER_KEYS[name]] = list(value) if isinstance(value, list) else value


def filters_from_widgets() -> dict[str, Any]:
    """The filter values the sidebar shows (defaults before it was first drawn)."""
    defaults = filters_of(None)
    values = {}
    for name, key in FILTER_KEYS.items():
        value = st.session_state.get(key, defaults[name])
        values[name] = list(value) if isinstance(value, list) else value
    return values


#: Brand fields kept as lists, typed as text: comma-separated, or one per line.
_LIST_FIELDS = {"values": ", ", "competitors": ", ", "dos": "\n", "donts": "\n"}
#: Brand fields shown in the form, each in a widget keyed ``b_<field>``.
BRAND_FIELDS = (
    "name",
    "product",
    "description",
    "values",
    "audience",
    "budget_usd",
    "competitors",
    "objective",
    "offer",
    "hashtag",
    "campaign_start",
    "website",
    "dos",
    "donts",
)


def load_brand_into_form(profile: BrandProfile) -> None:
    """Show a brand profile in the form (call before the sidebar is drawn)."""
    st.session_state.brand = profile
    for name in BRAND_FIELDS:
        value = getattr(profile, name)
        if name in _LIST_FIELDS:
            value = _LIST_FIELDS[name].join(value)
        st.session_state[f"b_{name}"] = value


def brand_from_form() -> BrandProfile:
    """The brand profile typed into the form; fields the form does not show are kept."""
    typed: dict[str, Any] = {}
    for name in BRAND_FIELDS:
        value = st.session_state.get(f"b_{name}")
        if name in _LIST_FIELDS:
            parts = str(value or "").replace("\n", ",").split(",")
            value = [part.strip() for part in parts if part.strip()]
        elif isinstance(value, str):
            value = value.strip() or (None if name in ("hashtag", "website") else "")
        typed[name] = value
    typed["name"] = typed["name"] or state.DEFAULT_BRAND
    return BrandProfile.model_validate({**state.brand().model_dump(), **typed})


def draw_brand(saved: list[BrandProfile]) -> None:
    """Brand profile: pick a saved one, edit, save."""
    current = state.brand()
    st.subheader("Brand")
    names = [profile.name for profile in saved]
    if names:
        st.selectbox(
            "Saved profiles",
            names,
            index=names.index(current.name) if current.name in names else None,
            placeholder="Load a saved profile…",
            key="b_pick",
            on_change=lambda: state.queue("load_brand", name=st.session_state.b_pick),
        )
    if current.name == state.DEFAULT_BRAND:
        st.caption("Name your brand and describe it: drafts and briefs use it.")
    label = f"Profile: {escape_markdown(current.name)}"
    with st.expander(label, icon=":material/storefront:"), st.form("brand-form", border=False):
        st.text_input("Brand name", key="b_name", placeholder="e.g. Oatfield")
        st.text_input("Product", key="b_product", placeholder="e.g. plant-based protein bar")
        st.text_area("Description", key="b_description", height=80)
        st.text_input("Values (comma-separated)", key="b_values", placeholder="vegan, honest")
        st.text_input("Audience", key="b_audience", placeholder="runners aged 20-35")
        st.number_input("Campaign budget (USD)", key="b_budget_usd", min_value=0.0, step=500.0)
        st.text_input("Competitors (comma-separated)", key="b_competitors")
        st.markdown("**Campaign**")
        st.selectbox("Objective", ["awareness", "engagement", "conversions"], key="b_objective")
        st.radio(
            "Offer",
            ["paid", "gifting"],
            key="b_offer",
            horizontal=True,
            format_func=lambda offer: "Paid post" if offer == "paid" else "Gifting",
        )
        st.text_input("Branded hashtag", key="b_hashtag", placeholder="default: from the name")
        st.date_input("Campaign start", key="b_campaign_start")
        st.text_input("Website", key="b_website", placeholder="https://…")
        st.text_area("Do's (one per line)", key="b_dos", height=68)
        st.text_area("Don'ts (one per line)", key="b_donts", height=68)
        st.form_submit_button(
            "Save profile",
            icon=":material/save:",
            key="save-brand",
            on_click=state.queue,
            args=("save_brand",),
            width="stretch",
        )


def draw_filters(tier_names: list[str]) -> None:
    """Filters mirroring the match request; changing one re-runs the search."""
    st.subheader("Filters")
    changed: Callable[[], None] = lambda: state.queue("filters")  # noqa: E731
    st.multiselect("Platforms", PLATFORMS, key="f_platforms", on_change=changed)
    for label, options, key in (
        ("Countries", country_options(), "f_countries"),
        ("Languages", language_options(), "f_languages"),
    ):
        st.multiselect(
            label,
            list(options),
            format_func=options.__getitem__,
            key=key,
            on_change=changed,
        )
    st.multiselect("Tiers", tier_names, key="f_tiers", on_change=changed)
    low, high = st.columns(2)
    low.number_input(
        "Min followers", min_value=0, step=1000, key="f_min_followers", on_change=changed
    )
    high.number_input(
        "Max followers", min_value=0, step=1000, key="f_max_followers", on_change=changed
    )
    er, price = st.columns(2)
    er.number_input("Min engagement %", min_value=0.0, step=0.5, key="f_min_er", on_change=changed)
    price.number_input(
        "Max $ per post", min_value=0.0, step=50.0, key="f_max_price", on_change=changed
    )
    st.slider("Results", 1, 50, key="f_k", on_change=changed)
    st.button("Clear filters", on_click=state.queue, args=("clear_filters",), key="clear-filters")


def draw_llm(provider: str, label: str, health: dict[str, Any] | None) -> None:
    """Which model writes, and whether it answers."""
    st.subheader("Assistant model")
    st.caption(escape_markdown(label))
    if provider == "none":
        return
    if health is None:
        st.caption("Not checked yet; the bundled model starts on first use.")
    elif health.get("ok"):
        st.caption(":green[:material/check_circle:] " + escape_markdown(str(health["detail"])))
    else:
        st.caption(":red[:material/error:] " + escape_markdown(str(health["detail"])))
    st.button("Check model", on_click=state.queue, args=("check_llm",), key="check-llm")


def draw_store(stats: dict[str, object]) -> None:
    """What the store holds."""
    st.subheader("Data")
    st.caption(f"{stats.get('creators', 0):,} creators · {stats.get('posts', 0):,} posts")
