"""Opening Chroma: the embedded ``PersistentClient`` under the data home, or a Chroma server
when ``NICHEMATCH_CHROMA__URL`` is set, and the embedding function its collections are given.
With :mod:`retrieval.store`, the only modules that import ``chromadb``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.api.types import Embeddings as ChromaEmbeddings
from chromadb.config import Settings as ChromaClientSettings

from app.errors import StoreError
from app.settings import ChromaSettings, Settings
from retrieval.embeddings import Embedder
from retrieval.remote import auth_headers, server_hint


class StoreEmbeddingFunction(EmbeddingFunction[Documents]):
    """Hands Chroma our embedder, so it never loads its own default model (a download)."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder

    def __call__(self, input: Documents) -> ChromaEmbeddings:
        if self._embedder is None:
            raise StoreError("Nichematch passes its own vectors; no embedding model is attached.")
        return list(self._embedder.encode(list(input)))

    @staticmethod
    def name() -> str:
        return "nichematch"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> StoreEmbeddingFunction:
        return StoreEmbeddingFunction()

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"


def _server_client(chroma: ChromaSettings) -> Any:
    url = chroma.url or ""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise StoreError(
            f"NICHEMATCH_CHROMA__URL={url!r} is not a server address; write it as "
            "http://host:port (or https://host:port)"
        )
    try:
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    except ValueError:
        raise StoreError(
            f"NICHEMATCH_CHROMA__URL={url!r} has a bad port; write it as http://host:port"
        ) from None
    try:
        return chromadb.HttpClient(
            host=parsed.hostname,
            port=port,
            ssl=parsed.scheme == "https",
            headers=auth_headers(chroma),
            settings=ChromaClientSettings(anonymized_telemetry=False),
        )
    except Exception as exc:
        # The message of an auth failure never contains the token itself.
        raise StoreError(
            f"Cannot use the Chroma server at {url} ({type(exc).__name__}: {exc}). "
            + server_hint(url)
        ) from exc


def open_client(settings: Settings) -> Any:
    if settings.chroma.url:
        return _server_client(settings.chroma)
    path = settings.chroma_path
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(
        path=str(path), settings=ChromaClientSettings(anonymized_telemetry=False)
    )
