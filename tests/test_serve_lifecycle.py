"""`bestbits serve` stops cleanly on SIGTERM (systemd, docker, a supervisor) and on SIGINT (Ctrl-C):
Voila and every kernel exit, nothing is left running, and the exit status is 0."""

from __future__ import annotations

import signal
import subprocess
import sys

import psutil
import pytest

from bestbits import config
from support.served_voila import ServedVoila

pytestmark = pytest.mark.network


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_to_serve_stops_voila_and_every_kernel(built_db, tmp_path, signum):
    server = ServedVoila(built_db, tmp_path / "serve.log", "--pool-size", "1")
    try:
        server.wait_until_listening()
        server.visit_without_browser()  # a visitor's kernel, and the pool refills behind it
        server.wait_for_kernels(2, timeout=120)
        status = server.signal_and_wait(signum)
        assert status == 0, server.log.read_text(errors="replace")[-3000:]
        assert server.survivors() == []
    finally:
        server.stop()


def test_the_serve_process_is_the_voila_server(built_db, tmp_path):
    """The pid a supervisor holds is the server's own (no parent that dies and leaves it)."""
    server = ServedVoila(built_db, tmp_path / "serve.log", "--pool-size", "0")
    try:
        server.wait_until_listening()
        command = " ".join(psutil.Process(server.process.pid).cmdline())
        assert "bestbits.voila_server" in command
        assert server.signal_and_wait(signal.SIGTERM) == 0
    finally:
        server.stop()


@pytest.mark.parametrize("option, value", [("--max-visitors", "0"), ("--pool-size", "-1"),
                                           ("--idle-timeout", "0")])
def test_an_option_out_of_range_is_a_message_not_a_traceback(built_db, option, value):
    result = subprocess.run(
        [sys.executable, "-m", "bestbits.cli", "serve", "--db", str(built_db), option, value],
        capture_output=True, text=True, cwd=config.REPO_ROOT, timeout=60)
    assert result.returncode == 2
    assert option in result.stderr
    assert "Traceback" not in result.stderr
