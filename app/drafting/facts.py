"""Fact sheets: everything a draft may state, gathered from the creator's and brand's data.

A draft is composed from a :class:`FactSheet` and checked against it. Derived figures carry
their basis (how the engagement rate is computed, where the fee comes from), so a marketer can
see why each number is what it is.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from pydantic import BaseModel, Field

from app.drafting.grounding import looks_like_instructions, unsafe_to_quote
from app.drafting.topics import brand_weights, overlap, shared_topics
from app.errors import NotFoundError
from app.metrics import tier_range
from app.models import BrandProfile, Creator, CreatorProfile, Deliverable, Post
from app.settings import Settings

# Format a creator is asked for when their posts do not say (by platform).
_DEFAULT_FORMAT = {
    "instagram": "reel",
    "tiktok": "video",
    "youtube": "video",
    "twitch": "video",
    "pinterest": "photo",
    "x": "text",
    "threads": "text",
    "bluesky": "text",
    "linkedin": "text",
}


def money(usd: float) -> str:
    """Dollars as written in drafts: ``$1,250`` or ``$12.50``."""
    return f"${usd:,.0f}" if float(usd).is_integer() else f"${usd:,.2f}"


class PostFacts(BaseModel):
    """One of the creator's posts."""

    id: str
    text: str
    posted_on: date
    kind: str | None = None
    likes: int
    comments: int
    sponsored: bool = False


class CreatorFacts(BaseModel):
    """The creator as the data has them."""

    id: str
    handle: str
    name: str
    first_name: str
    platform: str
    country: str | None
    language: str | None
    followers: int
    tier: str
    tier_basis: str
    engagement_rate_pct: float
    engagement_basis: str
    niches: list[str]
    bio: str
    email: str | None
    posts: list[PostFacts]


class PriceFacts(BaseModel):
    """Price per post with its basis."""

    usd_per_post: float
    basis: str
    quoted: bool


class OfferFacts(BaseModel):
    """What the brand offers this creator."""

    kind: str
    deliverables: list[Deliverable]
    fee_usd: float | None
    fee_basis: str


class FactSheet(BaseModel):
    """Everything an outreach draft may state, and what it was chosen from."""

    creator: CreatorFacts
    brand: BrandProfile
    price: PriceFacts
    offer: OfferFacts
    opening_post_id: str
    opening_post_reason: str
    shared_topics: list[str]
    flags: list[str] = Field(
        default_factory=list, description="Warnings about the creator's text (e.g. injections)."
    )

    def post(self, post_id: str) -> PostFacts:
        """One of the creator's posts by id."""
        for post in self.creator.posts:
            if post.id == post_id:
                return post
        raise NotFoundError(
            f"{self.creator.handle} has no post {post_id!r}; their posts are "
            + ", ".join(p.id for p in self.creator.posts)
        )


def main_format(posts: list[Post], platform: str) -> str:
    """The format the creator posts most (stories and plain text count last)."""
    kinds = Counter(post.kind for post in posts if post.kind and post.kind not in ("story",))
    if kinds:
        return kinds.most_common(1)[0][0]
    return _DEFAULT_FORMAT.get(platform, "post")


def deliverable(creator: Creator, count: int, dates: list[date] | None = None) -> Deliverable:
    """``count`` posts on the creator's platform, in the format they post most."""
    return Deliverable(
        platform=creator.platform,
        format=main_format(creator.posts, creator.platform),
        count=count,
        dates=dates or [],
    )


