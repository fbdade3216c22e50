"""The build: provenance on every row, same inputs same contents, atomic replacement, bad input stops it."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from bestbits import config
from bestbits.load.build import build
from support.cli import run_cli

FACT_TABLES = ("events", "agenda_items", "statements", "signatories", "messages",
               "forum_meetings", "milestones", "archives")


def table_contents(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
        "AND table_schema = 'main'"
    ).fetchall()]
    contents = {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in sorted(tables)}
    con.close()
    return contents


def test_every_row_of_every_table_has_a_source_url_and_a_method(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    for table in FACT_TABLES:
        total = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert total > 0, f"{table} is empty"
        bad = con.execute(
            f"SELECT count(*) FROM {table} WHERE coalesce(trim(source_url), '') = '' "
            "OR coalesce(trim(method), '') = '' OR method NOT IN ('curated','scraped','parsed')"
        ).fetchone()[0]
        assert bad == 0, f"{table}: {bad} rows without provenance"


def test_the_curated_record_is_loaded_whole_and_accounted_for(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    counts = dict(con.execute("SELECT source, total FROM ingest_report").fetchall())
    for path in sorted(config.REFERENCE_DIR.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            import csv
            rows = sum(1 for _ in csv.DictReader(handle))
        assert counts[f"data/reference/{path.name}"] == rows
    assert con.execute("SELECT count(*) FROM ingest_report WHERE loaded + rejected <> total"
                       ).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM messages WHERE method = 'curated'").fetchone()[0] == 91


def test_month_only_dates_keep_their_precision_and_no_day_is_invented(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    row = con.execute("SELECT start_date, start_month, start_year FROM events "
                      "WHERE event_id = 'bb2013-paris-informal'").fetchone()
    assert row == (None, "2013-02", 2013)
    row = con.execute("SELECT date, date_month FROM statements "
                      "WHERE statement_id = 'cs-unity-wcit-2012'").fetchone()
    assert row == (None, "2012-11")


def test_building_twice_gives_identical_table_contents(tmp_path):
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    build(tmp_path, first, progress=lambda _m: None)
    build(tmp_path, second, progress=lambda _m: None)
    assert table_contents(first) == table_contents(second)


def test_no_address_reaches_the_database(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    columns = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                          "WHERE data_type = 'VARCHAR' AND table_schema = 'main'").fetchall()
    for table, column in columns:
        hits = con.execute(
            f'SELECT count(*) FROM "{table}" WHERE regexp_matches("{column}", '
            r"'[\w.+-]+@[\w-]+\.[\w.-]+')").fetchone()[0]
        assert hits == 0, f"{table}.{column} holds something like an e-mail address"


KILL_MID_BUILD = """
import sys, time
from pathlib import Path
from bestbits.load import readers
from bestbits.load.build import build

def stall(data_dir, load):
    Path(sys.argv[2]).write_text("stalled")
    time.sleep(120)

readers.READERS.append(("stall", stall))
build(Path(sys.argv[1]).parent, Path(sys.argv[1]), progress=lambda _m: None)
"""


def test_a_build_killed_midway_leaves_the_previous_database_intact(tmp_path):
    db = tmp_path / "bestbits.duckdb"
    build(tmp_path, db, progress=lambda _m: None)
    before = table_contents(db)
    marker = tmp_path / "stalled"
    process = subprocess.Popen([sys.executable, "-c", KILL_MID_BUILD, str(db), str(marker)],
                               cwd=config.REPO_ROOT)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, "the build ended before the kill"
        assert time.monotonic() < deadline
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert table_contents(db) == before
    # The next build clears the dead build's temporary file and succeeds.
    build(tmp_path, db, progress=lambda _m: None)
    assert not list(tmp_path.glob("bestbits.duckdb.tmp-*"))


def test_a_dead_builds_temporary_file_and_spill_folder_are_cleared(tmp_path):
    db = tmp_path / "bestbits.duckdb"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (tmp_path / f"bestbits.duckdb.tmp-{dead}").write_bytes(b"half a database")
    spill = tmp_path / f"bestbits.duckdb.tmp-{dead}.spill"
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"spilled")
    build(tmp_path, db, progress=lambda _m: None)
    assert not list(tmp_path.glob("bestbits.duckdb.tmp-*"))


@pytest.fixture
def broken_reference(tmp_path) -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(config.REFERENCE_DIR, folder)
    return folder


def break_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("file, line, old, new, problem", [
    ("events.csv", 2, "2012-11-03", "2012-02-30", "is not a valid date"),
    ("events.csv", 3, ",ITU,", ",ITUU,", "unknown forum 'ITUU'"),
    ("statements.csv", 2, ",2012-11,", ",2012-13,", "month 13 does not exist"),
    ("milestones.csv", 2, "2012-08-06,", "2012-08-06,extra,", "fields, expected 6"),
])
def test_bad_reference_input_stops_the_build_naming_file_line_and_problem(
        broken_reference, tmp_path, file, line, old, new, problem):
    db = tmp_path / "bestbits.duckdb"
    build(tmp_path, db, progress=lambda _m: None)
    before = table_contents(db)
    break_line(broken_reference / file, line, old, new)
    result = run_cli("build", "--data-dir", str(tmp_path), "--db", str(db),
                     env={"BESTBITS_REFERENCE_DIR": str(broken_reference)})
    assert result.returncode == 1
    assert f"{file}, line {line}" in result.stderr
    assert problem in result.stderr
    assert "Traceback" not in result.stderr
    assert table_contents(db) == before


def test_build_prints_rows_per_table_and_method(tmp_path):
    result = run_cli("build", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "events           curated       25" in result.stdout
    assert "Inputs read: 9" in result.stdout
    assert (tmp_path / "bestbits.duckdb").exists()


def test_a_statement_out_of_memory_is_run_again_with_more():
    """What lets the participation tables of 834,400 messages be built under the build's limit."""
    from bestbits.load.duckdb_memory import execute_with_more_memory

    con = duckdb.connect()
    con.execute("SET threads = 1")
    con.execute("SET memory_limit = '4MB'")
    before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    statement = ("CREATE TABLE t AS SELECT count(DISTINCT md5(range::VARCHAR)) AS n "
                 "FROM range(300000)")
    with pytest.raises(duckdb.OutOfMemoryException):
        con.execute(statement)
    execute_with_more_memory(con, statement, "4MB")
    assert con.execute("SELECT n FROM t").fetchone()[0] == 300000
    assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == before
