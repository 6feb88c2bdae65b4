"""The embedding model as int8 ONNX, run by onnxruntime: about twice torch's speed on a CPU.

The export is made once, offline, from the model's own files (``model.safetensors``,
``tokenizer.json``): torch traces the transformer with mean pooling and L2 normalisation, then
onnxruntime quantises the MatMul weights to int8, per channel. Vectors stay within cosine ~0.99
of torch's. The file is cached under ``<cache>/<model>-<digest>/`` where the digest covers the
model's weights and config, so a changed model is exported again. Only models that pool by mean
over tokens (sentence-transformers' Pooling with ``pooling_mode_mean_tokens``) are supported.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from app.errors import ModelLoadError

EXPORT_VERSION = "1"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def pools_by_mean(model_dir: Path) -> bool:
    """Whether a sentence-transformers model folder pools by mean over tokens."""
    try:
        pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError):
        return False
    return bool(pooling.get("pooling_mode_mean_tokens"))


def _check_mean_pooling(model_dir: Path) -> int:
    """The model's max sequence length; raises unless it is a mean-pooling model."""
    if not pools_by_mean(model_dir):
        raise ModelLoadError(
            f"The onnx-int8 backend supports mean-pooling sentence-transformers models; "
            f"{model_dir} is not one. Set NICHEMATCH_EMBEDDING__BACKEND=torch."
        )
    config = model_dir / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length", 256))
    return 256


def _digest(model_dir: Path) -> str:
    sha = hashlib.sha256(EXPORT_VERSION.encode())
    for name in ("config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json"):
        path = model_dir / name
        if path.is_file():
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    sha.update(block)
    return sha.hexdigest()[:12]


def _export(model_dir: Path, target: Path) -> None:
    """Trace the model to ONNX in fp32, then quantise it to int8 into ``target``."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    sample = torch.ones((2, 8), dtype=torch.long)
    with tempfile.TemporaryDirectory(dir=target.parent) as temp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on ops it rewrote
        fp32 = Path(temp) / "model-fp32.onnx"
        torch.onnx.export(
            Pooled(),
            (sample, sample, torch.zeros_like(sample)),
            str(fp32),
            input_names=list(INPUTS),
            output_names=["embedding"],
            dynamic_axes={**{name: {0: "batch", 1: "tokens"} for name in INPUTS}},
            opset_version=17,
            dynamo=False,
        )
        int8 = Path(temp) / "model-int8.onnx"
        quantize_dynamic(
            str(fp32),
            str(int8),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
        )
        os.replace(int8, target)  # atomic: a concurrent loader sees the whole file or none


class OnnxModel:
    """Tokenizer plus int8 ONNX session; ``encode`` returns unit vectors, float32."""

    def __init__(self, model_dir: Path, cache_dir: Path, batch_size: int, threads: int) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        max_length = _check_mean_pooling(model_dir)
        folder = cache_dir / f"{model_dir.name}-{_digest(model_dir)}"
        path = folder / "model-int8.onnx"
        if not path.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            try:
                _export(model_dir, path)
            except ModelLoadError:
                raise
            except Exception as exc:
                raise ModelLoadError(
                    f"Could not export {model_dir} to ONNX ({type(exc).__name__}: {exc}). "
                    "Set NICHEMATCH_EMBEDDING__BACKEND=torch to use the model as it is."
                ) from exc
        self.path = path
        self.batch_size = batch_size
        self.dimension = int(json.loads((model_dir / "config.json").read_text())["hidden_size"])
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts``; batches hold texts of similar length to pad little."""
        order = np.argsort([-len(text) for text in texts], kind="stable")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            rows = order[start : start + self.batch_size]
            encoded = self._tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            out[rows] = self._session.run(None, feed)[0]
        return out
