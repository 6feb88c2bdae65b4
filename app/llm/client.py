"""How the writers reach a chat model: built on demand, streamed, failures made clear.

:class:`ChatClient` hides which provider answers. Tests hand it a LangChain fake chat model;
the service lets it build the configured one through :mod:`app.llm.providers`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from app.errors import ConfigError, LLMError
from app.llm.local_server import shared_server
from app.llm.providers import Provider, build_chat_model, explain, resolve
from app.llm.streams import ReplyTiming, stream_reply
from app.models import LLMUse
from app.settings import Settings


class ChatClient:
    """Streams replies from the configured chat model (or a given one)."""

    def __init__(
        self, settings: Settings, model: BaseChatModel | None = None, capable: bool = False
    ) -> None:
        """``model`` replaces the configured one (tests); ``capable`` then says how it is used."""
        self.settings = settings
        self._model = model
        self._config_error: ConfigError | None = None
        self._models: dict[tuple[int, str], BaseChatModel] = {}
        self._lock = threading.Lock()
        if model is not None:
            self.provider = Provider("custom", type(model).__name__, capable=capable)
        else:
            try:
                self.provider = resolve(settings)
            except ConfigError as error:  # reported on use, with its fix
                self._config_error = error
                self.provider = Provider(settings.llm.provider)  # type: ignore[arg-type]

    @property
    def available(self) -> bool:
        """Whether any model is configured (``NICHEMATCH_LLM__PROVIDER=none`` says no)."""
        return self.provider.name != "none"

    @property
    def capable(self) -> bool:
        """Whether the model may write more than the opening of a draft."""
        return self.provider.capable

    def model(self, max_tokens: int) -> BaseChatModel:
        """The chat model, capped at ``max_tokens`` per reply."""
        if self._model is not None:
            return self._model
        if self._config_error is not None:
            raise self._config_error
        cap = min(max_tokens, self.settings.llm.max_tokens)
        try:
            # Built once per cap and server address (a restarted local server has a new port).
            where = shared_server(self.settings).base_url if self.provider.name == "local" else ""
            with self._lock:
                if (cap, where) not in self._models:
                    self._models[(cap, where)] = build_chat_model(self.settings, max_tokens=cap)
                return self._models[(cap, where)]
        except (LLMError, ConfigError):
            raise
        except Exception as error:
            raise explain(error, self.settings) from None

    def stream(
        self,
        messages: Sequence[BaseMessage],
        max_tokens: int,
        *,
        timing: ReplyTiming | None = None,
        temperature: float | None = None,
    ) -> Iterator[str]:
        """Text chunks of one reply; failures raise :class:`LLMError`."""
        model = self.model(max_tokens)
        if temperature is not None:
            model = model.bind(temperature=temperature)  # type: ignore[assignment]
        return stream_reply(
            model,
            messages,
            deadline_s=self.settings.llm.timeout_s,
            explain=lambda error: explain(error, self.settings),
            timing=timing,
        )

    def text(
        self,
        messages: Sequence[BaseMessage],
        max_tokens: int,
        *,
        timing: ReplyTiming | None = None,
        temperature: float | None = None,
    ) -> str:
        """One whole reply."""
        return "".join(self.stream(messages, max_tokens, timing=timing, temperature=temperature))

    def use(self, used: bool, error: LLMError | ConfigError | None = None) -> LLMUse:
        """A record of whether the model wrote part of a text."""
        return LLMUse(
            provider=self.provider.name,
            model=self.provider.model,
            used=used,
            error=str(error) if error else None,
        )
