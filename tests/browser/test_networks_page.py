"""The Networks page in headless Chromium: clicking the tie between two organisations that signed
the same two statements lists those two statements with their archived sources (live), and the
edition's page draws the network without a server of ours (a static folder), with no console
error. Screenshots land in tests/artifacts/networks-*.png."""

from __future__ import annotations

import re

import pytest

from bestbits.publish import publish
from support.dashboard_browser import REDRAW_TIMEOUT_MS, open_page, real_errors
from support.signatory_pairs import organisations_sharing_two_statements
from support.static_site import serve_folder

pytestmark = [pytest.mark.browser, pytest.mark.network]

# The middle of the tie A-B, where its invisible marker is (the trace whose meta is "edge"), in
# the page's pixels: plotly's own axis conversion, as its hover hit-test uses.
TIE_POINT = """([a, b]) => {
    const gd = document.querySelector('.js-plotly-plot:not(#bb-first-paint *)');
    const trace = gd._fullData.find(t => t.meta === 'edge');
    const j = Array.from(trace.customdata).findIndex(c => c[0] === a && c[1] === b);
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const box = gd.getBoundingClientRect();
    return {x: box.left + xa._offset + xa.l2p(trace.x[j]),
            y: box.top + ya._offset + ya.l2p(trace.y[j]), found: j};
}"""


def statement_titles(db, ids: list[str]) -> list[str]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return [con.execute("SELECT title FROM statements WHERE statement_id = ?", [i]
                            ).fetchone()[0] for i in ids]


def test_clicking_the_tie_of_two_organisations_lists_the_two_statements_they_both_signed(
        dashboard, built_db, page, artifacts):
    a, b, shared = organisations_sharing_two_statements(built_db)
    open_page(page, dashboard.url + "?page=networks", charts=1)
    page.locator(".js-plotly-plot:not(#bb-first-paint *)").first.scroll_into_view_if_needed()
    tie = page.evaluate(TIE_POINT, [a, b])
    assert tie["found"] >= 0, f"no tie drawn between {a} and {b}"
    page.mouse.move(tie["x"], tie["y"])
    page.wait_for_timeout(300)
    page.mouse.click(tie["x"], tie["y"])
    evidence = page.locator(".bb-evidence")
    evidence.locator("h4", has_text=re.compile(rf"{re.escape(a)} and {re.escape(b)} both "
                                               r"signed.*: 2")).wait_for(timeout=REDRAW_TIMEOUT_MS)
    text = evidence.inner_text()
    for title in statement_titles(built_db, shared):
        assert title in text
    assert evidence.locator("tbody a[href^='http']").count() >= 2  # each with its archived source
    page.screenshot(path=str(artifacts / "networks-live.png"), full_page=True)
    assert real_errors(page) == []


@pytest.fixture(scope="module")
def edition(built_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("networks-edition") / "edition"
    publish(built_db, out, built_db.parent)
    return out


def test_the_editions_networks_page_draws_from_a_static_folder(edition, page, artifacts):
    with serve_folder(edition) as url:
        page.goto(url + "networks.html", wait_until="load")
        page.locator("#cosign-chart-1").scroll_into_view_if_needed()
        page.wait_for_function(
            "() => { const d = document.querySelector('#cosign-chart-1');"
            " return d && d.dataset.drawn === '1' && (d.data || []).length > 0; }",
            timeout=REDRAW_TIMEOUT_MS)
        traces = page.evaluate("() => document.querySelector('#cosign-chart-1').data.map("
                               "t => t.meta || t.mode)")
        assert "edge" in traces and "node" in traces
        # Another period, chosen in the page (the second option: before NETmundial): its
        # network is drawn from the same folder.
        page.locator("select[data-choice-for='choice-period']").select_option(index=1)
        page.wait_for_function(
            "() => { const d = document.querySelector('#cosign-chart-2');"
            " return d && d.dataset.drawn === '1' && (d.data || []).length > 0; }",
            timeout=REDRAW_TIMEOUT_MS)
        page.screenshot(path=str(artifacts / "networks-edition.png"), full_page=True)
    assert page.console_errors == []
