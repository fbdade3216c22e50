"""Build the database: schema, every registered reader, post steps, checks, then one atomic rename.

The build writes to a temporary file beside the target and renames it only when everything
succeeded, so a failed or killed build never leaves a half-built database in its place.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from bestbits import config
from bestbits.load.loader import InputError, Loader
from bestbits.load.readers import POST_STEPS, READERS

PROVENANCE_TABLES = ("events", "agenda_items", "statements", "signatories", "messages",
                     "forum_meetings", "milestones", "archives")


@dataclass
class BuildSummary:
    db: Path
    seconds: float
    rows: list[tuple[str, str, int]] = field(default_factory=list)  # table, method, rows
    inputs: list[tuple[str, str, int, int, int]] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"Built {self.db} in {self.seconds:.1f} s", "", "Rows per table and method:"]
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
        return "\n".join(lines)


def schema_files() -> list[Path]:
    return sorted(config.SCHEMA_DIR.glob("*.sql"))


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    for path in schema_files():
        con.execute(path.read_text())


def check_provenance(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every fact row must say where it came from and how: a row without both is a bug."""
    problems = []
    sql = (config.QUERIES_DIR / "load" / "missing_provenance.sql").read_text()
    for table in PROVENANCE_TABLES:
        count = con.execute(sql.replace("{table}", table)).fetchone()[0]
        if count:
            problems.append(f"{table}: {count} rows without source_url or method")
    return problems


def _remove_stale_temporaries(db: Path) -> None:
    for stale in db.parent.glob(db.name + ".tmp-*"):
        try:
            pid = int(stale.name.rsplit("-", 1)[1].split(".")[0])
            os.kill(pid, 0)  # still running: another build owns it
        except (ValueError, ProcessLookupError):
            stale.unlink(missing_ok=True)
        except PermissionError:
            pass


def build(data_dir: Path, db: Path, progress=print) -> BuildSummary:
    """Build `db` from the curated record and DATA_DIR/raw/. Raises InputError on bad input."""
    started = time.perf_counter()
    db.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(db)
    temporary = db.with_name(f"{db.name}.tmp-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    con = duckdb.connect(str(temporary))
    try:
        create_schema(con)
        load = Loader(con, data_dir)
        for label, reader in READERS:
            progress(f"Reading {label} ...")
            reader(data_dir, load)
        for label, step in POST_STEPS:
            progress(f"Applying {label} ...")
            step(load)
        problems = check_provenance(con)
        if problems:
            raise RuntimeError("provenance check failed: " + "; ".join(problems))
        summary = BuildSummary(db=db, seconds=0.0)
        summary.rows = con.execute(
            (config.QUERIES_DIR / "load" / "summary_rows.sql").read_text()).fetchall()
        summary.inputs = con.execute(
            "SELECT source, stage, total, loaded, rejected FROM ingest_report ORDER BY source"
        ).fetchall()
        con.execute("CHECKPOINT")
        con.close()
        os.replace(temporary, db)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    except BaseException:
        con.close()
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
        raise
    summary.seconds = time.perf_counter() - started
    return summary


__all__ = ["BuildSummary", "InputError", "build"]
