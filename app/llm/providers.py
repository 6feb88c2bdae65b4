"""Which chat model answers, and the one place chat models are built.

Every provider goes through ``langchain-openai``'s ``ChatOpenAI``: OpenAI itself, any
OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp) by base URL and model name, and
the bundled local model served by :mod:`app.llm.local_server`. Everything else in the project
receives a LangChain chat model and never builds one.

This module is also the only one that knows the openai client's exceptions: :func:`explain`
turns them into an :class:`~app.errors.LLMError` whose message says how to fix the problem and
never carries the API key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import openai
from langchain_core.language_models import BaseChatModel
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, SecretStr

from app.errors import ConfigError, LLMError
from app.llm.local_server import MODEL_ALIAS, shared_server
from app.settings import Settings

OPENAI_BASE_URL = "https://api.openai.com/v1"
OPENAI_DEFAULT_MODEL = "gpt-4o-mini"
# The openai client insists on a key; servers that need none ignore this one.
NO_KEY = "not-needed"

ProviderName = Literal["openai", "compatible", "local", "none", "custom"]
_KEYLIKE = re.compile(r"\b(sk|key|token)-[A-Za-z0-9_*\-]{6,}", re.IGNORECASE)


@dataclass(frozen=True)
class Provider:
    """The resolved provider: what ``NICHEMATCH_LLM__*`` and ``OPENAI_API_KEY`` select."""

    name: ProviderName
    model: str | None = None
    base_url: str | None = None
    #: A capable model writes more than openings (``NICHEMATCH_LLM__FREEDOM``); same checks.
    capable: bool = False

    def describe(self) -> str:
        """One line for status output; never includes a key."""
        if self.name == "none":
            return "no LLM (NICHEMATCH_LLM__PROVIDER=none): deterministic text only"
        where = f" at {self.base_url}" if self.base_url else ""
        return f"{self.name}: {self.model}{where}"


def api_key(settings: Settings) -> SecretStr | None:
    """The configured key: ``NICHEMATCH_LLM__API_KEY`` first, then ``OPENAI_API_KEY``."""
    return settings.llm.api_key or settings.openai_api_key


def resolve(settings: Settings) -> Provider:
    """The provider the settings select (``auto``: OpenAI key, else base URL, else local)."""
    config = settings.llm
    name = config.provider
    if name == "auto":
        if config.base_url:
            name = "compatible"
        elif api_key(settings) is not None:
            name = "openai"
        else:
            name = "local"
    freedom = config.freedom
    if name == "none":
        return Provider("none")
    if name == "openai":
        if api_key(settings) is None:
            raise ConfigError(
                "NICHEMATCH_LLM__PROVIDER=openai needs a key: set OPENAI_API_KEY (or "
                "NICHEMATCH_LLM__API_KEY), or pick another provider."
            )
        return Provider(
            "openai",
            config.model or OPENAI_DEFAULT_MODEL,
            config.base_url or OPENAI_BASE_URL,
            capable=freedom != "opening",
        )
    if name == "compatible":
        if not config.base_url or not config.model:
            raise ConfigError(
                "An OpenAI-compatible server needs NICHEMATCH_LLM__BASE_URL (e.g. "
                "http://localhost:11434/v1 for Ollama) and NICHEMATCH_LLM__MODEL (e.g. llama3.2)."
            )
        return Provider(
            "compatible", config.model, config.base_url.rstrip("/"), capable=freedom == "full"
        )
    return Provider("local", MODEL_ALIAS, None, capable=freedom == "full")


def build_chat_model(
    settings: Settings, *, max_tokens: int | None = None, temperature: float | None = None
) -> BaseChatModel:
    """A LangChain chat model for the configured provider; starts the local server if needed.

    ``max_tokens`` caps one reply (default ``NICHEMATCH_LLM__MAX_TOKENS``). ``ChatOpenAI`` sends
    it as ``max_completion_tokens``, which llama.cpp's server ignores, so for servers other
    than OpenAI it is also sent as ``max_tokens`` in the request body.
    """
    provider = resolve(settings)
    config = settings.llm
    if provider.name == "none":
        raise LLMError(
            "No LLM is configured (NICHEMATCH_LLM__PROVIDER=none); set OPENAI_API_KEY, "
            "NICHEMATCH_LLM__BASE_URL + NICHEMATCH_LLM__MODEL, or unset the provider to use "
            "the bundled local model."
        )
    cap = max_tokens or config.max_tokens
    key = api_key(settings) if provider.name != "local" else None
    base_url = provider.base_url
    if provider.name == "local":
        base_url = shared_server(settings).base_url
    options: dict[str, Any] = {
        "model": provider.model,
        "base_url": base_url,
        "api_key": key or SecretStr(NO_KEY),
        "timeout": config.timeout_s,
        "max_retries": config.max_retries,
        "temperature": config.temperature if temperature is None else temperature,
        "max_tokens": cap,
        "stream_usage": provider.name == "openai",
    }
    if provider.name != "openai":
        options["extra_body"] = {"max_tokens": cap}
    return ChatOpenAI(**options)


def structured_model(model: BaseChatModel, schema: type[BaseModel], settings: Settings) -> Any:
    """``model`` returning ``schema`` instances, in the way the provider supports.

    OpenAI and most compatible servers take ``with_structured_output`` (JSON schema). The
    bundled llama.cpp server only constrains output with ``response_format`` type
    ``json_object`` plus a ``schema``, so it gets that, parsed into ``schema``.
    """
    if resolve(settings).name != "local":
        return model.with_structured_output(schema)
    from langchain_core.output_parsers import PydanticOutputParser

    bound = model.bind(
        response_format={"type": "json_object", "schema": schema.model_json_schema()}
    )
    return bound | PydanticOutputParser(pydantic_object=schema)


def scrub(text: str, settings: Settings | None = None) -> str:
    """``text`` with the configured key and anything shaped like a key masked."""
    if settings is not None:
        for secret in (settings.llm.api_key, settings.openai_api_key):
            if secret is not None and secret.get_secret_value():
                text = text.replace(secret.get_secret_value(), "***")
    return _KEYLIKE.sub("***", text)


def explain(error: BaseException, settings: Settings) -> LLMError:
    """An :class:`LLMError` for a provider failure, with the fix and without secrets."""
    if isinstance(error, LLMError):
        return error
    provider = resolve(settings)
    where = provider.describe()
    if isinstance(error, openai.APITimeoutError):
        message = (
            f"The LLM ({where}) did not answer within {settings.llm.timeout_s:g} s; "
            "raise NICHEMATCH_LLM__TIMEOUT_S or use a faster model."
        )
    elif isinstance(error, openai.APIConnectionError):
        message = (
            f"Cannot reach the LLM ({where}); check that the server runs and "
            "NICHEMATCH_LLM__BASE_URL is right."
        )
    elif isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        # The provider's own message may echo part of the key: it is not repeated here.
        message = (
            f"The LLM ({where}) refused the API key (HTTP {error.status_code}); check "
            "OPENAI_API_KEY or NICHEMATCH_LLM__API_KEY."
        )
    elif isinstance(error, openai.NotFoundError):
        message = (
            f"The LLM ({where}) does not know model {provider.model!r} (HTTP 404); set "
            "NICHEMATCH_LLM__MODEL to a model the server lists."
        )
    elif isinstance(error, openai.RateLimitError):
        message = (
            f"The LLM ({where}) is rate limited or out of quota (HTTP 429); wait, check the "
            "account, or raise NICHEMATCH_LLM__MAX_RETRIES."
        )
    elif isinstance(error, openai.APIStatusError):
        message = (
            f"The LLM ({where}) failed with HTTP {error.status_code}: "
            f"{scrub(str(error.message), settings)[:300]}"
        )
    elif isinstance(error, ValueError | openai.APIResponseValidationError):
        message = (
            f"The LLM ({where}) sent a reply that could not be read ({type(error).__name__}: "
            f"{scrub(str(error), settings)[:200]}); check that the server speaks the OpenAI "
            "chat API and streams."
        )
    else:
        message = (
            f"The LLM ({where}) failed: {type(error).__name__}: {scrub(str(error), settings)[:300]}"
        )
    return LLMError(message)
