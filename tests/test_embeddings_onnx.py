"""The onnx-int8 backend: exported offline from the bundled model, close to torch, cached."""

from __future__ import annotations

import numpy as np
import pytest

from app.errors import ModelLoadError
from app.settings import EmbeddingSettings
from retrieval.embeddings import load_embedder, onnx_exportable

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TEXTS = [
    "Sub-3 marathon block: 32 km long run and a flat white after",
    "Three-ingredient vegan curry, ready in twenty minutes 🌱",
    "Unboxing the new retro handheld, speedrun attempt tonight #ad",
    "Caffè e cornetto prima della lezione di yoga a Lisbona",
    "",
]


@pytest.fixture(scope="module")
def onnx_embedder(tmp_path_factory):
    cache = tmp_path_factory.mktemp("models")
    return load_embedder(EmbeddingSettings(backend="onnx-int8", cache_dir=cache)), cache


@pytest.fixture(scope="module")
def torch_embedder():
    return load_embedder(EmbeddingSettings(backend="torch"))


def test_vectors_are_unit_length_and_close_to_torch(onnx_embedder, torch_embedder):
    onnx, _ = onnx_embedder
    fast = onnx.encode(TEXTS)
    exact = torch_embedder.encode(TEXTS)
    assert fast.shape == exact.shape and fast.dtype == np.float32
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-4)
    assert float((fast * exact).sum(axis=1).min()) > 0.97
    # ranking is what matters: each text is still its own nearest neighbour
    assert list((fast @ exact.T).argmax(axis=1)) == list(range(len(TEXTS)))
    assert onnx.encode([]).shape == (0, exact.shape[1])


def test_export_is_cached_and_reused(onnx_embedder):
    onnx, cache = onnx_embedder
    (exported,) = cache.glob("*/model-int8.onnx")
    stamp = exported.stat().st_mtime_ns
    again = load_embedder(EmbeddingSettings(backend="onnx-int8", cache_dir=cache))
    assert exported.stat().st_mtime_ns == stamp
    assert np.allclose(again.encode(TEXTS[:2]), onnx.encode(TEXTS[:2]))


def test_backend_changes_the_vector_identity():
    assert EmbeddingSettings(backend="torch").identity == "all-MiniLM-L6-v2"
    assert EmbeddingSettings(backend="onnx-int8").identity == "all-MiniLM-L6-v2+onnx-int8"


def test_auto_picks_onnx_for_a_local_mean_pooling_model_and_torch_otherwise(tmp_path):
    assert EmbeddingSettings().backend == "auto"
    assert EmbeddingSettings().resolved_backend == "onnx-int8"  # the bundled model
    assert EmbeddingSettings().identity == "all-MiniLM-L6-v2+onnx-int8"
    hub_name = EmbeddingSettings(model="someone/on-the-hub")
    assert hub_name.resolved_backend == "torch" and hub_name.identity == "someone/on-the-hub"
    folder = tmp_path / "cls-model"
    (folder / "1_Pooling").mkdir(parents=True)
    (folder / "1_Pooling" / "config.json").write_text('{"pooling_mode_cls_token": true}')
    (folder / "model.safetensors").write_bytes(b"")
    (folder / "tokenizer.json").write_text("{}")
    assert EmbeddingSettings(model=str(folder)).resolved_backend == "torch"
    (folder / "1_Pooling" / "config.json").write_text('{"pooling_mode_mean_tokens": true}')
    onnx_exportable.cache_clear()  # the answer is cached per model name
    assert EmbeddingSettings(model=str(folder)).resolved_backend == "onnx-int8"


def test_a_model_name_that_is_not_a_folder_is_explained(tmp_path):
    settings = EmbeddingSettings(model="someone/not-here", backend="onnx-int8", cache_dir=tmp_path)
    with pytest.raises(ModelLoadError, match="BACKEND=torch"):
        load_embedder(settings)
