"""The ``bench`` command: where the time goes, at the sizes asked for."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from app.benchmark import BenchOptions, run_benchmark
from app.cli.common import HomeOption, JsonOption, console, console_err, print_json, service
from app.errors import ConfigError
from app.settings import load_settings

TARGETS = (
    ("ingest_ratio", "ingest / raw encode", ">= 0.90"),
    ("reingest_speedup", "unchanged re-ingest speed-up", ">= 20x"),
    ("reingest_embedded", "texts embedded on re-ingest", "0"),
    ("encode_texts_per_s", "raw encode, texts/s", ""),
    ("ingest_texts_per_s", "ingest, texts/s", ""),
    ("llm_ttft_ms", "LLM time to first token, ms", ""),
    ("llm_tokens_per_s", "LLM tokens/s", ""),
)
SIZE_COLUMNS = (
    "creators",
    "posts",
    "match_p50_ms",
    "match_p95_ms",
    "match_p99_ms",
    "filtered_p95_ms",
    "peak_rss_mb",
)


def _sizes(text: str) -> list[int]:
    try:
        return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ConfigError(
            f"--sizes {text!r}: give creator counts separated by commas, e.g. 10000,100000"
        ) from None


def _show(result: dict[str, Any]) -> None:
    table = Table(title="Throughput")
    for column in ("figure", "value", "target"):
        table.add_column(column)
    for key, label, target in TARGETS:
        table.add_row(label, str(result.get(key)), target)
    console.print(table)
    sizes = Table(title="Matching (no LLM) by store size")
    for column in SIZE_COLUMNS:
        sizes.add_column(column)
    for row in result["sizes"].values():
        sizes.add_row(*(f"{row.get(column, '')}" for column in SIZE_COLUMNS))
    console.print(sizes)
    if result.get("llm_note"):
        console.print(f"LLM: {result['llm_note']}", highlight=False, markup=False)
    machine = result["machine"]
    console.print(
        f"Load average {machine['load_avg_start']} → {machine['load_avg_end']} on "
        f"{machine['cpus']} CPUs: on a shared machine compare ratios and medians.",
        highlight=False,
    )


def bench(
    sizes: Annotated[
        str, typer.Option("--sizes", help="Store sizes in creators, comma-separated.")
    ] = "10000,100000",
    seed: Annotated[int, typer.Option("--seed", help="Generator seed.")] = 7,
    throughput_creators: Annotated[
        int,
        typer.Option("--throughput-creators", min=10, help="Creators for encode vs ingest."),
    ] = 300,
    queries: Annotated[
        int, typer.Option("--queries", min=5, help="Timed matches per size and kind.")
    ] = 40,
    large_posts: Annotated[
        int,
        typer.Option(
            "--large-posts",
            min=0,
            help="Posts kept per creator in sizes above --full-posts-up-to (0 = all).",
        ),
    ] = 1,
    full_posts_up_to: Annotated[
        int, typer.Option("--full-posts-up-to", help="Sizes up to this keep every post.")
    ] = 10_000,
    cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache", help="Keep built stores under <home>/bench for later runs."
        ),
    ] = True,
    llm: Annotated[bool, typer.Option("--llm/--no-llm", help="Time one outreach draft.")] = True,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Measure encode vs ingest, re-ingest, match latency and memory by size, and the LLM."""
    options = BenchOptions(
        sizes=_sizes(sizes),
        seed=seed,
        throughput_creators=throughput_creators,
        queries=queries,
        full_posts_up_to=full_posts_up_to,
        large_posts=large_posts or None,
        cache=cache,
        llm=llm,
    )
    result = run_benchmark(
        load_settings(home=home), options, lambda text: console_err.print(text, highlight=False)
    )
    if as_json:
        print_json(result)
    else:
        _show(result)


def bench_app(
    request: Annotated[
        str, typer.Option("--request", help="What to type into the chat.")
    ] = "vegan food creators with good engagement",
    runs: Annotated[int, typer.Option("--runs", min=1, help="Fresh app servers to time.")] = 3,
    wait: Annotated[
        float,
        typer.Option(
            "--wait", min=0, help="Seconds between the server answering and the page opening."
        ),
    ] = 0.0,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Time the app in a real headless browser: page ready and first match cards, from opening.

    Each run starts ``streamlit run`` afresh on the data home (ingest it first), opens the page
    ``--wait`` seconds after the server answers, types ``--request`` and waits for the first card.
    """
    import os
    import statistics
    import tempfile
    from pathlib import Path

    from app.benchmark.app_start import FIRST_MATCHES_TARGET_S, measure_app

    nm = service(home)
    settings = nm.settings
    if not nm.store.count_creators():
        raise ConfigError(
            f"The store under {settings.home} holds no creators: run `nichematch ingest` first."
        )
    env = {**os.environ, "NICHEMATCH_HOME": str(settings.home)}
    timings = []
    for number in range(1, runs + 1):
        with tempfile.TemporaryDirectory(prefix="nichematch-app-") as temp:
            timing = measure_app(env, Path(temp), request, wait_after_start_s=wait)
        console_err.print(f"run {number}: {timing}", highlight=False)
        timings.append(timing)
    result = {
        "runs": timings,
        "first_matches_median_s": statistics.median(t["first_matches_s"] for t in timings),
        "page_ready_median_s": statistics.median(t["page_ready_s"] for t in timings),
        "target_first_matches_s": FIRST_MATCHES_TARGET_S,
        "wait_after_start_s": wait,
        "load_avg": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    if as_json:
        print_json(result)
        return
    console.print(
        f"First matches {result['first_matches_median_s']} s after opening the page (median of "
        f"{runs}; target {FIRST_MATCHES_TARGET_S} s); "
        f"page ready {result['page_ready_median_s']} s. "
        f"Load average {result['load_avg']} on {result['cpus']} CPUs.",
        highlight=False,
    )


def register(cli: typer.Typer) -> None:
    """Add this module's commands."""
    cli.command()(bench)
    cli.command("bench-app")(bench_app)
