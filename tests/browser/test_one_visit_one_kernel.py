"""One visit, one kernel (issue 9): a visitor clicks through all five pages and several filters
without a page reload; the address bar holds the view, Back returns to the previous view, and
the copied address opens the same view in a new browser context."""

from __future__ import annotations

import re

import pytest
from conftest import ARTIFACTS
from playwright.sync_api import expect

from bestbits.wording import counted
from support.dashboard_browser import (
    PAGE_TIMEOUT_MS,
    REDRAW_TIMEOUT_MS,
    charts,
    permalink,
    real_errors,
    rows_of,
)

pytestmark = pytest.mark.browser

def events_csv(dashboard, **filters) -> str:
    """The Events table's download link for these filters, with the record's row count."""
    return f"Download CSV ({counted(rows_of(dashboard.db, 'events_filtered', **filters), 'row')})"


VISIBLE_CHARTS = """() => Array.from(document.querySelectorAll('.js-plotly-plot:not(#bb-first-paint *)'))
    .filter(gd => gd.offsetParent !== null && gd.data && gd._fullLayout).length"""


def search(page) -> str:
    return page.evaluate("location.search")


def kernel_id(page) -> str:
    return page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def go_to(page, title: str) -> None:
    """Follow a navigation link, as a person would."""
    page.locator(".bb-nav a", has_text=re.compile(f"^{re.escape(title)}$")).click()


def visible_dropdown(page, label: str):
    return page.locator(f".widget-dropdown:visible:has(label:text-is('{label}')) select")


def wait_for_visible_charts(page, count: int, timeout: int = PAGE_TIMEOUT_MS) -> None:
    try:
        page.wait_for_function(f"({VISIBLE_CHARTS})() >= {count}", timeout=timeout)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "one-visit-no-charts.png"), full_page=True)
        raise


def wait_for_search(page, *parts: str) -> None:
    """Until the address bar's query string holds every PART."""
    page.wait_for_function(
        "parts => parts.every(p => location.search.includes(p))", arg=list(parts),
        timeout=REDRAW_TIMEOUT_MS)


def visible_text(page, text: str):
    return page.locator(f"text={text} >> visible=true").first


