"""The dashboard application: read the view state from the URL and lay out the chosen page."""

from __future__ import annotations

import html
import os

import ipywidgets as widgets

from bestbits.database import DatabaseMissing
from dashboards.data import DashboardData
from dashboards.view_state import ViewState
from dashboards.widgets_common import PAGE_TITLES, navigation, notice, permalink


def page_widget(data: DashboardData, state: ViewState) -> widgets.Widget:
    from dashboards import overview

    pages = {"overview": overview.OverviewPage}
    try:
        from dashboards import pages as more_pages  # events, statements, participation, sources
        pages.update(more_pages.PAGES)
    except ImportError:
        pass
    page_class = pages.get(state.page)
    if page_class is None:
        return notice(f"The {html.escape(PAGE_TITLES[state.page])} page is not built yet.",
                      "empty")
    return page_class(data, state).widget()


def build_app(query_string: str | None = None) -> widgets.Widget:
    """The whole page for one visit; errors a visitor can meet become notices, not tracebacks."""
    state = ViewState(query_string if query_string is not None
                      else os.environ.get("QUERY_STRING", ""))
    header = [navigation(state.page)]
    try:
        data = DashboardData()
    except DatabaseMissing as exc:
        return widgets.VBox(header + [notice(html.escape(str(exc)), "warning")])
    return widgets.VBox(header + [page_widget(data, state), permalink(state)])
