"""The published edition of the embedded record, as a reader opens it from `python -m http.server`:
charts drawn, every event and statement page reached by following links, no request leaving the
folder, no console error; filters and sorting work without a server. Screenshots land in
tests/artifacts/edition-*.png."""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin

import duckdb
import pytest

from bestbits.publish import publish
from support.static_site import serve_folder

pytestmark = pytest.mark.browser

LINKS = "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"
CHARTS = """() => Array.from(document.querySelectorAll('.chart')).map(div => ({
    id: div.id, drawn: div.dataset.drawn === '1', deferred: div.dataset.deferred === '1',
    traces: (div.data || []).length}))"""


@pytest.fixture(scope="module")
def edition(built_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("published") / "edition"
    publish(built_db, out, built_db.parent)
    return out


@pytest.fixture(scope="module")
def site(edition):
    with serve_folder(edition) as url:
        yield url


@pytest.fixture
def guarded_page(page, site):
    """The page, with every request outside the served folder recorded and refused."""
    page.outside, page.failed = [], []

    def route(route):
        if route.request.url.startswith(site) or route.request.url.startswith("blob:"):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.context.route("**/*", route)
    page.on("response", lambda r: r.status >= 400 and page.failed.append(f"{r.status} {r.url}"))
    return page


def open_page(page, url: str) -> list[dict]:
    page.goto(url, wait_until="load")
    page.wait_for_function("() => document.body.dataset.chartsDrawn !== undefined")
    return page.evaluate(CHARTS)


def test_following_links_reaches_every_page_with_its_charts_and_nothing_outside(
        guarded_page, site, built_db, artifacts):
    page = guarded_page
    seen, queue = set(), [urljoin(site, "index.html")]
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        charts = open_page(page, url)
        undrawn = [c["id"] for c in charts if not c["drawn"] and not c["deferred"]]
        assert not undrawn, f"{url}: charts not drawn: {undrawn}"
        assert all(c["traces"] for c in charts if c["drawn"]), url
        for link in page.evaluate(LINKS):
            link = urldefrag(link).url
            if link.startswith(site) and link.endswith(".html") and link not in seen:
                queue.append(link)
    with duckdb.connect(str(built_db), read_only=True) as con:
        events = {r[0] for r in con.execute("SELECT event_id FROM events").fetchall()}
        statements = {r[0] for r in con.execute("SELECT statement_id FROM statements").fetchall()}
    reached = {u[len(site):] for u in seen}
    assert {f"events/{e}.html" for e in events} <= reached
    assert {f"statements/{s}.html" for s in statements} <= reached
    assert {"index.html", "events.html", "statements.html", "participation.html",
            "sources.html"} <= reached
    assert page.outside == [], page.outside[:5]
    assert page.failed == [], page.failed[:5]
    assert page.console_errors == [], page.console_errors[:5]
    for name in ("index.html", "events.html", "events/bb2013-bali.html",
                 "statements/netmundial-draft-2014.html", "participation.html", "sources.html"):
        open_page(page, urljoin(site, name))
        page.screenshot(path=str(artifacts / f"edition-{name.replace('/', '-')}.png"),
                        full_page=True)


def test_filters_narrow_tables_and_charts_and_stay_in_the_address(guarded_page, site):
    page = guarded_page
    open_page(page, urljoin(site, "events.html"))
    total = page.locator("#events tbody tr").count()
    page.select_option("form.filters select[name=forum]", "NETmundial")
    shown = page.locator("#events tbody tr:not([hidden])")
    assert 0 < shown.count() < total
    assert set(shown.evaluate_all("rows => rows.map(r => r.dataset.forum)")) == {"NETmundial"}
    assert "forum=NETmundial" in page.url
    # The address reopens the same view; on the overview the bars of other forums are hidden.
    open_page(page, urljoin(site, "index.html#forum=NETmundial&year=2014"))
    page.wait_for_function("() => document.getElementById('activity').dataset.filtered === '1'")
    visible = page.evaluate("""() => document.getElementById('activity').data
        .filter(t => t.visible !== false).map(t => t.name)""")
    assert set(visible) == {"NETmundial"}
    assert page.locator("form.filters select[name=year]").input_value() == "2014"
    assert page.outside == [] and page.console_errors == []


def test_tables_sort_by_a_clicked_column(guarded_page, site):
    page = guarded_page
    open_page(page, urljoin(site, "statements.html"))
    page.click("#statements th[data-column=date] button")
    dates = page.locator("#statements tbody tr td:first-child").all_inner_texts()
    known = [d for d in dates if d != "—"]
    assert dates == sorted(known) + ["—"] * (len(dates) - len(known))  # no date: last
    page.click("#statements th[data-column=date] button")
    again = page.locator("#statements tbody tr td:first-child").all_inner_texts()
    assert again == sorted(known, reverse=True) + ["—"] * (len(dates) - len(known))
