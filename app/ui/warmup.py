"""Loading the heavy parts before anyone asks, so the first search is fast.

Importing sentence-transformers and loading the embedding model takes several seconds of CPU.
:func:`start` runs when the server starts (the app's lifespan): it builds the service in the
background, loads the model, runs one tiny search (the store and the matcher's lexical index
are then ready) and imports the page's modules. :func:`service_for` hands the page the same
service; a page opened while the load is still running waits only for what it needs.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from app.errors import NichematchError
from app.models import MatchRequest
from app.settings import EmbeddingSettings, Settings, load_settings

if TYPE_CHECKING:
    import numpy as np

    from app.service import Nichematch
    from retrieval.embeddings import Embedder

#: Modules the page imports; importing them early makes the first page draw quick.
PAGE_MODULES = ("app.ui.find_view", "app.ui.pipeline_view", "app.ui.brief_view", "app.ui.data_view")

_services: dict[str, Nichematch] = {}
_embedders: dict[str, BackgroundEmbedder] = {}
_lock = threading.Lock()


class BackgroundEmbedder:
    """An :class:`Embedder` whose model loads in a thread; ``encode`` waits for it."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        self.name = settings.model
        self._loaded: Embedder | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        thread = threading.Thread(target=self._load, args=(settings,), daemon=True)
        thread.start()

    def _load(self, settings: EmbeddingSettings) -> None:
        try:
            from retrieval.embeddings import load_embedder

            self._loaded = load_embedder(settings)
        except BaseException as exc:  # kept, and raised where the model is used
            self._error = exc
        finally:
            self._done.set()

    @property
    def ready(self) -> bool:
        """Whether loading has finished (successfully or not)."""
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


def config_key(settings: Settings) -> str:
    """One key per configuration (secrets appear masked in the dump)."""
    return hashlib.sha256(settings.model_dump_json().encode()).hexdigest()


def service_for(settings: Settings) -> Nichematch:
    """The process's service for these settings: built once, warmed up in the background."""
    from app.service import Nichematch

    key = config_key(settings)
    with _lock:
        if key not in _services:
            model = settings.embedding.model_dump_json()  # one model per embedding config
            if model not in _embedders:
                _embedders[model] = BackgroundEmbedder(settings.embedding)
            service = Nichematch(settings, _embedders[model])
            _services[key] = service
            _in_background(lambda: _warm_up(service), "warm-up")
        return _services[key]


def start() -> None:
    """Server start: build and warm the service, import the page's modules."""

    def run() -> None:
        # bad settings: the page shows the error with its fix
        with contextlib.suppress(NichematchError, ValueError):
            service_for(load_settings())
        for name in PAGE_MODULES:
            importlib.import_module(name)

    _in_background(run, "preload")


def _warm_up(service: Nichematch) -> None:
    try:
        if service.store.count_creators():
            service.match(MatchRequest(topic="warm-up", k=1))
    except NichematchError:
        pass  # the same error shows, with its fix, on the first real search


def _in_background(target: Callable[[], None], name: str) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True, name=f"nichematch-{name}")
    thread.start()
    return thread
