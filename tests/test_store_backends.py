"""The same store tests against the embedded store and a real ``chroma run`` server.

Each server test gets its own collection prefix, so tests sharing the module's server see only
their own data (as agencies sharing one Chroma deployment would).
"""

from __future__ import annotations

from uuid import uuid4

import numpy as np
import pytest

from app.models import MatchRequest
from app.service import Nichematch
from retrieval.filters import violations
from retrieval.store import CreatorStore
from tests.chroma_server import ChromaServer
from tests.conftest import SMALL

pytestmark = [pytest.mark.integration, pytest.mark.server]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data").start()
    yield server
    server.stop()


@pytest.fixture(params=["embedded", "server"])
def backend_settings(request, settings):
    """Settings for the embedded store, or for the module's server under a fresh prefix."""
    if request.param == "embedded":
        return settings
    server = request.getfixturevalue("chroma_server")
    chroma = settings.chroma.model_copy(
        update={"url": server.url, "collection_prefix": f"t{uuid4().hex[:10]}"}
    )
    return settings.model_copy(update={"chroma": chroma})


def _meta(creator: str, platform: str, followers: int) -> dict[str, str | int | float | bool]:
    return {
        "creator_id": creator,
        "platform": platform,
        "followers": followers,
        "content_hash": f"h-{creator}",
    }


def test_write_read_query_delete(backend_settings, embedder):
    store = CreatorStore(backend_settings)
    texts = [
        "Ten kilometre tempo run by the river before work",
        "Slow-proofed sourdough with a crackly crust",
        "Budget hostel review: Lisbon for twenty euros a night",
    ]
    ids = ["a::p1", "b::p1", "c::p1"]
    metas = [_meta("a", "instagram", 20_000), _meta("b", "tiktok", 5_000), _meta("c", "x", 900)]
    store.upsert_posts(ids, embedder.encode(texts), texts, metas)
    assert store.count_posts() == 3
    assert store.post_hashes(["a", "c"]) == {"a::p1": ("a", "h-a"), "c::p1": ("c", "h-c")}

    bread = embedder.encode(["baking bread at home"])[0]
    assert store.query_posts(bread, 1, None)[0].id == "b::p1"
    filtered = store.query_posts(bread, 3, {"followers": {"$gte": 10_000}})
    assert [hit.id for hit in filtered] == ["a::p1"]
    assert filtered[0].similarity < store.query_posts(bread, 1, None)[0].similarity

    store.update_post_metadata(["a::p1"], [{**metas[0], "followers": 1}])
    assert store.query_posts(bread, 3, {"followers": {"$gte": 10_000}}) == []
    store.delete_posts(["b::p1"])
    assert store.count_posts() == 2
    assert [hit.id for hit in store.query_posts(bread, 5, None)].count("b::p1") == 0


def test_ingest_match_filters_and_unchanged_reingest(backend_settings, embedder):
    nm = Nichematch(backend_settings, embedder)
    first = nm.ingest([SMALL])
    assert first.embedded_texts > 0
    stats = nm.stats()
    assert (stats["creators"], stats["posts"]) == (5, 25)
    assert stats["store"] == (backend_settings.chroma.url or str(backend_settings.chroma_path))

    assert nm.match(MatchRequest(topic="plant-based vegan recipes", k=3))[0].handle == (
        "@plantplate"
    )
    request = MatchRequest(topic="healthy food and running", k=10, platforms=["instagram"])
    found = nm.match(request)
    assert found
    metas = nm.store.get_creators([m.creator_id for m in found])
    assert all(violations(request, metas[m.creator_id]) == [] for m in found)

    again = nm.ingest([SMALL])
    assert again.embedded_texts == 0 and again.unchanged == 5


def test_prefixes_keep_two_tenants_apart(backend_settings, embedder):
    mine = CreatorStore(backend_settings)
    other_chroma = backend_settings.chroma.model_copy(
        update={"collection_prefix": backend_settings.chroma.collection_prefix + "x"}
    )
    theirs = CreatorStore(backend_settings.model_copy(update={"chroma": other_chroma}))
    vector = np.asarray(embedder.encode(["a creator bio"]))
    mine.upsert_creators(["c1"], vector, ["a creator bio"], [_meta("c1", "x", 10)])
    assert (mine.count_creators(), theirs.count_creators()) == (1, 0)


FILTERED = [
    {"platform": "instagram"},
    {"$and": [{"followers": {"$gte": 10_000}}, {"followers": {"$lte": 400_000}}]},
    {"$and": [{"country": {"$in": ["PT", "IT", "US"]}}, {"engagement_rate": {"$gte": 1.0}}]},
    {"creator_id": {"$nin": ["t002"]}},
]


def test_fast_filtered_queries_equal_chromas_own_filter(backend_settings, embedder, monkeypatch):
    nm = Nichematch(backend_settings, embedder)
    nm.ingest([SMALL])
    store = nm.store
    native_calls = []
    native = store._query
    native_ids = store._native_ids
    monkeypatch.setattr(
        store, "_native_ids", lambda *a: native_calls.append(a[3]) or native_ids(*a)
    )
    vector = embedder.encode(["coffee, running and plant-based food"])[0]
    for where in FILTERED:
        for query, collection, n in (
            (store.query_posts, store._posts, 6),
            (store.query_bios, store._creators, 2),
        ):
            fast = query(vector, n, where)
            exact = native(collection, vector, n, where)
            assert [h.id for h in fast] == [h.id for h in exact], where
            assert [h.similarity for h in fast] == pytest.approx([h.similarity for h in exact])
            assert [h.document for h in fast] == [h.document for h in exact]
    assert native_calls == []  # every filter above took the in-memory path

    monkeypatch.setattr("retrieval.store.MAX_OVERFETCH", 1)  # now too narrow: Chroma filters
    assert [h.id for h in store.query_posts(vector, 6, FILTERED[0])] == [
        h.id for h in native(store._posts, vector, 6, FILTERED[0])
    ]
    assert native_calls == [FILTERED[0]]


@pytest.mark.parametrize("where", [None, *FILTERED])
def test_light_post_hits_are_the_full_hits_without_text(backend_settings, embedder, where):
    nm = Nichematch(backend_settings, embedder)
    nm.ingest([SMALL])
    vector = embedder.encode(["coffee, running and plant-based food"])[0]
    full = nm.store.query_posts(vector, 8, where)
    light = nm.store.query_posts(vector, 8, where, light=True)
    assert [h.id for h in light] == [h.id for h in full]
    assert [h.similarity for h in light] == pytest.approx([h.similarity for h in full])
    assert [dict(h.metadata) for h in light] == [
        {"creator_id": h.metadata["creator_id"], "post_id": h.metadata["post_id"]} for h in full
    ]
    assert all(h.document == "" for h in light)


def test_filter_table_follows_new_creators(backend_settings, embedder):
    store = CreatorStore(backend_settings)
    vector = np.asarray(embedder.encode(["a creator bio"]))
    store.upsert_creators(["c1"], vector, ["a creator bio"], [_meta("c1", "x", 10)])
    assert [h.id for h in store.query_bios(vector[0], 5, {"platform": "x"})] == ["c1"]
    store.upsert_creators(["c2"], vector, ["a creator bio"], [_meta("c2", "x", 10)])
    assert {h.id for h in store.query_bios(vector[0], 5, {"platform": "x"})} == {"c1", "c2"}
    other = CreatorStore(backend_settings)  # another process sees the same store
    other.update_creators(["c1"], [_meta("c1", "tiktok", 10)])
    assert [h.id for h in store.query_bios(vector[0], 5, {"platform": "x"})] == ["c2"]
