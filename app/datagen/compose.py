"""Composes bios and post captions from the text material.

A caption is assembled from an optional hook, opener, one to five body sentences, closer, emoji
and hashtags, so two posts rarely share more than a sentence. Everything random comes from the
creator's own ``random.Random`` carried in :class:`Ctx`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from random import Random

from .text import LANGS, NICHE_TEXT
from .text import life as L

_ASCII = str.maketrans(
    {"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "æ": "ae", "ı": "i", "đ": "d", "'": "", "-": ""}
)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase ASCII form of a name or word, for handles and e-mail addresses."""
    text = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(ch for ch in text.encode("ascii", "ignore").decode().lower() if ch.isalnum())


def pick(rng: Random, seq):
    """One element of ``seq`` (a cheaper ``rng.choice``)."""
    return seq[int(rng.random() * len(seq))]


JOINERS = (" | ", " • ", ". ", "\n", " ✦ ", " · ", " | ")
YOUTUBE_PREFIX = ("NEW VIDEO: ", "New video is up! ", "🎬 ", "Out now: ", "", "")
TIKTOK_PREFIX = ("", "", "POV: ", "Part {num}: ", "Storytime: ")
TWITCH_PREFIX = ("🔴 LIVE: ", "Going live soon! ", "")
# how many body sentences a caption gets, per platform (drawn uniformly from the tuple)
SENTENCES = {
    "instagram": (1, 1, 1, 2, 2, 2, 3, 3, 4),
    "tiktok": (1, 1, 1, 2, 2, 3),
    "youtube": (1, 2, 2, 3, 3, 4),
    "x": (1, 1, 1, 2, 2),
    "twitch": (1, 1, 2),
}
HASHTAG_COUNTS = {
    "instagram": (0, 0, 2, 3, 4, 5, 6, 8, 10),
    "tiktok": (2, 3, 3, 4, 5),
    "youtube": (0, 0, 1, 2, 3),
    "x": (0, 0, 0, 1, 2),
    "twitch": (0, 0, 1),
}


