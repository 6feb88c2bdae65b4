"""The chat logic, free of any UI: a message in, a reply (matches or an answer) out.

A plain-language request starts a search. A follow-up such as "only TikTok", "cheaper",
"in Germany", "drop the first two" or "more like @lena" refines the request in force instead of
starting over. A question about the matches on screen ("who is cheapest?", "why is @lena a
fit?") goes to the LLM layer's answer function, which answers from those matches only.

The conversation does not know Streamlit; the app keeps the request and matches in its session
and hands them back with each message, so the same logic is tested without a browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from app.models import BrandProfile, Match, MatchRequest
from app.refinement import Reading, RefinementReader

#: Fields of a match request that are filters (everything but the topic and the exclusions).
FILTER_FIELDS = (
    "k",
    "platforms",
    "countries",
    "languages",
    "tiers",
    "min_followers",
    "max_followers",
    "min_engagement",
    "max_price_usd",
)
_QUESTION = re.compile(
    r"^\s*(who|whom|whose|which|why|what|how|compare|is|are|does|do|did|can|could|should|"
    r"would|will|tell me|explain|rank|summari[sz]e|describe)\b",
    re.IGNORECASE,
)
_NOT_QUESTION = re.compile(
    r"^\s*(what about|how about|(can|could|would|will) you (please )?"
    r"(find|show|get|look|search|give|list))\b",
    re.IGNORECASE,
)
_ADD_TO_TOPIC = re.compile(r"^\s*(also|and|plus|with)\b", re.IGNORECASE)
EXAMPLES = (
    "“micro fitness creators in Germany on TikTok, budget $300 a post”",
    "“only Instagram”, “cheaper”, “more like the first one”, “drop the first two”",
)
NO_ANSWERS = (
    "Answering questions about the matches needs the LLM layer, which this installation does "
    "not have yet. You can still refine the list: say “only TikTok”, “cheaper” or “more like "
    "the first one”."
)


class Intent(StrEnum):
    """What a message asks for."""

    SEARCH = "search"
    REFINE = "refine"
    QUESTION = "question"
    HELP = "help"


class MatchBackend(Protocol):
    """What the conversation needs from the service: matching for a brand."""

    def match_for_brand(self, request: MatchRequest, brand: str | None) -> list[Match]:
        """Creators ranked for a request, without those the brand rejected."""
        ...


Answerer = Callable[[str, list[Match], BrandProfile | None], Iterator[str]]
RequestParser = Callable[[str], MatchRequest]


@dataclass
class Reply:
    """The assistant's turn: plain text (our words), and the new request and results if any."""

    intent: Intent
    text: str
    request: MatchRequest | None = None
    matches: list[Match] | None = None
    stream: Iterator[str] | None = None


def filters_of(request: MatchRequest | None) -> dict[str, Any]:
    """The filter fields of a request (defaults when there is none)."""
    source = request or MatchRequest(topic="-")
    return {name: getattr(source, name) for name in FILTER_FIELDS}


def describe_filters(request: MatchRequest) -> list[str]:
    """Short labels of the filters in force, for chips and summaries."""
    labels = []
    if request.platforms:
        labels.append(" or ".join(request.platforms))
    if request.countries:
        labels.append("in " + ", ".join(request.countries))
    if request.languages:
        labels.append("language " + ", ".join(request.languages))
    if request.tiers:
        labels.append(" or ".join(request.tiers) + " tier")
    if request.min_followers is not None:
        labels.append(f"≥ {request.min_followers:,} followers")
    if request.max_followers is not None:
        labels.append(f"≤ {request.max_followers:,} followers")
    if request.min_engagement is not None:
        labels.append(f"engagement ≥ {request.min_engagement:g}%")
    if request.max_price_usd is not None:
        labels.append(f"≤ ${request.max_price_usd:,.0f} per post")
    if request.exclude_ids:
        labels.append(f"{len(request.exclude_ids)} dropped")
    return labels


def similar_topic(found: Match) -> str:
    """Retrieval text for "more like this": the creator's own evidence posts and niches."""
    parts = [post.text for post in found.evidence[:3]] + found.niches
    return " ".join(parts)[:2000] or found.handle


