"""Campaign briefs: a typed brief for a brand and a shortlist, rendered to Markdown.

Everything in a brief is composed from the brand profile and the creators' data: deliverables
in each creator's usual format, dates from the campaign start, fees from the price estimates
(with their basis), budget split, promo codes and UTM links. The model writes only the key
message, which is checked against the brand's own words; on failure the brand's description
is used.
"""

from __future__ import annotations

import math
import re
from collections.abc import Generator
from datetime import date, timedelta

from app.drafting.facts import deliverable, fee_for, money
from app.drafting.grounding import FactIndex, Guard, finished, split_sentences
from app.drafting.outreach import listing, platform_name
from app.errors import ConfigError, InputError, LLMError
from app.llm.client import ChatClient
from app.llm.prompting import load_prompt
from app.llm.streams import TextStream
from app.models import (
    BrandProfile,
    BudgetSplit,
    CampaignBrief,
    CreatorPlan,
    CreatorProfile,
    GroundingReport,
    LLMUse,
    Milestone,
)

MESSAGE_TOKENS = 80
MAX_POSTS_PER_CREATOR = 3
LEAD_DAYS = 14  # default start: two weeks from today, time to brief and ship product
_OBJECTIVES = {
    "awareness": "Awareness: introduce {product} to {audience}.",
    "engagement": "Engagement: get {audience} talking about {product}.",
    "conversions": "Conversions: turn {audience} into buyers of {product}.",
}
_KPIS = {
    "awareness": ["Reach and impressions per post", "Video views (3-second and completed)"],
    "engagement": [
        "Engagement rate per post against the creator's own baseline",
        "Saves, shares and comments",
    ],
    "conversions": ["Promo code redemptions per creator", "UTM link clicks and sales per creator"],
}


def slug(text: str) -> str:
    """Letters and digits only."""
    return re.sub(r"[^A-Za-z0-9]", "", text)


def promo_code(brand: BrandProfile, handle: str) -> str:
    """A per-creator promo code, e.g. ``GREENBAR-PLANTPLATE``."""
    return f"{slug(brand.name).upper()[:12]}-{slug(handle).upper()[:14]}"


def utm_link(brand: BrandProfile, campaign: str, platform: str, handle: str) -> str:
    """The brand's landing page with UTM parameters for one creator."""
    base = (brand.website or "<landing page URL>").rstrip("/")
    return (
        f"{base}?utm_source={platform}&utm_medium=influencer"
        f"&utm_campaign={campaign}&utm_content={slug(handle).lower()}"
    )


def posts_per_creator(brand: BrandProfile, profiles: list[CreatorProfile]) -> int:
    """Posts each creator is asked for: as many as the budget pays for everyone, 1 to 3."""
    if brand.offer == "gifting" or not brand.budget_usd:
        return 1
    one_round = sum(p.price.usd for p in profiles)
    return max(1, min(MAX_POSTS_PER_CREATOR, math.floor(brand.budget_usd / one_round)))


