"""Campaign briefs: everything a brief holds, composed from the data; Markdown; brand files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.drafting.brandfile import example_brand, load_brand
from app.drafting.briefs import BriefWriter, render_markdown
from app.errors import InputError
from app.llm.client import ChatClient
from tests.support.llm_fakes import POSTS, brand, failing, profile, replies

TODAY = date(2026, 11, 2)


def shortlist(settings):
    return [
        profile(settings, rate_usd=450),
        profile(
            settings,
            id="c2",
            handle="@run_with_lena",
            name="Lena Vogt",
            platform="instagram",
            followers=24_000,
            posts=[{**p, "kind": "photo"} for p in POSTS],
        ),
    ]


def write(settings, model=None, capable=False, **brand_fields):
    writer = BriefWriter(ChatClient(settings, model or failing(), capable=capable), today=TODAY)
    return writer.write(brand(**brand_fields), shortlist(settings))


def test_a_brief_holds_everything_a_campaign_needs(settings):
    brief = write(settings, objective="conversions", hashtag="#GreenBarFuel")
    assert brief.objective.startswith("Conversions: turn runners and gym-goers into buyers")
    assert brief.audience == "runners and gym-goers"
    assert brief.key_message == "Protein bars made from peas, dates and peanuts."
    assert brief.hashtag == "#GreenBarFuel" and "#ad" in brief.disclosure
    assert any("ProteinCo" in d for d in brief.donts) and any(
        "#GreenBarFuel" in d for d in brief.dos
    )
    assert brief.timeline[0].on == date(2026, 11, 16)  # two weeks from today
    assert "90 days" in brief.usage_rights and len(brief.approval_steps) == 4
    assert any("Promo code redemptions" in k for k in brief.kpis)
    first, second = brief.creators
    assert (first.handle, first.platform, second.platform) == ("@plantplate", "tiktok", "instagram")
    assert first.deliverables[0].format == "video" and second.deliverables[0].format == "photo"


def test_budget_decides_posts_per_creator_and_fees_come_from_the_estimates(settings):
    brief = write(settings, budget_usd=2000)  # one round costs 450 + 240 = 690: two rounds fit
    first, second = brief.creators
    assert first.deliverables[0].count == 2 and first.fee_usd == 900.0
    assert first.fee_basis.startswith("2 × $450 per post (quoted by the creator)")
    assert second.fee_usd == 480.0 and "per 10k followers" in second.fee_basis
    assert [str(d) for d in first.deliverables[0].dates] == ["2026-11-30", "2026-12-07"]
    assert brief.budget.fees_usd == 1380.0 and brief.budget.reserve_usd == 620.0
    assert brief.budget.note.startswith("Within budget; $620 left")


def test_over_budget_and_gifting_say_so(settings):
    over = write(settings, budget_usd=500)
    assert over.creators[0].deliverables[0].count == 1
    assert over.budget.note == "Over budget by $190: drop a creator or negotiate fees."
    gift = write(settings, offer="gifting")
    assert all(plan.fee_usd is None for plan in gift.creators) and gift.budget.fees_usd == 0
    assert "Gifted product counts as payment" in gift.disclosure


def test_each_creator_gets_a_promo_code_and_a_utm_link(settings):
    brief = write(settings)
    codes = [plan.promo_code for plan in brief.creators]
    assert codes == ["GREENBAR-PLANTPLATE", "GREENBAR-RUNWITHLENA"]
    assert brief.creators[1].utm_link == (
        "https://greenbar.example.com?utm_source=instagram&utm_medium=influencer"
        "&utm_campaign=greenbar-202611&utm_content=runwithlena"
    )
    no_site = write(settings, website=None)
    assert no_site.creators[0].utm_link.startswith("<landing page URL>?utm_source=tiktok")


def test_markdown_has_every_section_escapes_handles_and_never_shows_posts(settings):
    brief = write(settings)
    brief.creators[1].handle = "@lena_<b>[x](javascript:alert(1))"
    text = render_markdown(brief)
    for heading in [
        "Objective",
        "Audience",
        "Key message",
        "Creators and deliverables",
        "Hashtag and disclosure",
        "Do's",
        "Don'ts",
        "Timeline",
        "Budget",
        "KPIs and tracking",
        "Approval steps",
        "Usage rights",
    ]:
        assert f"\n## {heading}\n" in text, heading
    assert "<b>" not in text and "](javascript" not in text
    assert r"@lena\_\<b\>\[x\]\(javascript:alert\(1\)\)" in text
    assert "Chickpea" not in text


def test_a_capable_model_writes_the_key_message_and_it_is_checked(settings):
    message = "GreenBar makes plant-based protein bars from peas and dates. Now 50% off in Germany."
    brief = write(settings, replies(message), capable=True)
    assert brief.key_message == "GreenBar makes plant-based protein bars from peas and dates."
    assert any("50%" in item for item in brief.grounding.unsupported)
    assert brief.llm.used
    small = replies("Anything at all.")
    assert write(settings, small).key_message.startswith("Protein bars made") and not small.seen


def test_the_stream_is_the_markdown(settings):
    writer = BriefWriter(ChatClient(settings, failing()), today=TODAY)
    stream = writer.stream(brand(), shortlist(settings))
    assert "".join(stream) == render_markdown(stream.result())


def test_a_brief_needs_creators(settings):
    with pytest.raises(InputError, match="at least one creator"):
        BriefWriter(ChatClient(settings, failing())).write(brand(), [])


def test_the_example_brand_file_loads():
    example = example_brand()
    assert example.name == "GreenBar" and example.budget_usd == 3000 and example.competitors


def test_brand_file_errors_say_what_to_fix(tmp_path: Path):
    with pytest.raises(InputError, match=r"no such brand file; copy data/brand\.example\.yaml"):
        load_brand(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_brand(bad)
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(InputError, match="must hold a mapping"):
        load_brand(bad)
    bad.write_text("name: X\nbudget: lots\nobjective: fame\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"budget_usd: .*objective: "):
        load_brand(bad)
    good = tmp_path / "good.yaml"
    good.write_text("name: X\nvalues: a, b\ncompetitors: Y\nbudget: 100\n", encoding="utf-8")
    loaded = load_brand(good)
    assert (loaded.values, loaded.competitors, loaded.budget_usd) == (["a", "b"], ["Y"], 100.0)
