"""BM25 tokenization (hashtags, plurals, stop words), weighted queries and the niche catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import ConfigError
from retrieval.lexical import (
    LexicalIndex,
    Tokenizer,
    build_vocabulary,
    fold,
    plain_tokens,
    query_weights,
)
from retrieval.niches import NicheCatalog, default_catalog


def test_hashtags_are_split_into_known_words() -> None:
    tokenizer = Tokenizer({"dogs", "of", "instagram", "plant", "based", "protein"})
    tokens = tokenizer.tokens("Walkies! #DogsOfInstagram #plantbasedprotein @someone")
    assert "dogsofinstagram" in tokens
    assert {"dog", "instagram", "plant", "based", "protein"} <= set(tokens)
    assert "someone" not in tokens  # mentions are not content
    assert "of" not in tokens  # stop words are dropped even inside tags
    assert Tokenizer().segment("dogsofinstagram") == ()  # no vocabulary, no split


def test_plural_folding_and_multilingual_stop_words() -> None:
    assert fold("workouts") == "workout"
    assert fold("puppies") == "puppy"
    assert fold("glass") == "glass"
    tokens = Tokenizer().tokens("Las recetas de la abuela und die Küche")
    assert "receta" in tokens and "abuela" in tokens
    assert not {"las", "de", "la", "und", "die"} & set(tokens)
    # English content words on another language's stop-word list are kept
    assert Tokenizer().tokens("Camper van with a sea view") == ["camper", "van", "sea", "view"]


def test_vocabulary_counts_plain_words_only() -> None:
    vocab = build_vocabulary(["yoga flow #yogaflow", "yoga mat", "#onlytag"], min_count=2)
    assert vocab == {"yoga"}


def test_weighted_bm25_ranks_the_on_topic_document_first() -> None:
    tokenizer = Tokenizer()
    docs = ["sourdough bread bake", "espresso coffee beans", "sourdough sourdough starter"]
    index = LexicalIndex.build([tokenizer.tokens(doc) for doc in docs])
    scores = index.scores({"sourdough": 1.0, "espresso": 0.1})
    assert scores.argmax() == 2
    assert scores[1] > 0
    assert index.scores({"unknown": 1.0}).sum() == 0
    assert index.scores({"espresso": 2.0})[1] == pytest.approx(
        2 * index.scores({"espresso": 1.0})[1]
    )


def test_index_round_trips_through_disk(tmp_path: Path) -> None:
    index = LexicalIndex.build([["a1", "b1"], [], ["b1"]])
    index.save(tmp_path / "bm25")
    again = LexicalIndex.load(tmp_path / "bm25", 3)
    assert list(again.scores({"b1": 1.0})) == list(index.scores({"b1": 1.0}))


def test_an_index_of_nothing_scores_nothing(tmp_path: Path) -> None:
    empty = LexicalIndex.build([])
    assert empty.scores({"a": 1.0}).shape == (0,)
    empty.save(tmp_path / "empty")
    assert LexicalIndex.load(tmp_path / "empty", 0).scores({"a": 1.0}).shape == (0,)


def test_query_weights_drop_search_words() -> None:
    assert query_weights(["vegan", "creators", "influencer", "snack"]) == {
        "vegan": 1.0,
        "snack": 1.0,
    }


def test_plain_tokens_are_the_librarys_default() -> None:
    assert plain_tokens(["The dogs #dogsofinstagram"]) == [["dogs", "dogsofinstagram"]]


def test_catalogue_infers_niches_from_words_and_expands_queries() -> None:
    catalog = default_catalog()
    texts = ["Leg day done #gym", "New deadlift PR at the gym", "Walk with the dog"]
    assert catalog.infer(texts)[0][0] == "fitness"
    assert catalog.infer(["nothing to see here"]) == []
    weights = catalog.expansion([("pets", 0.5), ("fitness", 0.5)], Tokenizer())
    assert sum(weights.values()) == pytest.approx(1.0)
    assert "dog" in weights and "gym" in weights
    assert len(catalog.names) >= 20


def test_a_broken_catalogue_says_what_is_wrong(tmp_path: Path) -> None:
    bad = tmp_path / "niches.yaml"
    bad.write_text("beauty:\n  terms: [makeup]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="description"):
        NicheCatalog.load(bad)


@pytest.mark.integration
def test_a_brief_that_names_its_niche_is_not_overruled_by_the_embedding(embedder) -> None:
    catalog = default_catalog()
    brief = "retro games speedrun"
    vector = embedder.encode([brief])[0]
    by_meaning = catalog.nearest(vector, embedder)
    by_words = catalog.nearest(vector, embedder, brief)
    assert by_words[0][0] == "gaming"
    assert "running" not in [name for name, _ in by_words]
    # The embedding alone puts "speedrun" close to running: the reason for the rule.
    assert "running" in [name for name, _ in by_meaning]
    # A brief that names no niche's words falls back to the nearest prototype.
    quiet = "cozy slow mornings"
    assert catalog.nearest(embedder.encode([quiet])[0], embedder, quiet) == catalog.nearest(
        embedder.encode([quiet])[0], embedder
    )
