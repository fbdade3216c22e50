"""Where the real files from other projects' test suites are (../shared/peer-data/), if anywhere.

`$BESTBITS_PEER_DATA` wins; otherwise the first `shared/peer-data` beside the repository or one
of its parent folders (a git worktree sits one level deeper than the main checkout).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def peer_data() -> Path | None:
    given = os.environ.get("BESTBITS_PEER_DATA")
    if given:
        return Path(given) if Path(given).is_dir() else None
    for folder in REPO.parents:
        candidate = folder / "shared" / "peer-data"
        if candidate.is_dir():
            return candidate
    return None


def peer_folder(name: str) -> Path:
    """The peer folder `name`, or skip the test with the reason."""
    root = peer_data()
    if root is None or not (root / name).is_dir():
        pytest.skip(f"../shared/peer-data/{name} is absent (set $BESTBITS_PEER_DATA to the "
                    "peer-data folder to run this test)")
    return root / name
