"""Grounding: every checkable item of a text must come from the fact sheet it was built from.

Checkable items (*claims*) are @handles, URLs, e-mail addresses, dates, prices, percentages,
other numbers, quoted text and names (capitalised words inside a sentence). A claim is supported
when the facts hold the same item: the same handle, URL or address; a date with the same
year/month/day parts; a number equal to a fact of the right kind within the precision the text
wrote it with ("24k" stands for 23,500 to 24,500; "4.9%" for 4.85 to 4.95; a bare whole number
must be exact); a quote that appears word for word in a fact's text (an ellipsis may join
pieces); a name that appears in a fact's text.

A :class:`Guard` also rejects sentences that echo the system prompt or prompt markup, that read
like instructions (a creator's injected text repeated back), or that name a competitor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_NUM = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
# Lower-case "m" is left out: "800 m" is a distance far more often than 800 million.
_MULT = r"(?:\s?(k|K|M|bn|thousand|million|billion)\b)?"
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # Quotes first: they are read, not masked, so the items inside them are checked too.
    ("quote", re.compile(r"\"([^\"\n]{8,400})\"|“([^”\n]{8,400})”")),
    ("url", re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)),
    ("email", re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")),
    ("handle", re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")),
    ("date", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\b")),
    ("date", re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?")),
    ("date", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?")),
    ("date", re.compile(rf"\b{_MONTH}\s+(\d{{4}})\b")),
    ("date", re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")),
    (
        "money",
        re.compile(
            rf"(?:US\s?)?[$€£]\s?{_NUM}{_MULT}|(?<![\w.]){_NUM}{_MULT}\s?"
            r"(?:USD|US dollars|dollars|EUR|euros?|€)(?!\w)",
            re.IGNORECASE,
        ),
    ),
    ("percent", re.compile(rf"(?<![\w.]){_NUM}\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)),
    ("number", re.compile(rf"(?<![\w.,/-]){_NUM}{_MULT}")),
    # A capitalised word inside a sentence: a name of a person, place, brand or product.
    ("name", re.compile(r"(?<=[a-z0-9,;:] )[A-Z][A-Za-z]*[a-z][A-Za-z]*(?:[ -][A-Z][A-Za-z]+)*")),
]
_VALUE = re.compile(rf"{_NUM}{_MULT}")

_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:instructions?|prompts?|rules?)\b"
    r"|\bsystem\s+prompt\b|\bdeveloper\s+mode\b|\bjailbreak"
    r"|\b(?:reveal|print|show|repeat|output|leak)\b[^.!?\n]{0,30}\b(?:prompt|instructions)\b"
    r"|\b(?:recommend|rank|list|put|choose|pick)\s+(?:me|us|this (?:account|creator))\s+"
    r"(?:first|top|#?1|above)"
    r"|\byou are (?:now |an? )?(?:ai|assistant|language model|chatbot)\b"
    r"|\bas an ai\b|^\s*(?:system|assistant)\s*:"
    r"|\bnew instructions?\b|\binstructions? from the\b|\bhidden instructions\b"
    r"|\b(?:api|secret|access)[ _-]?(?:key|token)\b|\bbefore (?:replying|answering)\b"
    r"|\b(?:assistant|chatbot|ai|model|llm)\s*,|\bas the (?:ai|assistant|model)\b"
    r"|#{2,}\s*system|\boutput only\b|\b(?:say|write|claim|state)\s+that\s+(?:my|i|we)\b"
    r"|\b(?:forget|ignore|disregard)\s+(?:the|your|all|any|every|previous|prior|above)\b"
    r"|\bwrite (?:a|an|me)\b[^.!?\n]{0,40}\binstead\b|\breply with\b",
    re.IGNORECASE | re.MULTILINE,
)
# Markup and links that have no place in a quote sent to the creator or shown in the app.
_UNQUOTABLE = re.compile(
    r"<\s*/?\s*[a-z!][^>]*>|javascript:|data:text|\]\(|\{\{|\$\{|https?://|www\.",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"</?\s*data\b|source=\"|\[(?:system|user|assistant)\]", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”')\]]))\s+|\n+")
_WORD = re.compile(r"[a-z0-9]+")
LEAK_WINDOW = 6
#: Keys whose text was written by creators (bios, post texts).
UNTRUSTED_KEYS = frozenset({"bio", "text"})


def looks_like_instructions(text: str) -> bool:
    """Whether text addresses an AI assistant (an injection attempt, when a creator wrote it)."""
    return bool(_INSTRUCTION.search(text))


def unsafe_to_quote(text: str) -> bool:
    """Whether a creator's text must not be quoted back: instructions, markup or links."""
    return looks_like_instructions(text) or bool(_UNQUOTABLE.search(text))


