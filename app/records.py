"""Validation of one creator record: repairs where the intent is clear, a reason otherwise.

A raw record (a dict from JSON or CSV) goes through :func:`parse_record`, which either returns a
:class:`~app.models.Creator` plus the repairs it made ("followers '12.5k' read as 12500"), or
raises :class:`RecordProblem` with a reason a person can act on.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

import pycountry
from dateutil import parser as date_parser
from pydantic import ValidationError

from app.models import PLATFORMS, Creator

MAX_BIO_CHARS = 4_000
MAX_POST_CHARS = 8_000
MAX_ID_CHARS = 200
LIKES_PER_FOLLOWER_LIMIT = 10

_PLATFORM_ALIASES = {"twitter": "x", "ig": "instagram", "yt": "youtube", "tik tok": "tiktok"}
_COUNT_RE = re.compile(r"^\s*([0-9][0-9,_ .]*)\s*([kmb])?\s*$", re.IGNORECASE)
_EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_CONTROL = {"Cc", "Cf", "Cs", "Co"}
# Newlines and tabs are layout; the zero-width (non-)joiners and emoji tag characters build
# compound emoji and scripts that need them, so they are kept although they are format chars.
_KEEP_CONTROL = {"\n", "\t", "\u200c", "\u200d", *(chr(c) for c in range(0xE0020, 0xE0080))}
_MULTIPLIER = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


class RecordProblem(ValueError):
    """A record that cannot be taken, with the reason."""


def parse_count(value: Any, field: str) -> tuple[int, str | None]:
    """Read a non-negative count such as 12500, "12,500", "12.5k" or "1.2M".

    Returns the count and a repair note when the value was not already a plain integer.
    """
    if isinstance(value, bool) or value is None:
        raise RecordProblem(f"{field}: expected a whole number, got {value!r}")
    if isinstance(value, int):
        count, note = value, None
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise RecordProblem(f"{field}: expected a whole number, got {value!r}")
        count, note = round(value), (None if value.is_integer() else f"{field} {value!r} rounded")
    elif isinstance(value, str):
        match = _COUNT_RE.match(value)
        if not match:
            raise RecordProblem(
                f"{field}: {value[:40]!r} is not a count; write a whole number such as 12500, "
                "12,500, 12.5k or 1.2M"
            )
        digits, suffix = match.groups()
        digits = digits.replace(" ", "").replace("_", "")
        if suffix:
            number = float(digits.replace(",", "."))
            count = round(number * _MULTIPLIER[suffix.lower()])
        elif "," in digits and "." not in digits:
            count = int(digits.replace(",", ""))
        else:
            count = round(float(digits.replace(",", "")))
        note = f"{field} {value!r} read as {count}"
    else:
        raise RecordProblem(f"{field}: expected a whole number, got a {type(value).__name__}")
    if count < 0:
        raise RecordProblem(f"{field}: must not be negative (got {count})")
    return count, note


def clean_text(value: Any, field: str, limit: int) -> tuple[str, list[str]]:
    """Strip control characters and cap the length; report what was changed."""
    notes: list[str] = []
    if value is None:
        return "", notes
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        else:
            raise RecordProblem(f"{field}: expected text, got a {type(value).__name__}")
    cleaned = "".join(
        ch for ch in value if ch in _KEEP_CONTROL or unicodedata.category(ch) not in _CONTROL
    )
    if cleaned != value:
        notes.append(f"{field}: control characters removed")
    cleaned = cleaned.strip()
    if len(cleaned) > limit:
        notes.append(f"{field}: cut from {len(cleaned):,} to {limit:,} characters")
        cleaned = cleaned[:limit]
    return cleaned, notes


def parse_datetime(value: Any, field: str) -> tuple[datetime, str | None]:
    """Read a timestamp: ISO 8601, epoch seconds, or a common written date. Returns UTC."""
    note = None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        parsed = datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=UTC)
        note = f"{field} epoch {value} read as {parsed.isoformat()}"
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            try:
                parsed = date_parser.parse(text, dayfirst=False)
            except (ValueError, OverflowError) as exc:
                raise RecordProblem(
                    f"{field}: {text[:40]!r} is not a date; use ISO 8601 such as "
                    "2026-03-14T18:22:00Z"
                ) from exc
            note = f"{field} {text[:40]!r} read as {parsed.isoformat()}"
    else:
        raise RecordProblem(f"{field}: missing; use ISO 8601 such as 2026-03-14T18:22:00Z")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC), note


_COUNTRY_ALIASES = {"UK": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB", "USA": "US"}


def normalize_country(value: Any) -> tuple[str | None, str | None]:
    """An ISO alpha-2 code from a code or a country name.

    An unknown country is left out (reported), not a reason to lose the creator: the country only
    narrows filters, and a creator without one never passes a country filter.
    """
    if value in (None, ""):
        return None, None
    if not isinstance(value, str):
        return None, f"country {str(value)[:40]!r} is not a country name or code, left out"
    text = value.strip()
    alias = _COUNTRY_ALIASES.get(text.upper())
    if alias:
        return alias, f"country {text!r} read as {alias}"
    if len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper(), None
    try:
        found = pycountry.countries.lookup(text)
    except LookupError:
        return None, (
            f"country {text[:40]!r} is not a country, left out; use an ISO 3166 alpha-2 code "
            "such as DE"
        )
    return found.alpha_2, f"country {text!r} read as {found.alpha_2}"


def _normalize_platform(value: Any) -> tuple[str, str | None]:
    if not isinstance(value, str) or not value.strip():
        raise RecordProblem(f"platform: missing; use one of {', '.join(PLATFORMS)}")
    key = value.strip().lower()
    platform = _PLATFORM_ALIASES.get(key, key)
    if platform not in PLATFORMS:
        raise RecordProblem(
            f"platform: {value[:40]!r} is not known; use one of {', '.join(PLATFORMS)}"
        )
    return platform, (None if platform == value else f"platform {value!r} read as {platform}")


def _normalize_post(
    raw: Any, index: int, followers: int, notes: list[str]
) -> dict[str, Any] | None:
    """A post ready for the model, or None (with a note) when it has to be dropped."""
    where = f"post {index + 1}"
    if not isinstance(raw, dict):
        notes.append(f"{where} dropped: not an object")
        return None
    try:
        text, text_notes = clean_text(raw.get("text"), f"{where} text", MAX_POST_CHARS)
        if not text:
            notes.append(f"{where} dropped: no text")
            return None
        notes.extend(text_notes)
        post_id = str(raw.get("id") or "").strip()
        if not post_id:
            notes.append(f"{where} dropped: no id")
            return None
        likes, likes_note = parse_count(raw.get("likes", 0) or 0, f"{where} likes")
        comments, comments_note = parse_count(raw.get("comments", 0) or 0, f"{where} comments")
        posted_at, date_note = parse_datetime(raw.get("posted_at"), f"{where} posted_at")
    except RecordProblem as problem:
        notes.append(f"{where} dropped: {problem}")
        return None
    notes.extend(n for n in (likes_note, comments_note, date_note) if n)
    if followers and likes > followers * LIKES_PER_FOLLOWER_LIMIT:
        notes.append(
            f"{where} dropped: {likes:,} likes is more than {LIKES_PER_FOLLOWER_LIMIT}× "
            f"the {followers:,} followers"
        )
        return None
    post = {**raw, "id": post_id, "text": text, "likes": likes, "comments": comments}
    post["posted_at"] = posted_at
    kind = post.get("kind")
    if kind is not None and kind not in ("photo", "video", "story", "reel", "carousel", "text"):
        notes.append(f"{where} kind {str(kind)[:20]!r} unknown, left out")
        post["kind"] = None
    if not isinstance(post.get("sponsored", False), bool):
        post["sponsored"] = str(post.get("sponsored")).strip().lower() in ("1", "true", "yes")
    return post


def parse_record(raw: Any) -> tuple[Creator, list[str]]:
    """Validate and normalise one raw record. Returns the creator and the repairs made."""
    if not isinstance(raw, dict):
        raise RecordProblem(f"expected a JSON object per creator, got a {type(raw).__name__}")
    notes: list[str] = []
    record_id = str(raw.get("id") or "").strip()
    if not record_id:
        raise RecordProblem("id: missing; every creator needs a stable unique id")
    if len(record_id) > MAX_ID_CHARS:
        raise RecordProblem(f"id: longer than {MAX_ID_CHARS} characters")
    handle = str(raw.get("handle") or "").strip()
    if not handle.lstrip("@"):
        raise RecordProblem("handle: missing; give the creator's @handle on the platform")
    handle = "@" + handle.lstrip("@")
    platform, platform_note = _normalize_platform(raw.get("platform"))
    followers, followers_note = parse_count(raw.get("followers"), "followers")
    following = raw.get("following")
    following_note = None
    if following not in (None, ""):
        following, following_note = parse_count(following, "following")
    else:
        following = None
    bio, bio_notes = clean_text(raw.get("bio"), "bio", MAX_BIO_CHARS)
    name, name_notes = clean_text(raw.get("name"), "name", 200)
    country, country_note = normalize_country(raw.get("country"))
    notes.extend(n for n in (platform_note, followers_note, following_note, country_note) if n)
    notes.extend(bio_notes + name_notes)
    email = raw.get("email")
    if email in ("", None):
        email = None
    elif not isinstance(email, str) or not _EMAIL_RE.match(email.strip()):
        notes.append(f"email {str(email)[:60]!r} is not an e-mail address, left out")
        email = None
    else:
        email = email.strip()
    language = raw.get("language")
    if isinstance(language, str) and re.fullmatch(r"[A-Za-z]{2}", language.strip()):
        language = language.strip().lower()
    elif language not in (None, ""):
        notes.append(f"language {str(language)[:20]!r} is not an ISO 639-1 code, left out")
        language = None
    else:
        language = None
    niches = raw.get("niches") or []
    if isinstance(niches, str):
        niches = [part for part in re.split(r"[|;,]", niches)]
    if not isinstance(niches, list):
        notes.append("niches is not a list of labels, left out")
        niches = []
    niches = [str(n).strip().lower() for n in niches if str(n).strip()][:20]
    rate = raw.get("rate_usd")
    if rate in ("", None):
        rate = None
    else:
        try:
            rate = float(str(rate).replace("$", "").replace(",", "").strip())
            if rate < 0 or rate != rate:
                raise ValueError
        except ValueError:
            notes.append(f"rate_usd {str(rate)[:20]!r} is not a price, left out")
            rate = None
    raw_posts = raw.get("posts")
    if not isinstance(raw_posts, list) or not raw_posts:
        raise RecordProblem(
            "posts: none given; at least one post with text is needed to judge a creator"
        )
    posts = [
        post
        for index, item in enumerate(raw_posts)
        if (post := _normalize_post(item, index, followers, notes)) is not None
    ]
    seen: set[str] = set()
    unique_posts = []
    for post in posts:
        if post["id"] in seen:
            notes.append(f"post id {post['id']!r} repeated, later copy dropped")
            continue
        seen.add(post["id"])
        unique_posts.append(post)
    if not unique_posts:
        raise RecordProblem("posts: no usable post (" + "; ".join(notes[-3:]) + ")")
    fields = {
        "id": record_id,
        "handle": handle,
        "name": name,
        "platform": platform,
        "bio": bio,
        "country": country,
        "language": language,
        "followers": followers,
        "following": following,
        "niches": niches,
        "email": email,
        "rate_usd": rate,
        "posts": unique_posts,
    }
    try:
        creator = Creator.model_validate(fields)
    except ValidationError as exc:
        raise RecordProblem(describe_validation_error(exc)) from None
    return creator, notes


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem: ``field: message (got value)``."""
    parts = []
    for error in exc.errors()[:5]:
        location = ".".join(str(part) for part in error["loc"]) or "record"
        got = repr(error.get("input"))[:40]
        parts.append(f"{location}: {error['msg']} (got {got})")
    return "; ".join(parts)
