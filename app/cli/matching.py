"""The ``match`` command: creators ranked for a brief, under hard filters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from app.cli.common import HomeOption, JsonOption, console, print_json, service
from app.errors import InputError
from app.models import Match


def _show(matches: list[Match]) -> None:
    table = Table(show_lines=False)
    columns = ("#", "creator", "platform", "followers", "tier", "ER %", "niches", "score", "why")
    for column in columns:
        table.add_column(column)
    for rank, found in enumerate(matches, start=1):
        table.add_row(
            str(rank),
            found.handle,
            found.platform,
            f"{found.followers:,}",
            found.tier,
            f"{found.engagement_rate:.2f}",
            ", ".join(found.niches),
            f"{found.score:.3f}",
            "; ".join(found.reasons[:3]),
        )
    console.print(table)


def match(
    brief: Annotated[str | None, typer.Argument(help="What the brand is looking for.")] = None,
    k: Annotated[
        int | None,
        typer.Option("--k", min=1, max=200, help="How many creators (default 10)."),
    ] = None,
    platform: Annotated[
        list[str] | None, typer.Option("--platform", help="Platform (repeatable).")
    ] = None,
    country: Annotated[
        list[str] | None, typer.Option("--country", help="ISO country code (repeatable).")
    ] = None,
    tier: Annotated[
        list[str] | None, typer.Option("--tier", help="Tier name (repeatable).")
    ] = None,
    min_followers: Annotated[int | None, typer.Option("--min-followers", min=0)] = None,
    max_followers: Annotated[int | None, typer.Option("--max-followers", min=0)] = None,
    min_er: Annotated[
        float | None,
        typer.Option("--min-er", min=0, help="Minimum engagement rate in percent (3 = 3%)."),
    ] = None,
    max_price: Annotated[
        float | None, typer.Option("--max-price", min=0, help="Budget per post in USD.")
    ] = None,
    batch: Annotated[
        Path | None, typer.Option("--batch", help="File with one brief per line.")
    ] = None,
    parser: Annotated[
        str,
        typer.Option(
            "--parser",
            help="How the brief is read: rules, llm, or auto (the LLM when one is configured).",
        ),
    ] = "auto",
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Rank creators for a plain-language brief; explicit flags override what the brief says.

    With --batch, one JSON list per brief line, in order.
    """
    if parser not in ("auto", "rules", "llm"):
        raise InputError(f"--parser {parser!r}: use rules, llm or auto.")
    nm = service(home)
    filters: dict[str, object] = dict(
        k=k,
        platforms=[p.lower() for p in platform or []],
        countries=[c.upper() for c in country or []],
        tiers=[t.lower() for t in tier or []],
        min_followers=min_followers,
        max_followers=max_followers,
        min_engagement=min_er,
        max_price_usd=max_price,
    )
    if batch is not None:
        if not batch.exists():
            raise InputError(f"{batch}: no such file; give a text file with one brief per line.")
        for line in batch.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            result = nm.match_brief(line.strip(), filters, parser)
            print_json([m.model_dump(mode="json") for m in result.matches])
            sys.stdout.flush()
        return
    if not brief or not brief.strip():
        raise InputError('Give a brief, e.g. nichematch match "vegan protein bar for runners".')
    result = nm.match_brief(brief.strip(), filters, parser)
    found = result.matches
    if as_json:
        print_json([m.model_dump(mode="json") for m in found])
        return
    console.print(
        f"Read as: topic {result.parsed.request.topic!r}"
        + ("; " + "; ".join(result.parsed.notes) if result.parsed.notes else ""),
        highlight=False,
        markup=False,
    )
    if not found and nm.store.count_creators() == 0:
        console.print("The store is empty: run `nichematch ingest` first.")
    elif not found:
        console.print("No creator matches these filters; loosen them and try again.")
    else:
        _show(found)


def register(cli: typer.Typer) -> None:
    """Add this module's commands."""
    cli.command()(match)