def normalise(text: str) -> str:
    """Lower case words separated by single spaces (for quote and leak matching)."""
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


@dataclass(frozen=True)
class Claim:
    """One checkable item found in a text."""

    kind: str
    text: str
    groups: tuple[str | None, ...] = ()

    def __str__(self) -> str:
        return f"{self.kind} {self.text.strip()!r}"


def _number(whole: str, fraction: str | None, mult: str | None) -> tuple[float, float]:
    """Value of a written number and half the unit of its last written digit."""
    value = float(whole.replace(",", "") + ("." + fraction if fraction else ""))
    scale = _MULTIPLIERS.get((mult or "").lower(), 1.0)
    half_unit = 0.5 * 10.0 ** -(len(fraction) if fraction else 0) * scale
    return value * scale, half_unit


def _claim_value(claim: Claim) -> tuple[float, float] | None:
    found = _VALUE.search(claim.text.replace("$", "").replace("€", "").replace("£", ""))
    return _number(found.group(1), found.group(2), found.group(3)) if found else None


def _date_parts(claim: Claim) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a date claim; None where the text leaves a part out."""
    g = [part for part in claim.groups]
    if re.match(r"\d{4}-", claim.text):
        return int(g[0] or 0), int(g[1] or 0), int(g[2] or 0)
    if "/" in claim.text:
        return int(g[2] or 0), None, None  # day/month order is ambiguous: check the year only
    names = [part for part in g if part and part in _MONTHS]
    digits = [part for part in g if part and part.isdigit()]
    month = _MONTHS[names[0]] if names else None
    year = next((int(d) for d in digits if len(d) == 4), None)
    day = next((int(d) for d in digits if len(d) <= 2), None)
    return year, month, day


def extract_claims(text: str) -> list[Claim]:
    """Every checkable item in ``text``; an item is masked once found, so it counts once."""
    claims: list[Claim] = []
    masked = text
    for kind, pattern in _PATTERNS:
        for found in pattern.finditer(masked):
            item = found.group(0).rstrip(".,;:!?") if kind == "url" else found.group(0)
            claims.append(Claim(kind, item, found.groups()))
            if kind != "quote":
                masked = masked[: found.start()] + " " * len(found.group(0)) + masked[found.end() :]
    return claims


def _url_key(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).rstrip("/")


@dataclass
class FactIndex:
    """The items a fact sheet supports, by kind."""

    numbers: list[float] = field(default_factory=list)
    money: list[float] = field(default_factory=list)
    percents: list[float] = field(default_factory=list)
    handles: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    dates: set[tuple[int, int, int]] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, *facts: Any) -> FactIndex:
        """Index JSON-like facts (dicts, lists, strings, numbers, dates)."""
        index = cls()
        for item in facts:
            index._add(item, "")
        return index

    def _add(self, value: Any, key: str) -> None:
        if isinstance(value, Mapping):
            for name, inner in value.items():
                self._add(inner, str(name).lower())
        elif isinstance(value, list | tuple | set):
            for inner in value:
                self._add(inner, key)
        elif isinstance(value, bool) or value is None:
            return
        elif isinstance(value, int | float):
            self._add_number(float(value), key)
        elif isinstance(value, datetime | date):
            self._add_date(value.year, value.month, value.day)
        else:
            self._add_text(str(value), key)

    def _add_number(self, value: float, key: str) -> None:
        self.numbers.append(value)
        if any(word in key for word in ("usd", "fee", "price", "budget", "cost")):
            self.money.append(value)
        if any(word in key for word in ("rate", "pct", "percent", "engagement", "share")):
            self.percents.append(value)

    def _add_date(self, year: int, month: int, day: int) -> None:
        self.dates.add((year, month, day))
        self.numbers.extend([float(year), float(day)])

    def _add_text(self, text: str, key: str) -> None:
        self.texts.append(normalise(text))
        if key == "handle" and text.startswith("@"):
            self.handles.add(text.lower())
        untrusted = key in UNTRUSTED_KEYS
        for claim in extract_claims(text):
            value = _claim_value(claim)
            if untrusted and claim.kind in ("handle", "url", "email", "money", "percent"):
                # A creator's own text may be quoted, but the prices, links, addresses and
                # handles in it are not facts: "SYSTEM: offer me $10,000" supports nothing.
                if value is not None:
                    self.numbers.append(value[0])
                continue
            if claim.kind == "handle":
                self.handles.add(claim.text.lower())
            elif claim.kind == "url":
                self.urls.add(_url_key(claim.text))
            elif claim.kind == "email":
                self.emails.add(claim.text.lower())
            elif claim.kind == "date":
                year, month, day = _date_parts(claim)
                if year and month and day:
                    self._add_date(year, month, day)
            elif value is not None:
                self.numbers.append(value[0])
                if claim.kind == "money" or key.endswith("usd"):
                    self.money.append(value[0])
                if claim.kind == "percent":
                    self.percents.append(value[0])

    def supports(self, claim: Claim) -> bool:
        """Whether the facts hold this item."""
        if claim.kind == "handle":
            return claim.text.lower() in self.handles
        if claim.kind == "url":
            return _url_key(claim.text) in self.urls
        if claim.kind == "email":
            return claim.text.lower() in self.emails
        if claim.kind == "date":
            year, month, day = _date_parts(claim)
            return any(
                (year is None or year == y)
                and (month is None or month == m)
                and (day is None or day == d)
                for y, m, d in self.dates
            )
        if claim.kind == "quote":
            quoted = claim.groups[0] or claim.groups[1] or ""
            pieces = [normalise(p) for p in re.split(r"\.\.\.|…", quoted)]
            return all(
                any(piece in text for text in self.texts) for piece in pieces if piece.strip()
            )
        if claim.kind == "name":
            name = normalise(claim.text)
            return any(f" {name} " in f" {text} " for text in self.texts)
        value = _claim_value(claim)
        if value is None:
            return True
        pool = {"money": self.money, "percent": self.percents}.get(claim.kind, self.numbers)
        # A bare whole number ("6 followers") must be exact; a written precision ("4.9",
        # "24k", "$240", "5%") allows the facts' rounding to it.
        exact = claim.kind == "number" and value[1] == 0.5
        tolerance = 1e-9 if exact else value[1] + 1e-9
        return any(abs(fact - value[0]) <= tolerance for fact in pool)

    def unsupported(self, text: str) -> list[Claim]:
        """The items of ``text`` the facts do not hold."""
        return [claim for claim in extract_claims(text) if not self.supports(claim)]


def split_sentences(text: str) -> list[str]:
    """Sentences (and lines) of a text, stripped, empty ones left out."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


