"""The words a brief names filters with: platforms, countries, regions, languages, tiers.

Tables plus the normalisers that both brief parsers (rules and LLM) use, so a country written as
"Germany", "de" or "DE" always ends up as ``DE``.
"""

from __future__ import annotations

import re
from functools import cache

import pycountry

from app.metrics import tier_names
from app.models import PLATFORMS
from app.settings import Settings

PLATFORM_WORDS: dict[str, str] = {
    "instagram": "instagram",
    "insta": "instagram",
    "ig": "instagram",
    "instagrammers?": "instagram",
    "tiktok": "tiktok",
    "tik tok": "tiktok",
    "tiktokers?": "tiktok",
    "youtube": "youtube",
    "youtubers?": "youtube",
    "yt": "youtube",
    "twitter": "x",
    "x/twitter": "x",
    "twitch": "twitch",
    "facebook": "facebook",
    "fb": "facebook",
    "pinterest": "pinterest",
    "linkedin": "linkedin",
    "snapchat": "snapchat",
    "bluesky": "bluesky",
}
COUNTRY_ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "america": "US",
    "the us": "US",
    "the states": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "vietnam": "VN",
    "czechia": "CZ",
    "czech republic": "CZ",
    "turkey": "TR",
    "uae": "AE",
}
REGIONS = {
    "dach": ("DE", "AT", "CH"),
    "benelux": ("BE", "NL", "LU"),
    "nordics": ("DK", "FI", "NO", "SE", "IS"),
}
DEMONYMS = {
    "american": "US",
    "british": "GB",
    "canadian": "CA",
    "australian": "AU",
    "irish": "IE",
    "german": "DE",
    "austrian": "AT",
    "swiss": "CH",
    "french": "FR",
    "belgian": "BE",
    "dutch": "NL",
    "spanish": "ES",
    "portuguese": "PT",
    "italian": "IT",
    "swedish": "SE",
    "danish": "DK",
    "norwegian": "NO",
    "finnish": "FI",
    "polish": "PL",
    "mexican": "MX",
    "brazilian": "BR",
    "argentinian": "AR",
    "indian": "IN",
    "japanese": "JP",
    "korean": "KR",
    "indonesian": "ID",
    "nigerian": "NG",
    "kenyan": "KE",
    "south african": "ZA",
}
#: Languages a brief may name, by ISO 639-1 code (names come from pycountry).
LANGUAGE_CODES = [
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "sv",
    "da",
    "no",
    "fi",
    "pl",
    "cs",
    "hu",
    "ro",
    "el",
    "tr",
    "ru",
    "uk",
    "ar",
    "he",
    "hi",
    "bn",
    "ur",
    "id",
    "ms",
    "th",
    "vi",
    "tl",
    "ja",
    "ko",
    "zh",
    "sw",
]
#: Upper-case two-letter words that are not meant as country codes in a brief.
NOT_CODES = {"AD", "AI", "PR", "TV", "UX", "UI", "OK", "IT", "ID", "IN", "AM", "PM", "US"}


def parse_count(text: str) -> int:
    """A follower count such as "50k", "1.2M", "12,500" or "5000"."""
    raw = text.strip().replace(",", "").replace(" ", "")
    multiplier = 1
    if raw[-1:].lower() == "k":
        multiplier, raw = 1_000, raw[:-1]
    elif raw[-1:].lower() == "m":
        multiplier, raw = 1_000_000, raw[:-1]
    return round(float(raw) * multiplier)


@cache
def country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value and "(" not in value:
                names[value.lower()] = country.alpha_2
    names.update(COUNTRY_ALIASES)
    return names


@cache
def language_names() -> dict[str, str]:
    names = {}
    for code in LANGUAGE_CODES:
        language = pycountry.languages.get(alpha_2=code)
        if language is not None:
            names[language.name.split(" (")[0].lower()] = code
    names["farsi"] = "fa"
    return names


def country_code(value: str) -> str | None:
    """ISO alpha-2 code for a country code, name or common alias; None when unknown."""
    text = value.strip()
    if len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper()
    if text.upper() == "UK":
        return "GB"
    return country_names().get(text.lower())


def language_code(value: str) -> str | None:
    """ISO 639-1 code for a language code or English name; None when unknown."""
    text = value.strip().lower()
    if len(text) == 2 and pycountry.languages.get(alpha_2=text):
        return text
    return language_names().get(text)


def platform_name(value: str) -> str | None:
    """The canonical platform for a name or alias ("IG", "Tik Tok", "Twitter"); None if unknown."""
    text = value.strip().lower()
    if text in PLATFORMS:
        return text
    for pattern, platform in PLATFORM_WORDS.items():
        if re.fullmatch(pattern, text):
            return platform
    return None


def tier_name(value: str, settings: Settings) -> str | None:
    """A configured tier for "micro", "micro-influencer", "mid-tier"…; None if unknown."""
    text = re.sub(r"[- ]?(tier|influencers?|creators?)$", "", value.strip().lower())
    text = {"mid-size": "mid", "midsize": "mid", "middle": "mid"}.get(text, text)
    return text if text in tier_names(settings.tiers) else None
