"""The ``eval`` command: match quality of the system and two baselines, in one run."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from app.cli.common import HomeOption, JsonOption, console, print_json, progress_bar
from app.errors import InputError
from app.evaluation import (
    evaluate,
    judgments_from_true_niches,
    load_corpus,
    read_briefs,
    read_labels,
)
from app.service import Nichematch, bundled_dataset
from app.settings import load_settings

DEFAULT_BRIEFS = Path(__file__).resolve().parent.parent.parent / "data" / "eval_briefs.tsv"
LABELS = {
    "system": "system (hybrid)",
    "dense_baseline": "dense baseline",
    "bm25_baseline": "BM25 baseline",
}


def eval_command(
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Creator file to evaluate on (default: the bundled data)."),
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option("--labels", help="`id,category` CSV (default: the corpus's own true_niches)."),
    ] = None,
    briefs: Annotated[
        Path | None,
        typer.Option("--briefs", help="`category<TAB>brief` file (default: data/eval_briefs.tsv)."),
    ] = None,
    store_dir: Annotated[
        Path | None,
        typer.Option(
            "--store-dir",
            help="Keep the evaluation store here and reuse it next time (default: a fresh "
            "temporary store, deleted afterwards).",
        ),
    ] = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Precision@10, nDCG@10, recall@50, hard-filter violations and latency, for the system and
    the dense and BM25 baselines. The corpus goes into its own store; labels are never ingested."""
    settings = load_settings(home=home)
    corpus_path = corpus or bundled_dataset()
    if corpus is not None and briefs is None:
        raise InputError("With --corpus, also give --briefs (a `category<TAB>brief` file).")
    brief_list = read_briefs(briefs or DEFAULT_BRIEFS)
    workdir = store_dir or Path(tempfile.mkdtemp(prefix="nichematch-eval-"))
    try:
        eval_settings = settings.model_copy(
            update={
                "home": workdir,
                "chroma": settings.chroma.model_copy(update={"path": None, "url": None}),
            }
        )
        data = load_corpus(corpus_path, eval_settings)
        judged = read_labels(labels) if labels else judgments_from_true_niches(data.raw)
        nm = Nichematch(eval_settings)
        with progress_bar(as_json) as bar:
            task = bar.add_task("Ingesting the corpus", total=None)
            nm.ingest(
                [corpus_path], lambda done, total: bar.update(task, completed=done, total=total)
            )
            brief_task = bar.add_task("Running briefs", total=len(brief_list))
            results = evaluate(
                nm,
                data,
                judged,
                brief_list,
                cache=workdir / "cache",
                progress=lambda done, total: bar.update(brief_task, completed=done, total=total),
            )
    finally:
        if store_dir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    results["corpus"] = str(corpus_path)
    if as_json:
        print_json(results)
        return
    _show(results)


def _show(results: dict[str, object]) -> None:
    console.print(
        f"{results['creators']:,} creators, {results['briefs']} briefs ({results['corpus']})",
        highlight=False,
    )
    table = Table()
    for column in ("ranker", "P@10", "nDCG@10", "R@50", "violations", "p50 ms", "p95 ms"):
        table.add_column(column)
    systems = results["systems"]
    assert isinstance(systems, dict)
    for name, row in systems.items():
        table.add_row(
            LABELS.get(name, name),
            f"{row['precision_at_10']:.3f}",
            f"{row['ndcg_at_10']:.3f}",
            f"{row['recall_at_50']:.3f}",
            str(row["hard_filter_violations"]),
            f"{row['latency_p50_ms']:.0f}",
            f"{row['latency_p95_ms']:.0f}",
        )
    console.print(table)


def register(cli: typer.Typer) -> None:
    """Add this module's commands."""
    cli.command("eval")(eval_command)
