"""The app as a marketer meets it: ``streamlit run`` started, a page opened in a real browser,
a request typed, the first match cards drawn. Times each step (``nichematch bench-app``) and
gives the end-to-end browser test the same server and browser set-up.

The browser is Debian's Chromium (``apt-get install chromium``) driven by Playwright for Python
(a development dependency); nothing is downloaded at run time.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent.parent
APP_SCRIPT = ROOT / "streamlit_app.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: The product's target: first match cards within this many seconds of opening the page.
FIRST_MATCHES_TARGET_S = 10.0


@dataclass
class RunningApp:
    """A ``streamlit run`` process serving the app on a loopback port."""

    url: str
    process: subprocess.Popen[bytes]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


@contextmanager
def serve_app(
    env: dict[str, str], log: Path, cwd: Path = ROOT, timeout: float = 90
) -> Iterator[RunningApp]:
    """``streamlit run streamlit_app.py`` on a free loopback port until the block ends; run
    from ``cwd`` (Streamlit reads ``.streamlit/config.toml`` there), output into ``log``."""
    if not APP_SCRIPT.is_file():
        raise ConfigError(
            f"{APP_SCRIPT} is missing: run this from a checkout of the project (make run)."
        )
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_SCRIPT),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**env, "PYTHONPATH": str(ROOT)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, process, timeout)
            yield RunningApp(url, process)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=15)


def browser_problem() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    if not CHROMIUM.exists():
        return "Chromium is not installed: run `apt-get install chromium chromium-driver`"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: pip install -e '.[dev]'"
    return None


@contextmanager
def open_browser() -> Iterator[Any]:
    """A headless Chromium (Debian's) driven by Playwright; yields the browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def ask_first_matches(
    page: Any, url: str, request: str, timeout_s: float = 120
) -> dict[str, float]:
    """Open the app, type ``request``, wait for the first match card; seconds from opening."""
    from playwright.sync_api import expect

    opened = time.monotonic()
    page.goto(url)
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_visible(timeout=timeout_s * 1000)
    ready = time.monotonic() - opened
    box.fill(request)
    box.press("Enter")
    expect(page.locator("[class*='st-key-card-']").first).to_be_visible(timeout=timeout_s * 1000)
    return {"page_ready_s": round(ready, 2), "first_matches_s": round(time.monotonic() - opened, 2)}


def measure_app(
    env: dict[str, str], workdir: Path, request: str, wait_after_start_s: float = 0.0
) -> dict[str, Any]:
    """Start the app, open it ``wait_after_start_s`` after the server answers, time the first
    matches. The server's CPU seconds from its start to the first matches are reported too."""
    problem = browser_problem()
    if problem:
        raise ConfigError(f"{problem}; the app timing needs a real browser.")
    with serve_app(env, workdir / "streamlit.log") as running:
        started = time.monotonic()
        with open_browser() as browser:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            time.sleep(max(0.0, wait_after_start_s - (time.monotonic() - started)))
            timing = ask_first_matches(page, running.url, request)
        timing["server_cpu_s"] = round(running.cpu_seconds(), 2)
    return timing
