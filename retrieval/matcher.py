"""Ranks creators for a match request.

Dense retrieval over posts and bios, with the hard filters in the store query, aggregated per
creator: a creator's niche fit is the mean similarity of their best few posts (a creator with one
lucky post scores lower than one who posts on the topic consistently), blended with their bio.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.models import CreatorProfile, Evidence, Match, MatchRequest, ScoreBreakdown
from app.settings import Settings
from retrieval.embeddings import Embedder
from retrieval.filters import store_where, violations
from retrieval.store import CreatorStore, Hit

BIO_WEIGHT = 0.3


@dataclass
class Candidate:
    """One creator gathered from the store's hits."""

    creator_id: str
    post_hits: list[Hit] = field(default_factory=list)
    bio_similarity: float | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def fit(self, top_posts: int, floor: float) -> float:
        """Niche fit: mean of the best ``top_posts`` post similarities, blended with the bio.

        Missing posts (fewer than ``top_posts`` among the hits) count as ``floor``, the
        weakest similarity that made it into the candidate set.
        """
        sims = sorted((hit.similarity for hit in self.post_hits), reverse=True)[:top_posts]
        sims += [floor] * (top_posts - len(sims))
        post_fit = sum(sims) / top_posts
        if self.bio_similarity is None:
            return post_fit
        return (1 - BIO_WEIGHT) * post_fit + BIO_WEIGHT * self.bio_similarity


class Matcher:
    """Dense creator matching under hard filters."""

    def __init__(self, settings: Settings, store: CreatorStore, embedder: Embedder) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder

    def candidates(self, request: MatchRequest) -> tuple[dict[str, Candidate], float]:
        """Creators with any hit for the request, and the similarity floor of the hits."""
        config = self.settings.match
        vector = self.embedder.encode([request.topic])[0]
        where = store_where(request)
        post_hits = self.store.query_posts(vector, config.candidate_posts, where)
        bio_hits = self.store.query_bios(vector, config.candidate_bios, where)
        found: dict[str, Candidate] = defaultdict(lambda: Candidate(""))
        for hit in post_hits:
            cid = str(hit.metadata["creator_id"])
            found[cid].creator_id = cid
            found[cid].post_hits.append(hit)
        bio_floor = min((hit.similarity for hit in bio_hits), default=0.0)
        for hit in bio_hits:
            cid = str(hit.metadata["creator_id"])
            found[cid].creator_id = cid
            if hit.metadata.get("has_bio", True):
                found[cid].bio_similarity = hit.similarity
        for candidate in found.values():
            if candidate.bio_similarity is None and bio_hits:
                candidate.bio_similarity = bio_floor
        floor = min((hit.similarity for hit in post_hits), default=0.0)
        return dict(found), floor

    def match(self, request: MatchRequest) -> list[Match]:
        """The ``request.k`` best creators, best first."""
        config = self.settings.match
        found, floor = self.candidates(request)
        metas = self.store.get_creators(list(found))
        ranked = []
        for cid, candidate in found.items():
            meta = metas.get(cid)
            if meta is None or violations(request, meta):
                continue  # a post whose creator is incomplete, or (never) a filter slip
            candidate.meta = meta
            ranked.append((candidate.fit(config.top_posts, floor), candidate))
        ranked.sort(key=lambda pair: (-pair[0], pair[1].creator_id))
        return [self._to_match(score, cand) for score, cand in ranked[: request.k]]

    def _to_match(self, score: float, candidate: Candidate) -> Match:
        profile = CreatorProfile.model_validate_json(str(candidate.meta["record"]))
        creator = profile.creator
        best = sorted(candidate.post_hits, key=lambda hit: -hit.similarity)
        evidence = [
            Evidence(
                post_id=str(hit.metadata["post_id"]),
                text=hit.document,
                similarity=round(hit.similarity, 4),
            )
            for hit in best[: self.settings.match.evidence_posts]
        ]
        reasons = [
            f"{len(candidate.post_hits)} of their posts are among the closest to the brief"
            if candidate.post_hits
            else "their bio is close to the brief",
        ]
        if candidate.bio_similarity is not None and candidate.bio_similarity >= 0.3:
            reasons.append("their bio matches the brief's topic")
        reasons.append(
            f"{profile.tier} creator on {creator.platform} with {creator.followers:,} followers, "
            f"engagement {profile.engagement_rate:.2f}%"
        )
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
            score=round(score, 4),
            reasons=reasons,
            evidence=evidence,
            niches=creator.niches or profile.inferred_niches,
            scores=ScoreBreakdown(fit=round(score, 4), price=profile.price),
        )
