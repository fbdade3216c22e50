"""Where the peer files are (real files from other projects' test suites), and a digest of
what the list reader makes of them, so that a rewrite of the reader can prove it gives the
same rows.

The folder is $BESTBITS_PEER_DATA, else ../shared/peer-data beside the repository (or beside
the worktrees' folder). Nothing from it is copied into the repository: the snapshot holds
only row counts and SHA-256 digests of the sorted rows.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
PEER_FOLDERS = ("perceval", "bigbang", "hyperkitty", "mlstats")
PEER_SUFFIXES = (".mbox", ".txt")
SNAPSHOT = REPO / "tests" / "fixtures" / "list" / "peer_snapshot.json"

# Each table with the columns that make its rows; `messages.text` is left out because
# scrapers/parse/message_text.py (another module's job) improves it on its own schedule.
SNAPSHOT_TABLES = {
    "messages": "message_id, list, sent_at, sent_month, author_id, author_name, domain, subject, "
                "thread_id, in_reply_to, reply_source, url, source_url, method, date_source, "
                "body_chars, address_hash, message_id_derived, attachments_scrubbed",
    "people": "*", "person_members": "*", "person_merges": "*", "domains": "*",
    "forum_mentions": "*", "rejects": "*", "ingest_report": "*",
}


def peer_data_dir() -> Path | None:
    """$BESTBITS_PEER_DATA, else the first shared/peer-data beside the repository or one of its
    parent folders (a git worktree sits deeper than the main checkout); None when absent."""
    configured = os.environ.get("BESTBITS_PEER_DATA")
    if configured:
        return Path(configured) if Path(configured).is_dir() else None
    return next((folder / "shared" / "peer-data" for folder in REPO.parents
                 if (folder / "shared" / "peer-data").is_dir()), None)


def skip_reason(name: str) -> str:
    return (f"peer data '{name}' is not here (../shared/peer-data/{name}, or set "
            "$BESTBITS_PEER_DATA to the peer-data folder): real-file checks skipped")


def peer_folder(name: str) -> Path:
    """The peer folder `name` (perceval, aut, edgi-wayback ...), or skip the test with the reason."""
    import pytest

    root = peer_data_dir()
    if root is None or not (root / name).is_dir():
        pytest.skip(skip_reason(name))
    return root / name


def peer_mbox_files(root: Path) -> dict[str, list[Path]]:
    """Each peer folder's mail files (its README left out), as lists of the same name."""
    return {folder: sorted(p for p in (root / folder).iterdir()
                           if p.suffix in PEER_SUFFIXES and p.name != "README.md")
            for folder in PEER_FOLDERS if (root / folder).is_dir()}


def table_digests(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """table -> [row count, SHA-256 of its rows sorted as text]. An imported file's address
    (`file:///.../peer-data/perceval/...`) names the folder it was read from on this machine,
    so that folder is written as `peer-data:` before digesting: CI keeps it elsewhere."""
    root = peer_data_dir()
    prefixes = {root.as_uri(), root.resolve().as_uri()} if root else set()
    digests = {}
    for table, columns in SNAPSHOT_TABLES.items():
        rows = [repr(r) for r in con.execute(f"SELECT {columns} FROM {table}").fetchall()]
        for prefix in sorted(prefixes, key=len, reverse=True):
            rows = [row.replace(prefix, "peer-data:") for row in rows]
        rows.sort()
        digest = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogateescape")).hexdigest()
        digests[table] = [len(rows), digest]
    return digests


def read_snapshot() -> dict:
    return json.loads(SNAPSHOT.read_text())
