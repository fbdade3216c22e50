"""The Participation page in headless Chromium: honest on the curated sample, every chart drawn on
a (SYNTHETIC) list database, filters that redraw, permalinks that restore, CSVs of the rows shown."""

from __future__ import annotations

import re

import pytest

from support.dashboard_browser import (
    REDRAW_TIMEOUT_MS,
    bar_value,
    chart_titled,
    charts,
    choose,
    click_bar,
    download_csv,
    open_page,
    permalink,
    real_errors,
    table_rows,
    wait_for_permalink,
)
from support.list_fixture_db import MESSAGE_COUNT, list_dashboard  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.network]

# The synthetic mbox (tests/support/list_fixture_db.py): chart title -> traces drawn.
EXPECTED_TRACES = {
    "Messages and distinct posters per month": 2,   # messages (bars), posters (line)
    # posters per year (returning, newcomers) beside the cohorts 2013, 2014 and 2015
    "Posters per year; newcomers and retention by yearly cohort": 5,
    "Organisations": 2,                          # messages, posters
    "Forum mentions per month": 4,               # IGF, NETmundial, WSIS+10, UNESCO
    "List activity around each event": 3,        # before, during, after
}


def evidence_text(page) -> str:
    return page.locator(".bb-evidence").inner_text()


def wait_for_evidence(page, pattern: str) -> None:
    page.locator(".bb-evidence h4", has_text=re.compile(pattern)).wait_for(
        timeout=REDRAW_TIMEOUT_MS)


def test_on_the_embedded_sample_the_page_says_it_is_a_sample_and_links_each_message(
        dashboard, page, artifacts):
    open_page(page, dashboard.url + "?page=participation", charts=1)
    warning = page.locator(".bb-notice-warning").inner_text()
    for words in ("sample", "8,344", "bestbits collect list", "bestbits build"):
        assert words in warning
    (chart,) = charts(page)
    assert "sample" in chart["title"] and chart["traces"][0]["total"] == 91

    expected = bar_value(page, "The curated sample")
    click_bar(page, "The curated sample")
    wait_for_evidence(page, r"Sample messages of \d{4}-\d{2}: \d+")
    evidence = page.locator(".bb-evidence")
    links = evidence.locator("tbody a[href^='http']")
    assert links.count() == expected > 0
    assert "psel=month" in permalink(page)
    page.screenshot(path=str(artifacts / "participation-sample.png"), full_page=True)
    assert "Traceback" not in page.content()
    assert not real_errors(page)


def test_on_a_list_database_every_chart_is_drawn_and_a_csv_holds_the_rows_shown(
        list_dashboard, page, artifacts):  # noqa: F811
    open_page(page, list_dashboard.url + "?page=participation&min=4",
              charts=len(EXPECTED_TRACES))
    drawn = {title: len(chart_titled(page, title)["traces"]) for title in EXPECTED_TRACES}
    assert drawn == EXPECTED_TRACES
    assert chart_titled(page, "Messages and distinct")["traces"][0]["total"] == MESSAGE_COUNT
    assert "sample" not in page.locator(".bb-notice").first.inner_text().lower()
    page.screenshot(path=str(artifacts / "participation.png"), full_page=True)

    on_screen = table_rows(page.locator("table.bb-people-table"))
    downloaded = download_csv(page, page.locator(".bb-people a.bb-csv"))
    assert [row["person"] for row in downloaded] == [row[0] for row in on_screen]
    assert [row["messages"] for row in downloaded] == [row[3] for row in on_screen]
    assert len(downloaded) == 5                     # Ana 13, Ben 7, Chloe 5, Dev 4, Eli 4
    assert "Traceback" not in page.content()
    assert not real_errors(page)


def test_filters_redraw_a_click_shows_the_messages_and_the_permalink_restores_both(
        list_dashboard, page, browser, artifacts):  # noqa: F811
    open_page(page, list_dashboard.url + "?page=participation", charts=len(EXPECTED_TRACES))
    assert len(table_rows(page.locator("table.bb-people-table"))) == 5  # 3+ messages each

    choose(page, "Forum", "NETmundial")
    wait_for_permalink(page, "pforum=NETmundial")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot:not(#bb-first-paint *)')).some(gd =>
                 ((gd.layout.title || {}).text || '').startsWith('Forum mentions') &&
                 gd.data.length === 1 && gd.data[0].name === 'NETmundial')""",
        timeout=REDRAW_TIMEOUT_MS)
    minimum = page.locator(".widget-text:has(label:text-is('Min. messages')) input")
    minimum.fill("5")
    minimum.press("Enter")
    page.locator(".bb-caption", has_text="3 people with 5 or more messages").wait_for(
        timeout=REDRAW_TIMEOUT_MS)
    assert len(table_rows(page.locator("table.bb-people-table"))) == 3

    expected = bar_value(page, "Messages and distinct", point=1)
    click_bar(page, "Messages and distinct", point=1)
    wait_for_evidence(page, r"Messages of 2013-10")
    evidence_rows = table_rows(page.locator(".bb-evidence table"))
    assert len(evidence_rows) == expected == 7
    assert "authors named only with 5 or more" in evidence_text(page)

    view = permalink(page)
    for part in ("pforum=NETmundial", "min=5", "psel=month%3A2013-10"):
        assert part in view
    page.screenshot(path=str(artifacts / "participation-filtered.png"), full_page=True)

    fresh = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        open_page(fresh, list_dashboard.url + view.lstrip("/"), charts=len(EXPECTED_TRACES))
        assert fresh.locator(".widget-dropdown:has(label:text-is('Forum')) select"
                             ).input_value() == "NETmundial"
        assert fresh.locator(".widget-text:has(label:text-is('Min. messages')) input"
                             ).input_value() == "5"
        # The evidence is paged: "7 of 7 messages" is every message of the month.
        assert "Messages of 2013-10: 7 of 7 messages" in evidence_text(fresh)
        assert len(table_rows(fresh.locator("table.bb-people-table"))) == 3
    finally:
        fresh.context.close()
    assert not real_errors(page)


def test_url_values_are_restored_when_valid_and_fall_back_to_the_defaults_when_not(
        list_dashboard, page):  # noqa: F811
    open_page(page, list_dashboard.url + "?page=participation&min=abc&pforum=%3Cscript%3E"
              "&pfrom=2014&pto=2014&psel=month:%27%3B%20DROP", charts=len(EXPECTED_TRACES))
    assert chart_titled(page, "Messages and distinct")["traces"][0]["total"] == 12  # 2014 only
    assert chart_titled(page, "Posters per year")["traces"][0]["points"] == 1
    assert "2014" in page.locator(".widget-hslider:has(label:text-is('Years'))").inner_text()
    assert page.locator(".widget-dropdown:has(label:text-is('Forum')) select"
                        ).input_value() == "All"
    assert page.locator(".widget-text:has(label:text-is('Min. messages')) input"
                        ).input_value() == "3"
    # The first hint is the participation charts' (the themes section has its own below).
    assert "Click a bar" in page.locator(".bb-evidence-hint").first.inner_text()
    assert "Traceback" not in page.content()
    assert not real_errors(page)
