"""Commands that write: ``draft outreach``, ``draft brief``, ``ask``, and ``llm status``."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import HomeOption, JsonOption, console_err, print_json, service
from app.errors import InputError
from app.models import BrandProfile, GroundingReport, LLMUse

BrandOption = Annotated[
    Path,
    typer.Option("--brand", help="Brand profile YAML (see data/brand.example.yaml)."),
]
OptionalBrand = Annotated[
    Path | None,
    typer.Option("--brand", help="Brand profile YAML (see data/brand.example.yaml)."),
]

draft_cli = typer.Typer(help="Write outreach drafts and campaign briefs.", no_args_is_help=True)
llm_cli = typer.Typer(help="The chat model: which one is active, and how fast.")


def _brand(path: Path) -> BrandProfile:
    from app.drafting.brandfile import load_brand

    return load_brand(path)


def _echo_stream(chunks: Iterable[str]) -> None:
    for chunk in chunks:
        sys.stdout.write(chunk)
        sys.stdout.flush()
    sys.stdout.write("\n")


def _report(grounding: GroundingReport, llm: LLMUse) -> None:
    """How the text was made, on stderr (stdout keeps only the text)."""
    model = f"{llm.provider} {llm.model or ''}".strip()
    used = f"written in part by {model}" if llm.used else f"no model text ({model})"
    state = "ok" if grounding.ok else "NOT OK"
    console_err.print(
        f"grounding: {state}, {grounding.checked} checkable items; {used}",
        highlight=False,
        markup=False,
    )
    for line in [llm.error or "", *grounding.actions, *grounding.unsupported]:
        if line:
            console_err.print(f"  - {line}", highlight=False, markup=False)


@draft_cli.command("outreach")
def outreach(
    creator_id: Annotated[str, typer.Argument(help="The creator's id (from `match --json`).")],
    brand: BrandOption,
    post: Annotated[
        str | None, typer.Option("--post", help="Open with this post id (default: best fit).")
    ] = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """An outreach e-mail and DM to one creator, every fact checked against the data."""
    stream = service(home).draft_outreach_stream(creator_id, _brand(brand), post)
    if as_json:
        print_json(stream.result().model_dump(mode="json"))
        return
    _echo_stream(stream)
    draft = stream.result()
    typer.echo(f"\nSubject: {draft.subject}\nDM: {draft.dm}")
    opening = draft.facts["opening_post_id"]
    console_err.print(
        f"opening refers to post {opening} ({draft.facts['opening_post_reason']})",
        highlight=False,
        markup=False,
    )
    for flag in draft.facts.get("flags", []):
        console_err.print(f"  warning: {flag}", highlight=False, markup=False)
    _report(draft.grounding, draft.llm)


@draft_cli.command("brief")
def brief(
    brand: BrandOption,
    creators: Annotated[
        str, typer.Option("--creators", help="Comma-separated creator ids of the shortlist.")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the Markdown to this file.")
    ] = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """A campaign brief for a brand and a shortlist, as Markdown (or JSON)."""
    ids = [part.strip() for part in creators.split(",") if part.strip()]
    if not ids:
        raise InputError("Give creator ids, e.g. --creators c0001,c0042.")
    nm = service(home)
    stream = nm.draft_brief_stream(_brand(brand), ids)
    if as_json:
        result = stream.result()
        print_json({**result.model_dump(mode="json"), "markdown": nm.brief_markdown(result)})
    else:
        _echo_stream(stream)
        result = stream.result()
        _report(result.grounding, result.llm)
    if out is not None:
        out.write_text(nm.brief_markdown(result), encoding="utf-8")
        console_err.print(f"wrote {out}", highlight=False, markup=False)


def ask(
    question: Annotated[str, typer.Argument(help="A question about the matches.")],
    brand: OptionalBrand = None,
    brief_text: Annotated[
        str | None,
        typer.Option("--brief", help="What to match on (default: the brand's product)."),
    ] = None,
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many creators to match.")] = 10,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer a question about the creators matched for a brief or brand, from their data."""
    if not question.strip():
        raise InputError('Ask something, e.g. nichematch ask "who is cheapest?" --brief "vegan".')
    profile = _brand(brand) if brand else None
    topic = brief_text or (f"{profile.product} {profile.description}".strip() if profile else "")
    nm = service(home)
    matches = nm.match(nm.parse(topic or question, k=k).request)
    stream = nm.answer_stream(question, matches, profile)
    if as_json:
        print_json(stream.result().model_dump(mode="json"))
        return
    _echo_stream(stream)
    answer = stream.result()
    _report(answer.grounding, answer.llm)


@llm_cli.command("status")
def status(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """Which provider is active and whether it answers (exit code 4 when it does not)."""
    result = service(home).llm_status()
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        for key in ("provider", "model", "base_url", "ok", "detail"):
            typer.echo(f"{key:>9}: {getattr(result, key)}")
    if not result.ok:
        raise typer.Exit(4)


@llm_cli.command("measure")
def measure(
    creator_id: Annotated[
        str | None, typer.Option("--creator", help="Creator id (default: the first stored).")
    ] = None,
    brand: OptionalBrand = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Server start, time to first token and tokens/s of one outreach draft."""
    result = service(home).measure_llm(creator_id, _brand(brand) if brand else None)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    for key, value in result.model_dump().items():
        typer.echo(f"{key:>15}: {value}")


def register(cli: typer.Typer) -> None:
    """Add this module's commands."""
    cli.add_typer(draft_cli, name="draft")
    cli.add_typer(llm_cli, name="llm")
    cli.command()(ask)
