"""Plain-language briefs read by an LLM with structured output, with the rules as a fallback.

Same contract as :func:`app.request_parser.parse_request`: a brief in, a
:class:`~app.models.ParsedRequest` out. The model fills :class:`BriefFields` through
``with_structured_output``; its values then go through the same normalisers as the rules
(country names to codes, platform aliases, configured tiers), and anything it got wrong that
cannot be normalised is dropped with a note. On any failure (no model, a timeout, output that
does not validate, an empty topic) the rule-based parser reads the brief instead, and a note
says so.
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field

from app.brief_terms import country_code, language_code, platform_name, tier_name
from app.llm.prompting import load_prompt
from app.metrics import tier_names
from app.models import MatchRequest, ParsedRequest
from app.request_parser import parse_request
from app.settings import Settings


class BriefFields(BaseModel):
    """What the LLM must return for a brief."""

    topic: str = Field(description="What the creators' content must be about, without filters.")
    platforms: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list, description="ISO alpha-2 codes.")
    languages: list[str] = Field(default_factory=list, description="ISO 639-1 codes.")
    tiers: list[str] = Field(default_factory=list)
    min_followers: int | None = Field(None, ge=0)
    max_followers: int | None = Field(None, ge=0)
    min_engagement: float | None = Field(None, ge=0, description="Percent: 3 means 3%.")
    max_price_usd: float | None = Field(None, ge=0)
    exclude_handles: list[str] = Field(default_factory=list)
    k: int | None = Field(None, ge=1, le=200)


def _normalised(values: list[str], normalise: Any, label: str, notes: list[str]) -> list[str]:
    found: list[str] = []
    for value in values:
        clean = normalise(value)
        if clean is None:
            notes.append(f"the LLM's {label} {value!r} is not known, left out")
        elif clean not in found:
            found.append(clean)
    return found


def request_from_fields(
    fields: BriefFields, brief: str, settings: Settings, k: int | None = None
) -> ParsedRequest:
    """A parsed request from the LLM's fields, cleaned by the rule parser's normalisers."""
    notes: list[str] = []
    if not fields.topic.strip():
        raise ValueError("the LLM returned an empty topic")
    data: dict[str, Any] = {
        "topic": fields.topic.strip(),
        "platforms": _normalised(fields.platforms, platform_name, "platform", notes),
        "countries": _normalised(fields.countries, country_code, "country", notes),
        "languages": _normalised(fields.languages, language_code, "language", notes),
        "tiers": _normalised(fields.tiers, lambda value: tier_name(value, settings), "tier", notes),
        "min_followers": fields.min_followers,
        "max_followers": fields.max_followers,
        "min_engagement": fields.min_engagement,
        "max_price_usd": fields.max_price_usd,
        "exclude_handles": [f"@{h.strip().lstrip('@')}" for h in fields.exclude_handles if h],
    }
    if k is not None or fields.k is not None:
        data["k"] = k if k is not None else fields.k
    request = MatchRequest.model_validate(data)
    for key in ("platforms", "countries", "languages", "tiers"):
        if data[key]:
            notes.append(f"{key}: {', '.join(data[key])}")
    for key in ("min_followers", "max_followers", "min_engagement", "max_price_usd"):
        if data[key] is not None:
            notes.append(f"{key}: {data[key]:g}")
    return ParsedRequest(request=request, notes=notes, parser="llm", brief=brief)


def parse_with_llm(
    brief: str,
    settings: Settings,
    model: BaseChatModel | None = None,
    structured: Any | None = None,
    k: int | None = None,
) -> ParsedRequest:
    """Read a brief with an LLM (``model.with_structured_output``, or a ready ``structured``
    runnable); the rule-based parser on any failure."""
    try:
        runnable = structured if structured is not None else _structured(model)
        messages = load_prompt("brief_request").render(
            brief_data=brief, tiers=", ".join(tier_names(settings.tiers))
        )
        reply = runnable.invoke(messages)
        fields = reply if isinstance(reply, BriefFields) else BriefFields.model_validate(reply)
        return request_from_fields(fields, brief, settings, k)
    except Exception as error:  # any failure of the model or its output: the rules take over
        fallback = parse_request(brief, settings, k)
        reason = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        fallback.notes.append(f"read by rules: the LLM could not read the brief ({reason})")
        return fallback


def _structured(model: BaseChatModel | None) -> Any:
    if model is None:
        raise ValueError("no chat model is configured")
    return model.with_structured_output(BriefFields)
