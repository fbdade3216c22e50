"""The Statements page in Chromium: search, reading pane, signatories; hostile text stays inert."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from conftest import DashboardServer

from support.dashboard_browser import (
    first_table_rows,
    open_until_text,
    permalink,
    real_errors,
    select_by_label,
)

pytestmark = pytest.mark.browser

# Synthetic, hostile statement (test fixture): archived HTML must never run in the dashboard.
HOSTILE_HTML = ("<p>We, the undersigned <script>window.__xss = 'script'</script></p>"
                "<img src='http://127.0.0.1:9/x.png' onerror=\"window.__xss = 'onerror'\">"
                "<p onclick=\"window.__xss = 'click'\">Endorse <a href=\"javascript:window.__xss="
                "'href'\">here</a></p>")


@pytest.fixture(scope="module")
def hostile_dashboard(built_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "hostile.duckdb"
    shutil.copy(built_db, db)
    con = duckdb.connect(str(db))
    con.execute(
        "INSERT INTO statements (statement_id, title, date, date_month, date_year, forum, "
        "addressee, text, text_html, source_url, method) VALUES ('synthetic-hostile', "
        "'Synthetic <script>window.__xss=1</script> statement', DATE '2014-05-01', '2014-05', "
        "2014, 'IGF', 'Test <img src=x onerror=alert(1)>', 'We, the undersigned', ?, "
        "'https://web.archive.org/web/20140501000000/http://bestbits.net/synthetic/', 'parsed')",
        [HOSTILE_HTML])
    con.execute("INSERT INTO signatories (statement_id, name, organisation, country, kind, "
                "source_url, method) VALUES ('synthetic-hostile', "
                "'<b onmouseover=alert(1)>Org</b>', NULL, 'Kenya', 'organisation', "
                "'https://web.archive.org/web/20140501000000/http://bestbits.net/synthetic/', "
                "'parsed')")
    con.close()
    server = DashboardServer(db, folder / "voila.log")
    yield server
    server.stop()


def test_hostile_statement_text_is_shown_as_text_and_nothing_runs(hostile_dashboard, page,
                                                                   artifacts):
    open_until_text(page, hostile_dashboard.url + "?page=statements&statement=synthetic-hostile",
              "We, the undersigned")
    page.get_by_text("Signatories by country").first.wait_for(timeout=60_000)
    text = page.locator(".bb-statement-text")
    assert text.locator("script").count() == 0
    assert text.locator("img").count() == 0
    assert page.locator("[onerror], [onclick], [onmouseover]").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    page.locator(".bb-statement-text").get_by_text("here").click()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    assert "Synthetic <script>" in page.locator("h3").filter(has_text="Synthetic").inner_text()
    page.screenshot(path=str(artifacts / "statements-hostile.png"), full_page=True)
    assert not real_errors(page)


def test_search_with_quotes_and_sql_is_only_text(dashboard, page):
    open_until_text(page, dashboard.url + "?page=statements", "Download CSV (43 rows)")
    search = page.get_by_placeholder("search titles and text")
    search.fill("'\"; DROP TABLE statements; -- ) OR 1=1")
    search.press("Enter")
    page.wait_for_function("!document.body.innerText.includes('Download CSV (43 rows)')")
    search.fill("NETmundial")
    search.press("Enter")
    # The five NETmundial statements, and two whose summaries name NETmundial.
    page.get_by_text("Download CSV (7 rows)").wait_for()
    assert [r[2] for r in first_table_rows(page)].count("NETmundial") == 5
    assert not real_errors(page)


def test_reading_a_statement_and_restoring_it_from_the_permalink(dashboard, page, artifacts):
    open_until_text(page, dashboard.url + "?page=statements", "Download CSV (43 rows)")
    select_by_label(page, "Forum", "ITU")
    page.get_by_text("Download CSV (10 rows)").wait_for()
    select_by_label(page, "Statement", "2012-11-16 · Statement of Civil Society Members and "
                                       "Groups Participating in the \"Best Bits\" pre-IGF "
                                       "meeting at Baku in 2012"[:140])
    page.get_by_text("Signatories listed (11)").wait_for()
    source = page.locator("a.bb-archived").first
    assert source.get_attribute("href").startswith("https://web.archive.org/web/2012")
    assert source.get_attribute("data-versiondate") and source.get_attribute("data-originalurl")
    assert "11 signatories are listed; the source states 10." in page.locator("body").inner_text()
    # One chart, by kind: no source of these signatories states a country, so no chart of
    # "not stated" alone.
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot:not(#bb-first-paint *)').length == 1")
    assert page.get_by_text("Signatories by country").count() == 0
    page.screenshot(path=str(artifacts / "statements-baku.png"), full_page=True)
    link = permalink(page)
    fresh = page.context.new_page()
    open_until_text(fresh, dashboard.url + link, "Signatories listed (11)")
