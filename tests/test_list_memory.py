"""Acceptance (issue 10): the list ingest streams, so ten times the messages costs about the
same memory. Each size runs in its own process, so that peak RSS is that ingest's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent / "support" / "ingest_memory.py"


def peak_memory(count: int, folder: Path) -> dict:
    folder.mkdir()
    result = subprocess.run([sys.executable, str(SCRIPT), str(count), str(folder)],
                            capture_output=True, text=True, timeout=600, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


# Measured on the shared 2-core machine (2026-12-01, with language detection in the parse):
# 5,000 messages peak at 390-400 MB, 50,000 at 510-548 MB (baseline after imports: 213 MB;
# py3langid's model adds ~125 MB once). The messages table is now written in slices, each
# checkpointed (-70 MB at 20,000); what still grows is list_parsed's row group (up to 122,880
# rows, built and compressed in memory at each checkpoint, outside DuckDB's memory_limit: a
# lower limit or more checkpoints did not help). Takes ~45 s wall.
@pytest.mark.xfail(reason="DuckDB's row-group writes still grow +120-150 MB between 5,000 and "
                          "50,000 messages (issue 10: not yet met)", strict=False)
def test_ingesting_50000_messages_takes_less_than_50_mb_more_than_5000(tmp_path):
    small = peak_memory(5_000, tmp_path / "small")
    large = peak_memory(50_000, tmp_path / "large")
    assert small["loaded"] == 5_000 and large["loaded"] == 50_000
    assert large["peak_mb"] - small["peak_mb"] < 50, (small, large)
