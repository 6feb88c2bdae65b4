"""In-memory evaluation of Chroma ``where`` clauses (the store's fast filtered queries)."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.where import CreatorTable, Unsupported, creator_level, matches, owner_index

CREATORS = [
    ("c1", {"platform": "instagram", "country": "US", "followers": 20_000, "engagement_rate": 3.1}),
    ("c2", {"platform": "tiktok", "country": "GB", "followers": 5_000, "engagement_rate": 6.0}),
    ("c3", {"platform": "instagram", "followers": 150_000, "engagement_rate": 1.2}),
    ("a::b", {"platform": "x", "country": "US", "followers": 900, "engagement_rate": 0.4}),
]
WHERES = [
    {"platform": "instagram"},
    {"country": {"$in": ["US", "GB"]}},
    {"country": {"$nin": ["US"]}},
    {"$and": [{"followers": {"$gte": 10_000}}, {"followers": {"$lte": 100_000}}]},
    {"$and": [{"platform": {"$ne": "x"}}, {"engagement_rate": {"$gt": 2.0}}]},
    {"engagement_rate": {"$lt": 1.0}},
    {"creator_id": {"$nin": ["c1", "c2"]}},
    {"followers": 5_000},
]


@pytest.mark.parametrize("where", WHERES)
def test_table_mask_agrees_with_per_document_matching(where):
    table = CreatorTable(CREATORS)
    mask = table.mask(where)
    assert mask[-1] is np.False_  # the slot for documents of unknown creators
    expected = [matches(where, {**meta, "creator_id": cid}) for cid, meta in CREATORS]
    assert list(mask[:-1]) == expected


def test_missing_key_satisfies_nothing():
    assert not matches({"country": "US"}, {"platform": "x"})
    assert not matches({"country": {"$nin": ["US"]}}, {"platform": "x"})
    assert list(CreatorTable(CREATORS).mask({"country": {"$nin": ["US"]}})[:-1]) == [
        False,
        True,
        False,
        False,
    ]


def test_owner_of_posts_and_bios():
    table = CreatorTable(CREATORS)
    assert owner_index("c2", table) == 1
    assert owner_index("c2::p7", table) == 1
    assert owner_index("a::b::p1", table) == 3  # a creator id that itself contains "::"
    assert owner_index("zz::p1", table) == -1


def test_only_creator_fields_in_known_forms_go_to_the_table():
    assert creator_level({"$and": [{"platform": "x"}, {"followers": {"$gte": 1}}]})
    assert not creator_level({"sponsored": True})
    assert not creator_level({"$or": [{"platform": "x"}, {"platform": "tiktok"}]})
    assert not creator_level({"followers": {"$gte": 1, "$lte": 5}})
    with pytest.raises(Unsupported):
        CreatorTable(CREATORS).mask({"platform": {"$regex": "x"}})
    assert matches({"$or": [{"platform": "x"}, {"platform": "tiktok"}]}, {"platform": "x"})
