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
THEME_RULES_FILE = REPO_ROOT / "data" / "theme_rules.toml"

# Small-cell rule: per-person and per-organisation counts below this are shown as "<5" in the
# dashboards and the default export (`bestbits export --min-cell K`, $BESTBITS_MIN_CELL).
# Five is the usual threshold of statistical disclosure control for published tables.
DEFAULT_MIN_CELL = 5


def min_cell() -> int:
    """The dashboards' small-cell threshold: $BESTBITS_MIN_CELL, else DEFAULT_MIN_CELL."""
    try:
        return max(1, int(os.environ.get("BESTBITS_MIN_CELL", DEFAULT_MIN_CELL)))
    except ValueError:
        return DEFAULT_MIN_CELL

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
