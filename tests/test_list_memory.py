"""Acceptance (issue 10): the list ingest streams, so ten times the messages costs about the
same memory. Each size runs in its own process, so that peak RSS is that ingest's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent / "support" / "ingest_memory.py"


def peak_memory(count: int, folder: Path) -> dict:
    folder.mkdir()
    result = subprocess.run([sys.executable, str(SCRIPT), str(count), str(folder)],
                            capture_output=True, text=True, timeout=600, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


# Measured on the shared 2-core machine (2026-12-01): 5,000 messages peak at 325-330 MB,
# 50,000 at 357-362 MB (+27 to +38 MB; it was +120 to +150 MB before 8,192-row groups, the
# parse's 64 MB DuckDB limit, one DuckDB thread while appending and the cached blocks dropped
# after each write). The baseline after imports is ~155 MB and py3langid's model adds ~75 MB
# once. Takes ~40 s wall.
def test_ingesting_50000_messages_takes_less_than_50_mb_more_than_5000(tmp_path):
    small = peak_memory(5_000, tmp_path / "small")
    large = peak_memory(50_000, tmp_path / "large")
    assert small["loaded"] == 5_000 and large["loaded"] == 50_000
    assert large["peak_mb"] - small["peak_mb"] < 50, (small, large)
