"""The dashboard application: one router per visit (dashboards/live/router.py) over the pages
dashboards/pages/ defines, each drawn by the live face (dashboards/live/page.py)."""

from __future__ import annotations

import html
import os

import ipywidgets as widgets

from bestbits.database import DatabaseMissing
from dashboards.data import DashboardData
from dashboards.live.html import navigation_html, notice_html
from dashboards.live.page import LivePage
from dashboards.live.router import Router
from dashboards.pages import PAGE_IDS, definition
from dashboards.view_state import ViewState

# Every page definition is imported here, with the app, so that a preheated kernel has paid for
# the imports (plotly's figure modules take a second) before its visitor arrives.
DEFINITIONS = {page_id: definition(page_id) for page_id in PAGE_IDS}


def page_widget(data: DashboardData, state: ViewState) -> widgets.Widget:
    return LivePage(DEFINITIONS[state.page], data, state).widget()


def warm_up() -> Router | None:
    """Build the default view while the kernel waits in the preheated pool (first cell).

    The visitor's query string is known only in the next cell; most visits start at the
    overview, so its queries and figures (about a second of plotly work) are done here, and a
    visit to another address builds that page in build_app. The widgets made here are shown
    only by the last cell: the front end asks the kernel for every widget's state when it
    connects, so they reach the browser like widgets made during the visit.
    """
    try:
        data = DashboardData()
    except DatabaseMissing:
        return None
    return Router(lambda state: page_widget(data, state), "")


def build_app(query_string: str | None = None, prepared: Router | None = None) -> widgets.Widget:
    """The whole page for one visit; errors a visitor can meet become notices, not tracebacks.

    Page switches, filters, Back and Forward all happen in this kernel from here on. PREPARED
    is the router warm_up built in the pool; it opens the visitor's address.
    """
    query_string = query_string if query_string is not None else os.environ.get("QUERY_STRING", "")
    if prepared is not None:
        prepared.open(query_string)
        prepared.keep_only_current()
        return prepared.widget()
    try:
        data = DashboardData()
    except DatabaseMissing as exc:
        state = ViewState(query_string)
        return widgets.VBox([widgets.HTML(navigation_html(state.page)),
                             widgets.HTML(notice_html(html.escape(str(exc)), "warning"))])
    return Router(lambda state: page_widget(data, state), query_string).widget()
