"""Builds canonical creator records: identity, audience numbers, fraud patterns and posts.

Each creator gets its own ``random.Random`` seeded from ``(seed, index)``, so record *k* is the
same whatever ``n`` is. The only state shared between creators is the set of handles already
taken, which depends on earlier records only.
"""

from __future__ import annotations

import json
import math
import time
from bisect import bisect
from collections.abc import Iterator
from itertools import accumulate
from os import PathLike
from random import Random

from . import compose as C
from .compose import pick
from .identity import fold, make_email, make_identity
from .people import COUNTRIES, COUNTRY_CULTURES, COUNTRY_LANGUAGE, CULTURE_LANGUAGE_OVERRIDE
from .text import NICHE_TEXT

# niche label -> relative share of creators whose main niche it is
_NICHE_TABLE = """
beauty 6 | skincare 4 | fashion 6 | fitness 6 | running 4 | yoga 3 | food 6 | vegan 3 | baking 3
coffee 2 | travel 6 | outdoor 3 | parenting 5 | pets 4 | home & interior 4 | gaming 5 | tech 4
personal finance 3 | sustainability 3 | wellness 4 | photography 3 | music 3 | books 3 | diy 3
gardening 2 | cycling 2
"""
NICHE_WEIGHTS: dict[str, float] = {
    label: float(weight)
    for label, weight in (
        item.strip().rsplit(" ", 1)
        for item in _NICHE_TABLE.replace("\n", "|").split("|")
        if item.strip()
    )
}
NICHES: tuple[str, ...] = tuple(NICHE_WEIGHTS)

# name, share in %, follower range, typical engagement rate range (per post, fraction)
TIERS = (
    ("sub-nano", 2, 150, 1_000, (0.05, 0.10)),
    ("nano", 35, 1_000, 10_000, (0.04, 0.08)),
    ("micro", 40, 10_000, 100_000, (0.02, 0.04)),
    ("mid", 15, 100_000, 500_000, (0.015, 0.025)),
    ("macro", 5, 500_000, 1_000_000, (0.01, 0.02)),
    ("mega", 3, 1_000_000, 15_000_000, (0.005, 0.015)),
)
TIER_RANGES = {name: er for name, _, _, _, er in TIERS}
PLATFORM_ER = {"tiktok": 1.3, "instagram": 1.0, "youtube": 0.85, "x": 0.7, "twitch": 0.75}
PLATFORM_RATE = {"youtube": 1.5, "instagram": 1.0, "tiktok": 0.9, "x": 0.5, "twitch": 0.8}
SPONSORED_SHARE = {
    "sub-nano": 0.02,
    "nano": 0.07,
    "micro": 0.11,
    "mid": 0.14,
    "macro": 0.16,
    "mega": 0.18,
}
KINDS = {
    "instagram": ("photo",) * 7 + ("carousel",) * 5 + ("reel",) * 6 + ("story", "video"),
    "tiktok": ("video",),
    "youtube": ("video",) * 9 + ("text",),
    "x": ("text",) * 7 + ("photo", "photo", "video"),
    "twitch": ("video",) * 6 + ("text",),
}
CURRENCY = {"US": "$", "CA": "$", "AU": "$", "MX": "$", "AR": "$", "GB": "£", "IN": "₹"}
CURRENCY |= {"BR": "R$", "JP": "¥", "PL": "PLN ", "SE": "SEK "}
NATIVE_SHARE = (0.0, 0.0, 0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 0.75, 0.75)
NOW = 1793491200  # 2026-11-01T00:00:00Z
DAY = 86_400
MAX_SPAN_DAYS = 540


def _cum(weights):
    return list(accumulate(weights))


_NICHE_CUM = _cum(NICHE_WEIGHTS.values())
_COUNTRY_CODES = tuple(COUNTRIES)
_COUNTRY_CUM = _cum(c[0] for c in COUNTRIES.values())
_TIER_CUM = _cum(t[1] for t in TIERS)
_CULTURES = {
    k: (tuple(c for c, _ in v), _cum(w for _, w in v)) for k, v in COUNTRY_CULTURES.items()
}
_PLATFORMS = {
    k: (tuple(e["platforms"]), _cum(e["platforms"].values())) for k, e in NICHE_TEXT.items()
}


def _pick(rng: Random, items, cum):
    return items[bisect(cum, rng.random() * cum[-1])]


