"""Answers to a marketer's questions about the current matches, from their data only.

The figures come first and are computed here (cheapest, best engagement, comparison, why a
creator fits), so they are right on any model. The model then adds at most a few sentences,
streamed one checked sentence at a time: a sentence with an item the matches do not hold,
prompt text, or instruction-like text is dropped, and so is any sentence about a creator whose
own text tried to instruct the assistant (that creator is flagged in the figures instead).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator

from app.drafting.facts import money, snippet
from app.drafting.grounding import (
    FactIndex,
    Guard,
    checked_sentences,
    extract_claims,
    looks_like_instructions,
)
from app.errors import ConfigError, LLMError
from app.llm.client import ChatClient
from app.llm.prompting import load_prompt
from app.llm.streams import TextStream
from app.models import Answer, BrandProfile, GroundingReport, LLMUse, Match

ANSWER_TOKENS = 120
ANSWER_SENTENCES = 3
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5}


def _price(match: Match) -> float | None:
    return match.scores.price.usd if match.scores and match.scores.price else None


def _line(rank: int, match: Match) -> str:
    parts = [
        f"{match.platform}, {match.tier}",
        f"{match.followers:,} followers",
        f"ER {match.engagement_rate:.2f}%",
    ]
    scores = match.scores
    if scores and scores.engagement_percentile is not None:
        parts.append(f"{ordinal(round(scores.engagement_percentile))} percentile among tier peers")
    if scores and scores.price:
        kind = "quoted" if scores.price.quoted else "estimated"
        parts.append(f"{money(scores.price.usd)} per post ({kind})")
    return f"- #{rank} {match.handle} ({'; '.join(parts)})"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 92nd."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _ranked(matches: list[Match], key: Callable[[Match], float], reverse: bool) -> list[Match]:
    return sorted(matches, key=key, reverse=reverse)


def findings(question: str, matches: list[Match]) -> list[str]:
    """Lines that answer the question from the data, before any model writes a word."""
    if not matches:
        return ["No creators matched, so there is nothing to compare; loosen the filters."]
    q = question.lower()
    rank = {m.creator_id: i for i, m in enumerate(matches, start=1)}
    lines: list[str] = []
    named = [m for m in matches if _names(q, m.handle)]
    for match in named:
        lines.append(_line(rank[match.creator_id], match))
        lines.append(f"  why: {'; '.join(match.reasons) or 'no reasons recorded'}")
        for item in match.evidence[:2]:
            lines.append(f"  post {item.post_id}: “{snippet(item.text, 16)}”")
    priced = [m for m in matches if _price(m) is not None]
    if re.search(r"cheap|price|cost|afford|budget|expensive|fee|rate\b", q) and priced:
        high = bool(re.search(r"expensive|priciest|most costly", q))
        order = _ranked(priced, lambda m: _price(m) or 0.0, reverse=high)
        lines.append(("Most expensive" if high else "Cheapest") + " per post:")
        lines += [_line(rank[m.creator_id], m) for m in order[:3]]
    if re.search(r"engag|\ber\b|interaction", q):
        lines.append("Highest engagement rate:")
        order = _ranked(matches, lambda m: m.engagement_rate, reverse=True)
        lines += [_line(rank[m.creator_id], m) for m in order[:3]]
    if re.search(r"follower|audience|biggest|largest|reach|smallest", q):
        small = "smallest" in q
        lines.append(("Fewest" if small else "Most") + " followers:")
        order = _ranked(matches, lambda m: m.followers, reverse=not small)
        lines += [_line(rank[m.creator_id], m) for m in order[:3]]
    if re.search(r"risk|fake|fraud|authentic|bot|suspicious|trust", q):
        for match in matches:
            signals = match.scores.risk_signals if match.scores else []
            detail = "; ".join(f"{s.name}: {s.detail}" for s in signals) or "no risk signal fired"
            lines.append(f"- {match.handle}: {detail}")
    count = re.search(r"\btop\s+(\d+|two|three|four|five)\b", q)
    if re.search(r"compar|versus|\bvs\b|\btop\b", q) or not lines:
        n = 3
        if count:
            word = count.group(1)
            n = int(word) if word.isdigit() else _NUMBER_WORDS[word]
        lines.append(f"Top {min(n, len(matches))} by match score:")
        for match in matches[:n]:
            lines.append(_line(rank[match.creator_id], match))
            lines.append(f"  why: {'; '.join(match.reasons) or 'no reasons recorded'}")
    for match in suspects(matches):
        lines.append(
            f"Note: a post of {match.handle} contains text addressed to an AI assistant; it was "
            "treated as data and did not change the ranking."
        )
    return lines


def _names(question: str, handle: str) -> bool:
    """Whether a (lower-case) question names a handle, with or without its @."""
    bare = re.escape(handle.lower().lstrip("@"))
    return bool(re.search(rf"(?<![\w.]){bare}(?![\w])|@{bare}(?![\w])", question))


def suspects(matches: list[Match]) -> list[Match]:
    """Creators whose shown text tries to instruct the assistant."""
    return [m for m in matches if any(looks_like_instructions(e.text) for e in m.evidence)]


def match_table(matches: list[Match]) -> str:
    """The matches as data lines for the prompt."""
    rows = []
    for rank, match in enumerate(matches, start=1):
        posts = " | ".join(f"{e.post_id}: {e.text}" for e in match.evidence[:2])
        reasons = "; ".join(match.reasons)
        rows.append(f"{_line(rank, match)[2:]}; reasons: {reasons}; posts: {posts}")
    return "\n".join(rows)


class AnswerWriter:
    """Answers questions about a list of matches."""

    def __init__(self, client: ChatClient) -> None:
        self.client = client

    def stream(
        self, question: str, matches: list[Match], brand: BrandProfile | None = None
    ) -> TextStream[Answer]:
        """The answer as it is written; ``result()`` is the whole :class:`Answer`."""
        return TextStream(self._write(question, matches, brand))

    def _write(
        self, question: str, matches: list[Match], brand: BrandProfile | None
    ) -> Generator[str, None, Answer]:
        lines = findings(question, matches)
        text = "\n".join(lines)
        yield text
        problems: list[str] = []
        actions: list[str] = []
        use: LLMUse = self.client.use(False)
        index = FactIndex.of(
            [m.model_dump(mode="json") for m in matches],
            brand.model_dump(mode="json") if brand else {},
            {"rank": list(range(1, len(matches) + 1))},
        )
        if self.client.available and self.client.capable and matches:
            prompt = load_prompt("answer")
            guard = Guard(index, prompt.literal_text())
            guard.banned = [m.handle for m in suspects(matches)]
            messages = prompt.render(
                matches_data=match_table(matches),
                findings_data=text,
                brand=_brand_line(brand),
                question=question,
            )
            try:
                chunks = self.client.stream(messages, ANSWER_TOKENS)
                first = True
                for sentence in checked_sentences(chunks, guard, problems, ANSWER_SENTENCES):
                    piece = ("\n\n" if first else " ") + sentence
                    first = False
                    text += piece
                    yield piece
                use = self.client.use(True)
            except (LLMError, ConfigError) as error:
                use = self.client.use(False, error)
                actions.append("the LLM failed: the answer holds the computed figures only")
            if problems:
                actions.append(f"dropped model sentences with {len(problems)} problem(s)")
        left = index.unsupported(text)
        return Answer(
            question=question,
            text=text,
            grounding=GroundingReport(
                ok=not left,
                unsupported=problems + [f"left in text: {claim}" for claim in left],
                actions=actions,
                checked=len(extract_claims(text)),
            ),
            llm=use,
        )


def _brand_line(brand: BrandProfile | None) -> str:
    if brand is None:
        return "(not given)"
    return f"{brand.name}; product: {brand.product or '-'}; audience: {brand.audience or '-'}"
