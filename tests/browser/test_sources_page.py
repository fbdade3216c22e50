"""The Sources & coverage page in headless Chromium: provenance, missing months, rejects, the
commands that collect more; a table filter that redraws, clicks that list rows, permalinks, CSV."""

from __future__ import annotations

import re

import pytest

from support.dashboard_browser import (
    REDRAW_TIMEOUT_MS,
    bar_value,
    chart_titled,
    choose,
    click_bar,
    download_csv,
    open_page,
    real_errors,
    table_rows,
    wait_for_permalink,
)
from support.list_fixture_db import MESSAGE_COUNT, list_dashboard  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.network]

CHARTS = 2  # rows by year of the chosen table; months of the list (no captures: a notice)


def test_the_page_says_where_rows_come_from_what_is_missing_and_how_to_collect_more(
        dashboard, page, artifacts):
    open_page(page, dashboard.url + "?page=sources", charts=CHARTS)
    events = chart_titled(page, "Events: where the rows come from")
    assert [t["name"] for t in events["traces"]] == ["curated"]
    months = chart_titled(page, "Months of the list")
    # archive, curated sample: every one of the 91 sample messages falls inside the list's
    # months (the two of the 2022-January folder are dated by their neighbours)
    assert [t["total"] for t in months["traces"][:2]] == [0, 91]
    assert months["traces"][2]["points"] == 82                    # every month is missing

    summary = table_rows(page.locator("table.bb-summary"))
    assert ["List messages", "91"] in summary
    assert ["Agenda items", "39"] in summary   # tables named for people, not agenda_items
    # Every table the control offers that holds rows is counted (two were missing).
    assert {"Forum meetings", "Milestones"} <= {row[0] for row in summary}
    options = page.locator(".widget-dropdown:has(label:text-is('Table')) select").inner_text()
    assert "Agenda items" in options.replace("\xa0", " ")   # ipywidgets keeps spaces as nbsp
    text = page.locator("body").inner_text()
    assert "No captures of the site yet" in text and "bestbits collect site" in text
    assert "0 of the 82 months" in text and "dated outside" not in text
    for command in ("bestbits collect site", "bestbits collect warc", "bestbits collect list",
                    "bestbits collect mbox", "bestbits build"):
        assert command in page.locator("ol.bb-collect").inner_text()
    page.screenshot(path=str(artifacts / "sources.png"), full_page=True)
    assert "Traceback" not in page.content()
    assert not real_errors(page)


def test_choosing_a_table_redraws_a_click_lists_its_rows_and_the_permalink_restores_both(
        dashboard, page, browser, artifacts):
    open_page(page, dashboard.url + "?page=sources", charts=CHARTS)
    choose(page, "Table", "Statements")
    wait_for_permalink(page, "table=statements")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot:not(#bb-first-paint *)')).some(gd =>
                 ((gd.layout.title || {}).text || '').includes('Statements: where the rows'))""",
        timeout=REDRAW_TIMEOUT_MS)

    expected = bar_value(page, "Statements: where the rows")
    click_bar(page, "Statements: where the rows")
    title = page.locator(".bb-evidence h4", has_text=re.compile(r"Statements of \d{4}, \w+: \d+ rows?"))
    title.wait_for(timeout=REDRAW_TIMEOUT_MS)
    rows = table_rows(page.locator(".bb-evidence table"))
    assert len(rows) == expected > 0
    assert page.locator(".bb-evidence tbody a[href^='http']").count() == expected
    permalink = wait_for_permalink(page, "ssel=rows")
    page.screenshot(path=str(artifacts / "sources-statements.png"), full_page=True)

    fresh = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        open_page(fresh, dashboard.url + permalink.lstrip("/"), charts=CHARTS)
        assert fresh.locator(".widget-dropdown:has(label:text-is('Table')) select"
                             ).input_value() == "Statements"
        assert fresh.locator(".bb-evidence h4").inner_text() == title.inner_text()
    finally:
        fresh.context.close()
    assert not real_errors(page)


def test_csv_downloads_hold_the_rows_shown_and_the_stage_filter_is_kept(dashboard, page):
    open_page(page, dashboard.url + "?page=sources&table=messages", charts=CHARTS)
    on_screen = table_rows(page.locator("table.bb-provenance"))
    link = page.locator(".bb-caption a.bb-csv[download='bestbits-provenance-messages.csv']")
    downloaded = download_csv(page, link)
    assert [[r["method"], r["origin"], r["rows"]] for r in downloaded] == \
        on_screen
    assert sum(int(r["rows"]) for r in downloaded) == 91

    ingest = table_rows(page.locator("table.bb-ingest"))
    assert len(download_csv(page, page.locator("a.bb-csv[download='bestbits-ingest-report.csv']"
                                               ))) == len(ingest) == 9
    choose(page, "Stage", "list")
    wait_for_permalink(page, "stage=list")
    page.locator(".bb-notice", has_text="No input was rejected at the list stage").wait_for(
        timeout=REDRAW_TIMEOUT_MS)
    assert not real_errors(page)


def test_with_list_messages_the_months_present_and_missing_are_told_apart(
        list_dashboard, page):  # noqa: F811
    open_page(page, list_dashboard.url + "?page=sources&table=messages", charts=CHARTS)
    months = chart_titled(page, "Months of the list")
    assert months["traces"][0]["total"] == MESSAGE_COUNT
    assert months["traces"][2]["points"] == 82 - 9       # the synthetic mbox fills 9 months
    assert "9 of the 82 months" in page.locator(".bb-list-months").inner_text()
    by_method = chart_titled(page, "List messages: where the rows come from")
    assert sorted(t["name"] for t in by_method["traces"]) == ["curated", "parsed"]
    assert not real_errors(page)
