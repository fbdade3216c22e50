"""Accessibility, as axe-core (WCAG 2.2 AA) and a keyboard find it: every page of the live app
(each at its default address, once the kernel has drawn it, and a statement and an event with
their cards open) and every page of the published edition (its top-level pages, an event's and a
statement's) has no violation; Tab from the top of a page reaches the navigation and the first
control, and the focused element shows an outline. axe-core's script ships inside
axe-playwright-python, so the check runs offline. Screenshots land in tests/artifacts/a11y-*.png."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from bestbits.publish import publish
from dashboards.data import DashboardData
from dashboards.page_view import LIVE, Chart
from dashboards.pages import PAGE_IDS, PAGES, definition
from support.dashboard_browser import PAGE_TIMEOUT_MS
from support.static_site import serve_folder

pytestmark = pytest.mark.browser

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: the rules the issue asks for (axe-core's tags).
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHOWN_TARGETS = 3

LIVE_ITEMS = ["?page=statements&statement=netmundial-draft-2014",
              "?page=events&event=bb2014-istanbul", "?page=statements&q=surveillance"]
EDITION_ITEMS = ["events/bb2014-istanbul.html", "statements/netmundial-draft-2014.html"]

LIVE_CHARTS = "#rendered_cells .js-plotly-plot"
# Per chart: is its text alternative (a closed <details> with the chart in words) right after it?
CHART_WORDS = """() => Array.from(document.querySelectorAll('CHARTS')).map(chart => {
    let words = chart.nextElementSibling;
    while (words && words.tagName === 'SCRIPT') words = words.nextElementSibling;
    return !!words && words.tagName === 'DETAILS' && words.querySelector('p').textContent.length > 20;
})"""


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA},
               "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def described(violations: list[dict]) -> str:
    """Each violation's rule, impact, how many elements and the first few of them: what to fix."""
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:SHOWN_TARGETS]]
        lines.append(f"  {v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}; "
                     + " | ".join(targets))
    return "\n".join(lines)


def assert_accessible(page, where: str, artifacts, shot: str) -> None:
    violations = axe_violations(page)
    page.screenshot(path=str(artifacts / f"a11y-{shot}.png"), full_page=True)
    if violations:
        pytest.fail(f"axe-core (WCAG 2.2 AA) on {where}:\n{described(violations)}", pytrace=False)


# --- the live app ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def live_charts(built_db) -> dict[str, int]:
    """How many charts each page's default view draws in the live face."""
    data = DashboardData(built_db)
    try:
        return {page_id: sum(1 for b in definition(page_id).view(data).walk()
                             if isinstance(b, Chart) and LIVE in b.faces)
                for page_id in PAGE_IDS}
    finally:
        data.con.close()


