"""`bestbits serve --expect N`: a workshop's host says how many will come; the pool and the cap
follow, and the command says what memory that takes before the server starts (issue 19 point 4).
"""

from __future__ import annotations

import socket

import pytest

from bestbits.serve import KERNEL_MB, ServeOptionError, Sizing, voila_command
from support.cli import run_cli


@pytest.mark.parametrize(("expected", "pool", "cap"), [(1, 1, 3), (8, 8, 10), (20, 20, 25)])
def test_every_expected_visitor_finds_a_preheated_kernel_and_the_cap_leaves_room(expected, pool,
                                                                                 cap):
    sizing = Sizing(expected)
    assert (sizing.pool_size, sizing.max_visitors) == (pool, cap)
    assert sizing.megabytes >= (pool + cap) * KERNEL_MB


def test_the_sizing_warns_when_the_machine_is_too_small():
    assert "This machine has" not in Sizing(8).words(available_mb=64 * 1024)
    assert "expect fewer visitors" in Sizing(8).words(available_mb=2 * 1024)


def test_no_visitors_is_refused():
    with pytest.raises(ServeOptionError, match="--expect 0"):
        Sizing(0)


def test_the_expected_crowd_reaches_voilas_command(built_db):
    sizing = Sizing(8)
    command = voila_command(built_db, "127.0.0.1", 8866, pool_size=sizing.pool_size,
                            max_visitors=sizing.max_visitors)
    assert "--pool_size=8" in command and "--BestbitsVoila.max_visitors=10" in command


def test_serve_says_its_sizing_before_anything_else_can_stop_it(built_db):
    with socket.socket() as taken:  # a busy port stops the command before Voila starts
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--db", str(built_db), "--port", str(port), "--expect", "8",
                         timeout=60)
    assert result.returncode == 2
    assert "sized for 8 visitors at once: 8 preheated kernels, at most 10 served" in result.stderr
    assert f"port {port}" in result.stderr
    refused = run_cli("serve", "--db", str(built_db), "--expect", "0", timeout=60)
    assert refused.returncode == 2 and "--expect 0" in refused.stderr
