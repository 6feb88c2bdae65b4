"""Typed domain models: the contracts between ingest, retrieval, the LLM layer and the UI.

Units are fixed here once: follower counts are integers, ``engagement_rate`` is a percentage
(3.4 means 3.4 %), money is US dollars per post.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

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
