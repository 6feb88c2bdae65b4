"""Ranks creators for a match request: hybrid retrieval, fusion, scores, diversity.

1. **Dense**: the brief's embedding against posts and bios in the store, hard filters in the
   store query; per creator the mean of their best ``top_posts`` post similarities (missing
   posts count as the weakest retrieved), blended with the bio.
2. **Lexical**: BM25 over posts (words and hashtags) and bios, with the brief expanded by the
   vocabulary of its nearest niches; per creator the mean of their best ``lexical_top_posts``.
3. **Niche**: whether the creator's inferred niches include the brief's niches (soft).
4. **Fusion**: the three, normalised within the request, in a weighted sum (settings) — the fit.
   Then the words the best creators of this first pass use widen the lexical query, and the
   lexical ranking and the fusion are computed again (:mod:`feedback`).
5. **Rank**: fit with engagement percentile, risk signals and budget fit (:mod:`ranking`), hard
   filters checked again on fresh store metadata, near-duplicates moved down (:mod:`diversity`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.models import CreatorProfile, Match, MatchRequest
from app.settings import Settings
from retrieval.corpus import Corpus, CorpusCache
from retrieval.diversity import spread
from retrieval.embeddings import Embedder
from retrieval.feedback import feedback_terms
from retrieval.filters import allowed_mask, store_where, violations
from retrieval.fusion import aggregate_posts, fuse, normalise, top_mean
from retrieval.lexical import Tokenizer, query_weights
from retrieval.niches import NicheCatalog, default_catalog
from retrieval.ranking import Signals, breakdown_for, evidence_for, final_score
from retrieval.store import CreatorStore, Hit

BIO_WEIGHT = 0.3
_WORDS = re.compile(r"\w+")
WINDOW_EXTRA = 15


@dataclass
class Retrieval:
    """Everything one request retrieved, before ranking."""

    request: MatchRequest
    brief_niches: list[tuple[str, float]]
    fused: dict[str, float]
    dense: dict[str, float] = field(default_factory=dict)
    lexical: dict[str, float] = field(default_factory=dict)
    post_hits: dict[str, list[Hit]] = field(default_factory=dict)
    post_lexical: np.ndarray | None = None
    bio_lexical: np.ndarray | None = None
    allowed: np.ndarray | None = None  # the hard filters over the corpus's creators
    query_terms: dict[str, float] = field(default_factory=dict)
    dense_floor: float = 0.0
    term_posts: dict[str, set[int]] = field(default_factory=dict)
    feedback_terms: dict[str, float] = field(default_factory=dict)


class Matcher:
    """Hybrid creator matching under hard filters."""

    def __init__(
        self,
        settings: Settings,
        store: CreatorStore,
        embedder: Embedder,
        catalog: NicheCatalog | None = None,
        corpus: CorpusCache | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.catalog = catalog or default_catalog()
        self.corpus = corpus or CorpusCache(settings, store, self.catalog)
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="nichematch-dense")

    # -- retrieval -----------------------------------------------------------------------

    def retrieve(self, request: MatchRequest) -> Retrieval:
        """Dense, lexical and niche signals for a request, fused per creator."""
        corpus = self.corpus.get()
        request = self._resolve_handles(request, corpus)
        vector = self.embedder.encode([request.topic])[0]
        brief_niches = self.catalog.nearest(vector, self.embedder, request.topic)
        found = Retrieval(request, brief_niches, {})
        # The store queries and BM25 touch disjoint fields and mostly run outside the GIL.
        dense = self._pool.submit(self._dense, found, self._expanded(vector, brief_niches))
        self._lexical(found, corpus)
        dense.result()
        self._fuse(found, corpus)
        config = self.settings.match
        if config.feedback_creators and config.feedback_terms and config.feedback_weight > 0:
            self._feedback(found, corpus)
        return found

    def _feedback(self, found: Retrieval, corpus: Corpus) -> None:
        """A second lexical pass with the words of the first pass's best creators (RM3)."""
        config = self.settings.match
        mass = sum(found.query_terms.values())
        if mass <= 0 or found.post_lexical is None or found.bio_lexical is None:
            return  # no first lexical pass to widen
        ranked = [cid for cid, _ in sorted(found.fused.items(), key=lambda p: (-p[1], p[0]))]
        words = feedback_terms(
            corpus, ranked, found.query_terms, config.feedback_creators, config.feedback_terms
        )
        if not words:
            return
        extra = {token: config.feedback_weight * mass * share for token, share in words.items()}
        found.feedback_terms = extra
        found.query_terms = {**found.query_terms, **extra}
        # BM25 is a sum over the query's words: only the new words need scoring
        found.post_lexical = found.post_lexical + corpus.posts.scores(extra)
        found.bio_lexical = found.bio_lexical + corpus.bios.scores(extra)
        self._lexical_creators(found, corpus)
        self._fuse(found, corpus)

    def _fuse(self, found: Retrieval, corpus: Corpus) -> None:
        niche = self._niche_signal(found, corpus)
        config = self.settings.match
        found.fused = fuse(
            {
                "dense": normalise(found.dense, found.dense_floor),
                "lexical": normalise(found.lexical),
                "niche": niche,
            },
            {
                "dense": config.weight_dense,
                "lexical": config.weight_lexical,
                "niche": config.weight_niche,
            },
        )

    def _expanded(self, vector: np.ndarray, niches: list[tuple[str, float]]) -> np.ndarray:
        """The brief's vector moved toward its niches' prototypes (``dense_expansion``)."""
        alpha = self.settings.match.dense_expansion
        if alpha <= 0 or not niches:
            return vector
        prototypes = self.catalog.prototypes(self.embedder)
        names = self.catalog.names
        total = sum(max(sim, 0.0) for _, sim in niches) or 1.0
        centre = sum(max(sim, 0.0) / total * prototypes[names.index(name)] for name, sim in niches)
        moved = vector + alpha * centre
        return np.asarray(moved / (np.linalg.norm(moved) or 1.0), dtype=np.float32)

    def _resolve_handles(self, request: MatchRequest, corpus: Corpus) -> MatchRequest:
        if not request.exclude_handles:
            return request
        wanted = {handle.lower().lstrip("@") for handle in request.exclude_handles}
        ids = [row.id for row in corpus.rows if row.handle.lower().lstrip("@") in wanted]
        return request.model_copy(update={"exclude_ids": [*request.exclude_ids, *ids]})

    def _dense(self, found: Retrieval, vector: np.ndarray) -> None:
        config = self.settings.match
        where = store_where(found.request)
        # light: only ids and distances (creator and post ids); the text comes from the record
        post_hits = self.store.query_posts(vector, config.candidate_posts, where, light=True)
        bio_hits = self.store.query_bios(vector, config.candidate_bios, where)
        by_creator: dict[str, list[Hit]] = defaultdict(list)
        for hit in post_hits:
            by_creator[str(hit.metadata["creator_id"])].append(hit)
        floor = min((hit.similarity for hit in post_hits), default=0.0)
        bio_floor = min((hit.similarity for hit in bio_hits), default=0.0)
        bios = {
            str(hit.metadata["creator_id"]): hit.similarity
            for hit in bio_hits
            if hit.metadata.get("has_bio", True)
        }
        any_bio = any(h.metadata.get("has_bio", True) for h in bio_hits)
        for cid in set(by_creator) | set(bios):
            post_fit = top_mean(
                (h.similarity for h in by_creator.get(cid, [])), config.top_posts, floor
            )
            if any_bio:
                bio = bios.get(cid, bio_floor)
                found.dense[cid] = (1 - BIO_WEIGHT) * post_fit + BIO_WEIGHT * bio
            else:
                found.dense[cid] = post_fit
        found.post_hits = dict(by_creator)
        found.dense_floor = floor

    def _lexical(self, found: Retrieval, corpus: Corpus) -> None:
        config = self.settings.match
        tokenizer: Tokenizer = corpus.tokenizer
        query = query_weights(tokenizer.tokens(found.request.topic))
        found.term_posts = {
            term: set(np.flatnonzero(corpus.posts.scores({term: 1.0})).tolist()) for term in query
        }
        own = sum(query.values())
        if config.expansion > 0 and own > 0:
            for token, share in self.catalog.expansion(found.brief_niches, tokenizer).items():
                query[token] = query.get(token, 0.0) + config.expansion * own * share
        found.query_terms = query
        if query:
            found.allowed = allowed_mask(found.request, corpus.columns)
            found.post_lexical = corpus.posts.scores(query)
            found.bio_lexical = corpus.bios.scores(query)
            self._lexical_creators(found, corpus)

    def _lexical_creators(self, found: Retrieval, corpus: Corpus) -> None:
        """Per-creator BM25, from the post and bio scores, into ``found.lexical``."""
        config = self.settings.match
        allowed = found.allowed
        assert allowed is not None and found.post_lexical is not None
        assert found.bio_lexical is not None
        per_creator = aggregate_posts(
            found.post_lexical,
            corpus.post_owner,
            allowed,
            config.lexical_top_posts,
            depth=config.lexical_candidates * 4,
        )
        scores = np.zeros(len(corpus.rows), dtype=np.float64)
        if per_creator:
            rows = np.fromiter(per_creator.keys(), dtype=np.int64, count=len(per_creator))
            scores[rows] = np.fromiter(per_creator.values(), dtype=np.float64, count=len(rows))
        bio_scores = np.where(allowed, found.bio_lexical, 0.0)
        top_bio = float(bio_scores.max(initial=0.0))
        if top_bio > 0:
            # bios scaled so the best bio weighs like the best posts, then blended in
            top_post = float(scores.max(initial=0.0)) or top_bio
            with_bio = bio_scores > 0
            scores[with_bio] = (1 - BIO_WEIGHT) * scores[with_bio] + BIO_WEIGHT * (
                bio_scores[with_bio] / top_bio * top_post
            )
        candidates = np.flatnonzero(scores > 0)
        best = candidates[np.argsort(-scores[candidates], kind="stable")]
        found.lexical = {
            corpus.rows[int(index)].id: float(scores[index])
            for index in best[: config.lexical_candidates]
        }

    def _niche_signal(self, found: Retrieval, corpus: Corpus) -> dict[str, float]:
        if not found.brief_niches:
            return {}
        best = found.brief_niches[0][1] or 1.0
        wanted = {name: sim / best for name, sim in found.brief_niches}
        signal = {}
        for cid in set(found.dense) | set(found.lexical):
            index = corpus.index_of.get(cid)
            if index is None:
                continue
            shares = [wanted[n] for n in corpus.rows[index].niches if n in wanted]
            if shares:
                signal[cid] = max(shares)
        return signal

    # -- ranking -------------------------------------------------------------------------

    def match(self, request: MatchRequest) -> list[Match]:
        """The ``request.k`` best creators, best first."""
        found = self.retrieve(request)
        request = found.request
        corpus = self.corpus.get()
        ordered = sorted(found.fused.items(), key=lambda pair: (-pair[1], pair[0]))
        window = [cid for cid, _ in ordered[: request.k * 2 + WINDOW_EXTRA]]
        metas = self.store.get_creators(window)
        top_fit = ordered[0][1] if ordered else 1.0
        scored = []
        for cid in window:
            meta = metas.get(cid)
            if meta is None or violations(request, meta):
                continue  # incomplete in the store, or a stale snapshot: never returned
            scored.append(self._scored(cid, meta, found, corpus, top_fit))
        scored.sort(key=lambda item: (-item.score, item.creator_id))
        diverse, _ = spread(scored, _evidence_words)
        return diverse[: request.k]

    def _scored(
        self, cid: str, meta: Any, found: Retrieval, corpus: Corpus, top_fit: float
    ) -> Match:
        config = self.settings.match
        profile = CreatorProfile.model_validate_json(str(meta["record"]))
        hits = found.post_hits.get(cid, [])
        similarity = {str(h.metadata.get("post_id")): h.similarity for h in hits}
        lexical: dict[str, float] = {}
        matched: list[str] = []
        if found.post_lexical is not None:
            for post in profile.creator.posts:
                index = corpus.post_index.get(f"{cid}::{post.id}")
                if index is not None and found.post_lexical[index] > 0:
                    lexical[post.id] = float(found.post_lexical[index])
                    matched.extend(
                        term
                        for term, posts in found.term_posts.items()
                        if index in posts and term not in matched
                    )
        row = corpus.rows[corpus.index_of[cid]] if cid in corpus.index_of else None
        niches = row.niches if row else list(profile.creator.niches or profile.inferred_niches)
        signals = Signals(
            fit=found.fused.get(cid, 0.0) / (top_fit or 1.0),
            dense=found.dense.get(cid),
            lexical=found.lexical.get(cid),
            dense_posts=len(hits),
            matched_terms=matched,
            niches=niches,
            brief_niches=[name for name, _ in found.brief_niches],
        )
        breakdown, reasons = breakdown_for(profile, signals, found.request, corpus.peers, config)
        creator = profile.creator
        return Match(
            creator_id=creator.id,
            handle=creator.handle,
            name=creator.name,
            platform=creator.platform,
            country=creator.country,
            language=creator.language,
            followers=creator.followers,
            tier=profile.tier,
            engagement_rate=profile.engagement_rate,
            score=final_score(breakdown, config),
            reasons=reasons,
            evidence=evidence_for(profile, similarity, lexical, config.evidence_posts),
            niches=niches,
            scores=breakdown,
        )


def _evidence_words(match: Match) -> frozenset[str]:
    return frozenset(
        word for evidence in match.evidence for word in _WORDS.findall(evidence.text.lower())
    )
