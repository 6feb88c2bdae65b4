"""Reading a chat message for changes to the current match request.

"only TikTok", "in Germany", "cheaper", "micro", "above 3% engagement", "drop the first two",
"more like @lena": each phrase becomes an :class:`Edit` of one field of the request, with a plain
description of what changed. What is left of the message after the phrases are taken out is the
*topic*: a follow-up with no topic left refines the previous request; one with a topic starts a
new search (keeping the filters in force).

Edits that depend on the results on screen ("cheaper", "drop the first two", "more like the
second one") are resolved against them here, so the conversation logic only applies edits.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.brief_terms import country_code, language_code, platform_name
from app.models import PLATFORMS, Match, MatchRequest
from app.records import RecordProblem, parse_count

#: "Cheaper" lowers the budget to this share of the dearest price on screen.
CHEAPER = 0.75
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
#: Country names that are also ordinary words: only read after "in"/"from".
_AMBIGUOUS_COUNTRIES = {"chad", "jersey", "turkey", "guinea", "jordan", "georgia", "niger"}
#: Words that carry no topic ("show me only the cheaper ones please").
FILLER = frozenset(
    """
    a an the and or but also plus only just now then please pls show me find give get list
    creators creator influencers influencer people accounts ones one some any more less who
    that which with on in from based at to for of by than instead same same-but what how about
    them those these they their i we us our want need looking look let lets let's see can you
    could would like should is are be do does posts post per filter filters results result
    account make it again too really very okay ok yes no not
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

NUM = r"(\d[\d,.]*\s*[km]?|" + "|".join(_NUMBER_WORDS) + r")"
MONEY = r"(?:\$\s*(\d[\d,.]*\s*k?)|(\d[\d,.]*\s*k?)\s*(?:\$|usd|dollars|bucks))"


@dataclass
class Edit:
    """A change to one field of the match request, described in plain words."""

    field: str
    value: Any
    note: str


@dataclass
class Reading:
    """What a message says: the edits it asks for and the topic words left over."""

    edits: list[Edit] = field(default_factory=list)
    topic: str = ""
    more_like: Match | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def topic_words(self) -> list[str]:
        """Words of the topic that carry meaning (fillers removed)."""
        words = re.findall(r"[\w'-]+", self.topic.lower())
        return [word for word in words if word not in FILLER and not word.isdigit()]


_EDGE_WORDS = frozenset(
    ["with", "and", "or", "on", "in", "from", "for", "but", "only", "just", "now", "also", "plus"]
)


def tidy(text: str) -> str:
    """What is left of a message after phrases were cut: no stray punctuation or connectors."""
    text = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(text.split()))
    text = re.sub(r"([,.;:])(?:\s*[,.;:])+", r"\1", text)
    words = text.strip(" ,.;:!?-").split()
    while words and words[-1].lower().strip(",.;:") in _EDGE_WORDS:
        words.pop()
    while words and words[0].lower().strip(",.;:") in _EDGE_WORDS:
        words.pop(0)
    return " ".join(words).strip(" ,.;:-")


def number(text: str) -> float | None:
    """A number written as digits ("12,500", "12.5k", "1.2m") or a word ("two")."""
    text = text.strip().lower()
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    try:
        return float(parse_count(text, "number")[0])
    except RecordProblem:
        return None


