"""Commands that put creators into the store and report on it: ingest, stats, generate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import (
    HomeOption,
    JsonOption,
    console,
    console_err,
    print_json,
    progress_bar,
    service,
)

EXIT_SOME_REJECTED = 3
EXIT_NOTHING_READ = 2


def ingest(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Creator files (JSONL, JSON array or CSV). Default: the bundled data."),
    ] = None,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the store already has creators.")
    ] = False,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Validate creator files, embed what changed, and upsert into the store."""
    nm = service(home)
    if if_empty and nm.store.count_creators() > 0:
        nm.embedder  # noqa: B018 - loads the model now (an onnx-int8 export is made once)
        current = nm.vectors_current()
        if as_json:
            print_json(
                {
                    "ingested": 0,
                    "rejected": 0,
                    "rejects_file": None,
                    "skipped": "store not empty",
                    "vectors_current": current,
                }
            )
        else:
            console.print(
                f"The store already holds {nm.store.count_creators():,} creators; nothing to do."
            )
        if current is False:
            console_err.print(
                f"Warning: the store was embedded with another model or backend than "
                f"{nm.settings.embedding.identity}; matches stay approximate until you run "
                "`nichematch ingest FILE ...` again (it re-embeds), or set "
                "NICHEMATCH_EMBEDDING__BACKEND to the one the store was built with.",
                highlight=False,
                markup=False,
            )
        return
    with progress_bar(as_json) as bar:
        task = bar.add_task("Ingesting creators", total=None)

        def on_progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = nm.ingest(list(paths) if paths else None, on_progress)
    if as_json:
        print_json(report.summary())
    else:
        console.print(
            f"Ingested {report.ingested:,} creators ({report.unchanged:,} unchanged), "
            f"embedded {report.embedded_texts:,} texts, "
            f"removed {report.deleted_posts:,} stale posts."
        )
        if report.repairs:
            console.print(
                f"Repaired {len(report.repairs):,} records (see the rejects file for details)."
            )
        for reject in report.rejects[:10]:
            console_err.print(
                f"  line {reject.line} of {reject.file}: {reject.reason}",
                highlight=False,
                markup=False,
            )
        if report.rejects:
            console_err.print(
                f"Rejected {report.rejected:,} records; all reasons are in {report.rejects_file}",
                highlight=False,
            )
    if report.rejected and report.ingested == 0:
        console_err.print("No record could be taken: fix the file as the reasons say and rerun.")
        raise typer.Exit(EXIT_NOTHING_READ)
    if report.rejected:
        raise typer.Exit(EXIT_SOME_REJECTED)


def stats(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """What the store holds: creators, post documents, model and location."""
    figures = service(home).stats()
    if as_json:
        print_json(figures)
        return
    for key, value in figures.items():
        console.print(f"{key:>16}: {value}", highlight=False)


def generate(
    out: Annotated[Path, typer.Option("--out", help="JSONL file to write.")],
    n: Annotated[int, typer.Option("--n", min=1, help="How many creators.")] = 1500,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 7,
    home: HomeOption = None,
) -> None:
    """Write a synthetic creator dataset with the bundled seeded generator."""
    from app.datagen import write_jsonl

    count = write_jsonl(out, n, seed)
    console.print(f"Wrote {count:,} creators to {out}")


def register(cli: typer.Typer) -> None:
    """Add this module's commands."""
    cli.command()(ingest)
    cli.command()(stats)
    cli.command()(generate)
