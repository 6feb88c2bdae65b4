"""Outreach drafts: an e-mail and a short DM to one creator, built from a fact sheet.

The structure and every fact (fee, deliverables, follower count, next step) are composed here,
deterministically. The model writes only what it can: the opening sentence about one real post
of the creator (and, for a capable model, why the creator fits). Each model-written sentence is
checked against the fact sheet; a failing opening is regenerated once, then replaced by a
plain sentence quoting the post. What happened is reported in the draft's ``grounding``.
"""

from __future__ import annotations

import re
from collections.abc import Generator

from app.drafting.facts import FactSheet, PostFacts, build_fact_sheet, money, snippet
from app.drafting.grounding import (
    FactIndex,
    Guard,
    extract_claims,
    finished,
    split_sentences,
    unsafe_to_quote,
)
from app.drafting.topics import content_words
from app.errors import ConfigError, LLMError
from app.llm.client import ChatClient
from app.llm.prompting import load_prompt
from app.llm.streams import ReplyTiming, TextStream
from app.models import BrandProfile, CreatorProfile, GroundingReport, LLMUse, OutreachDraft

OPENING_TOKENS = 60
FIT_TOKENS = 100
RETRY_TEMPERATURE = 0.9
PLATFORM_NAMES = {
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "x": "X",
    "linkedin": "LinkedIn",
}
_SALUTATION = re.compile(r"^\s*(?:hi|hello|hey|dear)\b[^,!.\n]{0,40}[,!]\s*", re.IGNORECASE)


def platform_name(platform: str) -> str:
    """A platform as people write it."""
    return PLATFORM_NAMES.get(platform, platform.capitalize())


def deliverables_text(facts: FactSheet) -> str:
    """E.g. ``1 Instagram reel`` or ``2 TikTok videos``."""
    items = []
    for item in facts.offer.deliverables:
        noun = item.format if item.count == 1 else f"{item.format}s"
        items.append(f"{item.count} {platform_name(item.platform)} {noun}")
    return " and ".join(items)


def fallback_opening(post: PostFacts) -> str:
    """A plain opening that quotes the post (used when no model sentence passes the check)."""
    kind = post.kind if post.kind and post.kind != "text" else "post"
    when = f"{post.posted_on:%B} {post.posted_on.day}"
    if unsafe_to_quote(post.text):  # never repeat an injection or markup, not even as a quote
        return f"Your {kind} from {when} caught our eye."
    return f"Your {kind} “{snippet(post.text)}” from {when} stayed with us."


def fit_sentence(facts: FactSheet) -> str:
    """Why the creator fits, from the data only."""
    creator, brand = facts.creator, facts.brand
    if facts.shared_topics:
        why = f"you post about {listing(facts.shared_topics[:3])}"
    elif creator.niches:
        why = f"your posts on {listing(creator.niches[:2])} are close to what we do"
    else:
        why = "your posts caught our eye"
    audience = f" We want to reach {brand.audience}." if brand.audience else ""
    return (
        f"We think you'd be a natural fit for {brand.name}: {why}, and "
        f"{creator.followers:,} people follow you on {platform_name(creator.platform)}.{audience}"
    )


