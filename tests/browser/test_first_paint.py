"""The first paint, as a reader meets it in headless Chromium: the overview's charts are drawn from
the views computed once for every visitor before the kernel's websocket is even let through; once
it is, the widgets take over in the same place and a filter redraws through the kernel."""

from __future__ import annotations

import re
import time

import pytest

from support.dashboard_browser import PAGE_TIMEOUT_MS, REDRAW_TIMEOUT_MS, real_errors

pytestmark = pytest.mark.browser

KERNEL_SOCKET = re.compile(r"/api/kernels/[^/]+/channels")
PAINTED_CHARTS = """() => Array.from(document.querySelectorAll('#bb-first-paint .js-plotly-plot'))
    .filter(gd => gd._fullLayout && gd.data && gd.data.length).map(gd => ({
        title: gd.layout.title.text, top: Math.round(gd.getBoundingClientRect().top),
        forums: gd.data.filter(t => t.type === 'bar').map(t => t.name)}))"""
LIVE_CHARTS = PAINTED_CHARTS.replace("#bb-first-paint", "#rendered_cells")


class HeldSockets:
    """The kernel's websockets, held until released (then passed through, as every later one)."""

    def __init__(self):
        self.held, self.released = [], False

    def route(self, socket) -> None:
        if self.released:
            socket.connect_to_server()
        else:
            self.held.append(socket)

    def release(self) -> None:
        self.released = True
        for socket in self.held:
            socket.connect_to_server()


def test_the_overview_is_drawn_before_the_kernel_connects_then_filters_through_it(
        dashboard, page, artifacts):
    sockets = HeldSockets()
    page.route_web_socket(KERNEL_SOCKET, sockets.route)
    page.goto(dashboard.url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(f"({PAINTED_CHARTS})().length >= 2", timeout=PAGE_TIMEOUT_MS)
    painted = page.evaluate(PAINTED_CHARTS)
    assert painted[0]["title"] == "Activity by year and forum"
    assert len(set(painted[0]["forums"])) > 1
    # Drawn without the kernel: its websocket has not been let through, and no widget is shown.
    assert sockets.released is False
    assert page.evaluate(LIVE_CHARTS) == []
    page.screenshot(path=str(artifacts / "first-paint-before-kernel.png"))

    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    while not sockets.held and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert sockets.held, "the page never asked for its kernel's websocket"
    sockets.release()
    page.wait_for_function("() => !document.getElementById('bb-first-paint')",
                           timeout=PAGE_TIMEOUT_MS)
    live = page.evaluate(LIVE_CHARTS)
    # The widgets took over where the painted charts were.
    assert [c["title"] for c in live[:2]] == [c["title"] for c in painted[:2]]
    assert abs(live[0]["top"] - painted[0]["top"]) <= 4
    page.screenshot(path=str(artifacts / "first-paint-after-kernel.png"))

    page.locator(".widget-dropdown:has(label:text-is('Forum')) select").select_option("NETmundial")
    page.wait_for_function(f"() => {{ const c = ({LIVE_CHARTS})()[0]; return c && "
                           "c.forums.length && c.forums.every(f => f === 'NETmundial'); }",
                           timeout=REDRAW_TIMEOUT_MS)
    assert not real_errors(page)


def test_a_filtered_address_is_not_painted_before_its_kernel(dashboard, page):
    """The views computed in advance are the unfiltered ones: a filtered view waits for the
    kernel rather than showing, for a moment, charts that are not what the address says."""
    sockets = HeldSockets()
    page.route_web_socket(KERNEL_SOCKET, sockets.route)
    page.goto(dashboard.url + "?page=overview&forum=NETmundial", wait_until="domcontentloaded",
              timeout=PAGE_TIMEOUT_MS)
    assert page.locator("#bb-first-paint-data").count() == 1   # in the page, not drawn
    assert page.locator("#bb-first-paint").count() == 0
    sockets.release()
    page.wait_for_function(f"({LIVE_CHARTS})().length >= 1", timeout=PAGE_TIMEOUT_MS)
    assert set(page.evaluate(LIVE_CHARTS)[0]["forums"]) == {"NETmundial"}
    assert not real_errors(page)


def test_the_navigation_works_before_the_kernel_and_the_kernel_opens_where_the_reader_is(
        dashboard, page):
    sockets = HeldSockets()
    page.route_web_socket(KERNEL_SOCKET, sockets.route)
    page.goto(dashboard.url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(f"({PAINTED_CHARTS})().length >= 2", timeout=PAGE_TIMEOUT_MS)
    page.evaluate("() => { window.__sameDocument = true; }")
    page.locator("#bb-first-paint a.bb-nav-link", has_text="Events").click()
    page.wait_for_function("() => location.search === '?page=events' && "
                           "document.querySelector('#bb-first-paint .bb-nav-current')"
                           ".textContent === 'Events'", timeout=REDRAW_TIMEOUT_MS)
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"
    sockets.release()
    page.wait_for_function("() => !document.getElementById('bb-first-paint') && "
                           "document.querySelector('#rendered_cells .bb-nav-current') && "
                           "document.querySelector('#rendered_cells .bb-nav-current:not([style*=none])')",
                           timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function("""() => Array.from(document.querySelectorAll('#rendered_cells .bb-nav-current'))
        .some(el => el.offsetParent !== null && el.textContent === 'Events')""",
                           timeout=REDRAW_TIMEOUT_MS)
    assert page.evaluate("() => location.search") == "?page=events"
    assert not real_errors(page)
