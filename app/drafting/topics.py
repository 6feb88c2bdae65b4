"""Topic overlap between a brand's words and a creator's: which post to open with, what to say
they share, and whether a model's opening refers to its post at all.

Words are compared by a crude stem ("runners", "running" and "run" meet at ``run``); hyphenated
compounds and hashtags count whole and by their parts ("plant-based" gives ``plantbased``,
``plant``). The brand's product words weigh most, then its values, then its description and
audience.
"""

from __future__ import annotations

import re
from collections import Counter

from app.models import BrandProfile, Creator

_STOP_WORDS = (
    "the and for with that this from your our you are was were have has had into about their "
    "there what when where which while will would just more most very than then them they "
    "been being also only over after before some such each other like make made best good "
    "great time new but not all any can get got its let may now off old one out own say see "
    "she too two use way who why yet via per day big how his her him did does done small "
    "based free really today week little thing things every much many first last next "
    # words any opening uses about any post: sharing them shows nothing specific
    "post video reel photo content read love share story feel look work enjoy glad happy hear "
    "thank thanks amazing awesome nice wonderful lovely journey"
)
_STOP = frozenset(_STOP_WORDS.split(" "))
_TOKEN = re.compile(r"#?[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
#: How much a shared word counts, by where the brand uses it.
PRODUCT, VALUES, OTHER = 3, 2, 1


def stem(word: str) -> str:
    """A crude English stem: plural, -ing, -er and -ed endings off, doubled consonant undone."""
    word = word.lower()
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ings", "ing", "ers", "er", "ed", "es" if word[-3:-2] in "sxz" else "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def surface_words(text: str) -> dict[str, str]:
    """Content words of a text by stem, each with the form first written (stop words, numbers
    and words under three letters left out; compounds and hashtags whole and by parts)."""
    found: dict[str, str] = {}
    for token in _TOKEN.findall(text):
        word = token.lstrip("#")
        parts = word.split("-")
        for piece in [word.replace("-", ""), *parts] if len(parts) > 1 else [word]:
            key = stem(piece)
            wanted = len(piece) >= 3 and not piece.isdigit()
            if wanted and key not in _STOP and piece.lower() not in _STOP:
                found.setdefault(key, word if piece == word.replace("-", "") else piece)
    return found


def content_words(text: str) -> set[str]:
    """Stems of the content words of a text (see :func:`surface_words`)."""
    return set(surface_words(text))


def brand_weights(brand: BrandProfile) -> dict[str, int]:
    """The brand's word stems, weighted by where the brand uses them."""
    weights: dict[str, int] = {}
    for weight, text in [
        (OTHER, f"{brand.description} {brand.audience}"),
        (VALUES, " ".join(brand.values)),
        (PRODUCT, brand.product),
    ]:
        for key in content_words(text):
            weights[key] = max(weight, weights.get(key, 0))
    return weights


def overlap(text: str, weights: dict[str, int]) -> tuple[int, list[str]]:
    """How much of the brand's vocabulary a text uses, and those words as the text writes them."""
    shared = [(key, word) for key, word in surface_words(text).items() if key in weights]
    return sum(weights[key] for key, _ in shared), [word for _, word in shared]


def shared_topics(creator: Creator, brand: BrandProfile, limit: int = 4) -> list[str]:
    """Brand words the creator uses too, as the creator writes them, most used first."""
    weights = brand_weights(brand)
    counts: Counter[str] = Counter()
    forms: dict[str, str] = {}
    for text in [creator.bio, *(post.text for post in creator.posts)]:
        for key, word in surface_words(text).items():
            if key in weights:
                counts[key] += weights[key]
                forms.setdefault(key, word.lower())
    return [forms[key] for key, _ in counts.most_common(limit)]
