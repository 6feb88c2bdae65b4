"""Background loading: one service per configuration, model errors raised where it is used."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import ModelLoadError
from app.settings import EmbeddingSettings, Settings
from app.ui import warmup


def test_a_model_that_cannot_load_fails_on_use_with_its_fix() -> None:
    broken = warmup.BackgroundEmbedder(
        EmbeddingSettings(model="/nonexistent/model-folder", offline=True)
    )
    with pytest.raises(ModelLoadError, match="NICHEMATCH_EMBEDDING__OFFLINE"):
        broken.encode(["hello"])
    assert broken.ready


def test_one_service_per_configuration(isolated_env: Path) -> None:
    settings = Settings(home=isolated_env, embedding=EmbeddingSettings(model="/nowhere"))
    first = warmup.service_for(settings)
    assert warmup.service_for(Settings(home=isolated_env, embedding=settings.embedding)) is first
    other = warmup.service_for(Settings(home=isolated_env / "other", embedding=settings.embedding))
    assert other is not first
    assert other.embedder is first.embedder  # one model per embedding configuration
