"""Options and helpers shared by the command modules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.service import Nichematch
from app.settings import load_settings

# soft_wrap: a message stays one line in a pipe or a log (tables still fit the width)
console = Console(soft_wrap=True)
console_err = Console(stderr=True, soft_wrap=True)

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home", help="Data home (default $NICHEMATCH_HOME or ~/.nichematch).", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def service(home: Path | None) -> Nichematch:
    """The service for a data home (settings from env/.env, ``--home`` wins)."""
    return Nichematch(load_settings(home=home))


def print_json(value: Any) -> None:
    """Print JSON to stdout, unstyled, one document."""
    typer.echo(json.dumps(value, ensure_ascii=False))


def progress_bar(transient: bool) -> Progress:
    """A progress bar on stderr (transient when stdout carries JSON)."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console_err,
        transient=transient,
    )
