"""Lexical retrieval: BM25 (the ``bm25s`` library) over post texts, bios and hashtags.

Creators tag their posts (#plantbasedprotein, #dogsofinstagram) far more consistently than they
describe them, so hashtags are first-class: a tag is indexed as itself *and* as the words it is
made of, found by segmenting it against the corpus's own vocabulary ("dogsofinstagram" → dogs,
of, instagram). Words are lower-cased, stop words of the common caption languages are dropped
and English plurals are folded ("workouts" → "workout"), so a brief and a caption meet on the
same tokens.

The module only scores; which documents exist and how scores become creator ranks is the
business of :mod:`retrieval.corpus` and :mod:`retrieval.fusion`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, cached_property
from pathlib import Path

import bm25s
import numpy as np
from bm25s import stopwords as bm25_stopwords

_WORD = re.compile(r"#?[^\W\d_][\w'’-]*", re.UNICODE)
_MAX_SEGMENT_CHARS = 40
#: Words that marketing briefs use about the *search*, never about the niche.
BRIEF_NOISE = frozenset(
    [
        "creator",
        "creators",
        "influencer",
        "influencers",
        "brand",
        "brands",
        "looking",
        "look",
        "find",
        "finding",
        "want",
        "need",
        "campaign",
        "partner",
        "partners",
        "partnership",
        "collab",
        "collaboration",
        "promote",
        "promoting",
        "launch",
        "launching",
        "product",
        "products",
        "our",
        "we",
        "us",
        "content",
        "account",
        "accounts",
        "people",
        "who",
        "love",
        "lovers",
        "lover",
        "perfect",
        "great",
        "best",
        "new",
        "range",
        "line",
    ]
)


#: The one token of an empty document (so document ids stay aligned); never a real word.
EMPTY_DOCUMENT = "\x00empty"

#: English content words that another language's stop-word list has ("camper van", "front door",
#: "men's shirts", "sun hat", "my son", "sea view"): kept, since briefs are mostly English.
CONTENT_WORDS = frozenset(["van", "door", "men", "hat", "son", "sea"])


@cache
def stopwords() -> frozenset[str]:
    """Stop words of the languages captions are most often written in (see CONTENT_WORDS)."""
    words: set[str] = set()
    for name in (
        "STOPWORDS_EN_PLUS",
        "STOPWORDS_GERMAN",
        "STOPWORDS_SPANISH",
        "STOPWORDS_FRENCH",
        "STOPWORDS_PORTUGUESE",
        "STOPWORDS_ITALIAN",
        "STOPWORDS_DUTCH",
    ):
        words.update(getattr(bm25_stopwords, name, ()))
    return frozenset(word.lower() for word in words) - CONTENT_WORDS


def fold(word: str) -> str:
    """A light English plural fold: "workouts" → "workout", "puppies" → "puppy"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


class Tokenizer:
    """Text into BM25 tokens, with hashtags split into words of a known vocabulary."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self.vocabulary = frozenset(vocabulary)
        self._segments: dict[str, tuple[str, ...]] = {}

    @staticmethod
    def words(text: str) -> list[tuple[str, bool]]:
        """(lower-cased word, is a hashtag) for each word of ``text``; mentions are dropped."""
        text = unicodedata.normalize("NFKC", text).lower()
        text = re.sub(r"@[\w.]+", " ", text)
        found = []
        for raw in _WORD.findall(text):
            tag = raw.startswith("#")
            word = raw.lstrip("#").strip("'’-")
            if len(word) >= 2:
                found.append((word, tag))
        return found

    def segment(self, tag: str) -> tuple[str, ...]:
        """The fewest vocabulary words that spell ``tag`` exactly; empty when none do."""
        if tag in self._segments:
            return self._segments[tag]
        pieces: tuple[str, ...] = ()
        if self.vocabulary and 5 <= len(tag) <= _MAX_SEGMENT_CHARS and tag.isalpha():
            best: list[tuple[int, tuple[str, ...]] | None] = [None] * (len(tag) + 1)
            best[0] = (0, ())
            for end in range(1, len(tag) + 1):
                for start in range(max(0, end - 20), end):
                    prior = best[start]
                    piece = tag[start:end]
                    if prior is None or piece not in self.vocabulary:
                        continue
                    if len(piece) < 3 and piece not in stopwords():
                        continue
                    candidate = (prior[0] + 1, (*prior[1], piece))
                    current = best[end]
                    if current is None or candidate[0] < current[0]:
                        best[end] = candidate
            done = best[len(tag)]
            if done is not None and len(done[1]) > 1:
                pieces = done[1]
        self._segments[tag] = pieces
        return pieces

    def tokens(self, text: str) -> list[str]:
        """BM25 tokens of a text: words, hashtags and the words inside hashtags."""
        out: list[str] = []
        stop = stopwords()
        for word, tag in self.words(text):
            if tag:
                out.append(fold(word))
                out.extend(fold(piece) for piece in self.segment(word) if piece not in stop)
            elif word not in stop:
                out.append(fold(word))
        return out


def build_vocabulary(texts: Iterable[str], min_count: int = 2) -> set[str]:
    """Plain (non-hashtag) words seen at least ``min_count`` times: the segmentation lexicon."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(word for word, tag in Tokenizer.words(text) if not tag)
    return {word for word, count in counts.items() if count >= min_count and len(word) >= 2}


