"""Where the shared peer data is (real files from other projects' test suites), or None.

`$BESTBITS_PEER_DATA`, else `shared/peer-data` beside the checkout or beside its parent (a
worktree under /work/wt/NAME has it two levels up). Tests skip, with this reason, when absent.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def peer_data_dir(name: str) -> Path | None:
    """The folder NAME of the peer data (perceval, bigbang ...), or None when it is not here."""
    configured = os.environ.get("BESTBITS_PEER_DATA")
    roots = [Path(configured)] if configured else []
    roots += [parent / "shared" / "peer-data" for parent in REPO_ROOT.parents[:2]]
    for root in roots:
        if (root / name).is_dir():
            return root / name
    return None


def skip_reason(name: str) -> str:
    return (f"peer data '{name}' is not here (../shared/peer-data/{name}, or set "
            "$BESTBITS_PEER_DATA): real-file checks skipped")
