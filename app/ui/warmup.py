"""Loading the heavy parts in the background, so the page draws at once.

The embedding model takes a few seconds to load. The page should not wait for it: the marketer
is still typing. :class:`BackgroundEmbedder` starts loading on creation and makes the first
``encode`` wait for the load (or raise its error); :func:`warm_up` also runs one small query so
the store and any index the matcher builds are ready before the first real search.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np

from app.errors import NichematchError
from app.models import MatchRequest
from app.service import Nichematch
from retrieval.embeddings import Embedder


class BackgroundEmbedder:
    """An :class:`Embedder` whose model loads in a thread; ``encode`` waits for it."""

    def __init__(self, name: str, load: Callable[[], Embedder]) -> None:
        self.name = name
        self._loaded: Embedder | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        threading.Thread(target=self._load, args=(load,), daemon=True, name="embedder").start()

    def _load(self, load: Callable[[], Embedder]) -> None:
        try:
            self._loaded = load()
        except BaseException as exc:  # kept and raised where the model is used
            self._error = exc
        finally:
            self._done.set()

    @property
    def ready(self) -> bool:
        """Whether the model has finished loading (successfully or not)."""
        return self._done.is_set()

    def model(self) -> Embedder:
        """The loaded model, waiting for it if needed."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._loaded is not None
        return self._loaded

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` (waits for the model on first use)."""
        return self.model().encode(texts)


def warm_up(service: Nichematch) -> threading.Thread:
    """Run one tiny search in the background so the first real one is fast."""

    def run() -> None:
        try:
            if service.store.count_creators():
                service.match(MatchRequest(topic="warm-up", k=1))
        except NichematchError:
            pass  # the same error shows, with its fix, on the first real search

    thread = threading.Thread(target=run, daemon=True, name="warm-up")
    thread.start()
    return thread