def choose_post(profile: CreatorProfile, brand: BrandProfile) -> tuple[Post, str]:
    """The post to open with: closest to the brand's words, not sponsored, safe to quote.

    Ties go to the most recent post. The reason says how it was chosen.
    """
    weights = brand_weights(brand)
    candidates = [
        post
        for post in profile.creator.posts
        if not unsafe_to_quote(post.text) and len(post.text.split()) >= 3
    ] or list(profile.creator.posts)

    def score(post: Post) -> tuple[int, int, float]:
        return (
            overlap(post.text, weights)[0],
            0 if post.sponsored else 1,
            post.posted_at.timestamp(),
        )

    best = max(candidates, key=score)
    shared = overlap(best.text, weights)[1]
    if shared:
        reason = "shares the brand's topics: " + ", ".join(shared[:5])
    else:
        reason = "the creator's most recent post (none shares the brand's words)"
    return best, reason


def fee_for(profile: CreatorProfile, brand: BrandProfile, posts: int) -> tuple[float | None, str]:
    """The fee for ``posts`` posts (None when the brand gifts) and how it was computed."""
    if brand.offer == "gifting":
        product = brand.product or "the product"
        return None, f"gifting: {product} in exchange for the content, no fee"
    basis = f"{posts} × {money(profile.price.usd)} per post ({profile.price.basis})"
    return round(profile.price.usd * posts, 2), basis


def build_fact_sheet(
    profile: CreatorProfile,
    brand: BrandProfile,
    settings: Settings,
    post_id: str | None = None,
    posts_per_creator: int = 1,
) -> FactSheet:
    """The fact sheet for writing to one creator on behalf of one brand."""
    creator = profile.creator
    low, high = tier_range(profile.tier, settings.tiers)
    span = f"{low:,}+" if high is None else f"{low:,}–{high - 1:,}"
    posts = [
        PostFacts(
            id=post.id,
            text=post.text,
            posted_on=post.posted_at.date(),
            kind=post.kind,
            likes=post.likes,
            comments=post.comments,
            sponsored=post.sponsored,
        )
        for post in sorted(creator.posts, key=lambda p: p.posted_at, reverse=True)
    ]
    if post_id is None:
        chosen, reason = choose_post(profile, brand)
        post_id = chosen.id
    else:
        reason = "chosen by the user"
    fee, fee_basis = fee_for(profile, brand, posts_per_creator)
    niches = creator.niches or profile.inferred_niches
    flags = [
        f"the {where} contains text addressed to an AI assistant; it was treated as data only"
        for where, text in [("bio", creator.bio), *(("post " + p.id, p.text) for p in posts)]
        if looks_like_instructions(text)
    ]
    sheet = FactSheet(
        creator=CreatorFacts(
            id=creator.id,
            handle=creator.handle,
            name=creator.name,
            first_name=(creator.name.split() or [creator.handle])[0],
            platform=creator.platform,
            country=creator.country,
            language=creator.language,
            followers=creator.followers,
            tier=profile.tier,
            tier_basis=f"{profile.tier}: {span} followers (tier bounds are settings)",
            engagement_rate_pct=round(profile.engagement_rate, 2),
            engagement_basis=(
                "mean of (likes + comments) / followers over the "
                f"{settings.match.recent_posts_for_er} most recent posts"
            ),
            niches=niches,
            bio=creator.bio,
            email=creator.email,
            posts=posts,
        ),
        brand=brand,
        price=PriceFacts(
            usd_per_post=profile.price.usd,
            basis=profile.price.basis,
            quoted=profile.price.quoted,
        ),
        offer=OfferFacts(
            kind="gifting" if fee is None else "paid",
            deliverables=[deliverable(creator, posts_per_creator)],
            fee_usd=fee,
            fee_basis=fee_basis,
        ),
        opening_post_id=post_id,
        opening_post_reason=reason,
        shared_topics=shared_topics(creator, brand),
        flags=flags,
    )
    sheet.post(post_id)  # an unknown id fails here, with the ids that exist
    return sheet


def snippet(text: str, words: int = 12) -> str:
    """The first ``words`` words of a text, with an ellipsis when cut."""
    parts = re.split(r"\s+", text.strip())
    cut = " ".join(parts[:words]).rstrip(".,;:!?")
    return cut + ("…" if len(parts) > words else "")