def listing(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def offer_sentence(facts: FactSheet) -> str:
    """The offer: fee or gifting, and the deliverables."""
    what = deliverables_text(facts)
    if facts.offer.fee_usd is None:
        product = facts.brand.product or "our product"
        return f"We'd love to send you {product} to try, in exchange for {what} if you like it."
    fee = money(facts.offer.fee_usd)
    if facts.price.quoted:
        return f"We'd like to offer {fee} for {what}, in line with your quoted rate."
    return (
        f"We'd like to offer {fee} for {what}; if your usual rate is different, tell us and "
        "we'll work it out."
    )


def introduction(brand: BrandProfile) -> str:
    """Who is writing."""
    if brand.product:
        return f"We're {brand.name}, the team behind {brand.product}."
    return f"We're {brand.name}."


class OutreachWriter:
    """Writes outreach drafts with a chat model and checks them."""

    def __init__(self, client: ChatClient) -> None:
        self.client = client
        self.settings = client.settings

    def stream(
        self,
        profile: CreatorProfile,
        brand: BrandProfile,
        post_id: str | None = None,
        timing: ReplyTiming | None = None,
    ) -> TextStream[OutreachDraft]:
        """The e-mail body as it is written; ``result()`` is the whole draft."""
        return TextStream(self._write(profile, brand, post_id, timing))

    def write(
        self, profile: CreatorProfile, brand: BrandProfile, post_id: str | None = None
    ) -> OutreachDraft:
        """The whole draft at once."""
        return self.stream(profile, brand, post_id).result()

    def _write(
        self,
        profile: CreatorProfile,
        brand: BrandProfile,
        post_id: str | None,
        timing: ReplyTiming | None,
    ) -> Generator[str, None, OutreachDraft]:
        facts = build_fact_sheet(profile, brand, self.settings, post_id)
        index = FactIndex.of(facts.model_dump(mode="json"))
        post = facts.post(facts.opening_post_id)
        report = _Report()
        greeting = f"Hi {facts.creator.first_name},\n\n"
        yield greeting
        opening = self._opening(facts, post, index, report, timing)
        yield opening + "\n\n"
        fit = self._fit(facts, index, report) or fit_sentence(facts)
        body = (
            f"{introduction(brand)} {fit}\n\n"
            f"{offer_sentence(facts)}\n\n"
            "If that sounds good, reply to this e-mail and we'll send the full brief with dates "
            f"and talking points.\n\nBest,\n{brand.name}"
        )
        yield body
        text = greeting + opening + "\n\n" + body
        dm = (
            f"Hi {facts.creator.first_name}! {opening} {introduction(brand)} "
            f"{offer_sentence(facts)} Interested? Reply here and I'll send the details."
        )
        kind = "gifted collaboration" if facts.offer.fee_usd is None else "paid partnership"
        subject = f"{brand.name} × {facts.creator.handle}: {kind}, {deliverables_text(facts)}"
        left = index.unsupported(subject + "\n" + text + "\n" + dm)
        return OutreachDraft(
            creator_id=facts.creator.id,
            handle=facts.creator.handle,
            post_id=post.id,
            subject=subject,
            text=text,
            dm=dm,
            facts=facts.model_dump(mode="json"),
            grounding=GroundingReport(
                ok=not left,
                unsupported=report.unsupported + [f"left in text: {claim}" for claim in left],
                actions=report.actions,
                checked=sum(len(extract_claims(t)) for t in (subject, text, dm)),
            ),
            llm=report.llm or self.client.use(False),
        )

    def _opening(
        self,
        facts: FactSheet,
        post: PostFacts,
        index: FactIndex,
        report: _Report,
        timing: ReplyTiming | None,
    ) -> str:
        if not self.client.available:
            report.actions.append("no LLM configured: plain opening quoting the post")
            return fallback_opening(post)
        prompt = load_prompt("outreach_opening")
        guard = Guard(index, prompt.literal_text(), facts.brand.competitors)
        messages = prompt.render(post_data=post.text)
        for attempt in range(2):
            try:
                raw = self.client.text(
                    messages,
                    OPENING_TOKENS,
                    timing=timing if attempt == 0 else None,
                    temperature=None if attempt == 0 else RETRY_TEMPERATURE,
                )
            except (LLMError, ConfigError) as error:
                report.llm = self.client.use(False, error)
                report.actions.append("the LLM failed: plain opening quoting the post")
                return fallback_opening(post)
            report.llm = self.client.use(True)
            sentence, problems = _first_sentence(raw)
            problems += guard.problems(sentence) if sentence else []
            if sentence and not content_words(sentence) & content_words(post.text):
                problems.append(f"opening does not refer to post {post.id}: {sentence[:80]!r}")
            if not problems:
                if attempt:
                    report.actions.append("regenerated the opening once; the second one passed")
                return sentence
            report.unsupported.extend(problems)
            report.actions.append(
                "regenerated the opening"
                if attempt == 0
                else "replaced the opening with a plain one quoting the post"
            )
        return fallback_opening(post)

    def _fit(self, facts: FactSheet, index: FactIndex, report: _Report) -> str | None:
        if not (self.client.available and self.client.capable):
            return None
        prompt = load_prompt("outreach_fit")
        guard = Guard(index, prompt.literal_text(), facts.brand.competitors)
        brand = facts.brand
        messages = prompt.render(
            brand_name=brand.name,
            product=brand.product or "(not given)",
            brand_description=brand.description or "(not given)",
            audience=brand.audience or "(not given)",
            shared_topics=", ".join(facts.shared_topics) or "(none found)",
            bio_data=facts.creator.bio or "(empty)",
            posts_data="\n".join(f"- {p.text}" for p in facts.creator.posts[:6]),
        )
        try:
            raw = self.client.text(messages, FIT_TOKENS)
        except (LLMError, ConfigError) as error:
            report.actions.append(f"the LLM failed on the fit sentences ({error}); plain ones used")
            return None
        kept, problems = guard.clean(" ".join(s for s in split_sentences(raw) if finished(s)))
        report.unsupported.extend(problems)
        if problems:
            report.actions.append(f"removed {len(problems)} unsupported item(s) from the fit text")
        return kept or None


class _Report:
    """What happened while a draft was written."""

    def __init__(self) -> None:
        self.unsupported: list[str] = []
        self.actions: list[str] = []
        self.llm: LLMUse | None = None


def _first_sentence(raw: str) -> tuple[str, list[str]]:
    text = _SALUTATION.sub("", raw.strip().strip("\"“”'"))
    sentences = [s for s in split_sentences(text) if len(s.split()) >= 4]
    if not sentences:
        return "", [f"no usable opening sentence in {raw[:80]!r}"]
    first = sentences[0].strip('"“”')
    if not finished(first):
        return "", [f"opening cut off: {first[:80]!r}"]
    return first, []
