"""The page with the real bundled model behind it: health check, a streamed answer and a draft.

The local llama.cpp server is started by the page on first use (as in production) and stopped
by the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.llm.local_server import current_server, port_open, stop_shared_server
from app.service import Nichematch
from app.settings import Settings
from tests.conftest import SMALL
from tests.test_app_flows import ask, click, open_app

pytestmark = [pytest.mark.llm, pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def local_home(isolated_env: Path, embedder, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("NICHEMATCH_LLM__PROVIDER", "local")
    monkeypatch.setenv("NICHEMATCH_LLM__MAX_TOKENS", "64")
    settings = Settings(home=isolated_env)
    Nichematch(settings, embedder).ingest([SMALL])
    yield settings
    server = current_server()
    stop_shared_server()
    assert server is None or server.port is None or not port_open(server.port)


def test_health_answer_and_draft_with_the_bundled_model(local_home: Settings) -> None:
    at = open_app()
    click(at, "check-llm")
    health = [c.value for c in at.sidebar.caption]
    assert any("local" in c and "answered in" in c for c in health), health

    ask(at, "plant-based cooking")
    ask(at, "who is cheapest?")
    answer = at.chat_message[-1].markdown[0].value.replace("\\", "")
    assert "Cheapest" in answer and "$" in answer

    click(at, "draft-t002")
    drafts = [a.value for a in at.text_area if a.key and a.key.startswith("draft-text-t002")]
    assert drafts and drafts[0].startswith("Subject:")
    assert "@plantplate" in drafts[0] or "Marco" in drafts[0]
