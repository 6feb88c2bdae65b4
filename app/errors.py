"""The project's errors. Each message says what went wrong and how to fix it.

The CLI and the app catch :class:`NichematchError` in one place each and show its message;
anything else is a bug.
"""

from __future__ import annotations


class NichematchError(Exception):
    """Base class: a problem the user can fix, described with the fix."""

    exit_code = 1


class ConfigError(NichematchError):
    """A setting is missing or wrong."""

    exit_code = 2


class InputError(NichematchError):
    """An input file cannot be read at all (missing, empty, wrong format)."""

    exit_code = 2


class ModelLoadError(NichematchError):
    """The embedding model cannot be loaded."""

    exit_code = 2


class StoreError(NichematchError):
    """The vector store cannot be reached or used."""

    exit_code = 2


class NotFoundError(NichematchError):
    """A creator, brand or record that was asked for does not exist."""

    exit_code = 2


class LLMError(NichematchError):
    """The chat model failed, timed out or answered with unusable output."""

    exit_code = 4
