"""Typed domain models: the contracts between ingest, retrieval, the LLM layer and the UI.

Units are fixed here once: follower counts are integers, ``engagement_rate`` is a percentage
(3.4 means 3.4 %), money is US dollars per post.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PostKind = Literal["photo", "video", "story", "reel", "carousel", "text"]

#: Platforms a record may name. ``twitter`` is read as ``x``.
PLATFORMS: tuple[str, ...] = (
    "instagram",
    "tiktok",
    "youtube",
    "x",
    "twitch",
    "facebook",
    "pinterest",
    "linkedin",
    "snapchat",
    "threads",
    "bluesky",
)


class Post(BaseModel):
    """One post of a creator, as written by them: untrusted text."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1)
    likes: int = Field(0, ge=0)
    comments: int = Field(0, ge=0)
    posted_at: datetime
    kind: PostKind | None = None
    sponsored: bool = False
    location: str | None = None


class Creator(BaseModel):
    """The canonical creator record (one JSON Lines row)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=200)
    handle: str = Field(min_length=2, description="Always with a leading @.")
    name: str = ""
    platform: str
    bio: str = ""
    country: str | None = Field(None, description="ISO 3166-1 alpha-2, upper case.")
    language: str | None = Field(None, description="ISO 639-1, lower case.")
    followers: int = Field(ge=0)
    following: int | None = Field(None, ge=0)
    niches: list[str] = Field(default_factory=list)
    email: str | None = None
    rate_usd: float | None = Field(None, ge=0, description="The creator's quoted price per post.")
    posts: list[Post] = Field(min_length=1)


class PriceEstimate(BaseModel):
    """Price per post with where the figure comes from."""

    usd: float
    basis: str
    quoted: bool


class RiskSignal(BaseModel):
    """An authenticity risk signal computed from the data at hand: a flag, not a verdict."""

    name: str
    detail: str


class CreatorProfile(BaseModel):
    """A creator with the figures derived at ingest."""

    creator: Creator
    tier: str
    engagement_rate: float = Field(description="Mean per-post ER of recent posts, in percent.")
    price: PriceEstimate
    inferred_niches: list[str] = Field(default_factory=list)


class MatchRequest(BaseModel):
    """What a marketer asks for: a topic to retrieve on and hard filters."""

    topic: str = Field(min_length=1, description="Text the creators' content should match.")
    k: int = Field(10, ge=1, le=200)
    platforms: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list, description="ISO alpha-2 codes.")
    languages: list[str] = Field(default_factory=list, description="ISO 639-1 codes.")
    tiers: list[str] = Field(default_factory=list)
    min_followers: int | None = Field(None, ge=0)
    max_followers: int | None = Field(None, ge=0)
    min_engagement: float | None = Field(None, ge=0, description="Minimum ER in percent.")
    max_price_usd: float | None = Field(None, ge=0, description="Budget per post in USD.")
    exclude_ids: list[str] = Field(default_factory=list)
    exclude_handles: list[str] = Field(
        default_factory=list, description="Handles to leave out (with @, any case)."
    )


class ParsedRequest(BaseModel):
    """A match request read from a plain-language brief, with how it was read."""

    request: MatchRequest
    notes: list[str] = Field(default_factory=list, description="Each filter understood, in words.")
    parser: Literal["rules", "llm"] = "rules"
    brief: str = ""


class Evidence(BaseModel):
    """A creator's own post shown as evidence of fit."""

    post_id: str
    text: str
    similarity: float | None = None


class ScoreBreakdown(BaseModel):
    """The separate scores behind a creator's rank, each explainable on its own."""

    fit: float = Field(description="Niche fit to the brief, 0–1.")
    engagement_percentile: float | None = Field(
        None, description="ER percentile among peers of the same tier and platform, 0–100."
    )
    risk_signals: list[RiskSignal] = Field(default_factory=list)
    price: PriceEstimate | None = None
    budget_fit: float | None = Field(None, description="1 within budget, lower above it.")


class Match(BaseModel):
    """One ranked creator for a request, with reasons and evidence."""

    creator_id: str
    handle: str
    name: str = ""
    platform: str
    country: str | None = None
    language: str | None = None
    followers: int
    tier: str
    engagement_rate: float = Field(description="In percent.")
    score: float
    reasons: list[str]
    evidence: list[Evidence]
    niches: list[str] = Field(default_factory=list)
    scores: ScoreBreakdown | None = None


