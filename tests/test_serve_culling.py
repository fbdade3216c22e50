"""A departed visitor's kernel is shut down, a connected reader's never is, the preheated pool is
kept, and a visitor past --max-visitors gets a busy page that retries by itself.

The server runs with a short --idle-timeout (the same setting a user gives), so the waits here
are seconds, not the default minute."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bestbits.serve import UNOPENED_PAGE_FACTOR, cull_interval
from support.served_voila import ServedVoila, wait_until

pytestmark = pytest.mark.network

IDLE_SECONDS = 6
POOL_SIZE = 1
# Culling happens within the idle timeout plus one culler interval; the rest is for a loaded
# machine (a kernel's shutdown can take seconds there).
CULL_WINDOW = IDLE_SECONDS + cull_interval(IDLE_SECONDS) + 30
# A kernel whose page never opened its websocket (a GET with no browser) is kept longer.
UNOPENED_CULL_WINDOW = UNOPENED_PAGE_FACTOR * IDLE_SECONDS + cull_interval(IDLE_SECONDS) + 30


@pytest.fixture(scope="module")
def server(built_db, tmp_path_factory) -> Iterator[ServedVoila]:
    served = ServedVoila(built_db, tmp_path_factory.mktemp("cull") / "serve.log",
                         "--pool-size", str(POOL_SIZE), "--max-visitors", "1",
                         "--idle-timeout", str(IDLE_SECONDS))
    try:
        served.wait_until_listening()
        served.wait_for_kernels(POOL_SIZE, timeout=120)
        yield served
    finally:
        served.stop()


@pytest.fixture
def no_visitors(server) -> ServedVoila:
    """Each test starts with only the pool running (an earlier test's visitor culled)."""
    server.wait_for_kernels(POOL_SIZE, timeout=UNOPENED_CULL_WINDOW + 60)
    return server


def test_a_departed_visitors_kernel_is_shut_down_and_the_pool_kept(no_visitors):
    server = no_visitors
    kernel_id = server.visit_without_browser()
    assert server.kernel_exists(kernel_id)
    wait_until(lambda: not server.kernel_exists(kernel_id), UNOPENED_CULL_WINDOW,
               what="the departed visitor's kernel shutting down")
    # The kernel waiting in the pool is idle and has no page either, yet it is kept: after two
    # more idle windows the pool is still full and its kernel still serves the next visitor.
    time.sleep(2 * IDLE_SECONDS + cull_interval(IDLE_SECONDS))
    assert len(server.kernels()) == POOL_SIZE
    assert server.visit_without_browser() != kernel_id


def test_a_connected_reader_is_never_cut_off(no_visitors):
    from tornado.websocket import websocket_connect

    server = no_visitors
    kernel_id = server.visit_without_browser()

    async def read_quietly_then_leave() -> bool:
        url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels"
        connection = await websocket_connect(url)
        # A reader who does not click for three idle windows: the page's websocket stays open.
        await asyncio.sleep(3 * IDLE_SECONDS + 2 * cull_interval(IDLE_SECONDS))
        kept = await asyncio.to_thread(server.kernel_exists, kernel_id)
        connection.close()
        return kept

    # In a thread of its own: in a whole run the browser tests' Playwright loop is running here.
    with ThreadPoolExecutor(1) as thread:
        kept = thread.submit(asyncio.run, read_quietly_then_leave()).result()
    assert kept, "a connected reader's kernel was shut down"
    wait_until(lambda: not server.kernel_exists(kernel_id), CULL_WINDOW,
               what="the kernel shutting down once its reader left")


def test_a_visitor_past_the_cap_gets_a_busy_page_that_retries(no_visitors):
    server = no_visitors
    first = server.visit_without_browser()  # the one visitor --max-visitors 1 admits
    server.wait_for_kernels(POOL_SIZE + 1, timeout=120)  # the pool has refilled behind it
    status, headers, body = server.get()
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    assert "busy" in body
    assert '<meta http-equiv="refresh"' in body and "location.reload()" in body
    assert len(server.kernels()) == POOL_SIZE + 1, "the busy page must not start a kernel"
    # Once the first visitor's kernel is given back, the same request is served.
    wait_until(lambda: not server.kernel_exists(first), UNOPENED_CULL_WINDOW,
               what="the first visitor's kernel shutting down")
    assert server.visit_without_browser() != first


@pytest.mark.browser
def test_closing_the_tab_gives_the_kernel_back(no_visitors, browser):
    from support.dashboard_browser import wait_for_charts

    server = no_visitors
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url, wait_until="domcontentloaded", timeout=180_000)
        wait_for_charts(page, 1)
        kernel_id = page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        # While the tab is open, its kernel outlives the idle timeout.
        time.sleep(IDLE_SECONDS + 2 * cull_interval(IDLE_SECONDS))
        assert server.kernel_exists(kernel_id), "an open tab's kernel was shut down"
        # As a person closes a tab: the page's unload handler asks the server to shut its
        # kernel down (the idle culler is the fallback when a browser dies without asking).
        page.close(run_before_unload=True)
    finally:
        context.close()
    wait_until(lambda: not server.kernel_exists(kernel_id), CULL_WINDOW,
               what="the closed tab's kernel shutting down")
    server.wait_for_kernels(POOL_SIZE, timeout=CULL_WINDOW)
    assert "'_xsrf' argument missing" not in server.log.read_text(errors="replace"), \
        "the page's shutdown request was refused"
