"""Incremental rebuilds (issue 10): every raw input's content hash is recorded, a rebuild re-reads
only what changed and gives exactly the tables of a full build; --full re-reads everything; a
killed incremental build leaves the previous database intact; --from-parquet loads an export."""

from __future__ import annotations

import gzip
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from bestbits import config
from bestbits.export import BUILD_WORKING_TABLES, export
from bestbits.load import list_parse
from bestbits.load.build import build
from bestbits.privacy import PrivacyMode
from support.pipermail_server import LIST_NAME, fixture_months

ARCHIVE = "http://lists.example.org/pipermail/testlist/"
# Whether an input was reused or changed differs between an incremental and a full build by
# design; everything else must be the same.
BOOKKEEPING = {"build_inputs": "path, kind, bytes, content_hash"}


@pytest.fixture(autouse=True)
def salted(monkeypatch):
    monkeypatch.setenv("BESTBITS_SALT", "test-salt")


def write_months(data: Path, labels: list[str], list_name: str = LIST_NAME) -> None:
    """The SYNTHETIC fixture months (tests/fixtures/list/) as the collector stores them."""
    folder = data / "raw" / "list" / list_name
    folder.mkdir(parents=True, exist_ok=True)
    months = fixture_months()
    sources_path = folder / "sources.json"
    sources = json.loads(sources_path.read_text()) if sources_path.exists() else {}
    for label in labels:
        (folder / f"{label}.txt.gz").write_bytes(gzip.compress(months[label], mtime=0))
        sources[f"{label}.txt.gz"] = f"{ARCHIVE}{label}.txt.gz"
    sources_path.write_text(json.dumps(sources, sort_keys=True))


def contents(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema = 'main' ORDER BY table_name").fetchall()]
        return {t: sorted(con.execute(f'SELECT {BOOKKEEPING.get(t, "*")} FROM "{t}"').fetchall(),
                          key=repr) for t in tables}
    finally:
        con.close()


def parsed_sources(monkeypatch) -> list[str]:
    """Record which inputs the list reader parses (rather than reuses)."""
    seen: list[str] = []
    original = list_parse.parse_batch

    def recording(batch):
        seen.append(batch.source)
        return original(batch)

    monkeypatch.setattr(list_parse, "parse_batch", recording)
    return seen


def test_adding_a_month_rereads_only_that_month_and_gives_the_full_builds_tables(
        tmp_path, monkeypatch):
    labels = sorted(fixture_months())
    data = tmp_path / "data"
    write_months(data, labels[:-1])
    db = data / "bestbits.duckdb"
    build(data, db, progress=lambda _m: None, workers=1)

    write_months(data, labels[-1:])
    parsed = parsed_sources(monkeypatch)
    summary = build(data, db, progress=lambda _m: None, workers=1)
    assert summary.mode == "incremental"
    assert set(parsed) == {f"raw/list/{LIST_NAME}/{labels[-1]}.txt.gz"}

    full_db = tmp_path / "full.duckdb"
    parsed.clear()
    assert build(data, full_db, progress=lambda _m: None, workers=1, full=True).mode == "full"
    assert len(set(parsed)) == len(labels) - 1  # one fixture month is empty: no batch
    assert contents(db) == contents(full_db)

    con = duckdb.connect(str(db), read_only=True)
    reused = dict(con.execute("SELECT path, reused FROM build_inputs WHERE kind = 'list-mbox'")
                  .fetchall())
    con.close()
    assert sum(reused.values()) == len(labels) - 1


def test_a_changed_month_is_read_again(tmp_path, monkeypatch):
    labels = sorted(fixture_months())
    data = tmp_path / "data"
    write_months(data, labels)
    db = data / "bestbits.duckdb"
    build(data, db, progress=lambda _m: None, workers=1)
    changed = data / "raw" / "list" / LIST_NAME / f"{labels[0]}.txt.gz"
    raw = gzip.decompress(changed.read_bytes())
    changed.write_bytes(gzip.compress(raw.replace(b"IGF", b"ITU", 1), mtime=0))
    parsed = parsed_sources(monkeypatch)
    build(data, db, progress=lambda _m: None, workers=1)
    assert set(parsed) == {changed.relative_to(data).as_posix()}
    full_db = tmp_path / "full.duckdb"
    build(data, full_db, progress=lambda _m: None, workers=1, full=True)
    assert contents(db) == contents(full_db)


def test_worker_processes_give_the_same_tables_as_one(tmp_path):
    data = tmp_path / "data"
    write_months(data, sorted(fixture_months()))
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    build(data, one, progress=lambda _m: None, workers=1, full=True)
    build(data, two, progress=lambda _m: None, workers=2, full=True)
    assert contents(one) == contents(two)


KILL_MID_INCREMENTAL_BUILD = """
import sys, time
from pathlib import Path
from bestbits.load import readers
from bestbits.load.build import build

def stall(data_dir, load):
    Path(sys.argv[2]).write_text("stalled")
    time.sleep(120)

readers.READERS.append(("stall", stall))
build(Path(sys.argv[1]).parent, Path(sys.argv[1]), progress=lambda _m: None, workers=1)
"""


def test_a_killed_incremental_build_leaves_the_previous_database_intact(tmp_path):
    labels = sorted(fixture_months())
    write_months(tmp_path, labels[:-1])
    db = tmp_path / "bestbits.duckdb"
    build(tmp_path, db, progress=lambda _m: None, workers=1)
    before = contents(db)
    write_months(tmp_path, labels[-1:])
    marker = tmp_path / "stalled"
    process = subprocess.Popen([sys.executable, "-c", KILL_MID_INCREMENTAL_BUILD, str(db),
                                str(marker)], cwd=config.REPO_ROOT)
    deadline = time.monotonic() + 300
    try:
        while not marker.exists():
            assert process.poll() is None, "the build ended before the kill"
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert contents(db) == before
    build(tmp_path, db, progress=lambda _m: None, workers=1)
    assert not list(tmp_path.glob("bestbits.duckdb.tmp-*"))


def test_a_parquet_export_builds_the_same_record(tmp_path):
    """The record's tables, that is: the list reader's working tables are never exported."""
    data = tmp_path / "data"
    write_months(data, sorted(fixture_months()))
    db = tmp_path / "bestbits.duckdb"
    build(data, db, progress=lambda _m: None, workers=1)
    export(db, tmp_path / "parquet", "parquet", privacy=PrivacyMode(min_cell=None))
    again = tmp_path / "again.duckdb"
    summary = build(data, again, progress=lambda _m: None, from_parquet=tmp_path / "parquet")
    assert summary.mode.startswith("from Parquet")
    record = {t: rows for t, rows in contents(db).items() if t not in BUILD_WORKING_TABLES}
    assert {t: contents(again)[t] for t in record} == record


def test_from_parquet_refuses_an_export_with_small_counts_suppressed(tmp_path):
    from bestbits.load.loader import InputError

    data = tmp_path / "data"
    write_months(data, sorted(fixture_months())[:1])
    db = tmp_path / "bestbits.duckdb"
    build(data, db, progress=lambda _m: None, workers=1)
    export(db, tmp_path / "parquet", "parquet")
    with pytest.raises(InputError, match="--full-detail"):
        build(data, tmp_path / "again.duckdb", progress=lambda _m: None,
              from_parquet=tmp_path / "parquet")


def test_from_parquet_names_a_missing_folder(tmp_path):
    from bestbits.load.loader import InputError

    with pytest.raises(InputError, match="no such folder"):
        build(tmp_path, tmp_path / "x.duckdb", progress=lambda _m: None,
              from_parquet=tmp_path / "absent")
