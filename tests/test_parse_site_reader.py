"""The build reader: stored captures -> items merged with the curated record, every capture counted.

No server here: the fixture pages are stored straight into a data folder as the collector would.
The chain through pywb and `bestbits collect site` is tests/test_site_chain.py.
"""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bestbits.load.build import build, create_schema
from bestbits.load.loader import Loader
from bestbits.load.site_pages import read_site_pages
from support.site_pages import CAPTURES, FixtureCapture, store_captures


@pytest.fixture(scope="module")
def con(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    data = tmp_path_factory.mktemp("site-reader")
    store_captures(data)
    build(data, data / "x.duckdb", progress=lambda _m: None)
    connection = duckdb.connect(str(data / "x.duckdb"), read_only=True)
    yield connection
    connection.close()


def rows(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_every_capture_is_classified_and_accounted_for(con):
    assert rows(con, "SELECT count(*) FROM page_classes")[0][0] == len(CAPTURES) + 1
    total, loaded, rejected = rows(
        con, "SELECT sum(total), sum(loaded), sum(rejected) FROM ingest_report "
             "WHERE stage = 'site'")[0]
    assert total == len(CAPTURES) + 1 and loaded + rejected == total
    assert rows(con, "SELECT count(*) FROM rejects WHERE stage = 'site'")[0][0] == rejected
    reasons = sorted(r[0] for r in rows(con, "SELECT reason FROM rejects WHERE stage = 'site'"))
    # The post that resembles the curated WSIS+10 day without naming a forum is listed, not
    # loaded as a second event (issue 11).
    assert reasons[0].startswith("ambiguous match with wsis10-paris-2015")
    assert reasons[1:] == ["no title"]
    kinds = dict(rows(con, "SELECT page_kind, count(*) FROM page_classes GROUP BY 1"))
    assert kinds == {"event": 8, "statement": 5, "report": 1, "listing": 1, "home": 1,
                     "wiki": 1, "document": 1, "redirect": 1}


def test_repeated_captures_and_language_variants_are_one_event(con):
    events = rows(con, "SELECT event_id, title, start_date, start_time, city, country, kind, url, "
                       "source_url FROM events WHERE title = 'Example Strategy Meeting'")
    assert len(events) == 1
    event_id, _title, start, start_time, city, country, kind, url, source = events[0]
    assert (str(start), start_time, city, country, kind) == (
        "2013-10-19", "09:00", "Lisbon", "Portugal", "strategy meeting")
    assert url == "https://bestbits.net/event/example-strategy-meeting/?instance_id=900001"
    captures = rows(con, "SELECT lang, timestamp, preferred FROM item_captures "
                         "WHERE item_id = ? ORDER BY timestamp", event_id)
    assert captures == [(None, "20131001000000", False), ("es", "20131005000000", False),
                        (None, "20131101000000", True)]
    # The most complete capture (English, with the agenda; the latest of the two identical).
    assert source == ("https://web.archive.org/web/20131101000000/"
                      "https://bestbits.net/event/example-strategy-meeting/?instance_id=900001")
    agenda = rows(con, "SELECT position, title, moderators, method FROM agenda_items "
                       "WHERE event_id = ? ORDER BY position", event_id)
    assert agenda[1] == (2, "Welcome and introductions", "Alice Example", "parsed")
    assert len(agenda) == 4


def test_parsed_rows_carry_provenance(con):
    for table in ("events", "agenda_items", "statements", "signatories"):
        bad = rows(con, f"SELECT count(*) FROM {table} WHERE method = 'parsed' AND "
                        "source_url NOT LIKE 'https://web.archive.org/web/%'")[0][0]
        assert bad == 0, table


def test_curated_event_matched_by_address_keeps_curated_values(con):
    assert rows(con, "SELECT title, city, method FROM events WHERE event_id = 'bb2013-bali'") == [
        ("Best Bits 2013", "Bali", "curated")]
    assert rows(con, "SELECT count(*) FROM events WHERE title LIKE '%synthetic test page%'"
                )[0][0] == 0
    diffs = dict(rows(con, "SELECT field, parsed_value FROM parsed_vs_curated "
                           "WHERE item_id = 'bb2013-bali'"))
    assert diffs["title"] == "Best Bits 2013 (synthetic test page)"
    assert diffs["city"] == "Denpasar"
    # The event page's agenda leaves out the curated sessions: it adds nothing. The agenda
    # post tied to the event by its canonical link includes the three curated sessions, each
    # with a time, and adds two: the curated sessions take its times and keep their source.
    agenda = rows(con, "SELECT position, start_time, end_time, title, method, source_url "
                       "FROM agenda_items WHERE event_id = 'bb2013-bali' ORDER BY position")
    assert [(a[0], a[1], a[4]) for a in agenda] == [
        (1, "09:00", "parsed"), (2, "09:30", "curated"), (3, "11:30", "curated"),
        (4, "14:00", "curated"), (5, "16:00", "parsed")]
    assert agenda[1][3].startswith("Global Internet governance principles")
    assert agenda[1][5] == "https://bestbits.net/event/best-bits-2013/?instance_id=132552"
    refined = rows(con, "SELECT field, change, curated_value, parsed_value FROM "
                        "reconcile_changes WHERE item_id = 'bb2013-bali' AND field LIKE "
                        "'agenda item%' ORDER BY field")
    # Named by the session's position in the stored agenda.
    assert ("agenda item 2 start_time", "refine", None, "09:30") in refined
    assert ("agenda item 2 day", "fill", None, "2013-10-19") in refined
    assert ("agenda item 5", "refine", None, "16:00-17:00 Synthetic closing plenary") in refined


def test_curated_statement_matched_by_title_and_date(con):
    statement = rows(con, "SELECT method, text_source_url, text_html FROM statements "
                          "WHERE statement_id = 'amazon-2017'")[0]
    assert statement[0] == "curated"
    assert statement[1].startswith("https://web.archive.org/web/20170801000000/")
    assert "Synthetic statement text" in statement[2]
    signers = rows(con, "SELECT name, kind, method FROM signatories "
                        "WHERE statement_id = 'amazon-2017' ORDER BY name")
    assert ("Dana Example", "individual", "parsed") in signers
    assert rows(con, "SELECT count(*) FROM statements WHERE title = "
                     "'Amazonians speak about .amazon'")[0][0] == 1


def test_parsed_statement_with_table_of_endorsers(con):
    statement = rows(con, "SELECT statement_id, date, signatory_count, stated_signatory_count, "
                          "parsed_signatory_count, addressee, text_html FROM statements "
                          "WHERE title = 'Example open letter on participation'")[0]
    statement_id, when, count, stated, parsed, addressee, html = statement
    assert (str(when), count, stated, parsed) == ("2017-12-12", "45", "45", 3)
    assert addressee == "Chair of the Example Conference"
    assert "<script" not in html and "onerror" not in html
    signers = rows(con, "SELECT name, organisation, country, kind FROM signatories "
                        "WHERE statement_id = ? ORDER BY name", statement_id)
    assert ("Alice Example", "Sample Research Institute", "Brazil", "individual") in signers
    assert len(signers) == 3


def test_documents_and_redirects_are_recorded_not_parsed(con):
    assert rows(con, "SELECT kind, title, date, mime FROM documents ORDER BY kind") == [
        ("file", "example-report.pdf", None, "application/pdf"),
        ("report", "Report of the example meeting", date(2015, 11, 5), "text/html")]
    assert rows(con, "SELECT page_kind, outcome FROM page_classes WHERE status = '301'") == [
        ("redirect", "recorded")]


def test_disagreements_query(con):
    from bestbits import query

    frame = query.run(con, "parse_disagreements")
    assert set(frame["item_id"]) == {"bb2013-bali", "wsis10-paris-2015"}
    with_gaps = query.run(con, "parse_disagreements", {"include_gaps": "true"})
    assert "amazon-2017" in set(with_gaps["item_id"])
    assert len(query.run(con, "site_page_kinds")) >= 7


def test_no_store_means_nothing_reported(tmp_path):
    con = _read_site_only(tmp_path)
    assert rows(con, "SELECT count(*) FROM ingest_report WHERE stage = 'site'")[0][0] == 0
    con.close()


page_bodies = st.lists(st.sampled_from([
    "<html><body class='single category-statements'>", "<h1 class='entry-title'>T</h1>",
    "<div class='entry-content'>", "</div>", "<p>When: October 19, 2013</p>",
    "<table><tr><td>Time</td><td>Session</td></tr><tr><td>9:00-10:00</td><td>S</td></tr></table>",
    "<h2>Signatories</h2><ul><li>Example Network</li></ul>", "<p>12. December, 2017 | "
    "Statements</p>", "<script>x</script>", "<", "\x00", "<p>", "Signed by 4 groups",
]), max_size=12).map("".join)


@settings(max_examples=10, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["/event/a/", "/es/event/a/", "/post/", "/"]),
                          st.sampled_from(["200", "404", "301"]), page_bodies),
                min_size=1, max_size=5))
