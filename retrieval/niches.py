"""The niche catalogue: prototypes of niches, for briefs and for creators without labels.

Each niche in ``data/niches.yaml`` has a description (embedded as the niche's prototype) and the
words its creators use. Three uses:

- **Brief niches**: a brief's cosine similarity to each prototype says which niches it is about
  ("plant-based protein bar" → vegan, fitness).
- **Query expansion**: the vocabulary of the brief's nearest niches is added to the lexical query
  with a small weight, so a brief about a product finds creators who post about its niche in
  their own words and hashtags (also in other languages).
- **Creator niches** (at ingest, for records that carry no labels): the share of a creator's
  texts that use a niche's words. Stored with the creator, shown to the user and used as a soft
  ranking signal; never a hard filter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from app.errors import ConfigError
from retrieval.embeddings import Embedder
from retrieval.lexical import Tokenizer

CATALOG_PATH = Path(__file__).resolve().parent.parent / "data" / "niches.yaml"
#: Share of a creator's texts that must use a niche's words for the niche to be inferred.
MIN_SHARE = 0.34
MAX_INFERRED = 3


@dataclass(frozen=True)
class Niche:
    """One niche: a name, a description to embed, and the words its creators use."""

    name: str
    description: str
    terms: tuple[str, ...]
    examples: tuple[str, ...] = ()


class NicheCatalog:
    """All niches, with their prototypes embedded on first use."""

    def __init__(self, niches: Sequence[Niche], fingerprint: str) -> None:
        self.niches = list(niches)
        self.fingerprint = fingerprint
        self._prototypes: dict[str, np.ndarray] = {}
        tokenizer = Tokenizer()
        self._term_tokens = [
            frozenset(token for term in niche.terms for token in tokenizer.tokens(f"#{term}"))
            for niche in self.niches
        ]

    @classmethod
    def load(cls, path: Path = CATALOG_PATH) -> NicheCatalog:
        """Read a catalogue file (default: the bundled one)."""
        try:
            raw = path.read_bytes()
            data = yaml.safe_load(raw)
            niches = [
                Niche(
                    str(name),
                    str(entry["description"]),
                    tuple(map(str, entry["terms"])),
                    tuple(map(str, entry.get("examples", ()))),
                )
                for name, entry in data.items()
            ]
        except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(
                f"Cannot read the niche catalogue {path} ({exc}); each niche needs a "
                "`description` and a list of `terms`."
            ) from exc
        return cls(niches, hashlib.sha256(raw).hexdigest()[:16])

    @property
    def names(self) -> list[str]:
        """Niche names in catalogue order."""
        return [niche.name for niche in self.niches]

    def prototypes(self, embedder: Embedder) -> np.ndarray:
        """One unit vector per niche: the mean of its embedded description and examples."""
        if embedder.name not in self._prototypes:
            texts = [[niche.description, *niche.examples] for niche in self.niches]
            vectors = embedder.encode([text for group in texts for text in group])
            rows, start = [], 0
            for group in texts:
                mean = vectors[start : start + len(group)].mean(axis=0)
                rows.append(mean / (np.linalg.norm(mean) or 1.0))
                start += len(group)
            self._prototypes[embedder.name] = np.asarray(rows, dtype=np.float32)
        return self._prototypes[embedder.name]

    def similarities(self, vector: np.ndarray, embedder: Embedder) -> np.ndarray:
        """Cosine similarity of a (unit) vector to each niche prototype."""
        return self.prototypes(embedder) @ np.asarray(vector, dtype=np.float32)

    def nearest(
        self,
        vector: np.ndarray,
        embedder: Embedder,
        text: str = "",
        top: int = 2,
        margin: float = 0.08,
    ) -> list[tuple[str, float]]:
        """The brief's niches: the nearest prototype and any within ``margin`` of it.

        When the brief's own words (``text``) name niches by their terms ("retro games"),
        those niches compete, and others only if the embedding prefers them by more than
        ``margin``: the words say more than a close embedding, which puts "speedrun" near
        running.
        """
        sims = self.similarities(vector, embedder)
        tokens = frozenset(_plain_tokenizer().tokens(text)) if text else frozenset()
        named = [i for i, terms in enumerate(self._term_tokens) if tokens & terms]
        candidates = np.arange(len(self.niches))
        if named:
            # an unnamed niche stays only when the embedding prefers it by more than the margin
            floor = float(sims[named].max()) + margin
            candidates = np.asarray([i for i in candidates if i in named or sims[i] >= floor])
        order = candidates[np.argsort(-sims[candidates], kind="stable")][:top]
        best = float(sims[order[0]])
        return [
            (self.niches[i].name, round(float(sims[i]), 4))
            for i in order
            if float(sims[i]) >= best - margin
        ]

    def expansion(
        self, niches: Sequence[tuple[str, float]], tokenizer: Tokenizer
    ) -> dict[str, float]:
        """Token → share of the expansion weight, from the vocabulary of the given niches.

        Shares sum to 1 over all tokens, split between niches in proportion to similarity.
        """
        by_name = {niche.name: niche for niche in self.niches}
        positive = [(name, max(sim, 0.0)) for name, sim in niches if name in by_name]
        total = sum(sim for _, sim in positive) or 1.0
        weights: dict[str, float] = {}
        for name, sim in positive:
            tokens = [tok for term in by_name[name].terms for tok in tokenizer.tokens(f"#{term}")]
            if not tokens:
                continue
            share = sim / total / len(tokens)
            for token in tokens:
                weights[token] = weights.get(token, 0.0) + share
        return weights

    def infer(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """Niches of a creator from their texts: (name, share of texts using its words).

        A niche is inferred when at least :data:`MIN_SHARE` of the texts use its words; the
        strongest :data:`MAX_INFERRED` are kept, best first.
        """
        tokenizer = _plain_tokenizer()
        token_sets = [frozenset(tokenizer.tokens(text)) for text in texts if text.strip()]
        if not token_sets:
            return []
        found = []
        for niche, terms in zip(self.niches, self._term_tokens, strict=True):
            share = sum(1 for tokens in token_sets if tokens & terms) / len(token_sets)
            if share >= MIN_SHARE:
                found.append((niche.name, round(share, 3)))
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found[:MAX_INFERRED]


@cache
def _plain_tokenizer() -> Tokenizer:
    return Tokenizer()


@cache
def default_catalog() -> NicheCatalog:
    """The bundled catalogue, read once."""
    return NicheCatalog.load()


def creator_niches(bio: str, posts: Sequence[str]) -> list[str]:
    """Names of the niches inferred for a creator from their bio and posts (best first)."""
    return [name for name, _ in default_catalog().infer([bio, *posts] if bio else list(posts))]