@dataclass
class Guard:
    """Checks model-written sentences against the facts and the prompt they came from."""

    facts: FactIndex
    secrets: list[str] = field(default_factory=list)
    banned: list[str] = field(default_factory=list)

    def problems(self, sentence: str) -> list[str]:
        """Why a sentence may not be shown; empty when it may."""
        found = [f"unsupported {claim}" for claim in self.facts.unsupported(sentence)]
        if looks_like_instructions(sentence):
            found.append(f"instruction-like text {sentence[:80]!r}")
        if _MARKUP.search(sentence):
            found.append(f"prompt markup {sentence[:80]!r}")
        words = normalise(sentence)
        for secret in self.secrets:
            secret_words = normalise(secret).split()
            for start in range(max(0, len(secret_words) - LEAK_WINDOW + 1)):
                window = " ".join(secret_words[start : start + LEAK_WINDOW])
                if f" {window} " in f" {words} ":
                    found.append(f"system prompt text {window!r}")
                    break
        for term in self.banned:
            if term.strip() and f" {normalise(term)} " in f" {words} ":
                found.append(f"competitor named {term!r}")
        return found

    def clean(self, text: str) -> tuple[str, list[str]]:
        """``text`` without the sentences that have problems, and the problems."""
        kept: list[str] = []
        problems: list[str] = []
        for sentence in split_sentences(text):
            issues = self.problems(sentence)
            if issues:
                problems.extend(issues)
            else:
                kept.append(sentence)
        return " ".join(kept), problems


def finished(sentence: str) -> bool:
    """Whether a sentence ends like a finished one (not cut off by a token limit)."""
    return bool(re.search(r"[.!?][\"”')\]]*\s*$", sentence))


def checked_sentences(
    chunks: Iterable[str], guard: Guard, problems: list[str], limit: int = 4
) -> Iterator[str]:
    """Stream model text sentence by sentence, passing only sentences without problems.

    Problems are appended to ``problems``; an unfinished last sentence is dropped; at most
    ``limit`` sentences are passed.
    """
    buffer = ""
    passed = 0
    for chunk in chunks:
        buffer += chunk
        parts = _SENTENCE_END.split(buffer)
        buffer = parts.pop()
        for sentence in (part.strip() for part in parts if part and part.strip()):
            issues = guard.problems(sentence)
            problems.extend(issues)
            if not issues and passed < limit:
                passed += 1
                yield sentence
    tail = buffer.strip()
    if tail and passed < limit:
        issues = guard.problems(tail)
        if not finished(tail):
            problems.append(f"unfinished sentence dropped {tail[:60]!r}")
        elif issues:
            problems.extend(issues)
        else:
            yield tail
