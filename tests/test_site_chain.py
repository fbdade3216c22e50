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
    # The plain post about the curated WSIS+10 Paris day (same day, city and forum) is merged
    # into it: its pipe table's header row is no session, its cells lose their " |", and the
    # session it adds to the curated six is kept beside them.
    timed = con.execute(
        "SELECT start_time, end_time, title, method FROM agenda_items "
        "WHERE event_id = 'wsis10-paris-2015' ORDER BY position").fetchall()
    assert len(timed) == 7 and timed[0][:3] == (
        "09:00", "12:00", "Civil society awareness raising and coordination session 1")
    assert timed[-1] == ("17:30", "18:00", "Synthetic wrap-up and next steps", "parsed")
    assert not any(t[2].endswith("|") or t[2] in ("Session", "Time") for t in timed)


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


def test_one_row_per_real_world_item(built):
    con, archive, _ = built
    assert con.execute("SELECT count(*) FROM events WHERE start_date = DATE '2015-03-02' "
                       "AND city = 'Paris'").fetchone()[0] == 1
    event = con.execute("SELECT source_url, archived_url, archived_match, end_date FROM events "
                        "WHERE event_id = 'wsis10-paris-2015'").fetchone()
    assert event[0].startswith("https://dig.watch/")      # the curated source stays, linked ...
    assert event[1:3] == ("https://web.archive.org/web/20150302/" + event[0], "nearest")
    assert str(event[3]) == "2015-03-02"
    # ... and the capture the page was read from joins the event as its preferred capture.
    preferred = con.execute("SELECT replay_url FROM item_captures WHERE item_id = "
                            "'wsis10-paris-2015' AND preferred").fetchone()[0]
    assert preferred.startswith(archive)
    listed = con.execute("SELECT parsed_title, candidate_id, outcome FROM match_candidates "
                         "ORDER BY score").fetchall()
    assert listed == [("Example side meeting on the review process", "wsis10-paris-2015",
                       "listed"),
                      ("WSIS+10 review: cross-community dialogue and civil society coordination",
                       "wsis10-paris-2015", "merged")]
    assert con.execute("SELECT count(*) FROM statements WHERE statement_id = "
                       "'igf-statement-2014' OR title LIKE '%2014 Internet Governance Forum%'"
                       ).fetchone()[0] == 1


def test_refinements_are_listed_with_both_values_and_sources(built):
    con, archive, _ = built
    changes = {(r[0], r[1]): r[2:] for r in con.execute(
        "SELECT item_id, field, change, curated_value, parsed_value, curated_source_url, "
        "parsed_source_url FROM reconcile_changes").fetchall()}
    change, curated, parsed, curated_source, parsed_source = changes[
        ("igf-statement-2014", "date")]
    assert (change, curated, parsed) == ("refine", "2014-09", "2014-09-05")
    assert curated_source.startswith("https://internetdemocracy.in/")
    assert parsed_source.startswith(archive)
    assert changes[("wsis10-paris-2015", "agenda item 7")][:3] == (
        "refine", None, "17:30-18:00 Synthetic wrap-up and next steps")
    # The curated Bali sessions had no times; the agenda post gives them.
    assert changes[("bb2013-bali", "agenda item 2 start_time")][:3] == ("refine", None, "09:30")
    assert con.execute("SELECT count(*) FROM agenda_items WHERE event_id = 'bb2013-bali' "
                       "AND start_time IS NOT NULL").fetchone()[0] == 5
    assert con.execute("SELECT date, date_month, lang FROM statements "
                       "WHERE statement_id = 'igf-statement-2014'").fetchone()[:2] == (
        __import__("datetime").date(2014, 9, 5), "2014-09")


def test_endorsers_have_a_kind_and_stay_out_of_the_text(built):
    con, _archive, _ = built
    kinds = dict(con.execute("SELECT name, kind FROM signatories "
                             "WHERE statement_id = 'igf-statement-2014'").fetchall())
    assert kinds["Maria Example"] == "individual" and kinds["Access Now"] == "organisation"
    text, html, stated, organisations, individuals = con.execute(
        "SELECT text, text_html, signatory_count, parsed_organisations, parsed_individuals "
        "FROM statements WHERE statement_id = 'igf-statement-2014'").fetchone()
    assert "Maria Example" not in text and "Maria Example" not in html
    assert (stated, organisations, individuals) == ("6", 4, 2)
    # The curated notable signatory the page lists too: the page fills its kind and country.
    assert con.execute("SELECT kind, country, method FROM signatories WHERE statement_id = "
                       "'igf-statement-2014' AND name = 'Internet Democracy Project'"
                       ).fetchall() == [("organisation", "India", "curated")]
    # Every signatory, curated or parsed, has a kind and the cue that told it.
    assert con.execute("SELECT count(*) FROM signatories WHERE kind IS NULL "
                       "OR kind_basis IS NULL").fetchone()[0] == 0
    texts = con.execute("SELECT text FROM statements WHERE method = 'parsed'").fetchall()
    assert not any("Open Sample Network" in (t[0] or "") for t in texts)
