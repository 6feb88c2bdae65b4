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

if TYPE_CHECKING:  # the LLM layer imports langchain-openai: loaded on first use only
    from langchain_core.language_models import BaseChatModel
    from pydantic import BaseModel

    from app.llm.client import ChatClient
    from app.llm.streams import TextStream
    from app.models import (
        Answer,
        BrandProfile,
        CampaignBrief,
        CreatorProfile,
        LLMMeasurement,
        LLMStatus,
        OutreachDraft,
    )
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

    def vectors_current(self) -> bool | None:
        """Whether the store's vectors come from the configured model and backend (judged on
        one creator's bio hash); None for an empty store."""
        from app.ingest import text_hash

        sample = self.store.sample_creator()
        if sample is None:
            return None
        text, meta = sample
        return meta.get("bio_hash") == text_hash(self.settings.embedding.identity, text)

    def stats(self) -> dict[str, object]:
        """What the store holds."""
        return {
            "creators": self.store.count_creators(),
            "posts": self.store.count_posts(),
            "embedding_model": self.settings.embedding.identity,
            "vectors_current": self.vectors_current(),
            "store": self.store.location,
            "home": str(self.settings.home),
        }

    # -- writing: the LLM layer ----------------------------------------------------------

    @cached_property
    def chat(self) -> ChatClient:
        """The chat model client of the writers (the local server starts on first reply)."""
        from app.llm.client import ChatClient

        return ChatClient(self.settings)

    def chat_model(self, max_tokens: int | None = None) -> BaseChatModel:
        """A LangChain chat model for the configured provider; raises LLMError if none."""
        from app.llm.providers import build_chat_model

        return build_chat_model(self.settings, max_tokens=max_tokens)

    def structured_model(self, schema: type[BaseModel], max_tokens: int | None = None) -> Any:
        """A runnable that returns ``schema`` instances, in the way the provider supports."""
        from app.llm.providers import structured_model

        return structured_model(self.chat_model(max_tokens), schema, self.settings)

    def llm_status(self) -> LLMStatus:
        """Which provider is active and whether it answers."""
        from app.llm.status import check_status

        return check_status(self.settings)

    def creator_profiles(self, creator_ids: list[str]) -> list[CreatorProfile]:
        """Stored creators with their derived figures, in the order asked."""
        from app.errors import NotFoundError
        from app.models import CreatorProfile

        found = self.store.get_creators(creator_ids)
        missing = [cid for cid in creator_ids if cid not in found]
        if missing:
            raise NotFoundError(
                f"No creator with id {', '.join(missing)} in the store at {self.store.location}; "
                "take ids from `nichematch match ... --json`, or ingest the creators first."
            )
        return [
            CreatorProfile.model_validate_json(str(found[cid]["record"])) for cid in creator_ids
        ]

    def draft_outreach_stream(
        self, creator_id: str, brand: BrandProfile, post_id: str | None = None
    ) -> TextStream[OutreachDraft]:
        """An outreach e-mail as it is written; ``.result()`` is the whole draft."""
        from app.drafting.outreach import OutreachWriter

        (profile,) = self.creator_profiles([creator_id])
        return OutreachWriter(self.chat).stream(profile, brand, post_id)

    def draft_outreach(
        self, creator_id: str, brand: BrandProfile, post_id: str | None = None
    ) -> OutreachDraft:
        """An outreach e-mail and DM to one creator, checked against its fact sheet."""
        return self.draft_outreach_stream(creator_id, brand, post_id).result()

    def draft_brief_stream(
        self, brand: BrandProfile, creator_ids: list[str]
    ) -> TextStream[CampaignBrief]:
        """A campaign brief's Markdown as it is written; ``.result()`` is the brief."""
        from app.drafting.briefs import BriefWriter

        return BriefWriter(self.chat).stream(brand, self.creator_profiles(creator_ids))

    def draft_brief(self, brand: BrandProfile, creator_ids: list[str]) -> CampaignBrief:
        """A campaign brief for a brand and a shortlist."""
        return self.draft_brief_stream(brand, creator_ids).result()

    def brief_markdown(self, brief: CampaignBrief) -> str:
        """A brief as Markdown."""
        from app.drafting.briefs import render_markdown

        return render_markdown(brief)

    def answer_stream(
        self, question: str, matches: list[Match], brand: BrandProfile | None = None
    ) -> TextStream[Answer]:
        """An answer about the current matches as it is written; ``.result()`` is the Answer."""
        from app.drafting.answers import AnswerWriter

        return AnswerWriter(self.chat).stream(question, matches, brand)

    def answer(
        self, question: str, matches: list[Match], brand: BrandProfile | None = None
    ) -> Answer:
        """An answer about the current matches, from their data only."""
        return self.answer_stream(question, matches, brand).result()

    def measure_llm(
        self, creator_id: str | None = None, brand: BrandProfile | None = None
    ) -> LLMMeasurement:
        """Local server start, time to first token and tokens/s of one outreach draft."""
        from app.drafting.brandfile import example_brand
        from app.drafting.measurement import measure_llm

        if creator_id is None:
            creator_id = next((cid for cid, _, _ in self.store.iter_creators(page=1)), None)
            if creator_id is None:
                from app.errors import NotFoundError

                raise NotFoundError("The store is empty: run `nichematch ingest` first.")
        (profile,) = self.creator_profiles([creator_id])
        return measure_llm(self.settings, profile, brand or example_brand())
