"""``nichematch bench``: one run of every measurement, as one JSON-able object."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.benchmark.phases import measure_throughput
from app.benchmark.workload import SizeSpec
from app.errors import ConfigError, NichematchError
from app.service import Nichematch
from app.settings import Settings
from retrieval.embeddings import Embedder, load_embedder

Say = Callable[[str], None]


@dataclass
class BenchOptions:
    """What one benchmark run measures."""

    sizes: list[int]
    seed: int = 7
    throughput_creators: int = 300
    queries: int = 40
    full_posts_up_to: int = 10_000
    large_posts: int | None = 1
    cache: bool = True
    llm: bool = True

    def spec(self, size: int) -> SizeSpec:
        """A size with its posts cap: every post up to ``full_posts_up_to`` creators."""
        cap = None if size <= self.full_posts_up_to else self.large_posts
        return SizeSpec(size, self.seed, cap)


def _isolated(settings: Settings, home: Path) -> Settings:
    """``settings`` with an embedded store in a throwaway data home."""
    chroma = settings.chroma.model_copy(update={"url": None, "path": None})
    return settings.model_copy(update={"home": home, "chroma": chroma})


def _child(args: list[str], env_home: Path) -> dict[str, Any]:
    """Run one phase in a child process and return the JSON it prints last."""
    command = [sys.executable, "-m", "app.benchmark", *args, "--home", str(env_home)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise NichematchError(
            f"The benchmark step `{' '.join(args)}` failed (exit {done.returncode}); its "
            "messages are above. Rerun `nichematch bench`: a store build resumes where it stopped."
        )
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _llm(service: Nichematch) -> dict[str, Any]:
    measure = getattr(service, "measure_llm", None)
    if measure is None:
        return {"llm_ttft_ms": None, "llm_tokens_per_s": None, "llm_note": "no LLM measurement"}
    try:
        found = measure()
    except NichematchError as error:
        return {"llm_ttft_ms": None, "llm_tokens_per_s": None, "llm_note": str(error)}
    finally:
        from app.llm.local_server import stop_shared_server

        stop_shared_server()
    ttft = None if found.first_token_s is None else round(found.first_token_s * 1000, 1)
    return {
        "llm_ttft_ms": ttft,
        "llm_tokens_per_s": found.tokens_per_s,
        "llm_note": f"{found.provider} {found.model or ''}".strip()
        + (f", server start {found.server_start_s} s" if found.server_start_s else ""),
    }


def run_benchmark(
    settings: Settings, options: BenchOptions, say: Say, embedder: Embedder | None = None
) -> dict[str, Any]:
    """Every measurement of one run; the data lives in temp dirs or the benchmark cache."""
    if not options.sizes or any(size < 1 for size in options.sizes):
        raise ConfigError("Give --sizes as positive creator counts, e.g. --sizes 10000,100000")
    load_start = os.getloadavg()[0]
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="nichematch-bench-") as temp:
        scratch = _isolated(settings, Path(temp) / "home")
        say(f"Encode vs ingest on {options.throughput_creators:,} generated creators…")
        embedder = embedder or load_embedder(settings.embedding)
        throughput = measure_throughput(
            scratch, embedder, options.throughput_creators, options.seed
        )
        result.update(throughput.as_dict())

        cache_home = settings.home if options.cache else Path(temp) / "cache"
        sizes: dict[str, Any] = {}
        for size in options.sizes:
            spec = options.spec(size)
            posts = "all" if spec.posts_per_creator is None else str(spec.posts_per_creator)
            args = ["--size", str(size), "--seed", str(options.seed), "--posts", posts]
            say(f"Store of {size:,} creators (posts per creator: {posts})…")
            built = _child(["build", *args], cache_home)
            say(f"Matching at {size:,} creators…")
            timed = _child(["measure", *args, "--queries", str(options.queries)], cache_home)
            sizes[str(size)] = {**timed, **built}
        result["sizes"] = sizes

        if options.llm:
            say("LLM: one outreach draft on the active provider…")
            result.update(_llm(Nichematch(scratch, embedder)))
        else:
            result.update({"llm_ttft_ms": None, "llm_tokens_per_s": None, "llm_note": "skipped"})
    result["machine"] = {
        "cpus": os.cpu_count(),
        "load_avg_start": round(load_start, 2),
        "load_avg_end": round(os.getloadavg()[0], 2),
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    result["embedding"] = {
        "model": settings.embedding.model,
        "backend": settings.embedding.resolved_backend,
        "batch_size": settings.embedding.batch_size,
    }
    return result
