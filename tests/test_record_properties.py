"""Property-based tests of the record parser: any input gives a creator or a RecordProblem."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.records import RecordProblem, parse_count, parse_record

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = [
    "id",
    "handle",
    "name",
    "platform",
    "bio",
    "country",
    "language",
    "followers",
    "following",
    "niches",
    "email",
    "rate_usd",
    "posts",
]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=len(FIELDS)))
def test_arbitrary_records_never_crash(raw):
    try:
        creator, notes = parse_record(raw)
    except RecordProblem as problem:
        assert str(problem)  # always a reason
    else:
        assert creator.posts and creator.followers >= 0 and creator.handle.startswith("@")
        assert all(isinstance(n, str) for n in notes)


post_strategy = st.fixed_dictionaries(
    {
        "id": st.text(min_size=1, max_size=8),
        "text": st.text(max_size=80),
        "likes": st.integers(min_value=-5, max_value=10**6) | st.text(max_size=6),
        "comments": st.integers(min_value=0, max_value=10**4),
        "posted_at": st.datetimes().map(lambda d: d.isoformat()) | st.text(max_size=12),
    }
)


@settings(max_examples=300, deadline=None)
@given(
    followers=st.integers(min_value=0, max_value=10**9),
    posts=st.lists(post_strategy, min_size=1, max_size=6),
)
def test_valid_shells_keep_only_well_formed_posts(followers, posts):
    raw = {
        "id": "c",
        "handle": "h",
        "platform": "instagram",
        "followers": followers,
        "posts": posts,
    }
    try:
        creator, _ = parse_record(raw)
    except RecordProblem:
        return
    for post in creator.posts:
        assert post.text.strip() and post.likes >= 0 and post.posted_at.tzinfo is not None
        assert followers == 0 or post.likes <= followers * 10


@given(st.integers(min_value=0, max_value=10**12))
def test_count_roundtrip_through_thousands_separators(n):
    assert parse_count(f"{n:,}", "followers")[0] == n
    assert parse_count(str(n), "followers")[0] == n


@given(st.integers(min_value=0, max_value=999_999), st.sampled_from(["k", "K", "m", "M"]))
def test_suffixes_scale(n, suffix):
    value = n / 10
    expected = round(value * (1_000 if suffix in "kK" else 1_000_000))
    assert parse_count(f"{value}{suffix}", "followers")[0] == expected
