"""A real local HTTP server that speaks (or pretends to speak) the OpenAI chat API and
misbehaves on purpose: slow, HTTP 500, malformed JSON, empty output, or a fixed reply.

Used to show that every LLM failure gives a clear message and the deterministic fallback within
the configured timeout. It listens on 127.0.0.1 only and stops with the fixture.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODES = ("ok", "slow", "http500", "malformed", "empty", "invalid_structured")


class MisbehavingLLM:
    """Start with ``with MisbehavingLLM("http500") as server: server.base_url``."""

    def __init__(self, mode: str = "ok", reply: str = "Hello there.", delay_s: float = 30.0):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.mode = mode
        self.reply = reply
        self.delay_s = delay_s
        self.requests: list[dict[str, Any]] = []
        self.headers_seen: list[dict[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> MisbehavingLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _completion(self, content: str | None, stream: bool) -> bytes:
        if stream:
            chunks = []
            for piece in [content or ""]:
                body = {
                    "id": "x",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": "fake",
                    "choices": [
                        {
                            "index": 0,
                            "delta": {"role": "assistant", "content": piece},
                            "finish_reason": None,
                        }
                    ],
                }
                chunks.append(f"data: {json.dumps(body)}\n\n")
            end = {
                "id": "x",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "fake",
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            }
            chunks.append(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n")
            return "".join(chunks).encode()
        body = {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "fake",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        return json.dumps(body).encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # /v1/models, used by health checks
                self._send(200, json.dumps({"object": "list", "data": [{"id": "fake"}]}).encode())

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    payload = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    payload = {}
                outer.requests.append(payload)
                outer.headers_seen.append(dict(self.headers))
                stream = bool(payload.get("stream"))
                mode = outer.mode
                if mode == "slow":
                    time.sleep(outer.delay_s)
                    self._send(200, outer._completion(outer.reply, stream), stream)
                elif mode == "http500":
                    self._send(500, b'{"error": {"message": "internal error", "type": "server"}}')
                elif mode == "malformed":
                    self._send(200, b'{"choices": [ {"message": ', stream)
                elif mode == "empty":
                    self._send(200, outer._completion("", stream), stream)
                elif mode == "invalid_structured":
                    self._send(200, outer._completion('{"not": "what you asked"}', stream), stream)
                else:
                    self._send(200, outer._completion(outer.reply, stream), stream)

            def _send(self, status: int, body: bytes, stream: bool = False) -> None:
                try:
                    self.send_response(status)
                    kind = "text/event-stream" if stream else "application/json"
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler
