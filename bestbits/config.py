"""One place for paths, addresses and polite defaults; every other module asks here."""

from __future__ import annotations

import os
from pathlib import Path

from bestbits import __version__

REPO_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
QUERIES_DIR = REPO_ROOT / "queries"
SCHEMA_DIR = QUERIES_DIR / "schema"
DASHBOARDS_DIR = REPO_ROOT / "dashboards"
FORUM_RULES_FILE = REPO_ROOT / "data" / "forum_rules.toml"

# The list archive held about this many messages when it was last seen
# (archives.csv: highest message number 8344, 2019-May/008342.html).
LIST_ARCHIVE_SIZE = 8344

USER_AGENT = (
    f"bestbits-archive/{__version__} (research tool for the archived record of the Best Bits "
    "network; https://github.com/bestbits-archive)"
)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8866


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data folder: --data-dir, else $BESTBITS_DATA_DIR, else the repository's data/."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("BESTBITS_DATA_DIR")
    return Path(env) if env else REPO_ROOT / "data"


def reference_dir() -> Path:
    """The curated record: the repository's data/reference/, or $BESTBITS_REFERENCE_DIR
    (for a curator checking a revised copy before it replaces the committed one)."""
    env = os.environ.get("BESTBITS_REFERENCE_DIR")
    return Path(env) if env else REFERENCE_DIR


def raw_dir(data: Path) -> Path:
    """Where collectors store what they download (never committed)."""
    return data / "raw"


def db_path(explicit: str | os.PathLike | None = None, data: Path | None = None) -> Path:
    """The database: --db, else $BESTBITS_DB, else DATA_DIR/bestbits.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("BESTBITS_DB")
    if env:
        return Path(env)
    return (data or data_dir()) / "bestbits.duckdb"


# What DuckDB may hold in memory during a build (issue 10: the ingest's memory must not grow
# with the archive); it spills to a temporary folder past it. $BESTBITS_BUILD_MEMORY overrides.
BUILD_MEMORY_LIMIT = "256MB"


def build_memory_limit() -> str:
    return os.environ.get("BESTBITS_BUILD_MEMORY") or BUILD_MEMORY_LIMIT
