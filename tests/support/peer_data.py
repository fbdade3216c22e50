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
    configured = os.environ.get("BESTBITS_PEER_DATA")
    candidates = [Path(configured)] if configured else []
    candidates += [REPO.parent / "shared" / "peer-data", REPO.parents[1] / "shared" / "peer-data"]
    return next((c for c in candidates if c.is_dir()), None)


def peer_mbox_files(root: Path) -> dict[str, list[Path]]:
    """Each peer folder's mail files (its README left out), as lists of the same name."""
    return {folder: sorted(p for p in (root / folder).iterdir()
                           if p.suffix in PEER_SUFFIXES and p.name != "README.md")
            for folder in PEER_FOLDERS if (root / folder).is_dir()}


def table_digests(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """table -> [row count, SHA-256 of its rows sorted as text]."""
    digests = {}
    for table, columns in SNAPSHOT_TABLES.items():
        rows = sorted(repr(r) for r in con.execute(f"SELECT {columns} FROM {table}").fetchall())
        digest = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogateescape")).hexdigest()
        digests[table] = [len(rows), digest]
    return digests


def read_snapshot() -> dict:
    return json.loads(SNAPSHOT.read_text())
