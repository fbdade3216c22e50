"""The published edition's search box (issue 20): on a page served as a reader would
(`python -m http.server`), typing a word of a statement's summary (or, where the record has
no summaries, of its notes) finds that statement's page, every request stays in the folder, and
a cold search fetches at most 300 kB. (Its warm speed is printed by
benchmarks/bench_edition_search.py; no time is asserted here.)"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import duckdb
import pytest

from bestbits.publish import publish
from support.static_site import serve_folder

pytestmark = pytest.mark.browser

COLD_QUERY_BUDGET = 300_000  # bytes, issue 20
RESULT_LINKS = "#edition-search .edition-search-results a"


@pytest.fixture(scope="module")
def edition(built_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("published-search") / "edition"
    publish(built_db, out, built_db.parent)
    return out


def a_word_of_a_statement(db) -> tuple[str, str]:
    """(statement_id, a word of its summary (of the curator's notes where statements have no
    summary yet) that no other statement's has."""
    with duckdb.connect(str(db), read_only=True) as con:
        columns = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'statements'").fetchall()}
        field = "summary" if "summary" in columns else "notes"
        rows = con.execute(f"SELECT statement_id, {field} FROM statements "  # noqa: S608 - a column name from the catalog
                           f"WHERE {field} IS NOT NULL ORDER BY statement_id").fetchall()
    words = {sid: set(re.findall(r"[a-z]{8,}", (value or "").lower())) for sid, value in rows}
    for statement_id, mine in words.items():
        for word in sorted(mine):
            if sum(word in other for other in words.values()) == 1:
                return statement_id, word
    pytest.fail("no statement has a word of its own")


def test_the_search_box_finds_a_statement_by_a_word_of_its_summary_within_the_folder(
        browser, edition, built_db):
    statement_id, word = a_word_of_a_statement(built_db)
    context = browser.new_context()  # a cold cache
    page = context.new_page()
    outside, fetched, errors = [], {}, []
    with serve_folder(edition) as site:
        def route(route):
            if route.request.url.startswith(site) or route.request.url.startswith("blob:"):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        def finished(request):
            if "/pagefind/" in request.url or "edition-search" in request.url:
                sizes = request.sizes()
                fetched[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]

        context.route("**/*", route)
        page.on("requestfinished", finished)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(urljoin(site, "events.html"), wait_until="load")
        page.fill("#edition-search input", word)
        page.wait_for_selector(RESULT_LINKS, timeout=60_000)
        hrefs = page.locator(RESULT_LINKS).evaluate_all("links => links.map(a => a.href)")
        assert urljoin(site, f"statements/{statement_id}.html") in hrefs, (word, hrefs)
        page.locator(RESULT_LINKS).first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith(site)
    context.close()
    assert outside == [], outside[:5]
    assert errors == [], errors[:5]
    assert 0 < sum(fetched.values()) <= COLD_QUERY_BUDGET, sorted(fetched.items())
