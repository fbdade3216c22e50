"""Every live view can be cited (issue 17.2), as a researcher meets it in headless Chromium: each
of the six pages shows, under it, the database's edition id (the one `bestbits publish` gives the
same database), the build date, the version, the view's absolute permalink and a "how to cite
this view" line that follows the filters; the permalink reopens the view in a new browser, and
the CSL-JSON and BibTeX downloads hold the id and the permalink."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ARTIFACTS
from playwright.sync_api import expect

from bestbits import __version__
from bestbits.edition_identity import edition_identity
from dashboards.pages import PAGES
from support.dashboard_browser import PAGE_TIMEOUT_MS, REDRAW_TIMEOUT_MS, real_errors

pytestmark = pytest.mark.browser


def go_to(page, title: str) -> None:
    """Follow a navigation link, as a person would."""
    page.locator(".bb-nav a", has_text=re.compile(f"^{re.escape(title)}$")).click()


def cite_line(page) -> str:
    return page.locator(".bb-cite-line").inner_text()


def wait_for_cite(page, *parts: str, timeout: int = REDRAW_TIMEOUT_MS) -> str:
    """Until the "how to cite this view" line holds every PART; returns the line."""
    try:
        page.wait_for_function(
            """parts => { const line = document.querySelector('.bb-cite-line');
                          return line && parts.every(p => line.innerText.includes(p)); }""",
            arg=list(parts), timeout=timeout)
    except Exception as exc:
        page.screenshot(path=str(ARTIFACTS / "cite-live-view-missing.png"), full_page=True)
        shown = page.evaluate("() => (document.querySelector('.bb-cite-line') || {}).innerText")
        raise AssertionError(f"the cite line never held {parts}: {shown!r} at "
                             f"{page.evaluate('location.href')}") from exc
    return cite_line(page)


def download(page, selector: str) -> str:
    with page.expect_download() as info:
        page.locator(selector).click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_every_live_page_cites_the_published_edition_id_and_an_absolute_permalink(
        dashboard, browser, page, artifacts):
    identity = edition_identity(dashboard.db)  # what `bestbits publish` gives this database
    page.goto(dashboard.url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
    address = dashboard.url  # http://127.0.0.1:<port>/

    for entry in PAGES:
        if entry.id != "overview":
            go_to(page, entry.title)
        permalink = f"{address}?page={entry.id}"
        line = wait_for_cite(page, f"“{entry.title}”", permalink, timeout=PAGE_TIMEOUT_MS)
        assert page.locator(".bb-edition").inner_text() == identity.identifier, entry.id
        assert f"edition {identity.identifier}, “{entry.title}”, {permalink}, accessed " in line
        assert f"Built {identity.built} with bestbits-archive {__version__}." in line
        assert page.locator(".bb-built").inner_text() == identity.built
        assert page.locator(".bb-version").inner_text() == __version__
        shown = page.locator("a.bb-cite-permalink")
        assert shown.get_attribute("href") == shown.inner_text() == permalink
        assert permalink.startswith("http://127.0.0.1:")

    # A filter changes the view: the line and the permalink follow it.
    go_to(page, "Events")
    page.locator(".widget-dropdown:visible:has(label:text-is('Forum')) select").select_option("IGF")
    wait_for_cite(page, "“Events”", f"{address}?page=events&forum=IGF")
    permalink = page.locator("a.bb-cite-permalink").get_attribute("href")
    page.locator(".bb-cite").scroll_into_view_if_needed()
    # The foot of the page: the end of the page's content, the permalink and the cite footer.
    foot = page.locator(".bb-cite").bounding_box()
    top = max(foot["y"] - 250, 0)
    page.screenshot(path=str(artifacts / "cite-live-view-footer.png"),
                    clip={"x": 0, "y": top, "width": 1400, "height": foot["y"] + foot["height"] - top})

    # The citation files hold the id and the permalink.
    [item] = json.loads(download(page, "a.bb-cite-csl"))
    assert item["type"] == "dataset" and item["URL"] == permalink
    assert item["version"] == identity.identifier
    assert item["issued"] == {"date-parts": [[int(p) for p in identity.built.split("-")]]}
    entry = download(page, "a.bb-cite-bibtex")
    assert f"url = {{{permalink}}}" in entry and f"version = {{{identity.identifier}}}" in entry
    assert not real_errors(page)

    # The permalink, opened in a new browser, shows the same view and cites it alike.
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(90_000)
    try:
        fresh = context.new_page()
        fresh.goto(permalink, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
        wait_for_cite(fresh, "“Events”", permalink, timeout=PAGE_TIMEOUT_MS)
        expect(fresh.locator(".widget-dropdown:visible:has(label:text-is('Forum')) select")) \
            .to_have_value("IGF", timeout=REDRAW_TIMEOUT_MS)
        assert fresh.locator(".bb-edition").inner_text() == identity.identifier
    finally:
        context.close()
