"""The page's use of the service's writing verbs: answers, outreach drafts, briefs, the request
parser and the model's health, shaped for the widgets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.llm.streams import TextStream
from app.models import BrandProfile, CampaignBrief, Match, MatchRequest, OutreachDraft
from app.pipeline import SavedDraft
from app.review import ReviewStore
from app.service import Nichematch

PROVIDER_LABELS = {
    "auto": "Auto: a compatible server if set, else OpenAI with a key, else the bundled model",
    "openai": "OpenAI",
    "compatible": "OpenAI-compatible server",
    "local": "Bundled local model (SmolLM2-135M)",
    "none": "No LLM: answers, drafts and briefs from the data and templates only",
}


class Assistant:
    """Adapts the service's LLM-layer verbs to what the page needs."""

    def __init__(self, service: Nichematch) -> None:
        self.service = service

    def provider(self) -> str:
        """Which model writes, as configured (checking it may start the local model)."""
        return PROVIDER_LABELS[self.service.settings.llm.provider]

    def health(self) -> dict[str, Any]:
        """Whether the model answers: ``{"ok": bool, "detail": str}``."""
        found = self.service.llm_status()
        model = f" {found.model}" if found.model else ""
        return {"ok": found.ok, "detail": f"{found.provider}{model}: {found.detail}"}

    def parse(self, text: str) -> MatchRequest:
        """A plain-language request read by the service's parser (rules, or the LLM)."""
        return self.service.parse(text).request

    def answer(
        self, question: str, matches: list[Match], brand: BrandProfile | None
    ) -> Iterator[str]:
        """An answer about the matches on screen, streamed."""
        return iter(self.service.answer_stream(question, matches, brand))

    def outreach(self, found: Match, brand: BrandProfile) -> TextStream[OutreachDraft]:
        """A streamed outreach draft for a creator."""
        return self.service.draft_outreach_stream(found.creator_id, brand)

    @staticmethod
    def keep_draft(
        review: ReviewStore,
        brand: BrandProfile,
        found: Match,
        stream: TextStream[OutreachDraft],
    ) -> list[SavedDraft]:
        """Save a finished draft (the e-mail, then the short DM) to the creator's pipeline."""
        draft = stream.result()
        grounding = draft.grounding.model_dump()
        email = f"Subject: {draft.subject}\n\n{draft.text}"
        return [
            review.save_draft(brand.name, found.creator_id, kind, text, draft.post_id, grounding)
            for kind, text in (("email", email), ("dm", draft.dm))
        ]

    def brief(self, brand: BrandProfile, creator_ids: list[str]) -> TextStream[CampaignBrief]:
        """A streamed campaign brief (its Markdown as it is written)."""
        return self.service.draft_brief_stream(brand, creator_ids)

    def brief_markdown(self, stream: TextStream[CampaignBrief]) -> str:
        """The finished brief of a stream, as Markdown."""
        return self.service.brief_markdown(stream.result())
