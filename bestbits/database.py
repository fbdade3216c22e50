"""Open the built database for reading, with the offline full-text-search extension when present."""

from __future__ import annotations

from pathlib import Path

import duckdb


class DatabaseMissing(Exception):
    """The database has not been built yet (or not at this path); the message says what to run."""

    def __init__(self, db: Path):
        self.db = db
        super().__init__(f"No database at {db}. Build it first: bestbits build"
                         + (f" --db {db}" if db.name != "bestbits.duckdb" else ""))


class DatabaseUnreadable(DatabaseMissing):
    """Something is at the path, but DuckDB cannot open it as a database (not one, a folder, or
    locked by a program writing it): for the user, the same as no database."""

    def __init__(self, db: Path, reason: str):
        self.db = db
        Exception.__init__(self, f"{db} cannot be opened as a database ({reason}). Give the file "
                                 "`bestbits build` wrote (--db PATH), or build one: bestbits build")


def fts_extension_path() -> Path | None:
    """The fts extension shipped by the duckdb-extension-fts package (INSTALL fts needs internet)."""
    try:
        import duckdb_extension_fts
    except ImportError:
        return None
    folder = Path(duckdb_extension_fts.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    path = folder / "fts.duckdb_extension"
    return path if path.exists() else None


def load_fts(con: duckdb.DuckDBPyConnection) -> bool:
    """Load full-text search if it can be had offline; False means: fall back to substring search."""
    path = fts_extension_path()
    try:
        if path:
            con.execute(f"LOAD '{path.as_posix()}'")  # a path from our own install, not user input
        else:
            con.execute("LOAD fts")
        return True
    except duckdb.Error:
        return False


def connect(db: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    if read_only and not db.exists():
        raise DatabaseMissing(db)
    try:
        con = duckdb.connect(str(db), read_only=read_only)
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseUnreadable(db, reason) from exc
    load_fts(con)  # so that full-text queries run wherever the build made an index
    return con
