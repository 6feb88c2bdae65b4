"""Shared fixtures: every test gets its own data home; the embedding model loads once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.settings import EmbeddingSettings, Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = FIXTURES / "small.jsonl"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data home at a temp dir and hide the developer's settings and keys."""
    for key in list(os.environ):
        if key.startswith("NICHEMATCH_") or key == "OPENAI_API_KEY":
            monkeypatch.delenv(key, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("NICHEMATCH_HOME", str(home))
    monkeypatch.chdir(tmp_path)  # no developer .env is read
    return home


@pytest.fixture(scope="session")
def embedder():
    """The real bundled embedding model, loaded once per test session."""
    from retrieval.embeddings import load_embedder

    return load_embedder(EmbeddingSettings())


@pytest.fixture
def settings(isolated_env: Path) -> Settings:
    """Default settings with the temp data home."""
    return Settings(home=isolated_env)
