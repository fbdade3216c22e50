"""The first paint: each page's default view as static markup and plotly JSON, shown by the page
as soon as its HTML arrives, before the visit's kernel has connected (issue 19.2).

A preheated kernel runs the notebook's first cell before its visitor comes, so what that cell
displays is in the HTML Voila sends at once. It displays this module's data under its own MIME
type; the page template (dashboards/jupyter/voila/templates/bestbits/index.html.j2) writes it
into the page with a script (static/first-paint.js) that draws the view the address names (a
page with no filter: `?page=<id>`) with plotly.js, over the place where the widgets will be.
When the widgets have drawn, the painted view goes and the live page, the same markup from the
same blocks, is under it: a reader sees the charts in well under a second, and never waits for
a kernel to read; filters, clicks and searches work once the kernel is there.

The markup comes from the views computed once for every visitor (dashboards/default_views.py),
drawn by the live face's own HTML (dashboards/live/html.py): one definition of each block's
markup, whether painted first or shown by a widget.
"""

from __future__ import annotations

import html
from typing import Any

from dashboards.default_views import DefaultViews
from dashboards.live.html import block_html, chart_text_html, navigation_html
from dashboards.page_view import LIVE, Block, Card, Chart, Controls, Text
from dashboards.view_state import ViewState

MIME_TYPE = "application/vnd.bestbits.first-paint+json"
# The heights of ipywidgets' controls in Voila's page, measured in Chromium: a one-line control,
# a line of a multiple choice, and the margin around each widget.
CONTROL_HEIGHT, MULTI_ROW_HEIGHT, MARGIN = 28, 19, 2


def first_paint(views: DefaultViews | None) -> dict[str, Any] | None:
    """Per page: the state it is drawn for, its markup, and its charts' figures by element id."""
    if views is None:
        return None
    from dashboards.pages import PAGE_IDS

    pages = {}
    for page_id in PAGE_IDS:
        state = ViewState(f"?page={page_id}").values
        sections = views.sections(page_id, state)
        if sections is None:
            continue
        charts: list[dict[str, Any]] = []
        blocks = [b for result in sections.values() for b in result.blocks]
        pages[page_id] = {"html": _html(navigation_html(page_id)) + _blocks_html(blocks, charts),
                          "charts": charts}
    return {"pages": pages} if pages else None


def _blocks_html(blocks: list[Block], charts: list[dict[str, Any]]) -> str:
    return "".join(_block_html(b, charts) for b in blocks if LIVE in b.faces)


def _block_html(block: Block, charts: list[dict[str, Any]]) -> str:
    if isinstance(block, Chart):
        element = f"bb-first-paint-chart-{len(charts)}"
        charts.append({"element": element, "figure": block.figure})
        height = (block.figure.get("layout") or {}).get("height") or 450
        return (f"<div id='{element}' class='bb-fp-chart' style='min-height:{height}px'></div>"
                + chart_text_html(block.text_alternative()))
    if isinstance(block, Controls):
        # The filters wait for the kernel: a row as high as theirs keeps the page where it will be.
        height = max(_control_height(c) for c in block.controls) if block.controls else 0
        return f"<div class='bb-fp-controls' style='height:{height + 2 * MARGIN}px'></div>"
    if isinstance(block, Card):
        title = _html(f"<h3 style='margin:4px 0'>{html.escape(block.title)}</h3>") if block.title else ""
        style = (f" style='border-left:4px solid {html.escape(block.colour)};padding:4px 12px'"
                 if block.colour else "")
        return (f"<div class='bb-fp-card {html.escape(block.css_class)}'{style}>{title}"
                f"{_blocks_html(block.blocks, charts)}</div>")
    if isinstance(block, Text):
        page = block.pages[min(max(block.page, 0), len(block.pages) - 1)]
        return _html(f"<div class='{html.escape(block.css_class)}'>{page}</div>")
    return _html(block_html(block))


def _control_height(control) -> int:
    """A control's height in Voila's page (dashboards/live/controls.py makes them): a multiple
    choice shows every option; toggle buttons wrap two to a line."""
    if control.type == "multi":
        return MULTI_ROW_HEIGHT * len(control.options)
    if control.type == "toggle":
        return CONTROL_HEIGHT * -(-len(control.options) // 2) - 2 * MARGIN
    return CONTROL_HEIGHT + (1 if control.type == "text" else 0)


def _html(markup: str) -> str:
    """As an HTML widget holds it (the page's CSS gives it the widget's margin and line height)."""
    return f"<div class='bb-fp-html'>{markup}</div>"


def show_first_paint(views: DefaultViews | None) -> None:
    """Display the first paint as this cell's output (the template writes it into the page)."""
    from IPython.display import publish_display_data

    data = first_paint(views)
    if data is not None:
        publish_display_data({MIME_TYPE: data})
