"""What the browser tests share: opening a page of the dashboard and waiting until it is drawn."""

from __future__ import annotations

import csv
import io

PLOT_TRACES = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(
    gd => (gd.data || []).map(t => ({name: t.name, type: t.type,
        total: Array.from(t.y || []).reduce((a, b) => a + (+b || 0), 0)})))"""


def open_page(page, url: str, ready_text: str, timeout: int = 120_000) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_text(ready_text).first.wait_for(timeout=timeout)


def select_by_label(page, label: str, value: str) -> None:
    """Choose `value` in the ipywidgets Dropdown whose description is `label`."""
    box = page.locator(".widget-dropdown", has=page.locator(f"label:text-is('{label}')"))
    box.locator("select").select_option(label=value)


def selected_label(page, label: str) -> str:
    box = page.locator(".widget-dropdown", has=page.locator(f"label:text-is('{label}')"))
    return box.locator("select").evaluate("s => s.options[s.selectedIndex].text")


def table_rows(page, container: str = "") -> list[list[str]]:
    rows = page.locator(f"{container} table.bb-table").first.locator("tbody tr")
    return [[c.strip() for c in r.locator("td").all_inner_texts()] for r in rows.all()]


def download_csv(page, link_locator) -> list[dict[str, str]]:
    with page.expect_download() as info:
        link_locator.click()
    path = info.value.path()
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(io.StringIO(handle.read())))


def permalink(page) -> str:
    return page.locator("a.bb-permalink").get_attribute("href")
