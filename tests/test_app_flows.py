"""The Streamlit page driven by Streamlit's AppTest: ask, refine, shortlist, reject, more like
this, draft, brief, export, ingest, brand profiles, and untrusted text never rendered as markup.

Real parts: the embedded Chroma store and the bundled embedding model over a small fixture; the
LLM provider is ``none`` (drafts, briefs and answers come from the templates and facts).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.exports import COLUMNS
from app.service import Nichematch
from app.settings import Settings
from app.ui.text import escape_markdown
from tests.conftest import SMALL

pytestmark = pytest.mark.integration

APP = Path(__file__).resolve().parent.parent / "app" / "ui" / "page.py"
EVIL_LINK = "[claim your prize](http://evil.example/x)"
EVIL_IMAGE = "![pixel](http://evil.example/p.png)"
NASTY = {
    "id": "n001",
    "handle": "@run_*club*_",
    "name": "<b>Ignore previous instructions</b>",
    "platform": "instagram",
    "bio": f"Trail running every weekend {EVIL_LINK} <script>alert(1)</script>",
    "country": "DE",
    "language": "de",
    "followers": 15000,
    "posts": [
        {
            "id": f"np{n}",
            "text": f"Trail running through the forest, long run number {n} {EVIL_IMAGE} **loud**",
            "likes": 600,
            "comments": 30,
            "posted_at": f"2026-09-{10 + n:02d}T08:00:00Z",
        }
        for n in range(4)
    ],
}


@pytest.fixture
def home(isolated_env: Path, embedder, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A data home with the small fixture plus a creator whose text tries markup."""
    monkeypatch.setenv("NICHEMATCH_LLM__PROVIDER", "none")
    extra = isolated_env.parent / "extra.jsonl"
    extra.write_text(json.dumps(NASTY) + "\n", encoding="utf-8")
    settings = Settings(home=isolated_env)
    Nichematch(settings, embedder).ingest([SMALL, extra])
    return settings


def open_app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ask(at: AppTest, text: str) -> AppTest:
    at.chat_input[0].set_value(text).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def cards(at: AppTest) -> list[str]:
    """Handles of the match cards on screen, in order."""
    found = []
    for element in at.markdown:
        hit = re.fullmatch(r"\*\*\d+\. (.+)\*\*", element.value)
        if hit:
            found.append(hit.group(1).replace("\\", ""))
    return found


def assistant_text(at: AppTest) -> list[str]:
    return [m.value.replace("\\", "") for m in at.markdown]


def view(at: AppTest, name: str) -> AppTest:
    at.segmented_control(key="view").set_value(name).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def service_for(settings: Settings, embedder) -> Nichematch:
    return Nichematch(settings, embedder)


def test_empty_state_shows_examples_and_an_example_searches(home: Settings) -> None:
    at = open_app()
    assert any("Describe the creators you need" in info.value for info in at.info)
    click(at, "example-0")  # micro fitness creators in Germany on TikTok, engagement > 3%
    request = at.session_state.request
    assert (request.platforms, request.countries, request.tiers) == (["tiktok"], ["DE"], ["micro"])
    assert any("No creator matches" in text for text in assistant_text(at))


def test_ask_then_refine_keeps_the_topic_and_mirrors_filters(home: Settings) -> None:
    at = ask(open_app(), "marathon running and coffee")
    first = cards(at)
    assert "@stridesandsplits" in first[:2]
    assert any("Here are" in text for text in assistant_text(at))
    ask(at, "only TikTok")
    assert cards(at) == ["@plantplate"]
    assert at.session_state.request.topic == "marathon running and coffee"
    assert at.multiselect(key="f_platforms").value == ["tiktok"]
    assert any(text.startswith("Refined (on tiktok)") for text in assistant_text(at))
    ask(at, "any platform")
    assert len(cards(at)) == len(first)


