"""The Events page in Chromium: filters redraw, a selected event shows its agenda, permalinks, CSV."""

from __future__ import annotations

import pytest

from bestbits.wording import counted
from support.dashboard_browser import (
    download_csv,
    first_table_rows,
    open_until_text,
    permalink,
    real_errors,
    rows_of,
    select_by_label,
    selected_label,
)

pytestmark = pytest.mark.browser


def test_filtering_selecting_and_downloading_events(dashboard, page, artifacts):
    every, igf = rows_of(dashboard.db, "events_filtered"), rows_of(dashboard.db, "events_filtered",
                                                                     forum="IGF")
    open_until_text(page, dashboard.url + "?page=events", f"Download CSV ({counted(every, 'row')})")
    # One chart: where the meetings took place.
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot:not(#bb-first-paint *)').length === 1")
    select_by_label(page, "Forum", "IGF")
    page.get_by_text(f"Download CSV ({counted(igf, 'row')})").wait_for()
    rows = first_table_rows(page)
    assert len(rows) == igf and all(r[3] == "IGF" for r in rows)

    downloaded = download_csv(page, page.locator("a.bb-csv").first)
    assert [r["title"] for r in downloaded] == [r[2] for r in rows]
    assert all(r["source_url"].startswith("http") for r in downloaded)

    select_by_label(page, "Event", "2014-08-31 · Best Bits 2014 (pre-IGF meeting)")
    page.get_by_text("Agenda").first.wait_for()
    details = page.locator(".bb-event").inner_text()
    assert "Istanbul, Turkey" in details and "Deborah" in details
    page.screenshot(path=str(artifacts / "events-istanbul.png"), full_page=True)

    link = permalink(page)
    assert "forum=IGF" in link and "event=bb2014-istanbul" in link
    fresh = page.context.new_page()
    open_until_text(fresh, dashboard.url + link, f"Download CSV ({counted(igf, 'row')})")
    assert selected_label(fresh, "Forum") == "IGF"
    fresh.locator(".bb-event").get_by_text("Best Bits 2014 (pre-IGF meeting)").wait_for()
    assert not real_errors(page)


def test_month_only_dates_say_so(dashboard, page):
    open_until_text(page, dashboard.url + "?page=events&event=bb2013-paris-informal",
              "only the month is known")
