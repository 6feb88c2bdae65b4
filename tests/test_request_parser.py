"""The rule-based brief parser and the LLM parser with the same contract."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.runnables import RunnableLambda

from app.brief_terms import country_code, language_code, parse_count
from app.request_llm import BriefFields, parse_with_llm
from app.request_parser import parse_request
from app.settings import Settings, TierSettings


def parsed(text: str, settings: Settings | None = None) -> dict[str, Any]:
    request = parse_request(text, settings or Settings()).request
    return request.model_dump(exclude_defaults=True)


def test_the_flagship_brief_becomes_topic_plus_filters() -> None:
    got = parsed(
        "micro fitness creators in Germany on TikTok with engagement above 3%, "
        "budget $300 a post, for our plant-based protein bar"
    )
    assert got["tiers"] == ["micro"]
    assert got["countries"] == ["DE"]
    assert got["platforms"] == ["tiktok"]
    assert got["min_engagement"] == 3.0
    assert got["max_price_usd"] == 300.0
    assert "protein bar" in got["topic"] and "fitness" in got["topic"]
    for filter_word in ("Germany", "TikTok", "3%", "$300", "micro"):
        assert filter_word not in got["topic"]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("vegan creators under 50k followers", None, 50_000),
        ("skincare, 5k-20k followers", 5_000, 20_000),
        ("gaming streamers between 100k and 500k followers", 100_000, 500_000),
        ("coffee creators with 10k+ followers", 10_000, None),
        ("travel creators with more than 1.2M followers", 1_200_000, None),
        ("yoga creators with at least 12,500 followers", 12_500, None),
    ],
)
def test_follower_ranges(text: str, low: int | None, high: int | None) -> None:
    got = parsed(text)
    assert got.get("min_followers") == low
    assert got.get("max_followers") == high


def test_tiers_follow_the_configured_names_and_skip_lookalikes() -> None:
    assert parsed("nano or micro influencers for tea")["tiers"] == ["nano", "micro"]
    assert parsed("mid-tier travel YouTubers")["tiers"] == ["mid"]
    assert "tiers" not in parsed("Mid-century modern furniture for macro photography fans")


def test_countries_by_name_code_region_and_demonym_but_not_destinations() -> None:
    assert parsed("yoga creators based in Spain or Portugal")["countries"] == ["ES", "PT"]
    assert parsed("travel YouTubers from DE, AT or CH")["countries"] == ["DE", "AT", "CH"]
    assert parsed("creators in DACH for skincare")["countries"] == ["DE", "AT", "CH"]
    assert parsed("Spanish food bloggers")["countries"] == ["ES"]
    assert parsed("tech creators in the UK")["countries"] == ["GB"]
    # A place the product is about is topic, not a filter.
    assert "countries" not in parsed("Island hopping tours in Greece")
    assert "countries" not in parsed("Photography trips to Iceland")
    assert "countries" not in parsed("AI creators for our note-taking tool")


def test_languages_platforms_exclusions_and_count() -> None:
    got = parsed(
        "top 20 German-speaking yoga teachers on Instagram or YouTube, excluding @Anna.Flow "
        "and @zenben"
    )
    assert got["languages"] == ["de"]
    assert got["platforms"] == ["instagram", "youtube"]
    assert got["exclude_handles"] == ["@Anna.Flow", "@zenben"]
    assert got["k"] == 20
    assert parsed("skincare creators posting in Spanish")["languages"] == ["es"]


def test_price_forms_and_a_total_budget_is_not_a_per_post_filter() -> None:
    assert parsed("coffee creators, max $150 per post")["max_price_usd"] == 150
    assert parsed("bakers under 200 USD per video")["max_price_usd"] == 200
    assert parsed("gamers, budget $1.5k a post")["max_price_usd"] == 1500
    total = parse_request("yoga teachers, total campaign budget $5,000", Settings())
    assert total.request.max_price_usd is None
    assert any("total budget" in note for note in total.notes)
    assert "campaign" not in total.request.topic


def test_engagement_forms() -> None:
    assert parsed("runners with ER > 2.5%")["min_engagement"] == 2.5
    assert parsed("bakers with at least 4% engagement")["min_engagement"] == 4.0
    assert parsed("engagement rate of 1.5% or more, vegan cooks")["min_engagement"] == 1.5


def test_a_brief_without_filters_is_all_topic_and_notes_explain_filters() -> None:
    result = parse_request("Cruelty-free lipstick line looking for makeup lovers", Settings())
    assert result.request.topic == "Cruelty-free lipstick line looking for makeup lovers"
    assert result.notes == []
    with_filters = parse_request("fitness creators in Germany", Settings())
    assert with_filters.notes == ["country Germany (DE)"]
    assert with_filters.parser == "rules"


def test_custom_tier_bounds_do_not_change_tier_names() -> None:
    settings = Settings(tiers=TierSettings(nano=500, micro=5_000, mid=50_000))
    assert parsed("micro creators for socks", settings)["tiers"] == ["micro"]


def test_normalisers() -> None:
    assert parse_count("12.5k") == 12_500
    assert parse_count("1,200") == 1_200
    assert country_code("United Kingdom") == "GB"
    assert country_code("uk") == "GB"
    assert country_code("Atlantis") is None
    assert language_code("Portuguese") == "pt"


class StructuredFake(FakeListChatModel):
    """A LangChain fake chat model whose structured output parses its canned JSON reply."""

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return self | RunnableLambda(lambda message: schema.model_validate_json(message.content))


def test_llm_parser_normalises_the_models_fields() -> None:
    reply = {
        "topic": "plant-based protein bar for fitness fans",
        "platforms": ["TikTok"],
        "countries": ["Germany", "Narnia"],
        "tiers": ["micro-influencers"],
        "min_engagement": 3,
        "max_price_usd": 300,
        "exclude_handles": ["gymbro"],
    }
    model = StructuredFake(responses=[json.dumps(reply)])
    result = parse_with_llm("whatever the marketer wrote", Settings(), model=model)
    assert result.parser == "llm"
    request = result.request
    assert request.platforms == ["tiktok"]
    assert request.countries == ["DE"]
    assert request.tiers == ["micro"]
    assert request.exclude_handles == ["@gymbro"]
    assert any("Narnia" in note for note in result.notes)


@pytest.mark.parametrize(
    "model",
    [
        FakeListChatModel(responses=["not json"]),  # no structured output support at all
        StructuredFake(responses=['{"topic": 42}']),  # output that does not validate
        StructuredFake(responses=[json.dumps({"topic": "  "})]),  # an empty topic
        None,  # no model configured
    ],
)
def test_llm_parser_falls_back_to_the_rules_on_any_failure(model: Any) -> None:
    brief = "micro fitness creators in Germany"
    result = parse_with_llm(brief, Settings(), model=model)
    assert result.parser == "rules"
    assert result.request == parse_request(brief, Settings()).request
    assert any("read by rules" in note for note in result.notes)


def test_llm_parser_accepts_a_ready_structured_runnable() -> None:
    fields = BriefFields(topic="dog treats", platforms=["instagram"])
    result = parse_with_llm("x", Settings(), structured=RunnableLambda(lambda _: fields), k=5)
    assert result.request.topic == "dog treats"
    assert result.request.k == 5
