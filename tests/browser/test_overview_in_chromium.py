"""The overview, as a person sees it in headless Chromium: bars in several forums, a selector that redraws."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PLOT_TRACES = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(
    gd => (gd.data || []).map(t => ({name: t.name, type: t.type,
                                     total: (t.y || []).reduce((a, b) => a + (+b || 0), 0)})))"""


def wait_for_charts(page, count: int, timeout: int = 120_000) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot').length >= {count}", timeout=timeout)


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
        """() => { const gd = document.querySelector('.js-plotly-plot');
                   return gd && gd.data && gd.data.every(t => t.name === 'NETmundial'); }""",
        timeout=30_000)
    after = bar_forums(page)
    assert after == {"NETmundial"}
    assert "forum=NETmundial" in page.locator("a.bb-permalink").inner_text()
    page.screenshot(path=str(artifacts / "overview-netmundial.png"), full_page=True)
    assert not [e for e in page.console_errors if "Traceback" in e]
    assert "Traceback" not in page.content()


def test_overview_says_where_the_data_comes_from(dashboard, page):
    page.goto(dashboard.url, wait_until="domcontentloaded")
    wait_for_charts(page, 1)
    text = page.locator(".bb-notice").first.inner_text()
    assert "curated record" in text
    assert "sample" in text and "8,344" in text