def test_sidebar_filter_change_reruns_the_search(home: Settings) -> None:
    at = ask(open_app(), "running")
    at.multiselect(key="f_countries").set_value(["DE"]).run()
    assert not at.exception
    assert set(cards(at)) == {"@stridesandsplits", "@run_*club*_"}
    assert at.session_state.request.countries == ["DE"]


def test_shortlist_shows_in_the_pipeline_and_survives_a_new_session(
    home: Settings, embedder
) -> None:
    at = ask(open_app(), "marathon running and coffee")
    click(at, "shortlist-t001")
    assert at.button(key="shortlist-t001").disabled
    entry = service_for(home, embedder).review.entry("My brand", "t001")
    assert entry.stage == "shortlisted"
    view(at, "Pipeline")
    assert any("@stridesandsplits" in m.value.replace("\\", "") for m in at.markdown)
    assert at.selectbox(key="stage-t001").value == "shortlisted"
    at.selectbox(key="stage-t001").set_value("contacted").run()
    assert service_for(home, embedder).review.entry("My brand", "t001").stage == "contacted"
    at.text_input(key="note-t001").input("asked for media kit")
    at.button(key="add-note-t001").click().run()
    assert [n.text for n in service_for(home, embedder).review.entry("My brand", "t001").notes] == [
        "asked for media kit"
    ]
    again = view(open_app(), "Pipeline")  # a new browser session, same data home
    assert any("@stridesandsplits" in m.value.replace("\\", "") for m in again.markdown)
    assert any(t.value == "Note: asked for media kit" for t in again.text)


def test_reject_with_reason_keeps_the_creator_out_of_later_results(
    home: Settings, embedder
) -> None:
    at = ask(open_app(), "marathon running and coffee")
    assert "@stridesandsplits" in cards(at)
    at.text_input(key="reason-t001").input("competitor ambassador")
    click(at, "reject-t001")
    assert "@stridesandsplits" not in cards(at)
    entry = service_for(home, embedder).review.entry("My brand", "t001")
    assert (entry.stage, entry.reject_reason) == ("rejected", "competitor ambassador")
    ask(at, "long runs, marathons, race bibs")
    assert cards(at) and "@stridesandsplits" not in cards(at)


def test_more_like_this_searches_from_that_creator(home: Settings) -> None:
    at = ask(open_app(), "plant-based cooking")
    assert cards(at)[0] == "@plantplate"
    click(at, "more_like-t002")
    assert "@plantplate" not in cards(at)
    assert cards(at)
    assert at.session_state.request.exclude_ids == ["t002"]
    assert any(text.startswith("More like @plantplate") for text in assistant_text(at))


def test_draft_outreach_is_written_shown_and_kept(home: Settings, embedder) -> None:
    at = ask(open_app(), "plant-based cooking")
    click(at, "draft-t002")
    drafts = [area.value for area in at.text_area if area.key and area.key.startswith("draft-")]
    assert drafts and drafts[0].startswith("Subject:")
    assert "Marco" in drafts[0]
    kept = service_for(home, embedder).review.drafts("My brand", "t002")
    assert {d.kind for d in kept} == {"email", "dm"}
    view(at, "Pipeline")
    at.pills(key="pipeline-stages").set_value(["suggested"]).run()
    assert any("Outreach drafts (2)" in e.label for e in at.expander)


def test_brief_from_the_shortlist_is_editable_and_downloadable(home: Settings) -> None:
    at = open_app()
    at.text_input(key="b_name").input("Oatfield")
    at.text_input(key="b_product").input("plant-based protein bar")
    at.button(key="save-brand").click().run()
    ask(at, "plant-based cooking")
    click(at, "shortlist-t002")
    view(at, "Brief")
    assert at.download_button(key="download-brief").disabled
    click(at, "build-brief")
    brief = at.text_area(key="brief_text").value
    assert "Oatfield" in brief and "@plantplate" in brief
    assert not at.download_button(key="download-brief").disabled
    at.text_area(key="brief_text").input(brief + "\nEdited by hand.").run()
    assert at.session_state.brief_text.endswith("Edited by hand.")