def test_every_arbitrary_capture_ends_up_classified_or_reported(tmp_path, pages):
    data = tmp_path / "data"
    shutil.rmtree(data, ignore_errors=True)
    captures = [FixtureCapture(None, f"https://bestbits.net{path}", f"2015010100000{i}",
                               status=int(status), body=body.encode())
                for i, (path, status, body) in enumerate(pages)]
    store_captures(data, captures, include_redirect=False)
    # The site reader alone: the full build would add seconds per example.
    con = _read_site_only(data)
    try:
        assert rows(con, "SELECT count(*) FROM page_classes")[0][0] == len(captures)
        total, loaded, rejected = rows(con, "SELECT sum(total), sum(loaded), sum(rejected) "
                                            "FROM ingest_report WHERE stage = 'site'")[0]
        assert total == len(captures) and loaded + rejected == total
        assert rows(con, "SELECT count(*) FROM rejects WHERE stage = 'site'")[0][0] == rejected
    finally:
        con.close()


def _read_site_only(data):
    """The site reader alone on an empty schema (no curated record): fast, for small cases."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    read_site_pages(data, Loader(con, data))
    return con


def _build_from(tmp_path, captures):
    data = tmp_path / "data"
    store_captures(data, captures, include_redirect=False)
    return _read_site_only(data)


LETTER = """<html><body class="single postid-777 category-statements">
<h1 class="entry-title">Synthetic short-address letter</h1>
<div class="entry-meta">3. March, 2016 | <a rel="category tag" href="/c/">Statements</a></div>
<div class="entry-content"><p>Text.</p><h3>Signatories</h3><ul><li>Example Network</li></ul>
</div></body></html>"""


def test_short_post_address_and_slug_address_are_one_statement(tmp_path):
    con = _build_from(tmp_path, [
        FixtureCapture(None, "https://bestbits.net/short-letter/", "20160304000000",
                       body=LETTER.encode()),
        FixtureCapture(None, "http://www.bestbits.net/?p=777", "20160305000000",
                       body=LETTER.encode()),
    ])
    try:
        assert rows(con, "SELECT count(*) FROM statements WHERE method = 'parsed'")[0][0] == 1
        assert rows(con, "SELECT count(*) FROM item_captures")[0][0] == 2
        assert rows(con, "SELECT count(*) FROM signatories WHERE method = 'parsed'")[0][0] == 1
    finally:
        con.close()


def test_calendar_entry_and_post_with_same_title_and_date_are_one_event(tmp_path):
    calendar = """<html><body><h1 class="entry-title">Synthetic twin meeting</h1>
    <div class="entry-content"><div>When:</div><div>May 4, 2016 @ 9:00 am – 5:00 pm</div>
    </div></body></html>"""
    post = """<html><body><h1 class="entry-title">Synthetic twin meeting</h1>
    <div class="entry-content"><p>Date: 4 May 2016</p><table><tr><td>Time</td><td>Session</td>
    </tr><tr><td>09:00-10:00</td><td>Opening</td></tr></table></div></body></html>"""
    con = _build_from(tmp_path, [
        FixtureCapture(None, "https://bestbits.net/event/twin/?instance_id=5", "20160401000000",
                       body=calendar.encode()),
        FixtureCapture(None, "https://bestbits.net/twin-meeting-agenda/", "20160402000000",
                       body=post.encode()),
    ])
    try:
        events = rows(con, "SELECT event_id, start_date FROM events WHERE method = 'parsed'")
        assert len(events) == 1
        assert rows(con, "SELECT count(*) FROM item_captures WHERE item_id = ?",
                    events[0][0])[0][0] == 2
        # The calendar entry gives the times; the post gives the agenda, cited as its source.
        assert rows(con, "SELECT start_time FROM events WHERE event_id = ?", events[0][0]) == [
            ("09:00",)]
        assert rows(con, "SELECT title, source_url FROM agenda_items WHERE event_id = ?",
                    events[0][0]) == [("Opening", "https://web.archive.org/web/20160402000000/"
                                                  "https://bestbits.net/twin-meeting-agenda/")]
    finally:
        con.close()


def test_unreadable_record_is_rejected_with_its_reason(tmp_path):
    data = tmp_path / "data"
    store_captures(data, [FixtureCapture("home.html", "https://bestbits.net/",
                                         "20190101000000")], include_redirect=False)
    for warc in (data / "raw" / "site").glob("*.warc.gz"):
        warc.write_bytes(b"not a warc any more")
    con = _read_site_only(data)
    try:
        reasons = rows(con, "SELECT reason FROM rejects WHERE stage = 'site'")
        assert len(reasons) == 1 and reasons[0][0].startswith("empty or unreadable record")
    finally:
        con.close()


def test_calendar_entry_and_post_under_other_titles_are_one_event_by_day_place_and_forum(
        tmp_path):
    calendar = """<html><body><h1 class="entry-title">Synthetic IGF 2016 civil society day</h1>
    <div class="entry-content"><div>When:</div><div>December 5, 2016 @ 9:00 am – 5:00 pm</div>
    <div>Where:</div><div>Example Hall, Guadalajara, Mexico</div></div></body></html>"""
    post = """<html><head><title>Agenda for our pre-IGF meeting |</title></head>
    <body><h2 class="title">Agenda for our pre-IGF meeting |</h2>
    <p class="postmetadata">Monday, December 5, 2016 · Guadalajara, Mexico</p>
    <div class="post"><table><tr><td>Hora |</td><td>Sesión |</td></tr>
    <tr><td>09:00-10:00 |</td><td>Apertura |</td></tr></table></div></body></html>"""
    con = _build_from(tmp_path, [
        FixtureCapture(None, "https://bestbits.net/event/igf-day/?instance_id=7",
                       "20161101000000", body=calendar.encode()),
        FixtureCapture(None, "https://bestbits.net/pre-igf-agenda-2016/", "20161102000000",
                       body=post.encode()),
    ])
    try:
        events = rows(con, "SELECT event_id, start_time, city FROM events")
        assert len(events) == 1 and events[0][1:] == ("09:00", "Guadalajara")
        assert rows(con, "SELECT title FROM agenda_items") == [("Apertura",)]
        assert rows(con, "SELECT outcome FROM match_candidates") == [("merged",)]
    finally:
        con.close()