class BrandProfile(BaseModel):
    """The brand a marketer works for."""

    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1)
    product: str = ""
    description: str = ""
    values: list[str] = Field(default_factory=list)
    audience: str = ""
    budget_usd: float | None = Field(None, ge=0, description="Total campaign budget.")
    competitors: list[str] = Field(default_factory=list)
    website: str | None = None
    objective: Literal["awareness", "engagement", "conversions"] = "awareness"
    offer: Literal["paid", "gifting"] = Field(
        "paid", description="Pay a fee per post, or send the product only."
    )
    hashtag: str | None = Field(None, description="Branded hashtag; default made from the name.")
    campaign_start: date | None = Field(None, description="First day of the campaign.")
    dos: list[str] = Field(default_factory=list, description="Extra do's for creators.")
    donts: list[str] = Field(default_factory=list, description="Extra don'ts for creators.")


# -- LLM layer: drafts, briefs, answers ---------------------------------------------------------


class GroundingReport(BaseModel):
    """What the check of a model-written text found, and what was done about it."""

    ok: bool = Field(description="The delivered text states nothing that the facts lack.")
    unsupported: list[str] = Field(
        default_factory=list,
        description="Items the model wrote that the facts do not hold (removed or replaced).",
    )
    actions: list[str] = Field(default_factory=list, description="Regenerated, removed, ...")
    checked: int = Field(0, description="Checkable items in the delivered text.")


class LLMUse(BaseModel):
    """Which model wrote part of a text, or why none did."""

    provider: str
    model: str | None = None
    used: bool = False
    error: str | None = None


class OutreachDraft(BaseModel):
    """An e-mail and a short DM to one creator, with the facts they were built from."""

    creator_id: str
    handle: str
    post_id: str = Field(description="The creator's post the opening refers to.")
    subject: str
    text: str = Field(description="The e-mail body.")
    dm: str = Field(description="A short direct message.")
    facts: dict[str, Any]
    grounding: GroundingReport
    llm: LLMUse


class Deliverable(BaseModel):
    """Posts one creator delivers."""

    platform: str
    format: str
    count: int = Field(ge=1)
    dates: list[date] = Field(default_factory=list)


class CreatorPlan(BaseModel):
    """One creator's part of a campaign."""

    creator_id: str
    handle: str
    platform: str
    tier: str
    followers: int
    engagement_rate: float = Field(description="In percent.")
    deliverables: list[Deliverable]
    fee_usd: float | None
    fee_basis: str
    promo_code: str
    utm_link: str


class Milestone(BaseModel):
    """A dated step of the campaign."""

    on: date
    what: str


class BudgetSplit(BaseModel):
    """Fees against the budget."""

    total_usd: float | None
    fees_usd: float
    reserve_usd: float | None
    note: str


class CampaignBrief(BaseModel):
    """A campaign brief for a brand and a shortlist (rendered to Markdown for people)."""

    title: str
    brand: str
    product: str
    objective: str
    audience: str
    key_message: str
    values: list[str]
    creators: list[CreatorPlan]
    hashtag: str
    disclosure: str
    dos: list[str]
    donts: list[str]
    timeline: list[Milestone]
    budget: BudgetSplit
    kpis: list[str]
    approval_steps: list[str]
    usage_rights: str
    grounding: GroundingReport
    llm: LLMUse


class Answer(BaseModel):
    """An answer to a question about the current matches."""

    question: str
    text: str
    grounding: GroundingReport
    llm: LLMUse


class LLMStatus(BaseModel):
    """Which chat model is active and whether it answers."""

    provider: str
    model: str | None = None
    base_url: str | None = None
    ok: bool
    detail: str
    latency_s: float | None = None


class LLMMeasurement(BaseModel):
    """Speed of one streamed outreach draft (for benchmarks)."""

    provider: str
    model: str | None
    server_start_s: float | None = Field(description="Local server start; None if not started.")
    first_token_s: float | None
    tokens: int
    tokens_per_s: float | None
    total_s: float
    warm_first_token_s: float | None = Field(
        None, description="First token of a second draft (the prompt's fixed part is cached)."
    )
    warm_tokens_per_s: float | None = None
