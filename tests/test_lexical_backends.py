"""The lexical snapshot is built from the store's own documents: embedded store and server alike."""

from __future__ import annotations

import pytest

from app.service import Nichematch
from retrieval.lexical import query_weights
from tests.conftest import SMALL
from tests.test_store_backends import backend_settings, chroma_server  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.integration, pytest.mark.server]


def test_snapshot_from_the_store_ranks_lexically_and_is_cached(backend_settings, embedder):  # noqa: F811
    nm = Nichematch(backend_settings, embedder)
    nm.ingest([SMALL])
    corpus = nm.matcher.corpus.get()
    assert len(corpus.rows) == nm.store.count_creators()
    assert len(corpus.post_ids) == nm.store.count_posts()
    scores = corpus.posts.scores(query_weights(corpus.tokenizer.tokens("chickpea curry")))
    best = corpus.rows[int(corpus.post_owner[scores.argmax()])]
    assert best.handle == "@plantplate"
    cached = list((backend_settings.home / "cache" / "corpus").iterdir())
    assert len(cached) == 1  # persisted under the data home, keyed by the store's fingerprint
    fresh = Nichematch(backend_settings, embedder).matcher.corpus.get()
    assert [row.id for row in fresh.rows] == [row.id for row in corpus.rows]