def open_live(page, url: str, charts: int = 0, ready: str = "") -> None:
    """Open URL and wait until the kernel's widgets have replaced the first paint and drawn
    CHARTS charts (and READY, a selector, if given)."""
    page.goto(url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(
        f"""() => !document.getElementById('bb-first-paint') &&
                  document.querySelector('#rendered_cells .bb-nav-current') &&
                  Array.from(document.querySelectorAll('{LIVE_CHARTS}')).filter(
                      gd => gd.data && gd._fullLayout).length >= {charts}""",
        timeout=PAGE_TIMEOUT_MS)
    if ready:
        page.locator(ready).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(500)  # the last widgets' layout


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_every_live_page_has_no_axe_violation(dashboard, page, live_charts, page_id, artifacts):
    open_live(page, dashboard.url + f"?page={page_id}", live_charts[page_id])
    # Each chart's text alternative is under it (page_view.chart_text).
    assert page.evaluate(CHART_WORDS.replace("CHARTS", LIVE_CHARTS)) == [True] * live_charts[page_id]
    assert_accessible(page, f"the live page ?page={page_id}", artifacts, f"live-{page_id}")


def test_the_first_paint_has_no_axe_violation(dashboard, page, artifacts):
    """The overview as painted before the kernel connects (dashboards/live/first_paint.py): the
    kernel's websocket is held, so the painted view is what a reader has."""
    page.route_web_socket(re.compile(r"/api/kernels/[^/]+/channels"), lambda _socket: None)
    page.goto(dashboard.url + "?page=overview", wait_until="domcontentloaded",
              timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function("""() => Array.from(document.querySelectorAll(
        '#bb-first-paint .js-plotly-plot')).filter(gd => gd._fullLayout).length >= 2""",
                           timeout=PAGE_TIMEOUT_MS)
    assert_accessible(page, "the overview's first paint", artifacts, "live-first-paint")


@pytest.mark.parametrize("address", LIVE_ITEMS)
def test_a_live_item_with_its_card_open_has_no_axe_violation(dashboard, page, address,
                                                              artifacts):
    shown = (".bb-statement" if "statement=" in address else ".bb-event" if "event=" in address
             else ".bb-hits")
    open_live(page, dashboard.url + address, ready=f"#rendered_cells {shown}")
    assert_accessible(page, f"the live view {address}", artifacts,
                      "live-" + address.split("&")[1].replace("=", "-"))


# --- the edition -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(built_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("a11y-edition") / "edition"
    publish(built_db, out, built_db.parent)
    with serve_folder(out) as url:
        yield url


def open_edition(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_function("() => document.body.dataset.chartsDrawn !== undefined")


@pytest.mark.parametrize("name", [p.edition_file for p in PAGES] + EDITION_ITEMS)
def test_every_edition_page_has_no_axe_violation(site, page, name, artifacts):
    open_edition(page, urljoin(site, name))
    words = page.evaluate(CHART_WORDS.replace("CHARTS", "div.chart"))
    assert all(words), f"{name}: a chart without its words"
    assert_accessible(page, f"the edition's {name}", artifacts,
                      "edition-" + name.replace("/", "-").removesuffix(".html"))


def test_the_editions_search_results_have_no_axe_violation(site, page, artifacts):
    open_edition(page, urljoin(site, "index.html"))
    page.get_by_label("Search events and statements").fill("NETmundial")
    page.locator(".edition-search-results li").first.wait_for()
    assert_accessible(page, "the edition's search results", artifacts, "edition-search")


# --- the keyboard ------------------------------------------------------------------------------

FOCUSED = """() => { const el = document.activeElement; if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || '').trim(),
            label: el.getAttribute('aria-label') || (el.labels && el.labels[0] &&
                   el.labels[0].firstChild.textContent.trim()) || '',
            classes: el.className && el.className.baseVal === undefined ? el.className : '',
            nav: !!el.closest('.bb-nav, nav'),
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
            ring: style.boxShadow !== 'none'}; }"""


def tab_through(page, presses: int) -> list[dict]:
    """What each Tab from the top of the page focuses, in order."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                  "window.scrollTo(0, 0); }")
    page.locator("body").click(position={"x": 1, "y": 1})
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused:
            seen.append(focused)
    return seen


def test_the_keyboard_reaches_the_navigation_and_the_first_control_of_a_live_page(
        dashboard, page, live_charts, artifacts):
    open_live(page, dashboard.url + "?page=events", live_charts["events"])
    seen = tab_through(page, 12)
    navigation = [f["text"] for f in seen if f["nav"]]
    assert {"Overview", "Statements"} <= set(navigation), seen
    controls = [f for f in seen if f["tag"] in ("select", "input")]
    assert controls and controls[0]["label"] == "Forum", seen
    assert all(f["outline"] or f["ring"] for f in seen), [f for f in seen
                                                           if not (f["outline"] or f["ring"])]
    page.screenshot(path=str(artifacts / "a11y-live-keyboard.png"))


def test_the_keyboard_reaches_the_navigation_and_the_first_control_of_an_edition_page(
        site, page, artifacts):
    open_edition(page, urljoin(site, "events.html"))
    seen = tab_through(page, 12)
    navigation = [f["text"] for f in seen if f["nav"]]
    assert {"Overview", "Statements"} <= set(navigation), seen
    # The first control: the edition's search box, then the table's filters.
    controls = [f["label"] for f in seen if f["tag"] in ("select", "input")]
    assert controls[:2] == ["Search events and statements", "Forum"], seen
    assert all(f["outline"] or f["ring"] for f in seen), [f for f in seen
                                                           if not (f["outline"] or f["ring"])]
    page.screenshot(path=str(artifacts / "a11y-edition-keyboard.png"))


def test_the_keyboard_reaches_the_rows_behind_a_bar_through_the_chart_in_words(
        dashboard, page, artifacts):
    """What a click on a bar does, done with the keyboard: open "The chart in words" under the
    overview's first chart, Tab to a mark's button, press Enter: the rows behind it are listed."""
    open_live(page, dashboard.url + "?page=overview&forum=NETmundial&kinds=statements", 2)
    summary = page.locator("#rendered_cells details.bb-chart-text summary").first
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] == "button" and focused["outline"], focused
    # Statements addressed to NETmundial (one plot: no subplot title), the first bar not zero.
    assert focused["text"] == "NETmundial, 2013: 2", focused
    page.keyboard.press("Enter")
    page.locator(".bb-evidence").get_by_text("Statements in 2013, NETmundial: 2 rows").wait_for()
    assert_accessible(page, "the overview with a chart's marks open and the rows behind one",
                      artifacts, "live-keyboard-evidence")

