"""Fakes for the LLM layer's unit tests: a chat model that records what it was sent, and
creator profiles and a brand built from small in-test records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGenerationChunk
from pydantic import Field

from app.ingest import derive_profile
from app.models import BrandProfile, CreatorProfile
from app.records import parse_record
from app.settings import Settings


class RecordingChatModel(GenericFakeChatModel):
    """LangChain's generic fake chat model (streams word by word) that keeps every prompt."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        self.seen.append(list(messages))
        yield from super()._stream(messages, stop, run_manager, **kwargs)


def replies(*texts: str) -> RecordingChatModel:
    """A fake model that answers with ``texts`` in turn."""
    return RecordingChatModel(messages=iter([AIMessage(text) for text in texts]))


class FailingChatModel(GenericFakeChatModel):
    """A chat model whose every call fails like a dead server."""

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        raise ConnectionError("connection refused")
        yield  # pragma: no cover


def failing() -> FailingChatModel:
    return FailingChatModel(messages=iter([]))


POSTS = [
    {
        "id": "p1",
        "text": "Chickpea curry in 15 minutes, fully plant-based and packed with protein.",
        "likes": 3000,
        "comments": 120,
        "posted_at": "2026-10-05T12:00:00Z",
        "kind": "video",
    },
    {
        "id": "p2",
        "text": "Vegan lasagne with cashew bechamel for Sunday lunch.",
        "likes": 4000,
        "comments": 200,
        "posted_at": "2026-09-21T12:00:00Z",
        "kind": "reel",
    },
    {
        "id": "p3",
        "text": "Plant-based protein bar recipe with dates, peanuts and pea protein.",
        "likes": 3500,
        "comments": 150,
        "posted_at": "2026-09-01T12:00:00Z",
        "kind": "video",
    },
]


def profile(settings: Settings, **fields: Any) -> CreatorProfile:
    """A creator profile from a small record; ``fields`` override the defaults."""
    record: dict[str, Any] = {
        "id": "c1",
        "handle": "@plantplate",
        "name": "Marco Rossi",
        "platform": "tiktok",
        "bio": "Plants on a plate, three ingredients at a time.",
        "country": "IT",
        "language": "it",
        "followers": 58000,
        "following": 300,
        "posts": POSTS,
    }
    record.update(fields)
    creator, _ = parse_record(record)
    return derive_profile(creator, settings)


def brand(**fields: Any) -> BrandProfile:
    """The test brand; ``fields`` override the defaults."""
    values: dict[str, Any] = {
        "name": "GreenBar",
        "product": "plant-based protein bars",
        "description": "Protein bars made from peas, dates and peanuts.",
        "values": ["plant-based", "honest ingredients"],
        "audience": "runners and gym-goers",
        "budget_usd": 2000,
        "competitors": ["ProteinCo"],
        "website": "https://greenbar.example.com",
    }
    values.update(fields)
    return BrandProfile.model_validate(values)