class BriefWriter:
    """Builds campaign briefs."""

    def __init__(self, client: ChatClient, today: date | None = None) -> None:
        self.client = client
        self.today = today or date.today()

    def write(self, brand: BrandProfile, profiles: list[CreatorProfile]) -> CampaignBrief:
        """The brief for a brand and a shortlist of creators."""
        if not profiles:
            raise InputError("A brief needs at least one creator: shortlist some first.")
        start = brand.campaign_start or self.today + timedelta(days=LEAD_DAYS)
        live, close = start + timedelta(days=14), start + timedelta(days=28)
        campaign = f"{slug(brand.name).lower()}-{start:%Y%m}"
        count = posts_per_creator(brand, profiles)
        plans = [self._plan(brand, p, count, campaign, live) for p in profiles]
        hashtag = brand.hashtag or f"#{slug(brand.name)}Partner"
        product = brand.product or brand.name
        audience = brand.audience or "the creators' followers"
        message, report, use = self._key_message(brand)
        fees = round(sum(plan.fee_usd or 0.0 for plan in plans), 2)
        return CampaignBrief(
            title=f"{brand.name} × creators: {product}",
            brand=brand.name,
            product=product,
            objective=_OBJECTIVES[brand.objective].format(product=product, audience=audience),
            audience=audience,
            key_message=message,
            values=brand.values,
            creators=plans,
            hashtag=hashtag,
            disclosure=(
                "Mark every post as advertising: #ad at the start of the caption (not hidden "
                "among other hashtags) and the platform's paid-partnership label switched on."
                + (" Gifted product counts as payment." if brand.offer == "gifting" else "")
            ),
            dos=[
                f"Show {product} in real use, in your usual style and voice",
                "Say what you honestly think",
                f"Use {hashtag} and tag {brand.name}",
                "Give your promo code and link in every post",
                *([f"Reflect our values: {listing(brand.values)}"] if brand.values else []),
                *brand.dos,
            ],
            donts=[
                "Don't hide or leave out the #ad disclosure",
                "Don't make health, performance or price claims the brand has not approved",
                *(
                    [f"Don't mention or show competitors ({', '.join(brand.competitors)})"]
                    if brand.competitors
                    else []
                ),
                "Don't buy followers or engagement, or use engagement pods",
                *brand.donts,
            ],
            timeline=[
                Milestone(on=start, what="Brief, product and promo codes sent to creators"),
                Milestone(on=start + timedelta(days=7), what="Content drafts due for review"),
                Milestone(on=start + timedelta(days=10), what="Feedback and approval"),
                Milestone(on=live, what="Posting window opens"),
                Milestone(on=close, what="Posting window closes"),
                Milestone(on=close + timedelta(days=7), what="Results report per creator"),
            ],
            budget=_budget(brand, fees),
            kpis=[
                *_KPIS[brand.objective],
                "Per creator: promo code redemptions and UTM link clicks (codes and links above)",
                "Engagement rate per post against each creator's baseline ER above",
            ],
            approval_steps=[
                "Creator sends the draft caption and media before the drafts-due date",
                "Brand checks it against the key message, do's and don'ts, and the disclosure",
                "Brand approves or asks for one round of changes before the posting window",
                "Creator posts in the window and sends the live link and a screenshot",
            ],
            usage_rights=(
                "The brand may share the posts on its own channels, crediting the creator, for "
                "90 days after posting. Use in paid ads needs the creator's written consent and "
                "a separate fee."
            ),
            grounding=report,
            llm=use,
        )

    def stream(
        self, brand: BrandProfile, profiles: list[CreatorProfile]
    ) -> TextStream[CampaignBrief]:
        """The brief's Markdown, section by section; ``result()`` is the brief."""
        return TextStream(self._stream(brand, profiles))

    def _stream(
        self, brand: BrandProfile, profiles: list[CreatorProfile]
    ) -> Generator[str, None, CampaignBrief]:
        brief = self.write(brand, profiles)
        for section in render_markdown(brief).split("\n## "):
            yield section if section.startswith("# ") else "\n## " + section
        return brief

    def _plan(
        self, brand: BrandProfile, profile: CreatorProfile, count: int, campaign: str, live: date
    ) -> CreatorPlan:
        creator = profile.creator
        dates = [live + timedelta(days=7 * k) for k in range(count)]
        fee, basis = fee_for(profile, brand, count)
        return CreatorPlan(
            creator_id=creator.id,
            handle=creator.handle,
            platform=creator.platform,
            tier=profile.tier,
            followers=creator.followers,
            engagement_rate=round(profile.engagement_rate, 2),
            deliverables=[deliverable(creator, count, dates)],
            fee_usd=fee,
            fee_basis=basis,
            promo_code=promo_code(brand, creator.handle),
            utm_link=utm_link(brand, campaign, creator.platform, creator.handle),
        )

    def _key_message(self, brand: BrandProfile) -> tuple[str, GroundingReport, LLMUse]:
        fallback = _default_message(brand)
        if not (self.client.available and self.client.capable):
            # A small model invents brand claims; the brand's own words are used instead.
            report = GroundingReport(ok=True, actions=["key message from the brand's own words"])
            return fallback, report, self.client.use(False)
        prompt = load_prompt("brief_message")
        index = FactIndex.of(brand.model_dump(mode="json"))
        guard = Guard(index, prompt.literal_text(), brand.competitors)
        messages = prompt.render(
            brand_name=brand.name,
            product=brand.product or "(not given)",
            description=brand.description or "(not given)",
            values=", ".join(brand.values) or "(not given)",
            audience=brand.audience or "(not given)",
            objective=brand.objective,
        )
        try:
            raw = self.client.text(messages, MESSAGE_TOKENS)
        except (LLMError, ConfigError) as error:
            report = GroundingReport(ok=True, actions=["the LLM failed: brand's own words used"])
            return fallback, report, self.client.use(False, error)
        sentences = [s for s in split_sentences(raw) if finished(s)][:2]
        kept, problems = guard.clean(" ".join(sentences))
        actions = [f"removed {len(problems)} unsupported item(s)"] if problems else []
        if not kept:
            actions.append("no usable model sentence: brand's own words used")
        report = GroundingReport(
            ok=True, unsupported=problems, actions=actions, checked=len(sentences)
        )
        return kept or fallback, report, self.client.use(True)


