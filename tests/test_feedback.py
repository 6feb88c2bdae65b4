"""Pseudo-relevance feedback: the index read by document, the words chosen, and a real match."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.models import MatchRequest
from app.service import Nichematch
from retrieval.corpus import Corpus, CreatorRow
from retrieval.feedback import feedback_terms
from retrieval.filters import violations
from retrieval.lexical import LexicalIndex, Tokenizer
from tests.conftest import SMALL


def test_entries_are_the_index_read_by_document() -> None:
    tokenizer = Tokenizer()
    docs = ["sourdough bread bake", "espresso coffee beans", "sourdough starter", ""]
    index = LexicalIndex.build([tokenizer.tokens(doc) for doc in docs])
    wanted = np.asarray([2, 0, 3, 1])  # 3 is empty: it has no entries, not a placeholder
    positions, token_ids, weights = index.entries(wanted)
    for position, doc in enumerate(wanted):
        mine = positions == position
        tokens = {index.token(int(token)) for token in token_ids[mine]}
        assert tokens == set(tokenizer.tokens(docs[doc]))
        for token_id, weight in zip(token_ids[mine], weights[mine], strict=True):
            token = index.token(int(token_id))
            assert weight == pytest.approx(float(index.scores({token: 1.0})[doc]))
    unique = np.unique(token_ids)
    frequencies = index.document_frequencies(unique)
    by_token = dict(zip((index.token(int(t)) for t in unique), frequencies, strict=True))
    assert by_token["sourdough"] == 2 and by_token["espresso"] == 1
    assert len(index.entries(np.asarray([], dtype=np.int64))[0]) == 0
    assert len(LexicalIndex.build([]).entries(np.asarray([0]))[1]) == 0


def _corpus(posts_by_creator: dict[str, list[str]]) -> Corpus:
    rows, post_ids, owners, texts = [], [], [], []
    for number, (creator, posts) in enumerate(posts_by_creator.items()):
        rows.append(
            CreatorRow(creator, f"@{creator}", "instagram", "micro", 20_000, 500, 3.0, 200.0,
                       None, None, [], None)
        )  # fmt: skip
        for position, text in enumerate(posts):
            post_ids.append(f"{creator}::p{position}")
            owners.append(number)
            texts.append(text)
    tokenizer = Tokenizer()
    return Corpus(
        rows,
        post_ids,
        np.asarray(owners, dtype=np.int32),
        LexicalIndex.build([tokenizer.tokens(text) for text in texts]),
        LexicalIndex.build([[] for _ in rows]),
        [],
    )


def test_feedback_words_are_shared_by_the_best_creators_and_new_to_the_query() -> None:
    corpus = _corpus(
        {
            "a": ["camper van ready for summer #buslife #nomadic", "camper kitchen #buslife", ""],
            "b": ["van build almost done #buslife #nomadic", "sleeping in the van #nomadic", ""],
            "c": ["three weeks on the road #buslife", "quiet morning"],
            "d": ["sourdough starter", "bread #nomadic"],
        }
    )
    query = {"camper": 1.0, "van": 1.0}
    words = feedback_terms(corpus, ["a", "b", "c", "d"], query, creators=2, terms=10)
    # shared by a and b, not in the query; "summer", "kitchen", "build" are one creator's only;
    # their empty posts' placeholder is no word
    assert set(words) == {"buslife", "nomadic"}
    assert sum(words.values()) == pytest.approx(1.0)
    heaviest = max(words, key=lambda token: words[token])
    assert feedback_terms(corpus, ["a", "b"], query, creators=2, terms=1) == {heaviest: 1.0}
    assert feedback_terms(corpus, ["a"], query, creators=1, terms=10) == {}  # one is no support
    assert feedback_terms(corpus, ["x", "y"], query, creators=2, terms=10) == {}  # unknown ids


def _van_creators(path: Path) -> Path:
    """The small fixture plus three van-life creators; only the first two say "camper van"."""
    lines = SMALL.read_text("utf-8").splitlines()
    posts = {
        "v1": ["Our camper van is ready for the summer #buslife #nomadic",
               "Camper van kitchen tour #buslife"],
        "v2": ["Van build progress, the camper is almost done #buslife #nomadic",
               "Sleeping in the camper van again #nomadic"],
        "v3": ["Three weeks on the road #buslife #nomadic", "Another quiet morning #buslife"],
    }  # fmt: skip
    for creator, texts in posts.items():
        record = {
            "id": creator,
            "handle": f"@{creator}life",
            "platform": "instagram",
            "bio": "",
            "followers": 15_000,
            "posts": [
                {
                    "id": f"{creator}p{i}",
                    "text": text,
                    "likes": 600,
                    "comments": 20,
                    "posted_at": f"2026-10-0{i + 1}T09:00:00Z",
                }
                for i, text in enumerate(texts)
            ],
        }
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.integration
def test_feedback_lifts_a_creator_who_posts_the_niche_without_the_briefs_words(
    settings, embedder, tmp_path
) -> None:
    data = _van_creators(tmp_path / "creators.jsonl")
    request = MatchRequest(topic="camper van rentals", k=5)

    def retrieve(creators: int):
        over = {"feedback_creators": creators}
        tuned = settings.model_copy(update={"match": settings.match.model_copy(update=over)})
        service = Nichematch(tuned, embedder)
        service.ingest([data])
        return service, service.matcher.retrieve(request)

    _, plain = retrieve(0)
    service, fed = retrieve(2)
    assert plain.feedback_terms == {}
    assert {"buslife", "nomadic"} <= set(fed.feedback_terms)
    assert "v3" not in plain.lexical  # none of the brief's or its niches' words
    assert fed.lexical.get("v3", 0) > 0

    def rank(found) -> int:
        ordered = sorted(found.fused, key=lambda cid: (-found.fused[cid], cid))
        return ordered.index("v3")

    assert rank(fed) < rank(plain)
    matches = service.match(request)
    assert "v3" in {m.creator_id for m in matches}
    for match in matches:  # reasons quote the brief's words, never the feedback words
        assert "buslife" not in " ".join(match.reasons)
    filtered = request.model_copy(update={"exclude_ids": ["v3"], "min_followers": 16_000})
    kept = service.match(filtered)  # the second lexical pass keeps the hard filters
    stored = service.store.get_creators([match.creator_id for match in kept])
    assert kept and not any(violations(filtered, stored[match.creator_id]) for match in kept)