def _loguniform(rng: Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def _nice_price(x: float) -> int:
    step = 5 if x < 100 else 25 if x < 1_000 else 50 if x < 10_000 else 500
    return max(step, round(x / step) * step)


def _declared(rng: Random, truth: list[str]) -> list[str]:
    """Self-declared niche labels: often the truth, sometimes partial or a neighbour's label."""
    related = NICHE_TEXT[truth[0]]["related"]
    r = rng.random()
    if r < 0.4:
        return truth[:1]
    if r < 0.7:
        return truth if len(truth) > 1 else [truth[0], pick(rng, related)]
    if r < 0.8:
        return list(reversed(truth)) if len(truth) > 1 else [pick(rng, related), truth[0]]
    if r < 0.9:
        return [pick(rng, related)]
    return list(dict.fromkeys([*truth, *rng.sample(related, min(2, len(related)))]))


def _timestamps(rng: Random, n: int) -> list[str]:
    r = rng.random()
    age = (
        rng.expovariate(1 / 3)
        if r < 0.7
        else rng.uniform(4, 30)
        if r < 0.95
        else rng.uniform(60, 200)
    )
    mean_gap = _loguniform(rng, 1.0, 40.0)
    rand = rng.random
    gaps = [max(0.15, -mean_gap * math.log(1.0 - rand())) for _ in range(n - 1)]
    room = MAX_SPAN_DAYS - age
    if sum(gaps) > room:
        scale = room / sum(gaps)
        gaps = [g * scale for g in gaps]
    out, t = [], NOW - age * DAY
    for g in [0.0, *gaps]:
        t -= g * DAY
        out.append(time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(int(t))))
    return out


def _parent_word(gender: str, country: str) -> str:
    if gender == "m":
        return "Dad"
    if gender == "f":
        return "Mom" if country in ("US", "CA") else "Mum"
    return "Parent"


def _audience(rng: Random, tier: tuple, platform: str) -> tuple[int, float, float, list[str]]:
    """Followers, engagement rate, comments-to-likes ratio and fraud labels for one creator."""
    name, _, lo, hi, (er_lo, er_hi) = tier
    followers = int(_loguniform(rng, lo, hi))
    r = rng.random()
    if name in ("nano", "micro", "mid") and r < 0.045:
        # bought followers: an audience that never engages
        return followers, rng.uniform(0.0008, 0.003), rng.uniform(0.02, 0.05), ["bought_followers"]
    if name in ("nano", "micro") and r < 0.085:
        # engagement pod: members like and comment on everything, with short comments
        return followers, rng.uniform(0.15, 0.30), rng.uniform(0.15, 0.45), ["engagement_pod"]
    er = _loguniform(rng, er_lo, er_hi) * PLATFORM_ER[platform]
    return followers, er, rng.uniform(0.02, 0.05), []


def _following(rng: Random, followers: int, platform: str, risk: list[str]) -> int | None:
    if platform == "youtube" or rng.random() >= 0.93:
        return None  # YouTube shows no following count; some profiles hide it
    if risk == ["bought_followers"] and rng.random() < 0.6:
        return min(int(followers * rng.uniform(0.7, 1.5)), 7_500)  # follow-for-follow
    cap = 0.9 if followers < 1_000 else 0.7
    return min(int(_loguniform(rng, 40, 2_500)), int(followers * cap))


