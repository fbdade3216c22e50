"""The whole chain: fixture WARCs -> pywb on loopback -> `bestbits collect site` -> `bestbits
build` -> events, agenda items, statements and endorsements in DuckDB.

The pages are the SYNTHETIC ones of tests/fixtures/site_pages/; the archive is a real pywb
serving them on 127.0.0.1; the commands run as separate processes, as a user would run them.
"""

from __future__ import annotations

import duckdb
import pytest

from support.archive_servers import pywb_server
from support.cli import run_cli
from support.site_pages import warc_records
from support.warc_fixtures import write_warc

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site-chain")
    warc = write_warc(tmp / "fixtures.warc.gz", warc_records())
    data = tmp / "data"
    with pywb_server(tmp, [warc]) as archive:
        collected = run_cli("collect", "site", "--archive", archive, "--site", "bestbits.net",
                            "--cdx-rate", "0", "--fetch-rate", "0", "--no-progress",
                            "--data-dir", str(data), timeout=180)
    assert collected.returncode == 0, collected.stderr + collected.stdout
    db = tmp / "x.duckdb"
    result = run_cli("build", "--data-dir", str(data), "--db", str(db), timeout=180)
    assert result.returncode == 0, result.stderr + result.stdout
    con = duckdb.connect(str(db), read_only=True)
    yield con, archive, result.stdout
    con.close()


def test_build_prints_the_site_stage(built):
    _con, _archive, printed = built
    assert "site" in printed


def test_events_and_agendas_arrive_in_duckdb(built):
    con, archive, _ = built
    event = con.execute(
        "SELECT event_id, start_date, end_date, city, country, source_url, method FROM events "
        "WHERE title = 'Example Strategy Meeting'").fetchall()
    assert len(event) == 1  # two identical captures and an /es/ variant: one event
    event_id, start, end, city, country, source, method = event[0]
    assert (str(start), str(end), city, country, method) == (
        "2013-10-19", "2013-10-20", "Lisbon", "Portugal", "parsed")
    assert source.startswith(archive)  # opens the archived copy in the archive it came from
    captures = con.execute("SELECT lang, preferred FROM item_captures WHERE item_id = ? "
                           "ORDER BY timestamp", [event_id]).fetchall()
    assert captures == [(None, False), ("es", False), (None, True)]
    agenda = con.execute("SELECT title FROM agenda_items WHERE event_id = ? ORDER BY position",
                         [event_id]).fetchall()
    assert [a[0] for a in agenda] == ["Registration", "Welcome and introductions",
                                      "Tactics for the forum", "Lunch"]
    timed = con.execute(
        "SELECT a.start_time, a.end_time, a.title FROM agenda_items a JOIN events e "
        "USING (event_id) WHERE e.title = 'Example side meeting on the review process' "
        "ORDER BY position").fetchall()
    assert timed[0] == ("09:00", "12:00", "Civil society coordination session 1")
    assert len(timed) == 4


def test_statements_and_endorsements_arrive_in_duckdb(built):
    con, _archive, _ = built
    statements = dict(con.execute(
        "SELECT title, signatory_count FROM statements WHERE method = 'parsed'").fetchall())
    assert statements == {"Example open letter on participation": "45",
                          "Declaración de ejemplo sobre derechos": ">90"}
    kinds = con.execute(
        "SELECT s.kind, count(*) FROM signatories s JOIN statements t USING (statement_id) "
        "WHERE t.title = 'Declaración de ejemplo sobre derechos' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert kinds == [("individual", 2), ("organisation", 3)]


def test_every_collected_capture_is_accounted_for(built):
    con, _archive, _ = built
    captures = con.execute("SELECT count(*) FROM captures").fetchone()[0]
    classified = con.execute("SELECT count(*) FROM page_classes").fetchone()[0]
    total, loaded, rejected = con.execute(
        "SELECT sum(total), sum(loaded), sum(rejected) FROM ingest_report WHERE stage = 'site'"
    ).fetchone()
    assert classified == captures == total and loaded + rejected == total
    assert con.execute("SELECT count(*) FROM documents WHERE kind = 'file'").fetchone()[0] == 1
