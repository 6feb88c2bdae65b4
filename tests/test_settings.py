"""Settings come from the environment with the NICHEMATCH_ prefix."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.settings import Settings, load_settings


def test_env_prefix_and_nested_values(monkeypatch, tmp_path):
    monkeypatch.setenv("NICHEMATCH_HOME", str(tmp_path / "h"))
    monkeypatch.setenv("NICHEMATCH_TIERS__MICRO", "5000")
    monkeypatch.setenv("NICHEMATCH_EMBEDDING__MODEL", "some/other-model")
    settings = Settings()
    assert settings.home == tmp_path / "h"
    assert settings.tiers.micro == 5000
    assert settings.embedding.model == "some/other-model"
    assert settings.chroma_path == tmp_path / "h" / "chroma"


def test_override_wins_over_env(monkeypatch, tmp_path):
    monkeypatch.setenv("NICHEMATCH_HOME", str(tmp_path / "env"))
    assert load_settings(home=tmp_path / "flag").home == tmp_path / "flag"


def test_invalid_tiers_say_how_to_fix(monkeypatch):
    monkeypatch.setenv("NICHEMATCH_TIERS__MICRO", "10")
    with pytest.raises(ValidationError, match="NICHEMATCH_TIERS"):
        Settings()


def test_api_key_is_secret(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-sentinel-123")
    settings = Settings()
    assert settings.openai_api_key.get_secret_value() == "sk-sentinel-123"
    assert "sk-sentinel-123" not in repr(settings)