def _default_message(brand: BrandProfile) -> str:
    first = split_sentences(brand.description)[:1]
    if first:
        return first[0]
    values = f", made with {listing(brand.values)} in mind" if brand.values else ""
    return f"{brand.product or brand.name} from {brand.name}{values}."


def _budget(brand: BrandProfile, fees: float) -> BudgetSplit:
    if brand.offer == "gifting":
        note = "Gifting: no fees; budget product units and shipping."
        return BudgetSplit(total_usd=brand.budget_usd, fees_usd=0.0, reserve_usd=None, note=note)
    if brand.budget_usd is None:
        note = "No total budget set: fees are the estimates per creator."
        return BudgetSplit(total_usd=None, fees_usd=fees, reserve_usd=None, note=note)
    reserve = round(brand.budget_usd - fees, 2)
    note = (
        f"Within budget; {money(reserve)} left for product, shipping and boosting."
        if reserve >= 0
        else f"Over budget by {money(-reserve)}: drop a creator or negotiate fees."
    )
    return BudgetSplit(total_usd=brand.budget_usd, fees_usd=fees, reserve_usd=reserve, note=note)


def escape(text: str) -> str:
    """Text shown literally in Markdown (creator handles are the creators' own strings)."""
    return re.sub(r"([\\`*_{}\[\]()#+!|<>~])", r"\\\1", text)


def render_markdown(brief: CampaignBrief) -> str:
    """The brief as Markdown for people; creator handles are escaped, posts never appear."""
    out = [f"# {brief.title}", ""]
    out += ["## Objective", brief.objective, "", "## Audience", brief.audience, ""]
    out += ["## Key message", brief.key_message, ""]
    if brief.values:
        out += ["## Brand values", *(f"- {v}" for v in brief.values), ""]
    out += ["## Creators and deliverables", ""]
    out += ["| Creator | Platform | Tier | Followers | ER | Deliverables | Dates | Fee |"]
    out += ["| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for plan in brief.creators:
        items = "; ".join(f"{d.count} × {d.format}" for d in plan.deliverables)
        dates = ", ".join(f"{day:%Y-%m-%d}" for d in plan.deliverables for day in d.dates)
        fee = "gifting" if plan.fee_usd is None else money(plan.fee_usd)
        out.append(
            f"| {escape(plan.handle)} | {platform_name(plan.platform)} | {plan.tier} | "
            f"{plan.followers:,} | {plan.engagement_rate:.2f}% | {items} | {dates} | {fee} |"
        )
    out += ["", "Fee basis:", *(f"- {escape(p.handle)}: {p.fee_basis}" for p in brief.creators)]
    out += ["", "## Hashtag and disclosure", f"Branded hashtag: {brief.hashtag}", ""]
    out += [brief.disclosure, "", "## Do's", *(f"- {d}" for d in brief.dos), ""]
    out += ["## Don'ts", *(f"- {d}" for d in brief.donts), "", "## Timeline"]
    out += [f"- {m.on:%Y-%m-%d}: {m.what}" for m in brief.timeline]
    budget = brief.budget
    total = "not set" if budget.total_usd is None else money(budget.total_usd)
    out += [
        "",
        "## Budget",
        f"- Total budget: {total}",
        f"- Creator fees: {money(budget.fees_usd)}",
    ]
    out += [
        f"- {escape(p.handle)}: {'gifting' if p.fee_usd is None else money(p.fee_usd)}"
        for p in brief.creators
    ]
    if budget.reserve_usd is not None:
        out.append(f"- Reserve: {money(budget.reserve_usd)}")
    out += [f"- {budget.note}", "", "## KPIs and tracking", *(f"- {k}" for k in brief.kpis), ""]
    out += ["| Creator | Promo code | UTM link |", "| --- | --- | --- |"]
    out += [f"| {escape(p.handle)} | `{p.promo_code}` | `{p.utm_link}` |" for p in brief.creators]
    out += ["", "## Approval steps", *(f"{i}. {s}" for i, s in enumerate(brief.approval_steps, 1))]
    out += ["", "## Usage rights", brief.usage_rights, ""]
    return "\n".join(out)
