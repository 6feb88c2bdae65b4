"""The store's side of talking to a Chroma server: auth headers, and errors that say the fix.

Kept apart from :mod:`retrieval.store` and :mod:`retrieval.chroma_client` (which alone import
``chromadb``): nothing here needs it.
"""

from __future__ import annotations

from typing import Any

from app.errors import StoreError
from app.settings import ChromaSettings


def server_hint(url: str) -> str:
    """What to check when the server at ``url`` cannot be used."""
    return (
        f"Start a server with `chroma run --path DIR --port PORT` and point "
        f"NICHEMATCH_CHROMA__URL at it (now {url}), check the token settings "
        "(NICHEMATCH_CHROMA__TOKEN, NICHEMATCH_CHROMA__TOKEN_HEADER), or unset "
        "NICHEMATCH_CHROMA__URL to use the embedded store."
    )


def auth_headers(chroma: ChromaSettings) -> dict[str, str]:
    """The token as the server expects it: ``Authorization: Bearer T`` or ``X-Chroma-Token: T``."""
    if chroma.token is None:
        return {}
    token = chroma.token.get_secret_value()
    if chroma.token_header == "Authorization":
        return {"Authorization": f"Bearer {token}"}
    return {chroma.token_header: token}


class Guarded:
    """A Chroma collection whose failures become :class:`StoreError` with the fix.

    With a server, any call can fail because the server went away; the raw client error
    (a connection refused deep in httpx) would not tell the user what to do.
    """

    def __init__(self, collection: Any, hint: str) -> None:
        self._collection = collection
        self._hint = hint

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._collection, name)
        if not callable(method):
            return method

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except Exception as exc:
                raise StoreError(
                    f"Chroma failed to {name} in {self._collection.name} "
                    f"({type(exc).__name__}: {exc}). {self._hint}"
                ) from exc

        return call
