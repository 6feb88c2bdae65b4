"""``nichematch llm status``: which provider is active and whether it answers."""

from __future__ import annotations

import time

from app.errors import ConfigError, LLMError
from app.llm.client import ChatClient
from app.llm.local_server import current_server
from app.llm.prompting import load_prompt
from app.llm.providers import resolve
from app.models import LLMStatus
from app.settings import Settings

PING_TOKENS = 8


def check_status(settings: Settings) -> LLMStatus:
    """Ask the configured model for a few tokens; starts the local server if it is the one."""
    try:
        provider = resolve(settings)
    except ConfigError as error:
        return LLMStatus(provider=settings.llm.provider, ok=False, detail=str(error))
    if provider.name == "none":
        return LLMStatus(provider="none", ok=False, detail=provider.describe())
    was_running = current_server() is not None
    began = time.perf_counter()
    try:
        reply = ChatClient(settings).text(load_prompt("status_ping").render(), PING_TOKENS)
    except (LLMError, ConfigError) as error:
        return LLMStatus(
            provider=provider.name,
            model=provider.model,
            base_url=provider.base_url,
            ok=False,
            detail=str(error),
        )
    latency = time.perf_counter() - began
    server = current_server()
    detail = f"answered in {latency:.2f} s"
    if provider.name == "local" and server is not None:
        detail += f" (bundled model {server.model_path.name}, {server.threads} thread(s))"
        if not was_running and server.start_seconds is not None:
            detail += f"; local server started in {server.start_seconds:.2f} s"
    if not reply.strip():
        return LLMStatus(
            provider=provider.name,
            model=provider.model,
            base_url=provider.base_url or (server.base_url if server else None),
            ok=False,
            detail=f"answered with empty text ({detail}); check the model name and server",
        )
    return LLMStatus(
        provider=provider.name,
        model=provider.model,
        base_url=provider.base_url or (server.base_url if server else None),
        ok=True,
        detail=detail,
        latency_s=round(latency, 3),
    )
