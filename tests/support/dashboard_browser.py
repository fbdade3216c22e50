"""What the Participation and Sources browser tests do to a served page: open it, wait for charts,
read traces, click a bar, choose in a dropdown, and download a CSV link."""

from __future__ import annotations

import csv
import io
from pathlib import Path

# Voilà runs the whole notebook before it sends the page; on a busy 2-core machine that can
# take tens of seconds, so waits are long (they end as soon as the page is ready).
PAGE_TIMEOUT_MS = 180_000
REDRAW_TIMEOUT_MS = 60_000

# The charts looked for are the live page's (`.js-plotly-plot:not(#bb-first-paint *)`): the first
# paint (dashboards/live/first_paint.py) draws the same figures before the kernel connects, and
# its charts answer no click.
# A figure's arrays may travel base64-encoded ({dtype, bdata}, as plotly.py writes numpy arrays):
# plotly.js decodes them into gd._fullData, so the values are read there.
TRACES = """() => Array.from(document.querySelectorAll('.js-plotly-plot:not(#bb-first-paint *)')).map(gd => ({
    title: (gd.layout && gd.layout.title && gd.layout.title.text) || '',
    traces: (gd.data || []).map((t, i) => {
        const full = (gd._fullData || [])[i] || t;
        const values = v => (v && typeof v.length === 'number') ? Array.from(v) : [];
        const sum = v => values(v).reduce((a, b) => a + (+b || 0), 0);
        return {name: t.name, type: t.type,
                total: sum(full.y) + (t.orientation === 'h' ? sum(full.x) : 0),
                points: values(full.x).length};
    })}))"""


def open_page(page, url: str, charts: int) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
    wait_for_charts(page, charts)


def wait_for_charts(page, count: int, timeout: int = PAGE_TIMEOUT_MS) -> None:
    """Until COUNT plotly charts have data drawn."""
    page.wait_for_function(
        f"""() => {{ const gds = document.querySelectorAll('.js-plotly-plot:not(#bb-first-paint *)');
                     return gds.length >= {count} &&
                            Array.from(gds).every(gd => gd.data && gd._fullLayout); }}""",
        timeout=timeout)


def charts(page) -> list[dict]:
    return page.evaluate(TRACES)


def chart_titled(page, prefix: str) -> dict:
    found = [c for c in charts(page) if c["title"].startswith(prefix)]
    assert found, f"no chart titled {prefix!r}: {[c['title'] for c in charts(page)]}"
    return found[0]


def chart_index(page, prefix: str) -> int:
    titles = [c["title"] for c in charts(page)]
    return next(i for i, t in enumerate(titles) if t.startswith(prefix))


def click_bar(page, chart_prefix: str, trace: int = 0, point: int = 0) -> None:
    """Move to the bar's centre and click, as a person would (plotly hit-tests the hover)."""
    index = chart_index(page, chart_prefix)
    plot = page.locator(".js-plotly-plot:not(#bb-first-paint *)").nth(index)
    plot.scroll_into_view_if_needed()
    bar = plot.locator("g.trace.bars").nth(trace).locator("g.point path").nth(point)
    box = bar.bounding_box()
    assert box, "the bar is not drawn"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_timeout(200)
    page.mouse.click(x, y)


def bar_value(page, chart_prefix: str, trace: int = 0, point: int = 0) -> float:
    index = chart_index(page, chart_prefix)
    return page.evaluate(
        f"""() => {{ const gd = document.querySelectorAll('.js-plotly-plot:not(#bb-first-paint *)')[{index}];
                     const t = (gd._fullData || gd.data)[{trace}];
                     return +(t.orientation === 'h' ? t.x : t.y)[{point}]; }}""")


def choose(page, label: str, value: str) -> None:
    page.locator(f".widget-dropdown:has(label:text-is('{label}')) select").select_option(value)


def download_csv(page, link) -> list[dict[str, str]]:
    with page.expect_download() as info:
        link.click()
    path = Path(info.value.path())
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def table_rows(table) -> list[list[str]]:
    """The text of each body row of a table (dashboards/live/html.py)."""
    return table.evaluate(
        """t => Array.from(t.querySelectorAll('tbody tr')).map(
                 tr => Array.from(tr.querySelectorAll('td')).map(td => td.innerText.trim()))""")


def real_errors(page) -> list[str]:
    """Console errors, less anywidget's own start-up timer: plotly's FigureWidget is an anywidget
    and anywidget logs "Failed to initialize model" when a model takes over 2 s to start on a
    busy machine, even though the chart then draws (the tests check that it does)."""
    return [e for e in page.console_errors if "[anywidget] Failed to initialize model" not in e]


def wait_for_permalink(page, part: str, timeout: int = REDRAW_TIMEOUT_MS) -> str:
    """Until the permalink holds PART (the kernel has taken the change); returns its query
    string ("?page=..."), to open on any server."""
    link = page.locator("a.bb-permalink", has_text=part)
    link.wait_for(timeout=timeout)
    return view_of(link.get_attribute("href"))


def view_of(address: str) -> str:
    """The "?page=..." part of a permalink (shown absolute once the page knows its address)."""
    return address[address.index("?"):]


def open_until_text(page, url: str, ready_text: str, timeout: int = PAGE_TIMEOUT_MS) -> None:
    """Open URL and wait until READY_TEXT is shown (for pages whose first sign is a table)."""
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_text(ready_text).first.wait_for(timeout=timeout)


def select_by_label(page, label: str, option: str) -> None:
    """Choose the option whose visible text is OPTION in the dropdown described as LABEL."""
    page.locator(f".widget-dropdown:has(label:text-is('{label}')) select").select_option(
        label=option)


def selected_label(page, label: str) -> str:
    return page.locator(f".widget-dropdown:has(label:text-is('{label}')) select").evaluate(
        "s => s.options[s.selectedIndex].text")


def first_table_rows(page) -> list[list[str]]:
    return table_rows(page.locator("table.bb-table").first)


def permalink(page) -> str:
    """The shown view's query string, from the permalink under the page."""
    return view_of(page.locator("a.bb-permalink").get_attribute("href"))


def rows_of(db: Path, name: str, **params) -> int:
    """How many rows the named query NAME gives on DB: the curated record grows between
    issues, so a test counts what a page should show rather than remembering a number."""
    from bestbits import query
    from bestbits.database import connect

    con = connect(db, read_only=True)
    try:
        return len(query.run(con, name, params))
    finally:
        con.close()
