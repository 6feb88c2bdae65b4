"""The service layer: the verbs that the CLI, the Streamlit app and the tests all call.

:class:`Nichematch` holds the settings and builds the heavy objects (embedding model, store)
once, on first use.
"""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.ingest import Ingester, IngestReport, Progress
from app.models import Match, MatchRequest, ParsedRequest
from app.review import ReviewStore
from app.settings import Settings
from retrieval.corpus import mark_store_changed
from retrieval.embeddings import Embedder, load_embedder
from retrieval.matcher import Matcher
from retrieval.store import CreatorStore

if TYPE_CHECKING:
    from retrieval.chain import MatchResult


class _Unavailable:
    """Stands in for a chat model that could not be built; fails so the rules take over."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def invoke(self, _: object) -> object:
        raise self.error


BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data" / "creators.jsonl"


def bundled_dataset() -> Path:
    """The demo creators shipped with the project."""
    return BUNDLED_DATA


class Nichematch:
    """One front object with a few verbs; safe to share between threads."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        """The embedding model, loaded on first use."""
        with self._lock:
            if self._embedder is None:
                self._embedder = load_embedder(self.settings.embedding)
            return self._embedder

    @cached_property
    def store(self) -> CreatorStore:
        """The creator store."""
        return CreatorStore(self.settings)

    @cached_property
    def matcher(self) -> Matcher:
        """The matcher over the store."""
        return Matcher(self.settings, self.store, self.embedder)

    def ingest(
        self, paths: list[Path] | None = None, progress: Progress | None = None
    ) -> IngestReport:
        """Validate, embed and upsert creator files (default: the bundled dataset)."""
        report = Ingester(self.settings, self.store, self.embedder).run(
            paths or [bundled_dataset()], progress
        )
        mark_store_changed(self.settings)  # the lexical snapshot is rebuilt on next match
        return report

    def ensure_ingested(self, progress: Progress | None = None) -> IngestReport | None:
        """Ingest the bundled dataset when the store is empty; None when it was not needed."""
        if self.store.count_creators() > 0:
            return None
        return self.ingest(None, progress)

    def match(self, request: MatchRequest) -> list[Match]:
        """Creators ranked for a request."""
        return self.matcher.match(request)

    def parse(self, brief: str, parser: str = "auto", k: int | None = None) -> ParsedRequest:
        """A plain-language brief as a match request: by rules, or by the LLM when one is
        configured (``parser="auto"``: a server or API key is set) or asked for (``"llm"``)."""
        from app.request_parser import parse_request

        remote = bool(
            self.settings.llm.base_url or self.settings.llm.api_key or self.settings.openai_api_key
        )
        use_llm = parser == "llm" or (
            parser == "auto" and self.settings.llm.provider != "none" and remote
        )
        if not use_llm:
            return parse_request(brief, self.settings, k)
        from app.request_llm import BriefFields, parse_with_llm

        try:
            structured = self.structured_model(BriefFields)
        except Exception as error:  # no usable model: the rules read the brief
            structured = _Unavailable(error)
        return parse_with_llm(brief, self.settings, structured=structured, k=k)

    def match_brief(
        self, brief: str, overrides: dict[str, Any] | None = None, parser: str = "auto"
    ) -> MatchResult:
        """Parse a brief, let explicit ``overrides`` win, rank: the LangChain match chain."""
        from retrieval.chain import BriefInput, build_match_chain

        chain = build_match_chain(lambda text: self.parse(text, parser), self.match)
        return chain.invoke(BriefInput(brief=brief, overrides=overrides or {}))

    @cached_property
    def review(self) -> ReviewStore:
        """Brand profiles, pipelines, notes and drafts (SQLite under the data home)."""
        return ReviewStore(self.settings.review_db_path)

    def match_for_brand(self, request: MatchRequest, brand: str | None) -> list[Match]:
        """Creators ranked for a request, leaving out those the brand has rejected."""
        if brand and brand.strip():
            rejected = self.review.rejected_ids(brand)
            if rejected:
                excluded = list(dict.fromkeys([*request.exclude_ids, *rejected]))
                request = request.model_copy(update={"exclude_ids": excluded})
        return self.match(request)

    def creator_points(self) -> list[dict[str, object]]:
        """Handle, platform, followers, engagement rate and tier of every stored creator."""
        return [
            {
                "handle": meta.get("handle", ""),
                "platform": meta.get("platform", ""),
                "followers": int(meta.get("followers", 0)),
                "er": float(meta.get("engagement_rate", 0.0)),
                "tier": meta.get("tier", ""),
            }
            for _, _, meta in self.store.iter_creators()
        ]

    def stats(self) -> dict[str, object]:
        """What the store holds."""
        return {
            "creators": self.store.count_creators(),
            "posts": self.store.count_posts(),
            "embedding_model": self.settings.embedding.model,
            "store": self.store.location,
            "home": str(self.settings.home),
        }
