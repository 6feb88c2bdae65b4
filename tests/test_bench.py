"""The benchmark: its arithmetic and options (unit), and one tiny real run (not timed)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.benchmark.phases import percentile
from app.benchmark.runner import BenchOptions
from app.benchmark.workload import FILTERS, SizeSpec, requests
from app.cli.bench import _sizes
from app.errors import ConfigError
from app.settings import EmbeddingSettings, Settings

TOP_KEYS = {
    "encode_texts_per_s",
    "ingest_texts_per_s",
    "ingest_ratio",
    "reingest_speedup",
    "reingest_embedded",
    "llm_ttft_ms",
    "llm_tokens_per_s",
    "sizes",
}
SIZE_KEYS = {"match_p50_ms", "match_p95_ms", "match_p99_ms", "filtered_p95_ms", "peak_rss_mb"}


def test_percentile_interpolates():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile([7.0], 99) == 7.0


def test_sizes_option_parses_and_explains():
    assert _sizes("10000,100_000") == [10_000, 100_000]
    with pytest.raises(ConfigError, match="10000,100000"):
        _sizes("10k")


def test_large_sizes_cap_posts_and_caches_apart():
    options = BenchOptions(sizes=[10_000, 100_000], large_posts=2)
    assert options.spec(10_000).posts_per_creator is None
    assert options.spec(100_000).posts_per_creator == 2
    torch = Settings(home="/tmp/x", embedding=EmbeddingSettings(backend="torch"))
    onnx = Settings(home="/tmp/x", embedding=EmbeddingSettings(backend="onnx-int8"))
    keys = {
        options.spec(10_000).key(torch),
        options.spec(100_000).key(torch),
        SizeSpec(10_000, 8, None).key(torch),
        options.spec(10_000).key(onnx),
    }
    assert len(keys) == 4


def test_filtered_requests_cycle_every_filter():
    batch = requests(6, filtered=True)
    assert [r.platforms for r in batch[:3]] == [f.get("platforms", []) for f in FILTERS]
    assert all(r.min_followers is None for r in requests(3, filtered=False))


@pytest.mark.integration
@pytest.mark.slow
def test_tiny_bench_run_reports_every_key_and_reingests_nothing(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "bench",
            "--sizes",
            "12",
            "--throughput-creators",
            "10",
            "--queries",
            "5",
            "--no-llm",
            "--no-cache",
            "--json",
            "--home",
            str(tmp_path / "home"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert set(result) >= TOP_KEYS
    assert result["reingest_embedded"] == 0
    assert result["ingest_texts_per_s"] > 0 and result["encode_texts_per_s"] > 0
    assert result["reingest_speedup"] > 1
    row = result["sizes"]["12"]
    assert set(row) >= SIZE_KEYS
    assert row["creators"] == 12 and row["posts"] >= 12 * 6
    assert row["match_p50_ms"] <= row["match_p95_ms"] <= row["match_p99_ms"]
    assert 50 < row["peak_rss_mb"] < 8000
    assert result["llm_ttft_ms"] is None and result["llm_note"] == "skipped"
    assert not (tmp_path / "home" / "bench").exists()  # --no-cache leaves nothing behind
