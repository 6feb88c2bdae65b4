"""The ``nichematch`` entry point: builds the Typer app and catches the project's errors once."""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from app.cli import bench, data, drafts, evaluation, matching
from app.cli.common import console_err
from app.errors import NichematchError

cli = typer.Typer(
    name="nichematch",
    help="Find, judge and write to niche micro-influencers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data.register(cli)
matching.register(cli)
evaluation.register(cli)
drafts.register(cli)
bench.register(cli)


def main() -> None:
    """Run the CLI; a :class:`NichematchError` is printed with its fix and sets the exit code."""
    try:
        code = cli(standalone_mode=False)
    except NichematchError as error:
        console_err.print(f"[bold red]Error:[/] {escape(str(error))}", highlight=False)
        sys.exit(error.exit_code)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        console_err.print("Aborted.")
        sys.exit(130)
    except Exception as error:  # click's usage errors
        import click

        if isinstance(error, click.ClickException):
            error.show()
            sys.exit(error.exit_code)
        raise
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
