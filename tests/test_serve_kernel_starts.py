"""`bestbits serve` starts kernels at most two at a time (issue 19): a pool filling up and visitors
arriving together do not start every kernel at once, and every visitor is still served."""

from __future__ import annotations

import re
import signal
from concurrent.futures import ThreadPoolExecutor

import pytest

from support.served_voila import ServedVoila, wait_until

pytestmark = pytest.mark.network

START_BEGINS = re.compile(r"Kernel start begins \((\d+) starting, at most (\d+)\)")
START_ENDS = re.compile(r"Kernel start ends: ([0-9a-f-]{36}) (\w+(?: \w+)?) after")


def test_kernels_start_two_at_a_time_and_every_visitor_is_served(built_db, tmp_path):
    # A pool of four fills with four starts asked at once; three visitors arriving together
    # take pooled kernels and ask three more starts, some while the pool is still filling.
    server = ServedVoila(built_db, tmp_path / "serve.log", "--pool-size", "4",
                         "--max-visitors", "5")
    try:
        server.wait_until_listening()
        with ThreadPoolExecutor(3) as visitors:
            kernel_ids = list(visitors.map(lambda _n: server.visit_without_browser(patience=240),
                                           range(3)))
        assert len(set(kernel_ids)) == 3, "each visitor gets a kernel of its own"

        def starts_ended() -> list[str]:
            return START_ENDS.findall(server.log.read_text(errors="replace"))
        # 4 for the pool, then 3 refills behind the visitors.
        wait_until(lambda: len(starts_ended()) >= 7, timeout=240,
                   what="seven kernel starts ended")
        log = server.log.read_text(errors="replace")
        starting = [int(now) for now, _most in START_BEGINS.findall(log)]
        assert len(starting) == 7, log[-3000:]
        assert max(starting) == 2, f"kernels starting at once: {starting}"
        assert {int(most) for _now, most in START_BEGINS.findall(log)} == {2}
        # Each start ended because its kernel reached the cell where it waits for its visitor,
        # not by the timeout that would free its place anyway.
        assert {how for _kernel, how in starts_ended()} == {"warm"}, log[-3000:]
        assert set(kernel_ids) <= {kernel for kernel, _how in starts_ended()}
    finally:
        server.stop()
    assert server.survivors() == []


def test_sigterm_while_kernels_wait_to_start_stops_everything(built_db, tmp_path):
    # A pool of four: two kernels start at once, two wait in line when the signal comes.
    server = ServedVoila(built_db, tmp_path / "serve.log", "--pool-size", "4")
    try:
        server.wait_until_listening()
        wait_until(lambda: "Kernel start begins (2 starting" in server.log.read_text(errors="replace"),
                   timeout=120, what="two kernel starts")
        assert server.signal_and_wait(signal.SIGTERM, timeout=60) == 0
        assert server.survivors() == []
        # The two in line were not started only for the shutdown to stop them. (A start under
        # way may end as started, or be stopped before it says so: then the server's last sweep
        # stops its process, which survivors() above checks.)
        log = server.log.read_text(errors="replace")
        assert log.count("Kernel started:") <= 2, log[-3000:]
    finally:
        server.stop()
