"""Shared fixtures: a database built from the embedded record, a served dashboard, a browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bestbits import config
from bestbits.load.build import build
from dashboards.data import DashboardData

CHROMIUM = Path(os.environ.get("BESTBITS_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).parent / "artifacts"
IN_CI = os.environ.get("CI", "").lower() == "true"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """The database built from the embedded curated record only (an empty data folder)."""
    folder = tmp_path_factory.mktemp("embedded")
    db = folder / "bestbits.duckdb"
    build(folder, db, progress=lambda _m: None)
    return db


@pytest.fixture(scope="module")
def data(built_db) -> Iterator[DashboardData]:
    """The pages' data reader on the embedded database, one per test module (as a kernel has one)."""
    data = DashboardData(built_db)
    yield data
    data.con.close()


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def descendant_pids(root: int) -> set[int]:
    """Every process below ROOT, from /proc (children of children included)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


class DashboardServer:
    def __init__(self, db: Path, log: Path):
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bestbits.cli", "serve", "--db", str(db),
             "--port", str(self.port)],
            stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=config.REPO_ROOT,
            start_new_session=True)
        wait_for_http(self.url, self.process)

    def kernel_pids(self) -> set[int]:
        """The kernels this server runs now: its descendant processes that are IPython kernels
        (Voila has no kernel listing, so they are counted on the machine)."""
        return {pid for pid in descendant_pids(self.process.pid)
                if b"ipykernel" in _cmdline(pid)}

    def stable_kernel_pids(self, quiet_seconds: float = 4, timeout: float = 120) -> set[int]:
        """The kernels once none has started or stopped for QUIET_SECONDS (the pool refilled)."""
        deadline = time.monotonic() + timeout
        last, since = self.kernel_pids(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.kernel_pids()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet_seconds:
                return now
        raise TimeoutError(f"the kernels did not settle within {timeout} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)


@pytest.fixture(scope="session")
def dashboard(built_db, tmp_path_factory) -> Iterator[DashboardServer]:
    server = DashboardServer(built_db, tmp_path_factory.mktemp("voila") / "voila.log")
    yield server
    server.stop()


def _browser_or_skip():
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"CI=true but {CHROMIUM} is missing: .ci/run must install chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            pytest.fail("CI=true but playwright is not installed")
        pytest.skip("playwright is not installed")
    return sync_playwright


@pytest.fixture(scope="session")
def browser():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            # The network here is closed: Chromium's own background connections only fail.
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    # Generous waits: kernels start slowly on a busy 2-core machine; speed is benchmarked apart.
    context.set_default_timeout(90_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    # Leave as a visitor leaves: navigating away runs Voila's beforeunload, which asks the server
    # to shut this page's kernel down. Closing the context alone skips it, and the session's
    # kernels then stay until the idle culler, filling the visitor cap (the busy page, a 503).
    try:
        page.goto("about:blank", timeout=10_000)
    except Exception:  # a page that broke is closed all the same
        pass
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pytest_report_header(config):
    return [f"chromium: {CHROMIUM} ({'present' if CHROMIUM.exists() else 'missing'}); "
            f"CI={IN_CI}; voila: {shutil.which('voila') or 'module'}"]


# The modules that took longest outside the browser and network tests (--durations=0 on
# 2 cores, 2026-12-05: 5 s to 58 s each), left out of `make test-fast` so that the edit-run
# loop stays near a minute (459 tests, 68 s); `make test` runs them all.
SLOW_MODULES = frozenset({
    "test_cli_stops.py", "test_deposit.py", "test_publish.py", "test_list_memory.py",
    "test_list_build.py", "test_cli_as_people_use_it.py", "test_build_incremental.py",
    "test_cli_disk_errors.py", "test_page_faces.py", "test_safe_outputs.py",
    "test_privacy_acceptance.py", "test_build.py", "test_search_index.py",
    "test_package_wheel.py", "test_lean_kernel.py", "test_privacy_opt_out.py",
    "test_distributed_parse.py", "test_query_cli.py", "test_networks.py",
    "test_default_views.py", "test_edition_identity.py", "test_list_words.py",
})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
