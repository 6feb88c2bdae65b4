"""The ``nichematch`` command line. Each command group lives in its own module."""

from app.cli.main import cli, main

__all__ = ["cli", "main"]
