"""The handle every reader writes through: rows into tables, and an account of every input."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from bestbits.privacy.gate import Gate


class InputError(Exception):
    """Bad input that a person must fix (a malformed curated row, an impossible date).

    The build stops on it and leaves the previous database untouched. `problems` holds
    one line per problem, each naming the file, the line and what is wrong.
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class Loader:
    """Writes rows into the database being built, and records what each input gave.

    Readers call `insert` for rows, `report` once per input (file or capture) with
    loaded + rejected = total, and `reject` for each input item left out, with the reason.
    Every text written through it passes the privacy gate (bestbits/privacy/gate.py).
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, data_dir: Path, workers: int | None = None,
                 previous: str | None = None, db: Path | None = None,
                 parsed: Path | None = None):
        self.con = con
        # The path the database will have once built (the build writes a temporary file):
        # what is written beside it (the full-text index) goes there. None: the connection's.
        self.db = db
        # A folder of list rows parsed elsewhere (bestbits/load/distributed_parse.py), loaded
        # in place of the list reader's own parse. None: parse DATA_DIR/raw/list/.
        self.parsed = parsed
        self.data_dir = data_dir
        # Worker processes for parsing (None: the machine's cores).
        self.workers = workers
        # The alias of the previous database, attached read-only, whose parsed rows an
        # incremental build may reuse (None: a full build).
        self.previous = previous
        self.gate = Gate(data_dir)
        # Lines for the build summary that belong in no table (the opt-out file's lines that
        # matched nobody: that file stays off the record).
        self.notes: list[str] = []

    def record_input(self, path: str, kind: str, size: int, content_hash: str,
                     reused: bool) -> None:
        """Note a raw input and its content hash in build_inputs (what the next build compares)."""
        self.con.execute("INSERT INTO build_inputs (path, kind, bytes, content_hash, reused) "
                         "VALUES (?, ?, ?, ?, ?)",
                         [self.gate.text(path), kind, size, content_hash, reused])

    def cursor(self):
        """A second cursor on the loader's database. A DuckDB cursor starts in the connection's
        first database, and a build writes to one it attached (build.open_build_database)."""
        cursor = self.con.cursor()
        database = self.con.execute("SELECT current_database()").fetchone()[0]
        cursor.execute('USE "' + database.replace('"', '""') + '"')
        return cursor

    def columns(self, table: str) -> list[str]:
        rows = self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' "
            "AND table_catalog = current_database() AND table_name = ? "
            "ORDER BY ordinal_position",
            [table],
        ).fetchall()
        if not rows:
            raise KeyError(f"no table {table!r} in the schema")
        return [r[0] for r in rows]

    def insert(self, table: str, rows: Iterable[Mapping]) -> int:
        """Insert dict rows by column name; keys not in the table are an error, missing ones NULL."""
        frame = pd.DataFrame(list(rows))
        return self.insert_frame(table, frame)

    def insert_frame(self, table: str, frame: pd.DataFrame) -> int:
        if frame.empty:
            return 0
        known = set(self.columns(table))
        unknown = [c for c in frame.columns if c not in known]
        if unknown:
            raise KeyError(f"columns {unknown} are not in table {table!r}")
        frame = self.gate.frame(frame)
        # Empty strings mean "the source does not say": store them as NULL.
        frame = frame.replace({"": None})
        frame = frame.astype(object).where(frame.notna(), None)
        self.con.register("incoming_rows", frame)
        try:
            # The table name comes from code, never from a user; values travel as a frame.
            self.con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming_rows')
        finally:
            self.con.unregister("incoming_rows")
        return len(frame)

    def report(self, source: str, stage: str, total: int, loaded: int, rejected: int) -> None:
        if loaded + rejected != total:
            raise ValueError(
                f"{source}: loaded {loaded} + rejected {rejected} != total {total}; "
                "every input item must be accounted for"
            )
        self.con.execute(
            "INSERT INTO ingest_report VALUES (?, ?, ?, ?, ?)",
            [self.gate.text(source), stage, total, loaded, rejected],
        )

    def reject(self, source: str, locator: str, stage: str, reason: str) -> None:
        self.con.execute(
            "INSERT INTO rejects VALUES (?, ?, ?, ?)",
            [self.gate.text(source), self.gate.text(str(locator)), stage, self.gate.text(reason)])

    def reject_many(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        rows = [(self.gate.text(source), self.gate.text(str(locator)), stage, self.gate.text(reason))
                for source, locator, stage, reason in rows]
        if rows:
            self.con.executemany("INSERT INTO rejects VALUES (?, ?, ?, ?)", rows)
