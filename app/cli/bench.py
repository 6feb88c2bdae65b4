"""The ``bench`` command: where the time goes, at the sizes asked for."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from app.benchmark import BenchOptions, run_benchmark
from app.cli.common import HomeOption, JsonOption, console, console_err, print_json
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


def register(cli: typer.Typer) -> None:
    """Add this module's commands."""
    cli.command()(bench)
