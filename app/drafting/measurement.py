"""How fast the active model writes one outreach draft (for ``nichematch bench``)."""

from __future__ import annotations

import time

from app.drafting.outreach import OutreachWriter
from app.errors import LLMError
from app.llm.client import ChatClient
from app.llm.local_server import current_server, shared_server
from app.llm.providers import resolve
from app.llm.streams import ReplyTiming
from app.models import BrandProfile, CreatorProfile, LLMMeasurement
from app.settings import Settings


def measure_llm(
    settings: Settings,
    profile: CreatorProfile,
    brand: BrandProfile,
    client: ChatClient | None = None,
) -> LLMMeasurement:
    """Server start (local model, when this call starts it), time to first token and tokens/s
    of the model's part of one outreach draft, the draft's total time, and the first token and
    speed of a second draft (warm: the prompt's fixed part is cached by then).

    Raises :class:`LLMError` when the model could not be used (the draft fell back).
    """
    client = client or ChatClient(settings)
    start_s = None
    if client.provider.name == "local" and current_server() is None:
        start_s = shared_server(settings).start_seconds
    timing = ReplyTiming()
    began = time.perf_counter()
    draft = OutreachWriter(client).stream(profile, brand, timing=timing).result()
    total = time.perf_counter() - began
    if not draft.llm.used:
        raise LLMError(draft.llm.error or "The model was not used for the draft.")
    # A second draft about another post: what every draft after the first one costs.
    other = next((p.id for p in profile.creator.posts if p.id != draft.post_id), draft.post_id)
    warm = ReplyTiming()
    OutreachWriter(client).stream(profile, brand, other, timing=warm).result()
    provider = client.provider if client.provider.name == "custom" else resolve(settings)
    return LLMMeasurement(
        provider=provider.name,
        model=provider.model,
        server_start_s=None if start_s is None else round(start_s, 3),
        first_token_s=_round(timing.first_token_s, 3),
        tokens=timing.token_count,
        tokens_per_s=_round(timing.tokens_per_s, 1),
        total_s=round(total, 3),
        warm_first_token_s=_round(warm.first_token_s, 3),
        warm_tokens_per_s=_round(warm.tokens_per_s, 1),
    )


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
