"""`bestbits serve` as the serve tests run it: its own session, a free port on 127.0.0.1, its
process tree watched (psutil) so a test can say which kernels run and that none outlives it."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from bestbits import config

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float, step: float = 0.5, what: str = "the condition"):
    """CONDITION's first true value within TIMEOUT seconds, or an AssertionError naming WHAT."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(step)


class ServedVoila:
    """`python -m bestbits.cli serve` with the given options, as a user starts it."""

    def __init__(self, db: Path, log: Path, *options: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bestbits.cli", "serve", "--db", str(db), "--port",
             str(self.port), *options],
            stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=config.REPO_ROOT,
            start_new_session=True)
        self.seen: dict[int, psutil.Process] = {}
        self.connection_dirs: set[str] = set()

    def wait_until_listening(self, timeout: float = 120) -> None:
        # Not the page: a GET of "/" takes a kernel.
        def answers() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"bestbits serve exited with {self.process.returncode}:\n"
                                     + self.log.read_text(errors="replace")[-3000:])
            try:
                urllib.request.urlopen(self.url + "voila/static/none", timeout=5)
            except urllib.error.HTTPError:
                return True
            except OSError:
                return False
            return True
        wait_until(answers, timeout, what=f"{self.url} answering")

    def descendants(self) -> list[psutil.Process]:
        try:
            found = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            found = []
        for process in found:
            self.seen.setdefault(process.pid, process)
        return found

    def kernels(self) -> list[psutil.Process]:
        kernels = []
        for process in self.descendants():
            try:
                command = process.cmdline()
            except psutil.Error:
                continue
            if any("ipykernel" in part for part in command):
                kernels.append(process)
                # The kernel's connection file sits in this server's own voila_* folder: how
                # to find a kernel that outlived the server and was re-parented.
                for part in command:
                    if part.endswith(".json") and "kernel-" in part:
                        self.connection_dirs.add(os.path.dirname(part))
        return kernels

    def wait_for_kernels(self, count: int, timeout: float) -> None:
        wait_until(lambda: len(self.kernels()) == count, timeout,
                   what=f"exactly {count} kernels running (now {len(self.kernels())})")

    def get(self, path: str = "", timeout: float = 180) -> tuple[int, dict[str, str], str]:
        """Status, headers and body of a plain GET (for the page: a visit with no browser)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def visit_without_browser(self, patience: float = 120) -> str:
        """GET the page as a visitor who then leaves at once; the id of the kernel it got.

        Behind a busy page (503) the visitor retries after Retry-After, as the busy page itself
        does: an earlier visitor's kernel may still be shutting down while the pool refills."""
        deadline = time.monotonic() + patience
        status, headers, body = self.get()
        while status == 503 and time.monotonic() < deadline:
            time.sleep(min(float(headers.get("Retry-After", 5)), 5))
            status, headers, body = self.get()
        assert status == 200, f"the page answered {status}: {body[:300]}"
        found = KERNEL_ID.search(body)
        assert found, "no kernelId in the page"
        return found.group(1)

    def kernel_exists(self, kernel_id: str) -> bool:
        status, _headers, body = self.get(f"api/kernels/{kernel_id}", timeout=30)
        if status == 200:
            return json.loads(body)["id"] == kernel_id
        return False

    def signal_and_wait(self, signum: int, timeout: float = 60) -> int:
        self.descendants()
        self.kernels()
        self.process.send_signal(signum)
        return self.process.wait(timeout=timeout)

    def survivors(self) -> list[str]:
        """Processes this server started that still run: its descendants seen so far, and any
        kernel whose connection file lies in its folder (one started after the last look)."""
        alive = {p.pid: p for p in self.seen.values() if p.is_running()}
        for process in psutil.process_iter(["pid", "cmdline"]):
            command = " ".join(process.info["cmdline"] or [])
            if any(folder in command for folder in self.connection_dirs):
                alive.setdefault(process.pid, process)
        described = []
        for process in alive.values():
            try:
                described.append(f"{process.pid}: {' '.join(process.cmdline())[:120]}")
            except psutil.Error:
                pass
        return described

    def stop(self) -> None:
        """Whatever a test left: SIGTERM, then kill by pid what this server started."""
        if self.process.poll() is None:
            self.descendants()
            self.kernels()
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for process in list(self.seen.values()):
            try:
                if process.is_running():
                    process.kill()
            except psutil.Error:
                pass