class LexicalIndex:
    """A BM25 index over documents given as token lists, scored with weighted queries."""

    def __init__(self, model: bm25s.BM25 | None, size: int) -> None:
        self.model = model  # None for an index of no documents
        self.size = size

    @classmethod
    def build(cls, documents: Sequence[Sequence[str]]) -> LexicalIndex:
        """Index token lists (an empty document gets a placeholder token so ids stay aligned)."""
        corpus = [list(tokens) or [EMPTY_DOCUMENT] for tokens in documents]
        if not corpus:
            return cls(None, 0)
        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index(corpus, show_progress=False)
        return cls(model, len(corpus))

    def scores(self, query: Mapping[str, float]) -> np.ndarray:
        """BM25 score of every document for a query of token → weight."""
        total = np.zeros(self.size, dtype=np.float32)
        if self.model is None:
            return total
        vocab = self.model.vocab_dict
        for token, weight in query.items():
            token_id = vocab.get(token)
            if token_id is None or weight <= 0:
                continue
            total += weight * self.model.get_scores_from_ids([token_id])
        return total

    def entries(self, documents: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The index read by document: ``(position, token id, BM25 weight)`` of every token of
        the given documents, ``position`` being the document's place in ``documents`` (an empty
        document has none: its placeholder token is left out).

        Read from the index's own per-token weights (turned by document once, on first use),
        so no text is needed.
        """
        if self.model is None or not len(documents):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.float32)
        pointers, tokens, weights = self._by_document
        documents = np.asarray(documents, dtype=np.int64)
        starts, ends = pointers[documents], pointers[documents + 1]
        lengths = ends - starts
        where = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        positions = np.repeat(np.arange(len(documents)), lengths)
        return positions, tokens[where].astype(np.int64), weights[where]

    def token(self, token_id: int) -> str:
        """The token with id ``token_id``."""
        return self._token_names[token_id]

    def document_frequencies(self, token_ids: np.ndarray) -> np.ndarray:
        """How many documents contain each token id."""
        if self.model is None:
            return np.zeros(len(token_ids), dtype=np.int64)
        pointers = self.model.scores["indptr"]
        return (pointers[token_ids + 1] - pointers[token_ids]).astype(np.int64)

    @cached_property
    def _by_document(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(pointers, token ids, weights): document ``d``'s entries are ``pointers[d]:[d+1]``."""
        assert self.model is not None
        scores = self.model.scores
        pointers = np.asarray(scores["indptr"], dtype=np.int64)
        docs = np.asarray(scores["indices"], dtype=np.int64)
        tokens = np.repeat(np.arange(len(pointers) - 1, dtype=np.int32), np.diff(pointers))
        weights = np.asarray(scores["data"])
        placeholder = self.model.vocab_dict.get(EMPTY_DOCUMENT)
        if placeholder is not None:  # an empty document has no words
            real = tokens != placeholder
            docs, tokens, weights = docs[real], tokens[real], weights[real]
        order = np.argsort(docs, kind="stable")
        by_doc = np.zeros(self.size + 1, dtype=np.int64)
        np.cumsum(np.bincount(docs, minlength=self.size), out=by_doc[1:])
        return by_doc, tokens[order], weights[order]

    @cached_property
    def _token_names(self) -> dict[int, str]:
        assert self.model is not None
        return {token_id: token for token, token_id in self.model.vocab_dict.items()}

    def save(self, folder: Path) -> None:
        """Write the index to ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, size: int) -> LexicalIndex:
        """Read an index written by :meth:`save`."""
        if size == 0:
            return cls(None, 0)
        model = bm25s.BM25.load(str(folder), show_progress=False)
        return cls(model, size)


def query_weights(tokens: Iterable[str], weight: float = 1.0) -> dict[str, float]:
    """Token → weight for a query, leaving out words about the search rather than the niche."""
    weights: dict[str, float] = {}
    for token in tokens:
        if token in BRIEF_NOISE or fold(token) in BRIEF_NOISE:
            continue
        weights[token] = weights.get(token, 0.0) + weight
    return weights


def plain_tokens(texts: Sequence[str]) -> list[list[str]]:
    """The library's default tokenization (English stop words, no hashtag handling).

    Used by the BM25 baseline of the evaluation, so the baseline is BM25 as it comes.
    """
    return [
        list(tokens)
        for tokens in bm25s.tokenize(list(texts), return_ids=False, show_progress=False)
    ]
