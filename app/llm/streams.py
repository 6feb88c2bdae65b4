"""Streaming replies: text as it comes, with a deadline, timing, and clear errors.

:class:`TextStream` is what the service hands to a UI: iterate it for text chunks (e.g. with
Streamlit's ``st.write_stream``), then read :meth:`TextStream.result` for the typed outcome
(a draft, an answer) that was built while streaming.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from app.errors import LLMError

T = TypeVar("T")


class TextStream(Generic[T]):
    """Text chunks from a generator whose return value is the finished result."""

    def __init__(self, chunks: Generator[str, None, T]) -> None:
        self._chunks = chunks
        self._done = False
        self._result: T | None = None

    def __iter__(self) -> Iterator[str]:
        if self._done:
            return
        self._result = yield from self._chunks
        self._done = True

    def result(self) -> T:
        """The finished result; drains the remaining text first if it was not read."""
        if not self._done:
            for _ in self:
                pass
        return self._result  # type: ignore[return-value]

    def text(self) -> str:
        """All remaining text at once (then :meth:`result` is ready)."""
        return "".join(self)


@dataclass
class ReplyTiming:
    """What one streamed reply took: time to first token, tokens, tokens per second."""

    started: float = field(default_factory=time.perf_counter)
    first_token_at: float | None = None
    finished_at: float | None = None
    tokens: int = 0
    usage_tokens: int | None = None

    @property
    def first_token_s(self) -> float | None:
        """Seconds from the request to the first text chunk."""
        return None if self.first_token_at is None else self.first_token_at - self.started

    @property
    def total_s(self) -> float | None:
        """Seconds from the request to the end of the reply."""
        return None if self.finished_at is None else self.finished_at - self.started

    @property
    def token_count(self) -> int:
        """Completion tokens: the provider's usage figure when given, else text chunks."""
        return self.usage_tokens if self.usage_tokens is not None else self.tokens

    @property
    def tokens_per_s(self) -> float | None:
        """Generation speed after the first token (the first one measures latency)."""
        if self.first_token_at is None or self.finished_at is None:
            return None
        span = self.finished_at - self.first_token_at
        return (self.token_count - 1) / span if span > 0 and self.token_count > 1 else None


ExplainError = Callable[[BaseException], LLMError]


def stream_reply(
    model: BaseChatModel,
    messages: Sequence[BaseMessage],
    *,
    deadline_s: float,
    explain: ExplainError,
    timing: ReplyTiming | None = None,
) -> Iterator[str]:
    """The reply's text chunks; any failure or a reply past ``deadline_s`` is an LLMError.

    The client's own timeout bounds each wait for data; the deadline bounds a server that
    keeps trickling tokens.
    """
    timing = timing or ReplyTiming()
    timing.started = time.perf_counter()
    limit = timing.started + deadline_s
    try:
        for chunk in model.stream(list(messages)):
            usage = getattr(chunk, "usage_metadata", None)
            if usage and usage.get("output_tokens"):
                timing.usage_tokens = int(usage["output_tokens"])
            text = chunk.content if isinstance(chunk.content, str) else ""
            if text:
                if timing.first_token_at is None:
                    timing.first_token_at = time.perf_counter()
                timing.tokens += 1
                yield text
            if time.perf_counter() > limit:
                raise LLMError(
                    f"The LLM reply took longer than {deadline_s:g} s and was cut off; raise "
                    "NICHEMATCH_LLM__TIMEOUT_S or lower NICHEMATCH_LLM__MAX_TOKENS."
                )
    except LLMError:
        raise
    except Exception as error:
        raise explain(error) from None
    finally:
        timing.finished_at = time.perf_counter()


def reply_text(
    model: BaseChatModel,
    messages: Sequence[BaseMessage],
    *,
    deadline_s: float,
    explain: ExplainError,
    timing: ReplyTiming | None = None,
) -> str:
    """The whole reply as one string (streamed underneath, so the deadline holds)."""
    return "".join(
        stream_reply(model, messages, deadline_s=deadline_s, explain=explain, timing=timing)
    )
