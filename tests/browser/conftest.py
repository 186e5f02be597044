"""Fixtures for the browser tests: Debian's Chromium, a served Solara app, screenshot folder.

The tests drive real Chromium through Playwright. Playwright cannot download its own browser on
an offline machine, so the tests use the system one (``/usr/bin/chromium`` or
``$INCLUSION_SIM_CHROMIUM``) and skip with a clear reason when it is absent. Run
``scripts/setup_browser_tests.sh`` first: it installs Chromium when it can and stages Solara's
front-end assets.

The server is started with its CDN pointed at a closed local port, and the browser aborts any
request that leaves 127.0.0.1, so a passing test proves the page works without internet access.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("INCLUSION_SIM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Where the server's asset proxy would go for a file that was not staged: a closed port, so a
#: missing asset fails at once instead of hanging on a network that is not there.
OFFLINE_CDN = "http://127.0.0.1:9/npm/"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def solara_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SOLARA_ASSETS_CDN=OFFLINE_CDN,
        SOLARA_TELEMETRY_MIXPANEL_ENABLE="False",
        PYTHONUNBUFFERED="1",
    )
    return env


class ServedApp:
    """A ``solara run`` subprocess on a free local port, stopped by its own PID."""

    def __init__(self, command: list[str], port: int, log_path: Path,
                 env: dict[str, str] | None = None):
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.log_path = log_path
        self._log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, env=env or solara_env(), cwd=ROOT
        )

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"server not ready after {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not found: install Debian's chromium "
            "(scripts/setup_browser_tests.sh does it as root) to run the browser tests"
        )
    pytest.importorskip("playwright", reason="playwright is not installed (the 'test' extra)")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(chromium_executable: Path) -> dict:
    """Override pytest-playwright's launch options: Debian's Chromium, headless, quiet."""
    return {"executable_path": str(chromium_executable), "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args() -> dict:
    return {"viewport": {"width": 1366, "height": 900}, "accept_downloads": True}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def offline_page(page):
    """A Playwright page that may only talk to 127.0.0.1; outside requests are recorded."""
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    page.outside_requests = outside
    page.set_default_timeout(30_000)
    yield page


def serve(app: str, name: str, artifacts: Path) -> Iterator[ServedApp]:
    pytest.importorskip("solara", reason="solara is not installed (the 'dashboard' extra)")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "solara",
        "run",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--production",
        "--no-open",
    ]
    served = ServedApp(command, port, artifacts / f"{name}-server.log")
    try:
        served.wait_ready()
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="session")
def offline_app(chromium_executable, artifacts) -> Iterator[ServedApp]:
    yield from serve(str(Path(__file__).parent / "apps" / "offline_check.py"), "offline", artifacts)


@pytest.fixture(scope="session")
def dashboard(chromium_executable, artifacts) -> Iterator[ServedApp]:
    """The dashboard, started exactly as ``inclusion-sim dashboard`` starts it."""
    pytest.importorskip("solara", reason="solara is not installed (the 'dashboard' extra)")
    from inclusion_sim.faces.dashboard.cli import build_command, server_environment

    port = free_port()
    served = ServedApp(build_command(port), port, artifacts / "dashboard-server.log",
                       env=server_environment(solara_env()))
    try:
        served.wait_ready()
        yield served
    finally:
        served.stop()
