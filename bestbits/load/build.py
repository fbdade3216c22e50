"""Build the database: schema, every registered reader, post steps, checks, then one atomic rename.

The build writes to a temporary file beside the target and renames it only when everything
succeeded, so a failed or killed build never leaves a half-built database in its place. A build
that fails or is stopped removes its temporary files; the next build removes those of a killed
one (the name holds the pid that wrote it). The list's parse workers end with the build, however
it ends (bestbits/load/worker_processes.py).

It is incremental unless told otherwise (`full=True`, `bestbits build --full`): the previous
database is attached read-only, every raw input's content hash is compared with the one it
recorded (build_inputs), and a reader may reuse what the previous build made of an unchanged
input (the list reader reuses its parsed rows). What is then derived from those rows is
derived again, the same way as in a full build, so both give the same tables.
`from_parquet=DIR` loads the tables of a Parquet export (`bestbits export --format parquet`,
or a Spark/Dask job writing the same files) instead of running the readers.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from bestbits import config
from bestbits.load.loader import InputError, Loader
from bestbits.load.readers import POST_STEPS, READERS, record_raw_inputs
from bestbits.load.search_index import create_statement_search_index, remove_unused
from bestbits.output_folders import OutputRefused
from bestbits.privacy.sweep import sweep_addresses
from bestbits.query import load_sql

PROVENANCE_TABLES = ("events", "agenda_items", "statements", "signatories", "messages",
                     "forum_meetings", "milestones", "archives")


@dataclass
class BuildSummary:
    db: Path
    seconds: float
    rows: list[tuple[str, str, int]] = field(default_factory=list)  # table, method, rows
    inputs: list[tuple[str, str, int, int, int]] = field(default_factory=list)
    # kind -> (raw inputs, changed since the previous build, whose rows were reused)
    raw_inputs: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    mode: str = "full"
    # What the build changed in what it loaded (ingest_notes), and lines that belong in no table.
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"Built {self.db} in {self.seconds:.1f} s ({self.mode} build)", "",
                 "Rows per table and method:"]
        for table, method, rows in self.rows:
            lines.append(f"  {table:<16} {method:<8} {rows:>7}")
        total = sum(r[2] for r in self.inputs)
        rejected = sum(r[4] for r in self.inputs)
        lines += ["", f"Inputs read: {len(self.inputs)} ({total} items, {rejected} rejected)"]
        stages: dict[str, list[int]] = {}
        for _source, stage, t, loaded, rej in self.inputs:
            agg = stages.setdefault(stage, [0, 0, 0, 0])
            agg[0] += 1
            agg[1] += t
            agg[2] += loaded
            agg[3] += rej
        for stage, (files, t, loaded, rej) in sorted(stages.items()):
            lines.append(f"  {stage:<12} {files:>5} inputs {t:>7} items {loaded:>7} loaded "
                         f"{rej:>6} rejected")
        if rejected:
            lines.append("  (reasons: bestbits query rejects)")
        if self.notes:
            lines += ["", "Changed on the way in (bestbits query ingest_notes) and notes:"]
            lines += [f"  {note}" for note in self.notes]
        if self.raw_inputs:
            lines += ["", "Raw inputs (content hashes in build_inputs):"]
            for kind, (count, changed, reused) in sorted(self.raw_inputs.items()):
                lines.append(f"  {kind:<12} {count:>5} inputs {changed:>5} new or changed "
                             f"{reused:>5} reused from the previous build")
        return "\n".join(lines)


def schema_files() -> list[Path]:
    return sorted(config.SCHEMA_DIR.glob("*.sql"))


# Rows per row group in the database a build writes. At each checkpoint DuckDB builds and
# compresses a table's open row group in memory, so with its default (122,880 rows) the list
# ingest's memory grew with the archive until a group of message texts was full: 5,000 ->
# 50,000 messages peaked +144 MB; with 8,192-row groups (and the list stage's own memory
# limit, bestbits/load/messages.py) +36 MB (issue 10). Queries see no difference at our sizes.
BUILD_ROW_GROUP_SIZE = 8_192


def sql_string(path: Path) -> str:
    """A file path as an SQL string literal (for ATTACH, which takes no bound parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def open_build_database(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is PATH (created if absent), written with
    BUILD_ROW_GROUP_SIZE-row groups and configured for building."""
    config.build_memory_limit()  # an unusable $BESTBITS_BUILD_MEMORY stops before PATH is made
    con = duckdb.connect()
    try:
        con.execute(load_sql("load/attach_build.sql")
                    .replace("{path}", sql_string(path))
                    .replace("{row_group_size}", str(BUILD_ROW_GROUP_SIZE)))
        configure_connection(con)
        # Spills go beside the database (an in-memory connection would spill into the
        # working folder); DuckDB removes the folder when the connection closes.
        con.execute("SET temp_directory = ?", [f"{path}.spill"])
    except BaseException:
        con.close()
        raise
    return con


def configure_connection(con: duckdb.DuckDBPyConnection) -> None:
    """Bound what DuckDB itself may hold in memory while building (it spills to disk past it):
    without a limit its buffer pool grows with the archive."""
    con.execute("SET memory_limit = ?", [config.build_memory_limit()])
    # Row order in a table means nothing here (every query orders what it returns), and
    # keeping it makes large inserts hold more in memory.
    con.execute("SET preserve_insertion_order = false")
    # Hand freed memory back to the system as the build goes, not only at the end.
    con.execute("SET allocator_background_threads = true")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    for path in schema_files():
        con.execute(load_sql(f"schema/{path.name}"))


def check_provenance(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every fact row must say where it came from and how: a row without both is a bug."""
    problems = []
    sql = load_sql("load/missing_provenance.sql")
    for table in PROVENANCE_TABLES:
        count = con.execute(sql.replace("{table}", table)).fetchone()[0]
        if count:
            problems.append(f"{table}: {count} rows without source_url or method")
    return problems


# DuckDB's database files carry these bytes after an 8-byte checksum.
_DUCKDB_MAGIC = (8, b"DUCK")


def _refuse_foreign_file(db: Path) -> None:
    """OutputRefused when something other than a DuckDB database is at DB: the build replaces
    its previous database, never a file (or a folder) of someone else's."""
    if not os.path.lexists(db):
        return
    offset, magic = _DUCKDB_MAGIC
    try:
        with db.open("rb") as handle:
            handle.seek(offset)
            is_database = handle.read(len(magic)) == magic
    except IsADirectoryError:
        is_database = False
    if not is_database:
        raise OutputRefused(f"{db} exists and is not a DuckDB database: the build replaces only "
                            "a database it wrote. Give another --db; nothing was written.")


def _remove_temporaries(temporary: Path) -> None:
    """A build's temporary database, its write-ahead log and its spill folder."""
    temporary.unlink(missing_ok=True)
    Path(f"{temporary}.wal").unlink(missing_ok=True)
    shutil.rmtree(f"{temporary}.spill", ignore_errors=True)


def _remove_stale_temporaries(db: Path) -> None:
    for stale in db.parent.glob(db.name + ".tmp-*"):
        try:
            pid = int(stale.name.rsplit("-", 1)[1].split(".")[0])
            os.kill(pid, 0)  # still running: another build owns it
        except (ValueError, ProcessLookupError):
            if stale.is_dir():  # a killed build's spill folder (<temporary>.spill)
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        except PermissionError:
            pass


def _attach_previous(con: duckdb.DuckDBPyConnection, db: Path, progress) -> str | None:
    """Attach the previous database read-only as `previous`; None when there is none usable."""
    if not db.exists():
        return None
    try:
        # The path is the database's own (config.db_path), quoted as an SQL string literal.
        con.execute(load_sql("load/attach_previous.sql")
                    .replace("{path}", sql_string(db)))
    except duckdb.Error as exc:  # locked by a writer, or not a database: build in full
        progress(f"The previous database cannot be read ({exc}); building in full.")
        return None
    return "previous"


def load_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> list[str]:
    """Fill the schema's tables from FOLDER/<table>.parquet (an export, or a parallel job's
    output); the tables without a file stay empty. Returns the tables loaded."""
    if not folder.is_dir():
        raise InputError([f"{folder}: no such folder (expected <table>.parquet files, as "
                          "`bestbits export --format parquet` writes)"])
    package = folder / "datapackage.json"
    if package.exists():
        mode = (json.loads(package.read_text(encoding="utf-8")).get("privacy") or {}).get("mode")
        if mode == "small-cells-suppressed":
            raise InputError([f"{package}: this export shows small counts as '<5' and withholds "
                              "the authors of small cells, so a database cannot be rebuilt from "
                              "it; export with `bestbits export --format parquet --full-detail`"])
    tables = [r[0] for r in con.execute(
        load_sql("load/schema_tables.sql")).fetchall()]
    loaded = []
    for table in tables:
        path = folder / f"{table}.parquet"
        if not path.exists():
            continue
        try:
            con.register("incoming_parquet", con.read_parquet(str(path)))
            # The table name comes from the schema, never from a user; values travel as a table.
            con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming_parquet')
        except duckdb.Error as exc:
            raise InputError([f"{path}: cannot be loaded into table {table} ({exc})"]) from exc
        finally:
            con.unregister("incoming_parquet")
        loaded.append(table)
    if not loaded:
        raise InputError([f"{folder}: no <table>.parquet file of the schema's tables"])
    return loaded


def build(data_dir: Path, db: Path, progress=print, *, full: bool = False,
          workers: int | None = None, from_parquet: Path | None = None,
          from_parsed: Path | None = None) -> BuildSummary:
    """Build `db` from the curated record and DATA_DIR/raw/ (or from the Parquet files of
    FROM_PARQUET). Incremental unless FULL; WORKERS parse processes (None: the machine's
    cores); FROM_PARSED: the list's rows as a Dask job parsed them (distributed_parse.py).
    Raises InputError on bad input."""
    started = time.perf_counter()
    _refuse_foreign_file(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(db)
    temporary = db.with_name(f"{db.name}.tmp-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    con = open_build_database(temporary)
    try:
        create_schema(con)
        summary = BuildSummary(db=db, seconds=0.0)
        if from_parquet is not None:
            summary.mode = f"from Parquet files in {from_parquet}"
            progress(f"Loading tables from {from_parquet} ...")
            load_parquet(con, from_parquet)
            progress("Applying search indexes (statements, messages) ...")
            create_statement_search_index(Loader(con, data_dir, db=db))
        else:
            previous = None if full or from_parsed else _attach_previous(con, db, progress)
            summary.mode = ("incremental" if previous else "full") + (
                f", the list parsed in {from_parsed}" if from_parsed else "")
            load = Loader(con, data_dir, workers=workers, previous=previous, db=db,
                          parsed=from_parsed)
            for label, reader in READERS:
                progress(f"Reading {label} ...")
                reader(data_dir, load)
            for label, step in POST_STEPS:
                progress(f"Applying {label} ...")
                step(load)
            record_raw_inputs(data_dir, load)
            summary.raw_inputs = {kind: (count, changed, reused) for kind, count, changed, reused
                                  in con.execute(load_sql("load/build_inputs_summary.sql"))
                                  .fetchall()}
            if previous:
                con.execute("DETACH previous")
            summary.notes += load.notes
        # What got past the privacy gate is redacted and counted (bestbits/privacy/sweep.py).
        swept = sweep_addresses(con, data_dir)
        summary.notes[:0] = [f"{stage}: {source}: {items} {note}" for stage, source, note, items
                             in con.execute(
                                 load_sql("ingest_notes.sql")).fetchall()]
        if not swept:
            summary.notes.append("privacy sweep: no text column held an address after the build")
        problems = check_provenance(con)
        if problems:
            raise RuntimeError("provenance check failed: " + "; ".join(problems))
        summary.rows = con.execute(
            load_sql("load/summary_rows.sql")).fetchall()
        summary.inputs = con.execute(
            "SELECT source, stage, total, loaded, rejected FROM ingest_report ORDER BY source"
        ).fetchall()
        token = (con.execute("SELECT any_value(token) FROM search_index").fetchone() or [None])[0]
        con.execute("CHECKPOINT")
        con.close()
        os.replace(temporary, db)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
        remove_unused(db, token)  # the index of the database replaced, unless it is the same
    except BaseException:
        # Stopped, killed workers, a full disk: the temporaries go, the previous database stays.
        try:
            con.close()
        except duckdb.Error:
            pass  # a connection that cannot write its last pages: its file goes anyway
        _remove_temporaries(temporary)
        raise
    summary.seconds = time.perf_counter() - started
    return summary


__all__ = ["BuildSummary", "InputError", "build", "open_build_database"]