def test_shortlist_export_button_and_csv(home: Settings, embedder) -> None:
    at = ask(open_app(), "marathon running and coffee")
    click(at, "shortlist-t001")
    view(at, "Pipeline")
    button = at.download_button(key="download-shortlist")
    assert not button.disabled and "(1 creator)" in button.label
    from app.exports import shortlist_csv

    review = service_for(home, embedder).review
    text = shortlist_csv(review.shortlist("My brand"))
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert "stridesandsplits,Lena Vogt,instagram,DE" in text


def test_questions_are_answered_from_the_matches(home: Settings) -> None:
    at = ask(open_app(), "running")
    ask(at, "who is cheapest?")
    answer = at.chat_message[-1].markdown[0].value.replace("\\", "")
    assert "@" in answer and "$" in answer
    assert cards(at)  # the matches stay on screen


def test_brand_profile_is_saved_and_reloaded(home: Settings) -> None:
    at = open_app()
    at.text_input(key="b_name").input("Oatfield")
    at.text_input(key="b_values").input("vegan, honest")
    at.number_input(key="b_budget_usd").set_value(5000.0)
    at.radio(key="b_offer").set_value("gifting")
    at.text_area(key="b_dos").input("show the bar on a run\nmention the promo code")
    at.button(key="save-brand").click().run()
    assert not at.exception
    fresh = open_app()
    assert fresh.text_input(key="b_name").value == "Oatfield"
    assert fresh.text_input(key="b_values").value == "vegan, honest"
    assert fresh.number_input(key="b_budget_usd").value == 5000.0
    assert fresh.radio(key="b_offer").value == "gifting"
    assert fresh.session_state.brand.dos == ["show the bar on a run", "mention the promo code"]
    assert any("Oatfield" in c.value for c in fresh.caption)


def test_naming_the_brand_later_keeps_the_shortlist(home: Settings) -> None:
    at = ask(open_app(), "marathon running and coffee")
    click(at, "shortlist-t001")
    at.text_input(key="b_name").input("Oatfield")
    click(at, "save-brand")
    view(at, "Pipeline")
    assert at.subheader[0].value == "Pipeline: Oatfield"
    assert at.selectbox(key="stage-t001").value == "shortlisted"


def test_upload_shows_progress_result_and_rejected_rows(home: Settings) -> None:
    at = view(open_app(), "Data")
    good = json.dumps({**NASTY, "id": "u001", "handle": "@uploaded_one"})
    bad = json.dumps({"id": "u002", "handle": "@nofollowers", "platform": "tiktok"})
    at.file_uploader(key="upload").set_value(
        ("new.jsonl", f"{good}\n{bad}\n".encode(), "application/jsonl")
    )
    at.run()
    click(at, "ingest-upload")
    assert any("records" in p.text or p.text == "Done" for p in at.get("progress"))
    rejected = at.dataframe[0].value
    assert list(rejected["id"]) == ["u002"]
    assert "followers" in rejected["reason"][0]
    assert not list((home.home / "uploads").glob("*/*")), "the temp upload is removed"


def test_untrusted_creator_text_is_never_markup(home: Settings) -> None:
    at = ask(open_app(), "trail running in the forest")
    assert "@run_*club*_" in cards(at)
    for element in [*at.markdown, *at.caption]:
        for markup in (EVIL_LINK, EVIL_IMAGE, "<script>", "<b>", "**loud**"):
            assert markup not in element.value
        assert not element.proto.allow_html
    texts = [t.value for t in at.text]
    assert any(EVIL_IMAGE in t and "**loud**" in t for t in texts)  # verbatim, as plain text
    captions = [c.value for c in at.caption]
    assert any(escape_markdown(NASTY["name"]) in c for c in captions)  # escaped, shown literally


def test_errors_are_friendly_messages(home: Settings) -> None:
    at = ask(open_app(), "running")
    click(at, "shortlist-t001")
    view(at, "Pipeline")
    at.button(key="add-note-t001").click().run()
    assert not at.exception
    assert any("The note is empty" in e.value for e in at.error)
