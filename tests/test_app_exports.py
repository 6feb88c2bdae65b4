"""Exports, safe text and the chart: the page's pure parts, without Streamlit running."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pydantic import SecretStr

from app.exports import COLUMNS, cell, matches_csv, shortlist_csv
from app.review import ReviewStore
from app.settings import Settings, TierSettings
from app.ui.chart import engagement_chart, tier_bands
from app.ui.text import compact, escape_markdown, escaped_chunks, ordinal
from tests.test_review import make_match


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_shortlist_csv_has_stage_notes_and_the_match_figures(tmp_path: Path) -> None:
    review = ReviewStore(tmp_path / "r.sqlite3")
    found = make_match(
        "a",
        handle="@lena",
        name="Lena",
        country="DE",
        niches=["running", "coffee"],
        scores={
            "fit": 0.7,
            "engagement_percentile": 81.26,
            "price": {"usd": 240.0, "basis": "estimate: $100 per 10k", "quoted": False},
            "risk_signals": [{"name": "low_engagement", "detail": "far below peers"}],
        },
    )
    review.move("B", found, "contacted")
    review.add_note("B", "a", "wants $250")
    review.save_draft("B", "a", "email", "Hi Lena")
    (row,) = rows(shortlist_csv(review.shortlist("B")))
    assert list(row) == list(COLUMNS)
    assert row["handle"] == "lena"  # no leading @: spreadsheets read "@..." as a formula
    assert row["stage"] == "contacted" and row["notes"] == "wants $250"
    assert row["price_usd"] == "240.0" and row["price_basis"] == "estimate: $100 per 10k"
    assert row["engagement_percentile"] == "81.3" and row["niches"] == "running; coffee"
    assert row["risk_signals"] == "low_engagement" and row["drafts"] == "1"


@pytest.mark.parametrize("value", ['=HYPERLINK("http://e.vil")', "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_formula_like_text_is_neutralised(value: str) -> None:
    assert cell(value) == "'" + value
    (row,) = rows(matches_csv([make_match("a", name=value)]))
    assert row["name"] == "'" + value


def test_numbers_and_plain_text_are_left_alone() -> None:
    assert cell(-3) == -3 and cell("plain") == "plain"


def test_exports_never_hold_settings_or_secrets(isolated_env: Path) -> None:
    secret = "sk-test-abcdefghijklmnop"
    settings = Settings(home=isolated_env, openai_api_key=SecretStr(secret))
    assert settings.openai_api_key is not None
    text = matches_csv([make_match("a")])
    assert secret not in text and "api_key" not in text and "token" not in text
    assert set(rows(text)[0]) == set(COLUMNS)


def test_escape_markdown_leaves_nothing_active() -> None:
    nasty = "[x](http://e.vil) ![i](http://e.vil/p.png) **b** <b>h</b> $x$ :red[r] `c` # h"
    escaped = escape_markdown(nasty)
    for active in ("[x](", "![i](", "**b**", "<b>", "$x$", ":red[", "`c`"):
        assert active not in escaped
    assert escaped.endswith("\\# h")  # a heading marker, escaped
    assert escaped.replace("\\", "") == nasty
    assert "".join(escaped_chunks(["[x", "](http", "://e.vil)"])) == escape_markdown(
        "[x](http://e.vil)"
    )


def test_number_formats() -> None:
    assert compact(12_500) == "12.5k" and compact(1_200_000) == "1.2M" and compact(950) == "950"
    assert [ordinal(n) for n in (1, 2, 3, 11, 12, 22, 72.4, 100)] == [
        "1st", "2nd", "3rd", "11th", "12th", "22nd", "72nd", "100th"
    ]  # fmt: skip


def test_chart_highlights_the_matches_over_tier_bands() -> None:
    tiers = TierSettings()
    bands = tier_bands(tiers, top=2_000_000)
    assert list(bands["tier"]) == ["nano", "micro", "mid", "macro", "mega"]
    assert list(bands["low"]) == [1_000, 10_000, 100_000, 500_000, 1_000_000]
    points = [
        {"handle": f"@c{n}", "platform": "tiktok", "followers": 1_000 * n, "er": n / 3, "tier": "x"}
        for n in range(1, 40)
    ]
    chart = engagement_chart(points, [make_match("a"), make_match("b", followers=90_000)], tiers)
    spec = chart.to_dict()
    layers = spec["layer"]
    assert len(layers) == 5
    x_scales = [layer["encoding"]["x"].get("scale", {}) for layer in layers]
    assert all(scale.get("type") == "log" for scale in x_scales)
    datasets = spec["datasets"]
    highlighted = [rows for rows in datasets.values() if rows and "rank" in rows[0]]
    assert [row["handle"] for row in highlighted[0]] == ["@a", "@b"]
