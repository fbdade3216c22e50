"""The SYNTHETIC site pages of tests/fixtures/site_pages/ as captures: for the store, a WARC, pywb.

One list says which fixture is served at which address and time; helpers turn it into
`write_warc` records (for pywb and `bestbits collect`) or store it straight into a data folder
(for reader tests that need no server).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scrapers.raw_store.warc_store import CaptureMeta, WarcStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "site_pages"
ARCHIVE = "https://web.archive.org/web/"


@dataclass(frozen=True)
class FixtureCapture:
    file: str | None        # a file in tests/fixtures/site_pages/, or None for a bodiless capture
    url: str
    timestamp: str
    status: int = 200
    mime: str = "text/html"
    body: bytes | None = None   # used when `file` is None and the capture has a body

    def content(self) -> bytes:
        if self.file:
            return (FIXTURES / self.file).read_bytes()
        return self.body or b""


SITE = "https://bestbits.net"
CAPTURES: list[FixtureCapture] = [
    FixtureCapture("ai1ec_event.html",
                   f"{SITE}/event/example-strategy-meeting/?instance_id=900001", "20131001000000"),
    # The same page captured again with the same content.
    FixtureCapture("ai1ec_event.html",
                   f"{SITE}/event/example-strategy-meeting/?instance_id=900001", "20131101000000"),
    # Its /es/ variant: English text, Spanish labels, no agenda.
    FixtureCapture("ai1ec_event_es.html",
                   f"{SITE}/es/event/example-strategy-meeting/?instance_id=900001",
                   "20131005000000"),
    FixtureCapture("ai1ec_event_curated.html",
                   f"{SITE}/event/best-bits-2013/?instance_id=132552", "20131010000000"),
    FixtureCapture("post_agenda.html", "http://bestbits.net/example-side-meeting-2015/",
                   "20150210000000"),
    FixtureCapture("statement_table.html", f"{SITE}/example-open-letter/", "20171215000000"),
    FixtureCapture("statement_lists.html", f"{SITE}/es/example-declaracion/", "20131020000000"),
    FixtureCapture("statement_lines.html", f"{SITE}/amazon-synthetic-copy/", "20170801000000"),
    # Issue 11: a plain post with a meta line and a pipe-style table, about the day a curated
    # event holds; a statement at a curated address, dated to the day where the curated record
    # has the month, its endorsers lines of text; and the statement's Portuguese variant.
    FixtureCapture("post_pipe_meta.html", f"{SITE}/wsis10-civil-society-day-2015/",
                   "20150305000000"),
    FixtureCapture("statement_people_lines.html", "http://bestbits.net/igf-statement-2014/",
                   "20140910000000"),
    FixtureCapture("statement_pt.html", f"{SITE}/pt/igf-statement-2014/", "20140912000000"),
    # An agenda post whose canonical link is the curated Bali event: five timed sessions that
    # include the curated three (which have no times).
    FixtureCapture("post_event_agenda_timed.html", f"{SITE}/best-bits-2013-agenda/",
                   "20131015000000"),
    FixtureCapture("report.html", f"{SITE}/example-meeting-report/", "20151106000000"),
    FixtureCapture("listing.html", f"{SITE}/category/statements/", "20171216000000"),
    FixtureCapture("home.html", f"{SITE}/", "20190101000000"),
    FixtureCapture("wiki.html", f"{SITE}/wiki/main/procedures/", "20160101000000"),
    FixtureCapture("no_title.html", f"{SITE}/event/untitled-example/", "20160202000000"),
    FixtureCapture(None, f"{SITE}/wp-content/uploads/2015/03/example-report.pdf",
                   "20150401000000", mime="application/pdf",
                   body=b"%PDF-1.4\n% synthetic test file, not a real report\n%%EOF\n"),
]
REDIRECT = FixtureCapture(None, "http://bestbits.net/old-example-address/", "20140101000000",
                          status=301)

EXPECTED_KINDS = {
    "ai1ec_event.html": "event", "ai1ec_event_es.html": "event",
    "ai1ec_event_curated.html": "event", "post_agenda.html": "event",
    "statement_table.html": "statement", "statement_lists.html": "statement",
    "statement_lines.html": "statement", "report.html": "report", "listing.html": "listing",
    "post_pipe_meta.html": "event", "statement_people_lines.html": "statement",
    "statement_pt.html": "statement", "post_event_agenda_timed.html": "event",
    "home.html": "home", "wiki.html": "wiki", "no_title.html": "event",
}


def warc_records(include_redirect: bool = True) -> list[tuple]:
    """(url, timestamp, status, headers, body) records for `write_warc`."""
    records = [(c.url, c.timestamp, c.status,
                {"Content-Type": c.mime + ("; charset=utf-8" if c.mime == "text/html" else "")},
                c.content()) for c in CAPTURES]
    if include_redirect:
        records.append((REDIRECT.url, REDIRECT.timestamp, 301,
                        {"Location": f"{SITE}/example-open-letter/",
                         "Content-Type": "text/html"}, b""))
    return records


def store_captures(data_dir: Path, captures: list[FixtureCapture] | None = None,
                   include_redirect: bool = True) -> None:
    """Put the fixture captures into DATA_DIR/raw/site/ as the site collector would."""
    with WarcStore(data_dir) as store:
        for capture in captures if captures is not None else CAPTURES:
            meta = CaptureMeta(url=capture.url, timestamp=capture.timestamp,
                               status=str(capture.status), mime=capture.mime,
                               digest=None, archive=ARCHIVE)
            store.store(meta, {"Content-Type": capture.mime}, capture.content())
        if include_redirect:
            store.index_only(CaptureMeta(url=REDIRECT.url, timestamp=REDIRECT.timestamp,
                                         status="301", mime="text/html", digest=None,
                                         archive=ARCHIVE))