class RefinementReader:
    """Finds request edits in a message, given the request and the results on screen."""

    def __init__(self, tier_order: Sequence[str]) -> None:
        self.tier_order = list(tier_order)

    def read(self, text: str, request: MatchRequest | None, matches: Sequence[Match]) -> Reading:
        """The edits a message asks for; phrases that were understood are cut from the topic."""
        self._text = f" {text.strip()} "
        self._reading = Reading()
        self._request = request
        self._matches = list(matches)
        for step in (
            self._reset,
            self._more_like,
            self._drop,
            self._followers,
            self._engagement,
            self._price,
            self._count,
            self._platforms,
            self._languages,
            self._countries,
            self._tiers,
        ):
            step()
        self._reading.topic = tidy(self._text)
        return self._reading

    # helpers ---------------------------------------------------------------------------------

    def _take(
        self, pattern: str, accept: Callable[[re.Match[str]], bool] | None = None
    ) -> list[re.Match[str]]:
        """Matches of a pattern (those ``accept`` takes); their text is cut from the message."""
        found = [
            hit
            for hit in re.finditer(pattern, self._text, flags=re.IGNORECASE)
            if accept is None or accept(hit)
        ]
        for hit in reversed(found):
            self._text = self._text[: hit.start()] + " " + self._text[hit.end() :]
        return found

    def _add(self, name: str, value: Any, note: str) -> None:
        self._reading.edits.append(Edit(name, value, note))

    def _current(self, name: str) -> Any:
        return getattr(self._request, name) if self._request is not None else None

    def _by_handle(self, handle: str) -> Match | None:
        wanted = handle.lstrip("@").casefold()
        for found in self._matches:
            if found.handle.lstrip("@").casefold() == wanted:
                return found
        self._reading.problems.append(
            f"@{handle.lstrip('@')} is not among the matches on screen; use a handle shown there."
        )
        return None

    def _by_position(self, word: str) -> Match | None:
        word = word.lower().lstrip("#")
        index = _ORDINALS.get(word)
        if index is None:
            value = number(word)
            index = int(value) if value is not None else 0
        if not index or not self._matches or abs(index) > len(self._matches):
            self._reading.problems.append(
                f"There is no match number {word} on screen ({len(self._matches)} shown)."
            )
            return None
        return self._matches[index - 1 if index > 0 else index]

    # phrases ---------------------------------------------------------------------------------

    def _reset(self) -> None:
        if self._take(
            r"\b(start over|reset( the)? filters|reset|clear( all| the)? filters|"
            r"no filters|remove( all| the)? filters)\b"
        ):
            for name in ("platforms", "countries", "languages", "tiers", "exclude_ids"):
                self._add(name, [], "filters cleared")
            for name in ("min_followers", "max_followers", "min_engagement", "max_price_usd"):
                self._add(name, None, "filters cleared")
        if self._take(r"\bany (platform|network)s?\b"):
            self._add("platforms", [], "any platform")
        if self._take(r"\b(any (country|where)|anywhere|worldwide|all countries)\b"):
            self._add("countries", [], "any country")
        if self._take(r"\b(any|no) (budget|price)( limit)?\b"):
            self._add("max_price_usd", None, "any price")

    def _more_like(self) -> None:
        target = (
            r"(@[\w.]+|(?:the |#|number )?(?:first|second|third|fourth|fifth|last|\d+)"
            r"(?: one)?|this one|this|them|that one)"
        )
        hits = self._take(
            r"\b(?:more|others?|someone|somebody|creators?|people|ones?|anyone|accounts?)"
            rf"\s+(?:like|similar to)\s+{target}|\bsimilar to\s+{target}|\blike\s+(@[\w.]+)"
        )
        for hit in hits:
            word = next(group for group in hit.groups() if group)
            word = re.sub(r"^(the |number )|( one)$", "", word.strip().lower())
            found = (
                self._by_handle(word)
                if word.startswith("@")
                else self._by_position("1" if word in ("this", "them", "that") else word)
            )
            if found is not None:
                self._reading.more_like = found

    def _drop(self) -> None:
        verbs = r"\b(?:drop|remove|exclude|hide|skip|lose|without|not|no)\s+"
        for hit in self._take(verbs + rf"(?:the\s+)?(first|top|last)(?:\s+{NUM})?\b(?:\s+ones?)?"):
            which, count_text = hit.group(1).lower(), hit.group(2)
            count = int(number(count_text) or 1) if count_text else 1
            picked = self._matches[-count:] if which == "last" else self._matches[:count]
            self._exclude(picked)
        for hit in self._take(verbs + r"(?:number\s+|#)(\d+)\b"):
            found = self._by_position(hit.group(1))
            self._exclude([found] if found else [])
        for hit in self._take(verbs + r"((?:@[\w.]+(?:\s*,\s*|\s+and\s+|\s+)?)+)"):
            handles = re.findall(r"@[\w.]+", hit.group(1))
            self._exclude([m for m in map(self._by_handle, handles) if m is not None])

    def _exclude(self, picked: Sequence[Match]) -> None:
        if not picked:
            return
        already = self._current("exclude_ids") or []
        for edit in self._reading.edits:
            if edit.field == "exclude_ids":
                already = edit.value
        ids = list(dict.fromkeys([*already, *(m.creator_id for m in picked)]))
        self._add("exclude_ids", ids, "dropped " + ", ".join(m.handle for m in picked))

    def _followers(self) -> None:
        unit = r"\s*(?:followers|follower|subs|subscribers|fans)\b"
        for hit in self._take(rf"\b(?:between|from)\s+{NUM}\s*(?:and|to|-)\s*{NUM}{unit}"):
            low, high = number(hit.group(1)), number(hit.group(2))
            if low is not None and high is not None:
                self._add("min_followers", int(low), f"at least {int(low):,} followers")
                self._add("max_followers", int(high), f"at most {int(high):,} followers")
        at_least = r"(?:over|above|more than|at least|min(?:imum)?|>=?)"
        at_most = r"(?:under|below|less than|fewer than|at most|max(?:imum)?|up to|<=?)"
        for hit in self._take(rf"\b{at_least}\s*{NUM}{unit}|\b{NUM}\s*\+{unit}"):
            value = number(hit.group(1) or hit.group(2))
            if value is not None:
                self._add("min_followers", int(value), f"at least {int(value):,} followers")
        for hit in self._take(rf"\b{at_most}\s*{NUM}{unit}"):
            value = number(hit.group(1))
            if value is not None:
                self._add("max_followers", int(value), f"at most {int(value):,} followers")

    def _engagement(self) -> None:
        er = r"(?:engagement(?: rate)?|er)"
        above = r"(?:above|over|at least|of at least|min(?:imum)?|>=?|of)?"
        for hit in self._take(
            rf"\b{er}\s*{above}\s*(\d+(?:\.\d+)?)\s*%|"
            rf"\b(?:above|over|at least)\s*(\d+(?:\.\d+)?)\s*%\s*{er}\b"
        ):
            value = float(hit.group(1) or hit.group(2))
            self._add("min_engagement", value, f"engagement at least {value:g}%")
        if self._take(r"\b(higher|better|more|stronger) (engagement|er)\b|\bmore engaged\b"):
            rates = [m.engagement_rate for m in self._matches]
            floor = self._current("min_engagement") or 0.0
            target = max(statistics.median(rates) if rates else 0.0, floor + 0.5)
            target = round(target, 1)
            self._add("min_engagement", target, f"engagement at least {target:g}% (higher)")

    def _price(self) -> None:
        below = r"(?:under|below|less than|at most|max(?:imum)?|up to|budget(?: of| is)?|<=?)"
        per = r"(?:\s*(?:a|per|/)\s*(?:post|video|piece))?"
        for hit in self._take(rf"\b{below}\s*{MONEY}{per}|\b{MONEY}\s*(?:max|budget){per}"):
            raw = next(group for group in hit.groups() if group)
            value = number(raw)
            if value is not None:
                self._add("max_price_usd", value, f"up to ${value:,.0f} per post")
        cheaper = r"cheaper|less expensive|(more )?affordable|lower (price|cost)|budget[- ]friendly"
        if self._take(rf"\b({cheaper})\b"):
            # a clear step down: a quarter below the dearest creator on screen (or the budget)
            prices = [m.scores.price.usd for m in self._matches if m.scores and m.scores.price]
            target = CHEAPER * max(prices) if prices else None
            current = self._current("max_price_usd")
            if current is not None:
                target = min(target if target is not None else current, current * CHEAPER)
            if target is None:
                self._reading.problems.append(
                    "“Cheaper” needs prices on screen; give a budget instead, e.g. “under $200”."
                )
                return
            target = max(10.0, float(round(target)))
            self._add("max_price_usd", target, f"up to ${target:,.0f} per post (cheaper)")

    def _count(self) -> None:
        for hit in self._take(r"\b(?:show|give|find|list)(?: me)?\s+(\d+)\b|\btop\s+(\d+)\b"):
            value = int(hit.group(1) or hit.group(2))
            if 1 <= value <= 200:
                self._add("k", value, f"{value} results")

    def _platforms(self) -> None:
        def platform(hit: re.Match[str]) -> str | None:
            word = " ".join(hit.group(3).lower().split())
            if word == "x" and not hit.group(2):
                return None  # a lone "x" is not a platform; "on X" is
            return platform_name(word)

        hits = self._take(
            r"\b(?:(not|no|without|except|exclude|and|also|or|plus)\s+)?(?:(on)\s+)?"
            r"(tik\s+tok|[a-z][\w/]*)\b(?:\s+only)?",
            lambda hit: platform(hit) is not None,
        )
        plain: list[str] = []
        added: list[str] = []
        removed: list[str] = []
        for hit in hits:
            name, mod = platform(hit) or "", (hit.group(1) or "").lower()
            if mod in ("not", "no", "without", "except", "exclude"):
                removed.append(name)
            elif mod in ("and", "also", "or", "plus"):
                added.append(name)
            else:
                plain.append(name)
        if not (plain or added or removed):
            return
        platforms = plain + added if plain else list(self._current("platforms") or []) + added
        if removed:
            platforms = [p for p in (platforms or PLATFORMS) if p not in removed]
        platforms = list(dict.fromkeys(platforms))
        self._add("platforms", platforms, "on " + ", ".join(platforms))

    def _languages(self) -> None:
        def code(hit: re.Match[str]) -> str | None:
            word = hit.group(1) or hit.group(2)
            return language_code(word) if len(word) > 2 else None

        hits = self._take(
            r"\b(?:in|speaking|speak)\s+([a-z]+)\b(?:\s+(?:content|language))?|"
            r"\b([a-z]+)[- ](?:speaking|language)\b",
            lambda hit: code(hit) is not None,
        )
        codes = list(dict.fromkeys(code(hit) or "" for hit in hits))
        if codes:
            self._add("languages", codes, "language " + ", ".join(codes))

    def _countries(self) -> None:
        words = r"[A-Za-z][\w.'-]*"

        def code(hit: re.Match[str]) -> str | None:
            lead, name = hit.group(1), hit.group(2)
            if len(name) <= 2 and not (lead and name.isupper()):
                return None  # "in", "to", "be": words, not codes (but "in DE" is one)
            if name.lower() in _AMBIGUOUS_COUNTRIES and not lead:
                return None  # an ordinary word unless it follows "in"/"from"
            return country_code(name)

        codes: list[str] = []
        # longest names first, so "south korea" wins over "korea"
        for size in (4, 3, 2, 1):
            name = words + rf"(?:\s+{words})" * (size - 1)
            for hit in self._take(
                rf"\b(?:(in|from|based in)\s+)?(?:the\s+)?({name})(?![\w-])(?:[- ]based)?",
                lambda hit: code(hit) is not None,
            ):
                codes.append(code(hit) or "")
        if codes:
            codes = list(dict.fromkeys(codes))
            self._add("countries", codes, "in " + ", ".join(codes))

    def _tiers(self) -> None:
        names = "|".join(map(re.escape, self.tier_order))
        hits = self._take(rf"\b({names})(?:[- ]?(?:tier|sized?|influencers?|creators?|level))?\b")
        tiers = list(dict.fromkeys(hit.group(1).lower() for hit in hits))
        if tiers:
            self._add("tiers", tiers, ", ".join(tiers) + " tier")
        for hit in self._take(r"\b(bigger|larger|smaller)( ones| creators| accounts)?\b"):
            step = -1 if hit.group(1).lower() == "smaller" else 1
            now = tiers or self._current("tiers") or [m.tier for m in self._matches]
            known = [self.tier_order.index(t) for t in now if t in self.tier_order]
            if not known:
                continue
            edge = max(known) if step > 0 else min(known)
            index = min(max(edge + step, 0), len(self.tier_order) - 1)
            name = self.tier_order[index]
            self._add("tiers", [name], f"{name} tier ({hit.group(1).lower()})")
