"""One place for paths, addresses and polite defaults; every other module asks here."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from pathlib import Path

import platformdirs

from bestbits import __version__
from bestbits.settings import SettingError, default, setting

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE_DIR.parent
# An installed wheel carries the checkout's queries/ and curated data/ inside the package, in the
# same layout (pyproject.toml maps them there), so that every path below reads the same in both.
_INSTALLED_RESOURCES = _PACKAGE_DIR / "_resources"


def _is_checkout(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "queries").is_dir()


IN_CHECKOUT = _is_checkout(_CHECKOUT)
# The folder that holds queries/ and the curated inputs under data/: the repository in a checkout
# (or an editable install), the package's _resources/ in a regular install.
REPO_ROOT = _CHECKOUT if IN_CHECKOUT else _INSTALLED_RESOURCES
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
QUERIES_DIR = REPO_ROOT / "queries"
SCHEMA_DIR = QUERIES_DIR / "schema"


def _dashboards_dir() -> Path:
    if IN_CHECKOUT:
        return _CHECKOUT / "dashboards"
    # Installed as its own package; find_spec locates it without importing it.
    spec = importlib.util.find_spec("dashboards")
    if spec and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return REPO_ROOT / "dashboards"


DASHBOARDS_DIR = _dashboards_dir()
FORUM_RULES_FILE = REPO_ROOT / "data" / "forum_rules.toml"
# Where data goes outside a checkout: the platform's per-user data folder
# (~/.local/share/bestbits-archive on Linux), never the installed package.
USER_DATA_DIR = Path(platformdirs.user_data_dir("bestbits-archive", appauthor=False))
THEME_RULES_FILE = REPO_ROOT / "data" / "theme_rules.toml"

# The network's years, the span every view and collector covers by default: the list's first
# month (August 2012) to the closure (2019), as data/reference/milestones.csv records them.
FIRST_YEAR, LAST_YEAR = 2012, 2019

# Small-cell rule: per-person and per-organisation counts below this are shown as "<5" in the
# dashboards and the default export (`bestbits export --min-cell K`, $BESTBITS_MIN_CELL).
DEFAULT_MIN_CELL: int = default("min_cell")


def min_cell() -> int:
    """The dashboards' small-cell threshold: $BESTBITS_MIN_CELL, else DEFAULT_MIN_CELL.
    A value that is no number falls back to the default: a dashboard page must still open."""
    try:
        return max(1, setting("min_cell").value())
    except SettingError:
        return DEFAULT_MIN_CELL


# The list archive held about this many messages when it was last seen
# (archives.csv: highest message number 8344, 2019-May/008342.html).
LIST_ARCHIVE_SIZE = 8344

USER_AGENT = (
    f"bestbits-archive/{__version__} (research tool for the archived record of the Best Bits "
    "network; https://github.com/bestbits-archive)"
)

DEFAULT_HOST: str = default("host")
DEFAULT_PORT: int = default("port")


def default_data_dir() -> Path:
    """The data folder when neither --data-dir nor $BESTBITS_DATA_DIR says: the checkout's data/,
    or the user's data folder for an installed package."""
    return REPO_ROOT / "data" if IN_CHECKOUT else USER_DATA_DIR


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data folder: --data-dir, else $BESTBITS_DATA_DIR, else default_data_dir()."""
    if explicit:
        return Path(explicit)
    configured = setting("data_dir").value()
    return Path(configured) if configured else default_data_dir()


def resource(relative: str) -> Path:
    """A file shipped with the program (queries/..., data/forum_rules.toml, data/reference/...),
    in a checkout or an installed package alike."""
    return REPO_ROOT / relative


def reference_dir() -> Path:
    """The curated record: the repository's data/reference/, or $BESTBITS_REFERENCE_DIR
    (for a curator checking a revised copy before it replaces the committed one)."""
    configured = setting("reference_dir").value()
    return Path(configured) if configured else REFERENCE_DIR


def raw_dir(data: Path) -> Path:
    """Where collectors store what they download (never committed)."""
    return data / "raw"


def db_path(explicit: str | os.PathLike | None = None, data: Path | None = None) -> Path:
    """The database: --db, else $BESTBITS_DB, else DATA_DIR/bestbits.duckdb."""
    if explicit:
        return Path(explicit)
    configured = setting("db").value()
    if configured:
        return Path(configured)
    return (data or data_dir()) / "bestbits.duckdb"


# What DuckDB may hold in memory during a build, and while the list is parsed: the reasons are
# written beside the defaults in bestbits/settings.py.
BUILD_MEMORY_LIMIT: str = default("build_memory")
LIST_MEMORY_LIMIT: str = default("list_memory")


def build_memory_limit() -> str:
    """$BESTBITS_BUILD_MEMORY, else BUILD_MEMORY_LIMIT; SettingError when it is no memory size."""
    return setting("build_memory").value()


def list_memory_limit() -> str:
    """$BESTBITS_LIST_MEMORY, else LIST_MEMORY_LIMIT; SettingError when it is no memory size."""
    return setting("list_memory").value()


def salt_text() -> str | None:
    """$BESTBITS_SALT, or None (the list reader then keeps one in DATA_DIR/.salt)."""
    return setting("salt").value()


def source_date_epoch() -> int | None:
    """$SOURCE_DATE_EPOCH (an edition's stated build date, for reproducible builds), or None."""
    return setting("source_date_epoch").value()


def build_date() -> str:
    """Today (UTC) as YYYY-MM-DD, or the day of $SOURCE_DATE_EPOCH for a reproducible build (an
    edition's date is its database's: bestbits/edition_identity.py)."""
    epoch = source_date_epoch()
    moment = (dt.datetime.fromtimestamp(epoch, dt.UTC) if epoch is not None
              else dt.datetime.now(dt.UTC))
    return moment.strftime("%Y-%m-%d")
