"""Validation and repair of single creator records."""

from __future__ import annotations

import copy

import pytest

from app.records import RecordProblem, parse_count, parse_record

GOOD = {
    "id": "c1",
    "handle": "runner",
    "name": "Ana",
    "platform": "instagram",
    "bio": "Marathons and coffee.",
    "country": "de",
    "followers": 12000,
    "posts": [
        {
            "id": "p1",
            "text": "Long run today",
            "likes": 300,
            "comments": 10,
            "posted_at": "2026-10-01T07:00:00Z",
        },
    ],
}


def record(**changes):
    raw = copy.deepcopy(GOOD)
    raw.update(changes)
    return raw


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12500, 12500),
        ("12,500", 12500),
        ("12.5k", 12500),
        ("1.2M", 1_200_000),
        ("12 500", 12500),
        (12500.0, 12500),
        ("3K", 3000),
    ],
)
def test_counts_are_read_in_common_notations(value, expected):
    assert parse_count(value, "followers")[0] == expected


@pytest.mark.parametrize("value", [-5, "lots", None, True, "-3", [1]])
def test_bad_counts_are_problems(value):
    with pytest.raises(RecordProblem, match="followers"):
        parse_count(value, "followers")


def test_good_record_is_normalised():
    creator, notes = parse_record(record())
    assert creator.handle == "@runner"
    assert creator.country == "DE"
    assert notes == []


def test_repairs_are_reported():
    creator, notes = parse_record(
        record(platform="Twitter", followers="12.5k", country="Germany", email="nope")
    )
    assert (creator.platform, creator.followers, creator.country, creator.email) == (
        "x",
        12500,
        "DE",
        None,
    )
    joined = " | ".join(notes)
    for expected in ("Twitter", "12.5k", "Germany", "e-mail"):
        assert expected in joined


def test_unknown_fields_do_not_invalidate():
    creator, _ = parse_record(record(favourite_colour="teal"))
    assert creator.id == "c1"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"id": ""}, "id"),
        ({"handle": ""}, "handle"),
        ({"platform": "myspace2"}, "platform"),
        ({"posts": []}, "posts"),
        ({"posts": [{"id": "p1", "text": "", "posted_at": "2026-01-01"}]}, "posts"),
        ({"followers": -1}, "followers"),
    ],
)
def test_bad_records_say_why(changes, reason):
    with pytest.raises(RecordProblem, match=reason):
        parse_record(record(**changes))


def test_control_characters_and_long_bio_are_repaired():
    creator, notes = parse_record(record(bio="a\x00b\x07c" + "x" * 10_000))
    assert "\x00" not in creator.bio and len(creator.bio) <= 4_000
    assert any("control" in n for n in notes) and any("cut" in n for n in notes)


def test_post_with_absurd_likes_is_dropped_but_creator_kept():
    posts = GOOD["posts"] + [
        {
            "id": "p2",
            "text": "viral?",
            "likes": 10_000_000,
            "comments": 0,
            "posted_at": "2026-10-02T07:00:00Z",
        }
    ]
    creator, notes = parse_record(record(posts=posts))
    assert [p.id for p in creator.posts] == ["p1"]
    assert any("likes" in n for n in notes)


def test_odd_dates_are_read_as_utc():
    posts = [{"id": "p1", "text": "hi", "likes": 1, "comments": 0, "posted_at": "14 March 2026"}]
    creator, notes = parse_record(record(posts=posts))
    assert creator.posts[0].posted_at.isoformat() == "2026-03-14T00:00:00+00:00"
    assert notes


@pytest.mark.parametrize(
    ("country", "code"), [("UK", "GB"), ("Germany", "DE"), ("br", "BR"), ("Atlantis", None)]
)
def test_countries_by_code_name_or_left_out(country, code):
    creator, notes = parse_record(record(country=country))
    assert creator.country == code
    if code is None:
        assert any("Atlantis" in n for n in notes)


def test_compound_emoji_survive_but_direction_overrides_do_not():
    creator, notes = parse_record(record(bio="Runner 🏃\u200d♀️ mum \u202eevil"))
    assert "🏃\u200d♀️" in creator.bio and "\u202e" not in creator.bio
    assert any("control" in n for n in notes)