def make_creator(index: int, seed: int = 7, taken: set[str] | None = None) -> dict:
    """Build the creator at position ``index`` (0-based) for ``seed``.

    ``taken`` is the set of handles used by earlier creators (updated in place); pass the same
    set for consecutive indexes to keep handles unique.
    """
    rng = Random(f"nichematch:{seed}:{index}")
    rand = rng.random
    cid = f"c{index + 1:06d}"
    taken = set() if taken is None else taken
    country = _pick(rng, _COUNTRY_CODES, _COUNTRY_CUM)
    _, country_name, cities = COUNTRIES[country]
    city = pick(rng, cities)
    culture = _pick(rng, *_CULTURES[country])
    lang = CULTURE_LANGUAGE_OVERRIDE.get((country, culture), COUNTRY_LANGUAGE[country])
    if country == "CA" and lang == "fr" and rand() < 0.2:
        lang = "en"
    gender = "f" if rand() < 0.58 else "m" if rand() < 0.95 else "x"

    primary = _pick(rng, NICHES, _NICHE_CUM)
    truth = [primary]
    if rand() < 0.35:
        truth.append(pick(rng, NICHE_TEXT[primary]["related"]))
    platform = _pick(rng, *_PLATFORMS[primary])
    ident = make_identity(rng, culture, gender, primary, city, taken)
    tier = _pick(rng, TIERS, _TIER_CUM)
    followers, er, comment_ratio, risk = _audience(rng, tier, platform)
    following = _following(rng, followers, platform, risk)
    email = make_email(rng, ident) if rand() < 0.4 else None

    parent = _parent_word(gender, country)
    milestone = max(1_000, 10 ** int(math.log10(max(followers, 1))))
    fixed = {
        "city": city,
        "country_name": country_name,
        "cur": CURRENCY.get(country, "€"),
        "email": email or "",
        "parent": parent,
        "parent_l": parent.lower(),
        "milestone": f"{milestone:,}",
        "code": fold(ident.first).upper()[:8] + pick(rng, ("10", "15", "20")),
    }
    ctx = C.Ctx(rng, C.Slots(rng, fixed), platform, lang, gender, truth, "#" + fold(city))

    native_share = 0.0 if lang == "en" else pick(rng, NATIVE_SHARE)
    cta = C.L.BIO_CTA if email else tuple(c for c in C.L.BIO_CTA if "{email}" not in c)
    native_bio = native_share >= 0.5 and rand() < 0.6
    soft = not native_bio and rand() < 0.25
    bio_text = C.bio(ctx, truth, soft=soft, native=native_bio, cta=cta)

    n_posts = rng.randint(6, 12)
    stamps = _timestamps(rng, n_posts)
    p_sponsored = SPONSORED_SHARE[tier[0]]
    p_life = rng.uniform(0.08, 0.26)
    kinds = KINDS[platform]
    sigma = 0.15 if risk == ["engagement_pod"] else 0.35  # pods engage on everything, evenly
    posts = []
    for j in range(n_posts):
        niche = truth[1] if len(truth) > 1 and rand() < 0.3 else primary
        r = rand()
        what = "sponsored" if r < p_sponsored else "life" if r < p_sponsored + p_life else "niche"
        kind = pick(rng, kinds)
        if what == "life" and platform in ("youtube", "twitch"):
            kind = "text"  # a community post, not a video
        ctx.slots.picked.clear()
        if native_share and rand() < native_share:
            text = C.native_post(ctx, niche, what)
        elif what == "niche":
            text = C.niche_post(ctx, niche, kind)
        elif what == "life":
            text = C.life_post(ctx)
        else:
            text = C.sponsored_post(ctx, niche)
        mult = math.exp(sigma * (rand() + rand() + rand() - 1.5) * 2.0)  # ~lognormal(0, sigma)
        if not risk and rand() < 0.04:
            mult *= 3 + 5 * rand()  # a post that took off
        if what == "sponsored":
            mult *= 0.75
        elif what == "life":
            mult *= 1.1
        ratio = comment_ratio * (0.7 + 0.7 * rand())
        likes = int(followers * er * mult / (1 + ratio))
        post = {
            "id": f"{cid}-p{j + 1:02d}",
            "text": text,
            "likes": likes,
            "comments": int(likes * ratio + rand()),
            "posted_at": stamps[j],
            "kind": kind,
            "sponsored": what == "sponsored",
        }
        if kind not in ("text", "story"):
            dest = ctx.slots.picked.get("dest")
            if dest and rand() < 0.7:
                post["location"] = dest.removeprefix("the ")
            elif platform in ("instagram", "tiktok") and rand() < 0.1:
                post["location"] = f"{city}, {country_name}"
        posts.append(post)

    record = {
        "id": cid,
        "handle": ident.handle,
        "name": ident.name,
        "platform": platform,
        "bio": bio_text,
        "country": country,
        "language": lang,
        "followers": followers,
    }
    if following is not None:
        record["following"] = following
    if rand() < 0.3:
        record["niches"] = _declared(rng, truth)
    if email:
        record["email"] = email
    if rand() < 0.3:
        base = followers / 100 * PLATFORM_RATE[platform] * rng.lognormvariate(0, 0.3)
        record["rate_usd"] = _nice_price(max(base, rng.uniform(10, 25)))
    record["posts"] = posts
    record["true_niches"] = truth
    record["true_risk"] = risk
    return record


def generate_creators(n: int, seed: int = 7) -> Iterator[dict]:
    """Yield ``n`` canonical creator records, deterministic for ``(n, seed)``.

    Record ``k`` depends only on ``seed`` and ``k`` (and the handles of records before it), so the
    first records of a large set equal a smaller set generated with the same seed. Besides the
    canonical fields every record carries the ground truth used by evaluation: ``true_niches``
    (primary first, optional secondary), ``true_risk`` (``[]``, ``["bought_followers"]`` or
    ``["engagement_pod"]``).
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    taken: set[str] = set()
    for index in range(n):
        yield make_creator(index, seed, taken)


def write_jsonl(path: str | PathLike[str], n: int, seed: int = 7) -> int:
    """Write ``n`` creators to ``path`` as JSON Lines (UTF-8, one record per line) and return
    the number written."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for record in generate_creators(n, seed):
            fh.write(dumps(record))
            fh.write("\n")
            count += 1
    return count
