"""The overview, as a person sees it in headless Chromium: bars in several forums, a selector that redraws."""

from __future__ import annotations

import pytest

from bestbits.wording import counted
from support.dashboard_browser import permalink, real_errors, rows_of

pytestmark = pytest.mark.browser

PLOT_TRACES = """() => Array.from(document.querySelectorAll('.js-plotly-plot:not(#bb-first-paint *)')).map(
    gd => (gd.data || []).map(t => ({name: t.name, type: t.type,
                                     total: Array.from(t.y || []).reduce((a, b) => a + (+b || 0), 0)})))"""


def wait_for_charts(page, count: int, timeout: int = 120_000) -> None:
    """Until `count` charts are drawn and the first (the clickable bars) holds its bars."""
    page.wait_for_function(
        f"""() => {{ const gds = document.querySelectorAll('.js-plotly-plot:not(#bb-first-paint *)');
                     return gds.length >= {count} && gds[0].data &&
                            gds[0].data.some(t => t.type === 'bar'); }}""", timeout=timeout)


def bar_forums(page) -> set[str]:
    charts = page.evaluate(PLOT_TRACES)
    return {t["name"] for t in charts[0] if t["type"] == "bar" and t["total"] > 0}


def test_overview_draws_bars_in_several_forums_and_the_selector_redraws(dashboard, page,
                                                                        artifacts):
    page.goto(dashboard.url, wait_until="domcontentloaded")
    wait_for_charts(page, 2)
    before = bar_forums(page)
    assert len(before) > 1, f"expected bars in more than one forum, got {before}"
    assert "IGF" in before
    page.screenshot(path=str(artifacts / "overview.png"), full_page=True)

    page.locator("select").first.select_option("NETmundial")
    page.wait_for_function(
        """() => { const gd = document.querySelector('.js-plotly-plot:not(#bb-first-paint *)');
                   return gd && gd.data && gd.data.every(t => t.name === 'NETmundial'); }""",
        timeout=30_000)
    after = bar_forums(page)
    assert after == {"NETmundial"}
    assert "forum=NETmundial" in permalink(page)
    page.screenshot(path=str(artifacts / "overview-netmundial.png"), full_page=True)
    assert not real_errors(page)
    assert "Traceback" not in page.content()


def test_overview_says_where_the_data_comes_from(dashboard, page):
    page.goto(dashboard.url, wait_until="domcontentloaded")
    wait_for_charts(page, 1)
    text = page.locator(".bb-notice").first.inner_text()
    assert "curated record" in text
    assert "sample" in text and "8,344" in text


def test_clicking_a_bar_lists_the_rows_behind_it_with_their_sources(dashboard, page, artifacts):
    page.goto(dashboard.url + "?page=overview&forum=NETmundial&kinds=statements",
              wait_until="domcontentloaded")
    wait_for_charts(page, 2)
    page.wait_for_function(
        """() => { const gd = document.querySelector('.js-plotly-plot:not(#bb-first-paint *)');
                   return gd && gd.data && gd.data.length === 1; }""")
    bars = page.locator(".js-plotly-plot:not(#bb-first-paint *)").first.locator("g.point path")
    heights = [(bars.nth(i).bounding_box() or {"height": 0})["height"] for i in range(bars.count())]
    bars.nth(heights.index(max(heights))).click(force=True)  # the 2014 bar: NETmundial's year
    count = rows_of(dashboard.db, "activity_evidence", year=2014, forum="NETmundial",
                    kind="statements")
    said = f"Statements in 2014, NETmundial: {counted(count, 'row')}"
    evidence = page.locator(".bb-evidence")
    evidence.get_by_text(said).wait_for()
    links = evidence.locator("table a")
    assert links.count() >= evidence.locator("table tbody tr").count() > 0
    assert all(h.startswith("http") for h in
               [links.nth(i).get_attribute("href") for i in range(links.count())])
    assert "evidence=statements%3ANETmundial%3A2014" in permalink(page)
    page.screenshot(path=str(artifacts / "overview-evidence.png"), full_page=True)

    fresh = page.context.new_page()
    fresh.goto(dashboard.url + permalink(page))
    fresh.locator(".bb-evidence").get_by_text(said).wait_for()
