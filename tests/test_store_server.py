"""Chroma as a server: data survives a restart, token auth, clear errors, switched by settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.errors import StoreError
from app.models import MatchRequest
from app.service import Nichematch
from app.settings import ChromaSettings, Settings
from retrieval.store import CreatorStore
from tests.chroma_server import ChromaServer, TokenProxy, free_port
from tests.conftest import SMALL

pytestmark = [pytest.mark.integration, pytest.mark.server]


def server_settings(settings, url: str, **chroma):
    """``settings`` pointed at a server; values are validated as if they came from the env."""
    fields = {**settings.chroma.model_dump(), "url": url, **chroma}
    return settings.model_copy(update={"chroma": ChromaSettings.model_validate(fields)})


@pytest.fixture
def server(tmp_path):
    running = ChromaServer(tmp_path / "chroma-data").start()
    yield running
    running.stop()


def test_data_survives_a_server_restart(server, settings, embedder):
    nm = Nichematch(server_settings(settings, server.url), embedder)
    nm.ingest([SMALL])
    before = [m.creator_id for m in nm.match(MatchRequest(topic="retro video game speedrun"))]
    assert before[0] == "t003"

    server.stop()
    with pytest.raises(StoreError, match="chroma run --path DIR --port PORT"):
        nm.store.count_creators()

    server.start()
    assert nm.store.count_creators() == 5  # the same client reconnects by itself
    fresh = Nichematch(server_settings(settings, server.url), embedder)
    assert (fresh.stats()["creators"], fresh.stats()["posts"]) == (5, 25)
    after = [m.creator_id for m in fresh.match(MatchRequest(topic="retro video game speedrun"))]
    assert after == before
    assert fresh.ingest([SMALL]).embedded_texts == 0


@pytest.mark.parametrize(
    ("header", "sent"),
    [("Authorization", "Bearer s3cret-token"), ("X-Chroma-Token", "s3cret-token")],
)
def test_token_reaches_the_server_and_a_wrong_one_is_refused(server, settings, header, sent):
    with TokenProxy(server.url, header, sent) as proxy:
        good = server_settings(settings, proxy.url, token="s3cret-token", token_header=header)
        store = CreatorStore(good)
        assert store.count_creators() == 0

        for token in (None, "wrong-token"):
            bad = server_settings(settings, proxy.url, token=token, token_header=header)
            with pytest.raises(StoreError) as raised:
                CreatorStore(bad)
            message = str(raised.value)
            assert "NICHEMATCH_CHROMA__TOKEN" in message
            assert "s3cret" not in message and "wrong-token" not in message
        assert proxy.refused >= 2


def test_unreachable_server_says_how_to_start_one(settings):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError, match="chroma run --path DIR --port PORT") as raised:
        CreatorStore(server_settings(settings, url))
    assert url in str(raised.value)


@pytest.mark.parametrize("url", ["localhost:8000", "tcp://db:8000", "http://db:port"])
def test_malformed_url_is_explained(settings, url):
    with pytest.raises(StoreError, match="http://host:port"):
        CreatorStore(server_settings(settings, url))


def test_the_cli_switches_to_the_server_from_the_environment(server, settings, embedder):
    Nichematch(server_settings(settings, server.url), embedder).ingest([SMALL])
    env = {**os.environ, "NICHEMATCH_CHROMA__URL": server.url}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "stats", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert (stats["creators"], stats["posts"], stats["store"]) == (5, 25, server.url)


def test_short_url_variable_is_accepted_and_the_nested_one_wins(monkeypatch):
    monkeypatch.setenv("NICHEMATCH_CHROMA_URL", "http://chroma.internal:8000")
    assert Settings().chroma.url == "http://chroma.internal:8000"
    monkeypatch.setenv("NICHEMATCH_CHROMA__URL", "http://other:9000")
    assert Settings().chroma.url == "http://other:9000"
