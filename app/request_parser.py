"""Plain-language briefs into typed match requests, by rules that work offline.

"micro fitness creators in Germany on TikTok with engagement above 3%, budget $300 a post, for
our plant-based protein bar" becomes a :class:`~app.models.MatchRequest` with the topic "fitness
creators for our plant-based protein bar" and the filters tier=micro, country=DE,
platform=tiktok, min_engagement=3, max_price_usd=300. Each filter phrase that is understood is
cut out of the topic, so retrieval sees the subject of the brief and not its constraints; every
decision is written to ``notes`` so the user can see how the brief was read.

The same normalisers (:func:`country_code`, :func:`language_code`, :func:`platform_name`,
:func:`tier_name`) clean what an LLM returns, so both parsers give the same kind of request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import pycountry

from app.brief_terms import (
    DEMONYMS,
    NOT_CODES,
    PLATFORM_WORDS,
    REGIONS,
    country_names,
    language_code,
    language_names,
    parse_count,
    platform_name,
    tier_name,
)
from app.metrics import tier_names
from app.models import MatchRequest, ParsedRequest
from app.settings import Settings

_NUM = r"\d[\d,]*(?:\.\d+)?\s*[kKmM]?"
_CREATOR_NOUN = (
    r"(?:influencers?|creators?|accounts?|bloggers?|vloggers?|youtubers?|tiktokers?|"
    r"instagrammers?|streamers?|profiles?|people)"
)


@dataclass
class _Draft:
    """What the rules found so far, and which spans of the text they used."""

    text: str
    fields: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def take(self, match: re.Match[str], note: str) -> None:
        self.spans.append(match.span())
        self.notes.append(note)

    def add(self, key: str, values: list[str]) -> None:
        current = self.fields.setdefault(key, [])
        assert isinstance(current, list)
        current.extend(value for value in values if value not in current)


def _money(text: str) -> float:
    return float(text.replace(",", "").strip())


@cache
def _language_alternation() -> str:
    return _alternation([re.escape(name) for name in language_names()])


@cache
def _place_alternation() -> str:
    return _alternation([re.escape(name) for name in [*country_names(), *REGIONS]])


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _tiers(draft: _Draft, settings: Settings) -> None:
    names = [name for name in tier_names(settings.tiers) if name != "sub-nano"]
    one = rf"(?:{_alternation(names)})(?:[- ]?(?:tier|sized?|level))?"
    pattern = re.compile(
        rf"\b({one}(?:\s*(?:,|/|&|\band\b|\bor\b)\s*{one})*)[- ]?(?={_CREATOR_NOUN}\b|\s)",
        re.IGNORECASE,
    )
    for match in pattern.finditer(draft.text):
        tail = draft.text[match.end() :].lstrip(" -")
        names_size = re.search(r"tier|sized?|level", match.group(1), re.IGNORECASE)
        before_noun = re.match(rf"({_CREATOR_NOUN}|[a-z]+ {_CREATOR_NOUN})\b", tail, re.I)
        if not before_noun and not names_size:
            continue  # "mid-century", "macro photography": not a size
        found = [tier_name(word, settings) for word in re.findall(one, match.group(1), re.I)]
        tiers = [tier for tier in found if tier]
        if tiers:
            draft.add("tiers", tiers)
            draft.take(match, f"tier {', '.join(tiers)} (by the configured follower bounds)")
    glued = re.compile(rf"\b({_alternation(names)})(influencers?|creators?)\b", re.IGNORECASE)
    for match in glued.finditer(draft.text):
        tier = tier_name(match.group(1), settings)
        if tier:
            draft.add("tiers", [tier])
            draft.take(match, f"tier {tier}")


def _followers(draft: _Draft) -> None:
    unit = r"(?:\s*(?:followers|follower|subscribers|subs|fans|audience))"
    below = r"(?:under|below|less than|fewer than|up to|at most|max(?:imum)?|no more than|<=?|≤)"
    above = r"(?:over|above|more than|at least|min(?:imum)?|no fewer than|>=?|≥)"
    patterns = [
        (rf"\b(?:between\s+)?({_NUM})\s*(?:-|–|to|and)\s*({_NUM}){unit}?", "range"),
        (rf"(?:with\s+)?{below}\s+({_NUM}){unit}?", "max"),
        (rf"(?:with\s+)?{above}\s+({_NUM}){unit}?", "min"),
        (rf"\b({_NUM})\s*\+{unit}?", "min"),
    ]
    for pattern, kind in patterns:
        for match in re.finditer(pattern, draft.text, re.IGNORECASE):
            if any(start <= match.start() < end for start, end in draft.spans):
                continue
            numbers = [g for g in match.groups() if g]
            has_unit = bool(re.search(unit, match.group(0), re.IGNORECASE))
            has_suffix = all(re.search(r"[kKmM]$", number.strip()) for number in numbers)
            before = draft.text[max(0, match.start() - 2) : match.start()]
            if "$" in before or "%" in draft.text[match.end() : match.end() + 1]:
                continue
            if not (has_unit or has_suffix):
                continue  # a bare number is too ambiguous (price? percentage? age?)
            values = [parse_count(number) for number in numbers]
            if kind == "range":
                low, high = sorted(values)
                draft.fields.update(min_followers=low, max_followers=high)
                draft.take(match, f"followers between {low:,} and {high:,}")
            elif kind == "max":
                draft.fields["max_followers"] = values[0]
                draft.take(match, f"at most {values[0]:,} followers")
            else:
                draft.fields["min_followers"] = values[0]
                draft.take(match, f"at least {values[0]:,} followers")


def _engagement(draft: _Draft) -> None:
    word = r"(?:engagement(?:\s+rates?)?|eng\.?\s*rate|ER)"
    op = (
        r"(?:above|over|of at least|at least|more than|higher than|greater than|min(?:imum)?|"
        r">=?|≥|of|from)?"
    )
    patterns = [
        rf"(?:with\s+(?:an?\s+)?)?{word}\s*(?:rate\s*)?(?:is\s*)?{op}\s*(\d+(?:\.\d+)?)\s*%"
        r"(?:\s*(?:or|and)\s*(?:more|higher|above|up|over))?\+?",
        rf"(?:with\s+)?(?:at least\s+|over\s+|above\s+)?(\d+(?:\.\d+)?)\s*%\s*\+?"
        rf"(?:\s*(?:or|and)\s*(?:more|higher|above|up))?\s*{word}",
    ]
    for pattern in patterns:
        for match in re.finditer(pattern, draft.text, re.IGNORECASE):
            value = float(match.group(1))
            draft.fields["min_engagement"] = value
            draft.take(match, f"engagement rate at least {value:g}%")
            return


def _price(draft: _Draft) -> None:
    money = (
        r"(?:[$€£]\s*(\d[\d,]*(?:\.\d+)?)\s*[kK]?"
        r"|(\d[\d,]*(?:\.\d+)?)\s*(?:usd|dollars|eur|euros?|gbp|\$))"
    )
    per = (
        r"(?:\s*(?:/|a|per|each|for each|for a|for one)\s*(?:sponsored\s+)?"
        r"(?:post|video|reel|piece|deliverable|creator|influencer))"
    )
    cap = (
        r"(?:budget(?:\s+(?:is|of))?|under|below|up to|at most|max(?:imum)?|no more than"
        r"|less than|<=?|≤)"
    )
    patterns = [
        (rf"(?:with\s+(?:a\s+)?)?(?:(?:a\s+)?{cap}\s*:?\s*)?{money}{per}", True),
        (rf"(?:with\s+(?:a\s+)?)?{cap}\s*:?\s*{money}", False),
    ]
    for pattern, explicit in patterns:
        match = re.search(pattern, draft.text, re.IGNORECASE)
        if not match:
            continue
        raw = next(group for group in match.groups() if group)
        value = _money(raw)
        if re.search(r"[$€£]\s*[\d,.]+\s*[kK]\b", match.group(0)):
            value *= 1_000
        context = re.search(
            r"(?:(?:a|our|the)\s+)?(?:total|overall|campaign|whole)(?:\s+campaign)?\s*$",
            draft.text[: match.start()],
            re.IGNORECASE,
        )
        if not explicit and context:
            draft.notes.append(
                f"a total budget of {value:,.0f} is not a per-post price, so it is not a filter"
            )
            draft.spans.append((context.start(), match.end()))
            return
        draft.fields["max_price_usd"] = value
        currency = (
            "" if "$" in match.group(0) or "usd" in match.group(0).lower() else " (read as USD)"
        )
        draft.take(match, f"price per post at most ${value:,.0f}{currency}")
        return


def _platforms(draft: _Draft) -> None:
    words = _alternation(list(PLATFORM_WORDS))
    pattern = re.compile(rf"(?:\b(?:on|via|from)\s+)?\b({words})\b", re.IGNORECASE)
    for match in pattern.finditer(draft.text):
        platform = platform_name(match.group(1))
        if platform:
            draft.add("platforms", [platform])
            draft.take(match, f"platform {platform}")
    for match in re.finditer(r"\b(?:on|via)\s+(X)\b|\b(Threads)\b", draft.text):
        platform = "x" if match.group(1) else "threads"
        draft.add("platforms", [platform])
        draft.take(match, f"platform {platform}")


def _languages(draft: _Draft) -> None:
    names = _language_alternation()
    patterns = [
        rf"\b(?:(?:posting|speaking|writing|talking|content|posts|videos)\s+)?in\s+({names})\b(?!\s*(?:-speaking|speaking|{_CREATOR_NOUN}))",
        rf"\b({names})[- ](?:speaking|language|speakers?)\b",
        rf"\bwho\s+(?:speak|post in|write in)\s+({names})\b",
    ]
    for pattern in patterns:
        for match in re.finditer(pattern, draft.text, re.IGNORECASE):
            code = language_code(match.group(1))
            if code:
                draft.add("languages", [code])
                draft.take(match, f"language {match.group(1).title()} ({code})")


def _place_codes(text: str) -> list[tuple[str, list[str]]]:
    """(name as written, codes) for each country name, region or code in a place list."""
    found = []
    for item in re.split(r"\s*(?:,|/|&|\band\b|\bor\b)\s*", text, flags=re.IGNORECASE):
        item = re.sub(r"^the\s+", "", item.strip(), flags=re.IGNORECASE)
        if item.lower() in REGIONS:
            found.append((item, list(REGIONS[item.lower()])))
        elif re.fullmatch(r"[A-Z]{2}", item):
            code = "GB" if item == "UK" else item
            if pycountry.countries.get(alpha_2=code):
                found.append((item, [code]))
        elif item.lower() in country_names():
            found.append((item, [country_names()[item.lower()]]))
    return found


def _countries(draft: _Draft) -> None:
    """Countries where the creators are, not places a product is about.

    "fitness creators in Germany" and "UK food bloggers" name where creators live; "island
    hopping tours in Greece" names a destination, so a place counts only next to a creator
    word, after "based in" / "from", or as "for the German market".
    """
    names = _place_alternation()
    one = rf"(?:(?i:the\s+)?(?i:{names})|[A-Z]{{2}})"
    places = rf"({one}(?:\s*(?:,|/|&|\band\b|\bor\b)\s*{one})*)\b"
    after_creators = rf"(?:{_CREATOR_NOUN}|followers|subscribers|fans)\W+(?:[\w-]+\W+){{0,2}}$"
    contexts = [
        (rf"(?i:based|living|located|who live)\s+(?i:in)\s+{places}", False),
        (rf"(?i:in|from|across|out of)\s+{places}", True),
        (rf"(?i:for\s+(?:the|our)\s+){places}\s+(?i:market|audience|customers|shoppers)", False),
        (rf"\b{places}\s+(?=(?:[\w-]+\s+)?(?i:{_CREATOR_NOUN})\b)", False),
    ]
    for pattern, needs_creator in contexts:
        for match in re.finditer(pattern, draft.text):
            if any(s <= match.start() < e for s, e in draft.spans):
                continue
            if needs_creator and not re.search(
                after_creators, draft.text[: match.start()], re.IGNORECASE
            ):
                continue
            found = _place_codes(match.group(1))
            if pattern.startswith("\\b") and all(n.upper() in NOT_CODES for n, _ in found):
                continue  # "AI creators", "PR influencers"
            for name, codes in found:
                draft.add("countries", codes)
                label = ", ".join(codes)
                draft.notes.append(
                    f"country {label}" if name == label else f"country {name} ({label})"
                )
            if found:
                draft.spans.append(match.span())
    demonyms = _alternation(list(DEMONYMS))
    pattern = (
        rf"\b(?:for\s+(?:the|our)\s+)?({demonyms})(?:\s+(?=(?:[\w-]+\s+)?{_CREATOR_NOUN}\b)"
        r"|\s+(?:market|audience|customers|shoppers)\b)"
    )
    for match in re.finditer(pattern, draft.text, re.IGNORECASE):
        if any(s <= match.start() < e for s, e in draft.spans):
            continue
        code = DEMONYMS[match.group(1).lower()]
        draft.add("countries", [code])
        draft.take(match, f"country {code} (from '{match.group(1)}')")


def _exclusions(draft: _Draft) -> None:
    lead = r"\b(?:excluding|exclude|except(?:\s+for)?|but not|not|without|other than|no)\s+"
    handle = r"@[\w.]+"
    pattern = rf"{lead}({handle}(?:\s*(?:,|and|or|&)\s*{handle})*)"
    for match in re.finditer(pattern, draft.text, re.IGNORECASE):
        handles = re.findall(handle, match.group(1))
        draft.add("exclude_handles", handles)
        draft.take(match, f"excluding {', '.join(handles)}")


def _count(draft: _Draft) -> None:
    patterns = [
        rf"\b(?:top|best|find(?:\s+me)?|show(?:\s+me)?|give\s+me|list)\s+(\d{{1,3}})\b"
        rf"(?!\s*(?:[%$+]|[kKmM]\b|followers))(?:\s+{_CREATOR_NOUN})?",
        rf"\b(\d{{1,3}})\s+(?:[a-z-]+\s+)?{_CREATOR_NOUN}\b",
    ]
    for pattern in patterns:
        match = re.search(pattern, draft.text, re.IGNORECASE)
        if match and 1 <= int(match.group(1)) <= 200:
            draft.fields["k"] = int(match.group(1))
            draft.notes.append(f"{match.group(1)} creators asked for")
            if not re.search(_CREATOR_NOUN, match.group(0), re.IGNORECASE):
                draft.spans.append(match.span())
            return


_FILLER = re.compile(
    r"^(?:(?:please|pls|hi|hey|we|i|are|am|looking|look|searching|search|for|find|me|show|"
    r"give|want|need|some|a|an|the|us|would|like|to|who|that|with|and|or|on|in|of|is|are|"
    r"based|from|budget|around|approx(?:imately)?|also)\b[\s,.:;!-]*)+",
    re.IGNORECASE,
)


def _topic(draft: _Draft) -> str:
    keep = []
    cursor = 0
    for start, end in sorted(draft.spans):
        if start >= cursor:
            keep.append(draft.text[cursor:start])
            cursor = end
        else:
            cursor = max(cursor, end)
    keep.append(draft.text[cursor:])
    text = " ".join(part.strip() for part in keep)
    text = re.sub(r"\s*([,;.:!?])(?:\s*[,;.:!?])+", r"\1", text)
    text = re.sub(r"\s+([,;.:!?])", r"\1", text)
    text = re.sub(r"\s{2,}", " ", text).strip(" ,;:.-")
    text = _FILLER.sub("", text)
    text = re.sub(r"\b(?:with|and|on|in|for|from|who|that|or|of)\s*$", "", text.strip(" ,;:.-"))
    text = re.sub(rf"[,;]\s*(?:[\w-]+\s+)?{_CREATOR_NOUN}\s*$", "", text.strip(" ,;:.-"))
    return text.strip(" ,;:.-")


def parse_request(text: str, settings: Settings, k: int | None = None) -> ParsedRequest:
    """A match request from a plain-language brief, with a note for every filter understood."""
    draft = _Draft(" ".join(text.split()))
    for step in (_exclusions, _price, _engagement, _followers, _platforms, _languages, _countries):
        step(draft)
    _tiers(draft, settings)
    _count(draft)
    topic = _topic(draft) or draft.text
    if k is not None:
        draft.fields["k"] = k
    request = MatchRequest.model_validate({"topic": topic, **draft.fields})
    return ParsedRequest(request=request, notes=draft.notes, parser="rules", brief=text)