class Conversation:
    """Turns chat messages into searches, refinements and questions."""

    def __init__(
        self,
        backend: MatchBackend,
        tier_order: Sequence[str],
        parse: RequestParser | None = None,
        answer: Answerer | None = None,
    ) -> None:
        self.backend = backend
        self.reader = RefinementReader(tier_order)
        self.parse = parse
        self.answer = answer

    def respond(
        self,
        text: str,
        request: MatchRequest | None,
        matches: Sequence[Match],
        filters: Mapping[str, Any] | None = None,
        brand: BrandProfile | None = None,
    ) -> Reply:
        """Reply to one message, given the request in force, its matches and the filters."""
        text = text.strip()
        if not text:
            return self._help()
        reading = self.reader.read(text, request, matches)
        base = dict(filters) if filters is not None else filters_of(request)
        if reading.more_like is not None:
            current = request or MatchRequest(topic=text, **base)
            return self.more_like(reading.more_like, self._apply(current, reading), brand)
        is_question = bool(
            (_QUESTION.match(text) or text.endswith("?")) and not _NOT_QUESTION.match(text)
        )
        words = reading.topic_words
        if request is not None:
            if reading.edits and not words:
                return self._refine(request, reading, brand)
            if reading.edits and _ADD_TO_TOPIC.match(text):
                widened = request.model_copy(update={"topic": f"{request.topic}, {reading.topic}"})
                return self._refine(widened, reading, brand)
            if is_question and matches:
                return self._question(text, list(matches), brand)
        if reading.problems and not words:
            return self._help(" ".join(reading.problems))
        if not words and not reading.edits:
            return self._help()
        return self._search(text, reading, base, brand)

    def more_like(self, found: Match, request: MatchRequest, brand: BrandProfile | None) -> Reply:
        """Creators like one on screen, under the filters in force (the creator left out)."""
        excluded = list(dict.fromkeys([*request.exclude_ids, found.creator_id]))
        new = request.model_copy(update={"topic": similar_topic(found), "exclude_ids": excluded})
        results = self.backend.match_for_brand(new, brand.name if brand else None)
        lead = f"More like {found.handle}"
        return Reply(Intent.REFINE, self._summary(lead, new, results, True), new, results)

    # the intents ------------------------------------------------------------------------------

    def _search(
        self, text: str, reading: Reading, base: dict[str, Any], brand: BrandProfile | None
    ) -> Reply:
        topic = reading.topic if reading.topic_words else text
        request = self._apply(MatchRequest(topic=topic, **base), reading)
        if self.parse is not None:
            # the request parser reads the whole message; what it finds wins
            parsed = self.parse(text)
            given = parsed.model_dump(exclude_unset=True, exclude={"topic", "exclude_ids"})
            request = MatchRequest.model_validate(
                {**request.model_dump(), **given, "topic": parsed.topic or topic}
            )
        results = self.backend.match_for_brand(request, brand.name if brand else None)
        return Reply(Intent.SEARCH, self._summary("", request, results), request, results)

    def _refine(self, request: MatchRequest, reading: Reading, brand: BrandProfile | None) -> Reply:
        new = self._apply(request, reading)
        results = self.backend.match_for_brand(new, brand.name if brand else None)
        changes = "; ".join(dict.fromkeys(edit.note for edit in reading.edits))
        lead = f"Refined ({changes})"
        if reading.problems:
            lead += ". " + " ".join(reading.problems)
        return Reply(Intent.REFINE, self._summary(lead, new, results), new, results)

    def _question(self, text: str, matches: list[Match], brand: BrandProfile | None) -> Reply:
        if self.answer is None:
            return Reply(Intent.QUESTION, NO_ANSWERS)
        return Reply(Intent.QUESTION, "", stream=self.answer(text, matches, brand))

    def _help(self, problem: str = "") -> Reply:
        lead = f"{problem} " if problem else ""
        return Reply(
            Intent.HELP,
            f"{lead}Describe the creators you want, e.g. {EXAMPLES[0]}. "
            f"Then refine with {EXAMPLES[1]}, or ask a question about the matches.",
        )

    # helpers ----------------------------------------------------------------------------------

    @staticmethod
    def _apply(request: MatchRequest, reading: Reading) -> MatchRequest:
        update = {edit.field: edit.value for edit in reading.edits}
        return MatchRequest.model_validate({**request.model_dump(), **update})

    @staticmethod
    def _summary(
        lead: str, request: MatchRequest, results: list[Match], filters_too: bool = False
    ) -> str:
        filters = describe_filters(request)
        where = f" ({' · '.join(filters)})" if filters else ""
        topic = request.topic if len(request.topic) <= 80 else request.topic[:77] + "…"
        if not results:
            return (
                f"{lead + '. ' if lead else ''}No creator matches “{topic}”{where}. Loosen a "
                "filter (say “any country” or “any budget”, or change the sidebar) or describe "
                "the niche differently."
            )
        count = f"{len(results)} creator{'s' if len(results) != 1 else ''}"
        if lead:
            return f"{lead}: {count}{where if filters_too else ''}."
        return f"Here are {count} for “{topic}”{where}, best fit first."
