"""The two baselines the evaluation measures the system against.

- :class:`DenseBaseline`: each creator is one text, their posts concatenated (newest first), and
  is embedded with the same model as the system; a brief ranks creators by cosine similarity.
- :class:`BM25Baseline`: BM25 over the same concatenated texts with the library's default
  tokenizer; no hashtag splitting, no query expansion, no fusion.

Both rank only creators that pass the request's hard filters (``eligible``), so the comparison
with the system is about ranking alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from app.models import Creator
from retrieval.embeddings import Embedder
from retrieval.lexical import LexicalIndex, plain_tokens


def creator_text(creator: Creator) -> str:
    """A creator's posts concatenated, newest first (the bio first when there is one)."""
    posts = sorted(creator.posts, key=lambda post: post.posted_at, reverse=True)
    parts = [creator.bio] if creator.bio else []
    parts.extend(post.text for post in posts)
    return "\n".join(parts)


def _top(scores: np.ndarray, ids: Sequence[str], eligible: set[str], depth: int) -> list[str]:
    order = np.argsort(-scores, kind="stable")
    ranked = []
    for index in order:
        if ids[index] in eligible:
            ranked.append(ids[index])
            if len(ranked) >= depth:
                break
    return ranked


class DenseBaseline:
    """Cosine between the brief and each creator's concatenated posts."""

    def __init__(
        self, creators: Sequence[Creator], embedder: Embedder, cache: Path | None = None
    ) -> None:
        self.embedder = embedder
        self.ids = [creator.id for creator in creators]
        texts = [creator_text(creator) for creator in creators]
        key = hashlib.sha256("\x00".join([embedder.name, *texts]).encode()).hexdigest()[:16]
        path = cache / f"dense-baseline-{key}.npy" if cache else None
        if path is not None and path.exists():
            self.vectors = np.load(path)
        else:
            self.vectors = embedder.encode(texts)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                np.save(path, self.vectors)

    def rank(self, topic: str, eligible: set[str], depth: int) -> list[str]:
        """Eligible creator ids, most similar first."""
        query = self.embedder.encode([topic])[0]
        return _top(self.vectors @ query, self.ids, eligible, depth)


class BM25Baseline:
    """BM25 over each creator's concatenated posts, as the library comes."""

    def __init__(self, creators: Sequence[Creator]) -> None:
        self.ids = [creator.id for creator in creators]
        self.index = LexicalIndex.build(plain_tokens([creator_text(c) for c in creators]))

    def rank(self, topic: str, eligible: set[str], depth: int) -> list[str]:
        """Eligible creator ids, best BM25 score first."""
        tokens = plain_tokens([topic])[0]
        query: dict[str, float] = {}
        for token in tokens:
            query[token] = query.get(token, 0.0) + 1.0
        return _top(self.index.scores(query), self.ids, eligible, depth)
