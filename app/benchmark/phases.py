"""The benchmark's measurements, each on its own: encode vs ingest, building a size, matching.

Building and matching at a size run in child processes (``python -m app.benchmark``), so each
one's peak resident memory is its own and not the sum of everything the benchmark did before.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.benchmark.workload import SizeSpec, cache_root, requests, write_creators
from app.ingest import IngestReport, bio_text, parse_files
from app.models import MatchRequest
from app.service import Nichematch
from app.settings import Settings
from retrieval.embeddings import Embedder

BUILT_MARKER = "built.json"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB.

    Linux's ``VmHWM`` belongs to the process image, while ``ru_maxrss`` survives ``exec`` and
    so would report the parent's memory for a child started from a big parent.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) with linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class CountingEmbedder:
    """An embedder that counts the texts it embeds."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.texts = 0

    def encode(self, texts: Any) -> Any:
        self.texts += len(texts)
        return self.inner.encode(texts)


@dataclass
class Throughput:
    """Encode vs ingest on the same texts, and an unchanged re-ingest."""

    texts: int
    encode_texts_per_s: float
    ingest_texts_per_s: float
    ingest_s: float
    reingest_s: float
    reingest_embedded: int

    def as_dict(self) -> dict[str, Any]:
        ratio = self.ingest_texts_per_s / self.encode_texts_per_s
        return {
            "throughput_texts": self.texts,
            "encode_texts_per_s": round(self.encode_texts_per_s, 1),
            "ingest_texts_per_s": round(self.ingest_texts_per_s, 1),
            "ingest_ratio": round(ratio, 3),
            "ingest_s": round(self.ingest_s, 2),
            "reingest_s": round(self.reingest_s, 3),
            "reingest_speedup": round(self.ingest_s / max(self.reingest_s, 1e-9), 1),
            "reingest_embedded": self.reingest_embedded,
        }


def _texts(path: Path) -> list[str]:
    """The texts an ingest of ``path`` embeds: every post, then every bio."""
    report = IngestReport()
    creators = [parsed.creator for parsed in parse_files([path], report)]
    posts = [post.text for creator in creators for post in creator.posts]
    return posts + [bio_text(creator) for creator in creators]


def _encode_rate(embedder: Embedder, texts: list[str], chunk: int) -> float:
    started = time.perf_counter()
    for start in range(0, len(texts), chunk):
        embedder.encode(texts[start : start + chunk])
    return len(texts) / (time.perf_counter() - started)


def measure_throughput(
    settings: Settings, embedder: Embedder, creators: int, seed: int
) -> Throughput:
    """Raw encode rate vs end-to-end ingest rate on the same generated creators.

    The raw rate is measured before and after the ingest, in the same chunks the ingest hands
    the model, and the two are averaged: on a shared machine load drifts during a run.
    """
    data = settings.home / "throughput.jsonl"
    data.parent.mkdir(parents=True, exist_ok=True)
    write_creators(data, creators, seed + 1, None)  # other creators than any cached store
    texts = _texts(data)
    embedder.encode(texts[:64])  # warm up: first calls allocate
    chunk = max(len(texts) // max(creators // 128, 1), 1)
    before = _encode_rate(embedder, texts, chunk)

    counting = CountingEmbedder(embedder)
    service = Nichematch(settings, counting)
    started = time.perf_counter()
    first = service.ingest([data])
    ingest_s = time.perf_counter() - started

    after = _encode_rate(embedder, texts, chunk)
    counting.texts = 0
    started = time.perf_counter()
    again = service.ingest([data])
    reingest_s = time.perf_counter() - started
    return Throughput(
        texts=first.embedded_texts,
        encode_texts_per_s=(before + after) / 2,
        ingest_texts_per_s=first.embedded_texts / ingest_s,
        ingest_s=ingest_s,
        reingest_s=reingest_s,
        reingest_embedded=max(again.embedded_texts, counting.texts),
    )


def build_size(settings: Settings, spec: SizeSpec) -> dict[str, Any]:
    """Build (or finish building) the cached store of one size; returns what it holds."""
    folder = cache_root(settings) / spec.key(settings)
    marker = folder / BUILT_MARKER
    if marker.exists():
        return {**json.loads(marker.read_text()), "cached": True}
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "creators.jsonl"
    write_creators(data, spec.creators, spec.seed, spec.posts_per_creator)
    service = Nichematch(_size_settings(settings, folder))
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 30 or done == total:
            last[0] = time.monotonic()
            print(f"  building {spec.creators:,}: {done:,}/{total:,} creators", file=sys.stderr)

    started = time.perf_counter()
    report = service.ingest([data], progress)
    built = {
        "creators": service.store.count_creators(),
        "posts": service.store.count_posts(),
        "posts_per_creator": spec.posts_per_creator,
        "build_s": round(time.perf_counter() - started, 1),
        "build_embedded": report.embedded_texts,
        "build_peak_rss_mb": peak_rss_mb(),
    }
    data.unlink()
    marker.write_text(json.dumps(built))
    return {**built, "cached": False}


def _size_settings(settings: Settings, folder: Path) -> Settings:
    """``settings`` with the data home and an embedded store inside ``folder``."""
    chroma = settings.chroma.model_copy(update={"url": None, "path": folder / "chroma"})
    return settings.model_copy(update={"home": folder / "home", "chroma": chroma})


def _latencies(service: Nichematch, batch: list[MatchRequest]) -> list[float]:
    out = []
    for request in batch:
        started = time.perf_counter()
        service.match(request)
        out.append((time.perf_counter() - started) * 1000)
    return out


def measure_matching(settings: Settings, spec: SizeSpec, queries: int) -> dict[str, Any]:
    """Match latency without an LLM, with and without hard filters, and peak memory."""
    folder = cache_root(settings) / spec.key(settings)
    service = Nichematch(_size_settings(settings, folder))
    started = time.perf_counter()
    for request in requests(3, False) + requests(3, True):  # warm up: model, caches
        service.match(request)
    warmup_s = time.perf_counter() - started
    plain = _latencies(service, requests(queries, False))
    filtered = _latencies(service, requests(queries, True))
    return {
        "match_p50_ms": round(percentile(plain, 50), 1),
        "match_p95_ms": round(percentile(plain, 95), 1),
        "match_p99_ms": round(percentile(plain, 99), 1),
        "filtered_p50_ms": round(percentile(filtered, 50), 1),
        "filtered_p95_ms": round(percentile(filtered, 95), 1),
        "filtered_p99_ms": round(percentile(filtered, 99), 1),
        "queries": queries,
        "warmup_s": round(warmup_s, 2),
        "peak_rss_mb": peak_rss_mb(),
    }
