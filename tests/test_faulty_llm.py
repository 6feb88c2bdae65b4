"""A faulty chat model never hangs the product and never takes the facts with it.

Each failure (server down, slower than the timeout, HTTP 500, malformed or empty output, a
structured reply that fails validation) is driven by a real local HTTP server that misbehaves
on purpose; every writer must return its deterministic fallback with a clear message within
the configured timeout.
"""

from __future__ import annotations

import logging
import socket
import time

import pytest

from app.drafting.brandfile import example_brand
from app.service import Nichematch
from app.settings import LLMSettings, Settings
from tests.conftest import SMALL
from tests.support.misbehaving_llm import MisbehavingLLM

pytestmark = pytest.mark.integration

TIMEOUT_S = 2.0
SENTINEL_KEY = "sk-sentinel-9f8e7d6c5b4a"


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.fixture(scope="module")
def home(tmp_path_factory, embedder):
    """A store with the small fixture, shared by the tests of this module."""
    home = tmp_path_factory.mktemp("faulty-home")
    Nichematch(Settings(home=home), embedder).ingest([SMALL])
    return home


def service_for(home, embedder, base_url: str, retries: int = 0) -> Nichematch:
    llm = LLMSettings(
        provider="compatible",
        base_url=base_url,
        model="fake",
        timeout_s=TIMEOUT_S,
        max_retries=retries,
        api_key=SENTINEL_KEY,
    )
    return Nichematch(Settings(home=home, llm=llm), embedder)


FAILURES = ["down", "slow", "http500", "malformed", "empty"]


@pytest.mark.parametrize("mode", FAILURES)
def test_outreach_falls_back_within_the_timeout(home, embedder, mode, caplog):
    caplog.set_level(logging.DEBUG)
    server = MisbehavingLLM("ok" if mode == "down" else mode, delay_s=TIMEOUT_S * 4)
    with server:
        url = closed_port_url() if mode == "down" else server.base_url
        service = service_for(home, embedder, url, retries=1)
        start = time.monotonic()
        draft = service.draft_outreach("t001", example_brand())
        elapsed = time.monotonic() - start
    assert elapsed < TIMEOUT_S * 2 + 6, f"{mode}: took {elapsed:.1f}s"
    assert draft.handle == "@stridesandsplits" and "Lena" in draft.text
    assert draft.post_id in {f"p{i}" for i in range(1, 7)}
    post_texts = SMALL.read_text().splitlines()[0]
    assert draft.text.count("“") >= 1 and draft.text.split("“")[1][:20] in post_texts
    if mode != "empty":
        assert not draft.llm.used, mode
        assert draft.llm.error and len(draft.llm.error) > 10
    assert draft.grounding.ok
    everything = draft.model_dump_json() + caplog.text
    assert SENTINEL_KEY not in everything


@pytest.mark.parametrize("mode", ["http500", "slow", "malformed"])
def test_answers_and_briefs_fall_back_too(home, embedder, mode):
    with MisbehavingLLM(mode, delay_s=TIMEOUT_S * 4) as server:
        service = service_for(home, embedder, server.base_url)
        matches = service.match(service.parse("vegan recipes").request)
        start = time.monotonic()
        answer = service.answer("who is cheapest?", matches)
        brief = service.draft_brief(example_brand(), ["t001", "t002"])
        elapsed = time.monotonic() - start
    assert elapsed < TIMEOUT_S * 2 + 8
    assert answer.text.strip()
    markdown = service.brief_markdown(brief)
    assert "@stridesandsplits" in markdown and "#ad" in markdown
    assert SENTINEL_KEY not in answer.model_dump_json() + markdown


def test_structured_output_that_fails_validation_falls_back_to_the_rules(home, embedder):
    brief = "micro yoga creators in Portugal on instagram, engagement above 3%"
    with MisbehavingLLM("invalid_structured") as server:
        service = service_for(home, embedder, server.base_url)
        parsed = service.parse(brief, parser="llm")
        assert server.requests, "the LLM was asked"
    rules = service.parse(brief, parser="rules")
    assert parsed.parser == "rules"
    assert parsed.request == rules.request
    assert parsed.request.countries == ["PT"] and parsed.request.platforms == ["instagram"]


def test_invented_facts_from_the_model_are_removed(home, embedder):
    reply = (
        "Your 98% engagement blew me away, and we will pay you $5,000 per post. "
        "Your post about the Berlin half was great, see https://evil.example/claim"
    )
    with MisbehavingLLM("ok", reply=reply) as server:
        service = service_for(home, embedder, server.base_url)
        draft = service.draft_outreach("t001", example_brand())
        sent = {k.lower(): v for k, v in server.headers_seen[0].items()}
        assert sent["authorization"] == f"Bearer {SENTINEL_KEY}"
    for invented in ("98%", "$5,000", "evil.example"):
        assert invented not in draft.text and invented not in draft.dm
    assert any("98%" in item for item in draft.grounding.unsupported)
    assert draft.grounding.actions, "what was done about it is reported"
    assert SENTINEL_KEY not in draft.model_dump_json()