def test_a_visit_clicks_through_every_page_in_one_kernel_and_back(dashboard, browser, page,
                                                                  artifacts):
    page.goto(dashboard.url, wait_until="domcontentloaded")
    wait_for_visible_charts(page, 2)
    serving = kernel_id(page)
    kernels = dashboard.stable_kernel_pids()  # the pool has refilled behind this visit
    page.evaluate("window.__sameDocument = true")  # gone if anything reloads the page

    # Overview: a filter changes the address in place.
    visible_dropdown(page, "Forum").select_option("NETmundial")
    wait_for_search(page, "page=overview", "forum=NETmundial")
    page.wait_for_function(
        """() => { const gd = document.querySelector('.js-plotly-plot:not(#bb-first-paint *)');
                   return gd && gd.data.length && gd.data.every(t => t.name === 'NETmundial'); }""",
        timeout=REDRAW_TIMEOUT_MS)
    overview_address = search(page)
    overview_charts = charts(page)

    # Events, with two filters.
    go_to(page, "Events")
    wait_for_search(page, "page=events")
    visible_text(page, events_csv(dashboard)).wait_for(timeout=PAGE_TIMEOUT_MS)
    visible_dropdown(page, "Forum").select_option("IGF")
    visible_text(page, events_csv(dashboard, forum="IGF")).wait_for(timeout=REDRAW_TIMEOUT_MS)
    visible_dropdown(page, "Kind").select_option(index=1)
    wait_for_search(page, "page=events", "forum=IGF", "kind=")
    visible_dropdown(page, "Kind").select_option("All")
    wait_for_search(page, "page=events", "forum=IGF")
    page.wait_for_function("() => !location.search.includes('kind=')", timeout=REDRAW_TIMEOUT_MS)
    events_address = search(page)

    # Statements, with a search.
    go_to(page, "Statements")
    wait_for_search(page, "page=statements")
    search_box = page.locator(".widget-text:visible:has(label:text-is('Search')) input")
    search_box.wait_for(timeout=PAGE_TIMEOUT_MS)
    search_box.fill("internet")
    search_box.press("Enter")
    wait_for_search(page, "page=statements", "q=internet")

    # Participation and Sources.
    go_to(page, "Participation")
    wait_for_search(page, "page=participation")
    wait_for_visible_charts(page, 1)
    go_to(page, "Sources & coverage")
    wait_for_search(page, "page=sources")
    wait_for_visible_charts(page, 1)
    page.screenshot(path=str(artifacts / "one-visit-sources.png"), full_page=True)

    # Back, four times: participation, the statements search, the statements before it (a
    # search submitted is a step of its own), the events as they were left.
    page.go_back()
    wait_for_search(page, "page=participation")
    page.go_back()
    wait_for_search(page, "page=statements", "q=internet")
    assert search_box.input_value() == "internet"
    page.go_back()
    page.wait_for_function("() => location.search === '?page=statements'")
    expect(search_box).to_have_value("", timeout=REDRAW_TIMEOUT_MS)
    page.go_back()
    wait_for_search(page, "page=events", "forum=IGF")
    visible_text(page, events_csv(dashboard, forum="IGF")).wait_for(timeout=REDRAW_TIMEOUT_MS)
    expect(visible_dropdown(page, "Forum")).to_have_value("IGF", timeout=REDRAW_TIMEOUT_MS)
    assert search(page) == events_address
    # The navigation returns to the overview as it was left.
    go_to(page, "Overview")
    wait_for_search(page, "page=overview", "forum=NETmundial")
    # The address changes as the kept page is shown; the page it hides goes a moment later.
    expect(visible_dropdown(page, "Forum")).to_have_value("NETmundial", timeout=REDRAW_TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "one-visit-back-to-overview.png"), full_page=True)

    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    assert kernel_id(page) == serving
    assert dashboard.kernel_pids() <= kernels, "a kernel was started during the visit"
    assert permalink(page) == overview_address
    assert not real_errors(page)

    # The copied address, in a new browser context, draws the same thing.
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(90_000)
    try:
        fresh = context.new_page()
        fresh.goto(dashboard.url + overview_address, wait_until="domcontentloaded")
        wait_for_visible_charts(fresh, 2)
        fresh.wait_for_function(
            """() => document.querySelector('.js-plotly-plot:not(#bb-first-paint *)').data.every(
                         t => t.name === 'NETmundial')""", timeout=REDRAW_TIMEOUT_MS)
        assert charts(fresh) == overview_charts
        assert visible_dropdown(fresh, "Forum").input_value() == "NETmundial"
        fresh.goto(dashboard.url + events_address, wait_until="domcontentloaded")
        visible_text(fresh, events_csv(dashboard, forum="IGF")).wait_for(timeout=PAGE_TIMEOUT_MS)
        assert visible_dropdown(fresh, "Forum").input_value() == "IGF"
    finally:
        context.close()


def test_addresses_of_before_still_open_their_view(dashboard, page):
    """Every address that worked with one page per load still works, e.g. ?page=events&forum=IGF."""
    page.goto(dashboard.url + "?page=events&forum=IGF", wait_until="domcontentloaded")
    visible_text(page, events_csv(dashboard, forum="IGF")).wait_for(timeout=PAGE_TIMEOUT_MS)
    assert visible_dropdown(page, "Forum").input_value() == "IGF"
    assert page.locator(".bb-nav b", has_text="Events").count() == 1
    # A bare ?forum= (no page) is the overview, filtered.
    page.goto(dashboard.url + "?forum=IGF", wait_until="domcontentloaded")
    wait_for_visible_charts(page, 2)
    assert visible_dropdown(page, "Forum").input_value() == "IGF"