def _gendered(pieces: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Split ``f:``/``m:``-prefixed pieces into per-gender tuples (unprefixed go to all)."""
    out: dict[str, list[str]] = {"f": [], "m": [], "x": []}
    for piece in pieces:
        if piece[:2] in ("f:", "m:"):
            out[piece[0]].append(piece[2:])
        else:
            for bucket in out.values():
                bucket.append(piece)
    return {g: tuple(v) for g, v in out.items()}


def _keyword_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


NICHE_KEYWORDS: dict[str, tuple[str, ...]] = {}
KEYWORD_RE: dict[str, re.Pattern[str]] = {}
NICHE_POOLS: dict[str, dict[str, tuple[str, ...]]] = {}
for _label, _entry in NICHE_TEXT.items():
    _words = set(_entry["keywords"]) | {w for w in _label.split() if w != "&"}
    NICHE_KEYWORDS[_label] = tuple(sorted(_words))
    KEYWORD_RE[_label] = _keyword_regex(NICHE_KEYWORDS[_label])
    NICHE_POOLS[_label] = {**L.POOLS, **_entry["slots"]}
    _entry["tags_hash"] = tuple("#" + t for t in _entry["tags"])

PERSONAL_EN = _gendered(L.BIO_PERSONAL)
PERSONAL_NATIVE = {code: _gendered(lang["bio_personal"]) for code, lang in LANGS.items()}
GENERIC_TAGS = {p: tuple("#" + t for t in tags) for p, tags in L.GENERIC_TAGS.items()}
LIFE_TAGS = tuple("#" + t for t in L.LIFE_TAGS)
LANG_TAGS = {code: tuple("#" + t for t in lang["tags"]) for code, lang in LANGS.items()}


class Slots(dict):
    """Mapping for ``str.format_map``: fixed values are items, other keys are drawn from ``pools``
    on every occurrence, and the last draw per key is remembered in ``picked``."""

    __slots__ = ("picked", "pools", "rng")

    def __init__(self, rng: Random, fixed: dict[str, str]):
        super().__init__(fixed)
        self.rng = rng
        self.pools: dict[str, tuple[str, ...]] = L.POOLS
        self.picked: dict[str, str] = {}

    def __missing__(self, key: str) -> str:
        pool = self.pools[key]
        rand = self.rng.random
        value = pool[int(rand() * len(pool))]
        if value == self.picked.get(key) and len(pool) > 1:  # "V60 vs V60" reads like a bug
            while value == self.picked[key]:
                value = pool[int(rand() * len(pool))]
        self.picked[key] = value
        return value


class Ctx:
    """Everything the composer needs to know about one creator while writing."""

    __slots__ = ("city_tag", "gender", "lang", "platform", "pools", "rng", "slots", "used")

    def __init__(
        self,
        rng: Random,
        slots: Slots,
        platform: str,
        lang: str,
        gender: str,
        niches: list[str],
        city_tag: str,
    ):
        self.rng = rng
        self.slots = slots
        self.platform = platform
        self.lang = lang
        self.gender = gender
        self.used: set[str] = set()
        self.city_tag = city_tag
        self.pools: dict[str, dict[str, tuple[str, ...]]] = {}
        for niche in niches:
            pools = NICHE_POOLS[niche]
            sticky = NICHE_TEXT[niche].get("sticky", ())
            if sticky:
                pools = dict(pools)
                for key in sticky:
                    pools[key] = tuple(rng.sample(pools[key], pick(rng, (1, 1, 2))))
            self.pools[niche] = pools


def fill(ctx: Ctx, template: str) -> str:
    """Format one template; the result starts with a capital letter."""
    text = template.format_map(ctx.slots) if "{" in template else template
    return text[:1].upper() + text[1:]


def _fresh(ctx: Ctx, options: tuple[str, ...]) -> str:
    """A template this creator has not used yet, if one turns up within a few draws."""
    rand, used, size = ctx.rng.random, ctx.used, len(options)
    option = options[int(rand() * size)]
    for _ in range(4):
        if option not in used:
            break
        option = options[int(rand() * size)]
    used.add(option)
    return option


def _hashtags(ctx: Ctx, niche_tags: tuple[str, ...], extra: tuple[str, ...] = ()) -> str:
    rand = ctx.rng.random
    counts = HASHTAG_COUNTS[ctx.platform]
    count = counts[int(rand() * len(counts))]
    if not count:
        return ""
    size = len(niche_tags)
    pool = [niche_tags[int(rand() * size)] for _ in range(max(1, count - 1))]
    generic = GENERIC_TAGS[ctx.platform]
    if generic and rand() < 0.6:
        pool.append(generic[int(rand() * len(generic))])
    if extra and rand() < 0.5:
        pool.append(extra[int(rand() * len(extra))])
    if rand() < 0.15:
        pool.append(ctx.city_tag)
    return " ".join(dict.fromkeys(pool))


def _emoji(ctx: Ctx, niche_emoji: tuple[str, ...]) -> str:
    rng = ctx.rng
    r = rng.random()
    if r < 0.4:
        return ""
    pool = niche_emoji if rng.random() < 0.7 else L.GENERIC_EMOJI
    if r < 0.75:
        return pick(rng, pool)
    return pick(rng, pool) + pick(rng, pool) + (pick(rng, pool) if r < 0.9 else "")


def _finish(ctx: Ctx, body: str, emoji: str, tags: str) -> str:
    if emoji:
        body = f"{body} {emoji}"
    if tags:
        sep = "\n\n" if ctx.platform == "instagram" and ctx.rng.random() < 0.6 else " "
        body = f"{body}{sep}{tags}"
    if ctx.platform == "x" and len(body) > 280:
        body = body[:277].rsplit(" ", 1)[0] + "…"
    return body


def niche_post(ctx: Ctx, niche: str, kind: str) -> str:
    """An English caption about ``niche``."""
    rng, entry = ctx.rng, NICHE_TEXT[niche]
    ctx.slots.pools = ctx.pools[niche]
    ctx.slots.picked.clear()
    platform = ctx.platform
    n = pick(rng, SENTENCES[platform])
    head = ""
    if kind != "text" and (
        (platform == "youtube" and rng.random() < 0.75)
        or (platform == "tiktok" and rng.random() < 0.35)
        or (kind == "reel" and rng.random() < 0.2)
    ):
        prefix = pick(rng, YOUTUBE_PREFIX if platform == "youtube" else TIKTOK_PREFIX)
        head = fill(ctx, prefix + _fresh(ctx, entry["hooks"]))
        n = max(1, n - 1)
    elif platform == "twitch" and rng.random() < 0.5:
        head = pick(rng, TWITCH_PREFIX).strip()
    parts = []
    if rng.random() < 0.22:
        parts.append(fill(ctx, pick(rng, L.OPENERS)))
    chosen: list[str] = []
    for _ in range(n):
        template = _fresh(ctx, entry["posts"])
        if template not in chosen:  # never the same sentence twice in one caption
            chosen.append(template)
            parts.append(fill(ctx, template))
    if rng.random() < 0.3:
        parts.append(fill(ctx, pick(rng, L.CLOSERS)))
    body = " ".join(parts)
    if head:
        body = (
            head
            + ("\n\n" if platform == "youtube" else "\n" if rng.random() < 0.6 else " | ")
            + body
        )
    return _finish(ctx, body, _emoji(ctx, entry["emoji"]), _hashtags(ctx, entry["tags_hash"]))


def life_post(ctx: Ctx) -> str:
    """An English off-topic caption about ordinary life."""
    rng = ctx.rng
    ctx.slots.pools = L.POOLS
    parts = [fill(ctx, _fresh(ctx, L.LIFE))]
    if rng.random() < 0.4:
        second = fill(ctx, _fresh(ctx, L.LIFE))
        if second != parts[0]:
            parts.append(second)
    if rng.random() < 0.25:
        parts.append(fill(ctx, pick(rng, L.LIFE_CLOSERS)))
    tags = _hashtags(ctx, LIFE_TAGS) if rng.random() < 0.5 else ""
    return _finish(ctx, " ".join(parts), _emoji(ctx, L.GENERIC_EMOJI), tags)


def _brand(ctx: Ctx, niche: str) -> None:
    entry = NICHE_TEXT[niche]
    brand = pick(ctx.rng, entry["brands"])
    ctx.slots["brand"] = brand
    ctx.slots["bh"] = fold(brand.replace("&", "and"))
    ctx.slots["product"] = pick(ctx.rng, entry["products"])


def sponsored_post(ctx: Ctx, niche: str) -> str:
    """An English paid post for an invented brand, disclosed with #ad or similar."""
    rng, entry = ctx.rng, NICHE_TEXT[niche]
    ctx.slots.pools = ctx.pools[niche]
    _brand(ctx, niche)
    parts = [fill(ctx, pick(rng, L.AD_BODY))]
    if rng.random() < 0.5:
        parts.append(fill(ctx, _fresh(ctx, entry["posts"])))
    if rng.random() < 0.5:
        parts.append(fill(ctx, pick(rng, L.AD_EXTRA)))
    body = " ".join(parts)
    tagged = "@" + ctx.slots["bh"] in body  # don't name the brand's handle twice
    if rng.random() < 0.5:
        pre = pick(rng, L.AD_DISCLOSURE_PRE)
        body = fill(ctx, "#ad " if tagged and "{bh}" in pre else pre) + body
    else:
        post = pick(rng, L.AD_DISCLOSURE_POST)
        body += (" #ad" if tagged and "{bh}" in post else post).format_map(ctx.slots)
    return _finish(ctx, body, _emoji(ctx, entry["emoji"]), _hashtags(ctx, entry["tags_hash"]))


def native_post(ctx: Ctx, niche: str, what: str) -> str:
    """A caption in the creator's own language; ``what`` is "niche", "life" or "sponsored"."""
    rng, lang = ctx.rng, LANGS[ctx.lang]
    entry = NICHE_TEXT[niche]
    ctx.slots["topic"] = lang["topic"][niche]
    parts = []
    if what == "life":
        parts.append(fill(ctx, _fresh(ctx, lang["life"])))
        if rng.random() < 0.3:
            parts.append(fill(ctx, _fresh(ctx, lang["life"])))
        tags: tuple[str, ...] = LANG_TAGS[ctx.lang]
    else:
        if what != "sponsored" and rng.random() < 0.35:
            parts.append(pick(rng, lang["open"]))
        if what == "sponsored":
            _brand(ctx, niche)
            parts.append(fill(ctx, pick(rng, lang["ad_body"])))
        sentences = lang["niche"].get(niche, ())
        if sentences:
            parts.append(fill(ctx, _fresh(ctx, sentences)))
            if rng.random() < 0.35:
                extra = fill(ctx, _fresh(ctx, sentences))
                if extra not in parts:
                    parts.append(extra)
        if not sentences or rng.random() < 0.3:
            parts.append(fill(ctx, _fresh(ctx, lang["generic"])))
        if rng.random() < 0.35:
            parts.append(pick(rng, lang["close"]))
        tags = entry["tags_hash"]
    body = lang.get("joiner", " ").join(parts)
    if what == "sponsored":
        tagged = "@" + ctx.slots["bh"] in body  # don't name the brand's handle twice
        key = "ad_pre" if rng.random() < 0.5 else "ad_post"
        options = [d for d in lang[key] if not (tagged and "{bh}" in d)]
        disclosure = pick(rng, options).format_map(ctx.slots)
        body = disclosure + body if key == "ad_pre" else body + disclosure
    emoji = _emoji(ctx, L.GENERIC_EMOJI if what == "life" else entry["emoji"])
    return _finish(ctx, body, emoji, _hashtags(ctx, tags, LANG_TAGS[ctx.lang]))


def _clean(piece: str, banned: list[re.Pattern[str]]) -> bool:
    return not any(rx.search(piece) for rx in banned)


def bio(ctx: Ctx, niches: list[str], *, soft: bool, native: bool, cta: tuple[str, ...]) -> str:
    """A profile bio. ``soft`` bios never name the creator's niches; ``native`` ones are written
    in the creator's language; ``cta`` are call-to-action pieces the caller allows."""
    rng = ctx.rng
    primary = niches[0]
    ctx.slots.pools = ctx.pools[primary]
    pieces: list[str] = []
    if native:
        lang = LANGS[ctx.lang]
        ctx.slots["topic"] = lang["topic"][primary]
        pieces.append(fill(ctx, pick(rng, lang["bio"])))
        if rng.random() < 0.6:
            pieces.append(pick(rng, PERSONAL_NATIVE[ctx.lang][ctx.gender]))
    else:
        banned = [KEYWORD_RE[n] for n in niches] if soft else []
        entry = NICHE_TEXT[primary]
        if soft:
            options = [p for p in entry["soft"] if _clean(fill(ctx, p), banned)]
            if options:
                pieces.append(fill(ctx, pick(rng, options)))
        else:
            pieces.append(fill(ctx, pick(rng, entry["bio"])))
            if len(niches) > 1 and rng.random() < 0.45:
                second = NICHE_TEXT[niches[1]]
                ctx.slots.pools = ctx.pools[niches[1]]
                pieces.append(fill(ctx, pick(rng, second["bio"] + second["soft"])))
        personal = PERSONAL_EN[ctx.gender]
        for _ in range(pick(rng, (0, 1, 1, 2))):
            piece = fill(ctx, pick(rng, personal))
            so_far = " ".join(pieces).lower()
            if _clean(piece, banned) and piece.split()[0].lower() not in so_far:
                pieces.append(piece)
        if soft and not pieces:
            pieces.append(fill(ctx, pick(rng, L.BIO_LOCATION)))
    if rng.random() < 0.3:
        rng.shuffle(pieces)
    if rng.random() < 0.55:
        pieces.append(fill(ctx, "📍 {city}" if native else pick(rng, L.BIO_LOCATION)))
    if cta and rng.random() < 0.4:
        piece = fill(ctx, pick(rng, cta))
        if not soft or _clean(piece, [KEYWORD_RE[n] for n in niches]):
            pieces.append(piece)
    joiner = pick(rng, JOINERS)
    text = joiner.join(pieces)
    if joiner == ". " and not text.endswith((".", "!", "?")) and rng.random() < 0.5:
        text += "."
    return text
