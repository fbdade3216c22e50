"""A page printed to PDF, as a researcher prints it (Chromium's print, @media print): the whole
page on as many sheets as it needs, with every row of its table, not the one clipped sheet a
scroll box gives. The PDFs land in tests/artifacts/."""

from __future__ import annotations

import io
import re
import unicodedata

import duckdb
import pytest
from pypdf import PdfReader

from bestbits.wording import counted
from browser.test_published_edition import edition, open_page, site  # noqa: F401 - fixtures
from support.dashboard_browser import (
    REDRAW_TIMEOUT_MS,
    open_until_text,
    real_errors,
    rows_of,
)

pytestmark = pytest.mark.browser


def pdf_text(pdf: bytes) -> str:
    """The text of every sheet, without the line breaks and spaces a wrapped cell brings; no
    sheet is blank (a block kept whole that is longer than a sheet leaves one)."""
    sheets = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    assert all(text.strip() for text in sheets), [len(text) for text in sheets]
    return squeezed("".join(sheets))


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def event_titles(db) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [t for (t,) in con.execute("SELECT title FROM events ORDER BY title").fetchall()]
    finally:
        con.close()


def print_to_pdf(page, path) -> bytes:
    """Print as a browser's print command does: `beforeprint` (page.pdf alone does not send it),
    then the print media."""
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    page.wait_for_timeout(500)  # the charts' redraw to the sheet's width
    # Every chart fits the sheet (A4 less its margins: 186 mm, about 703 px).
    widths = page.evaluate("Array.from(document.querySelectorAll('.js-plotly-plot .main-svg'))"
                           ".map(svg => svg.getBoundingClientRect().width)")
    assert max(widths, default=0) <= 703, widths
    page.set_viewport_size({"width": 703, "height": 1000})
    page.screenshot(path=str(path.with_suffix(".png")), full_page=True)
    pdf = page.pdf(format="A4", print_background=True,
                   margin={"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"})
    path.write_bytes(pdf)
    return pdf


def test_the_editions_events_page_prints_every_event(page, site, built_db, artifacts):  # noqa: F811
    open_page(page, site + "events.html")
    # A filter narrows the table on screen; the printed page still holds every row.
    page.locator("form.filters select[name=forum]").select_option("IGF")
    pdf = print_to_pdf(page, artifacts / "edition-events-print.pdf")
    sheets = len(PdfReader(io.BytesIO(pdf)).pages)
    text = pdf_text(pdf)
    titles = event_titles(built_db)
    missing = [t for t in titles if squeezed(t) not in text]
    assert titles and missing == []
    assert sheets > 1
    # Navigation, filters and the search box are for the screen.
    assert squeezed("Search events and statements") not in text
    assert squeezed("Download the rows shown") not in text


def test_the_live_events_page_prints_every_event(dashboard, page, built_db, artifacts):
    every = rows_of(dashboard.db, "events_filtered")
    open_until_text(page, dashboard.url + "?page=events", f"Download CSV ({counted(every, 'row')})")
    # The kernel's widgets, not the first paint drawn before them (first-paint.js removes it).
    page.wait_for_function("!document.getElementById('bb-first-paint') && "
                           "document.querySelector('.widget-html table.bb-table') && "
                           "document.querySelectorAll('.js-plotly-plot .main-svg').length > 0",
                           timeout=REDRAW_TIMEOUT_MS)
    pdf = print_to_pdf(page, artifacts / "live-events-print.pdf")
    text = pdf_text(pdf)
    titles = event_titles(built_db)
    missing = [t for t in titles if squeezed(t) not in text]
    assert titles and missing == []
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 1
    assert squeezed("Download CSV") not in text
    assert not real_errors(page)
