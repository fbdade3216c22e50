"""The dashboard application: one router per visit (dashboards/router.py) over the five pages."""

from __future__ import annotations

import html
import os

import ipywidgets as widgets

from bestbits.database import DatabaseMissing
from dashboards import overview
from dashboards import pages as more_pages
from dashboards.data import DashboardData
from dashboards.router import Router
from dashboards.view_state import ViewState
from dashboards.widgets_common import PAGE_TITLES, navigation, notice

# Every page module is imported here, with the app, so that a preheated kernel has paid for
# the imports (plotly's widget module alone takes seconds) before its visitor arrives.
PAGES: dict[str, type] = {"overview": overview.OverviewPage, **more_pages.PAGES}


def page_widget(data: DashboardData, state: ViewState) -> widgets.Widget:
    page_class = PAGES.get(state.page)
    if page_class is None:
        return notice(f"The {html.escape(PAGE_TITLES[state.page])} page is not built yet.",
                      "empty")
    return page_class(data, state).widget()


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
        return widgets.VBox([navigation(state.page), notice(html.escape(str(exc)), "warning")])
    return Router(lambda state: page_widget(data, state), query_string).widget()
