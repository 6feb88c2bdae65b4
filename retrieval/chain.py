"""The LangChain retrieval chain: a brand's description in, niche-aligned creators out.

- :class:`CreatorRetriever` is a LangChain ``BaseRetriever`` over the matcher: one ``Document``
  per creator (the creator's best evidence posts as content, the whole match as metadata), so
  any LangChain pipeline can use Nichematch as its retriever.
- :func:`build_match_chain` is the product's pipeline as a ``Runnable``:
  parse the brief → apply explicit overrides → retrieve and rank → a :class:`MatchResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, ConfigDict, Field

from app.models import Match, MatchRequest, ParsedRequest

Parse = Callable[[str], ParsedRequest]
Rank = Callable[[MatchRequest], list[Match]]


class MatchResult(BaseModel):
    """What the chain returns: how the brief was read, and the ranked creators."""

    parsed: ParsedRequest
    matches: list[Match]


class BriefInput(BaseModel):
    """The chain's input: a plain-language brief and filters that override what was parsed."""

    brief: str = Field(min_length=1)
    overrides: dict[str, Any] = Field(default_factory=dict)


def apply_overrides(parsed: ParsedRequest, overrides: Mapping[str, Any]) -> ParsedRequest:
    """The parsed request with explicitly given values in place of parsed ones.

    ``None`` and empty lists mean "not given" and leave the parsed value alone.
    """
    given = {key: value for key, value in overrides.items() if value not in (None, [], "")}
    if not given:
        return parsed
    data = parsed.request.model_dump()
    data.update(given)
    notes = [*parsed.notes, *(f"{key} set explicitly" for key in sorted(given) if key != "k")]
    return parsed.model_copy(update={"request": MatchRequest.model_validate(data), "notes": notes})


def build_match_chain(parse: Parse, rank: Rank) -> Runnable[Any, MatchResult]:
    """parse → override → rank, as one Runnable taking a brief (str) or a :class:`BriefInput`."""

    def read(value: Any) -> BriefInput:
        if isinstance(value, BriefInput):
            return value
        if isinstance(value, str):
            return BriefInput(brief=value)
        return BriefInput.model_validate(value)

    def understand(given: BriefInput) -> ParsedRequest:
        return apply_overrides(parse(given.brief), given.overrides)

    def retrieve(parsed: ParsedRequest) -> MatchResult:
        return MatchResult(parsed=parsed, matches=rank(parsed.request))

    chain = RunnableLambda(read) | RunnableLambda(understand) | RunnableLambda(retrieve)
    return chain.with_config(run_name="nichematch_match")


class CreatorRetriever(BaseRetriever):
    """Creators for a plain-language brief, as LangChain documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    parse: Parse
    rank: Rank

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        parsed = self.parse(query)
        return [to_document(match) for match in self.rank(parsed.request)]


def to_document(match: Match) -> Document:
    """A match as a Document: evidence posts as content (untrusted text), the match as data."""
    content = "\n\n".join(evidence.text for evidence in match.evidence)
    return Document(
        page_content=content,
        metadata={"creator_id": match.creator_id, "match": match.model_dump(mode="json")},
    )
