"""The dashboard application: read the view state from the URL and lay out the chosen page."""

from __future__ import annotations

import html
import os

import ipywidgets as widgets

from bestbits.database import DatabaseMissing
from dashboards import overview
from dashboards import pages as more_pages
from dashboards.data import DashboardData
from dashboards.view_state import ViewState
from dashboards.widgets_common import PAGE_TITLES, navigation, notice, permalink

# Every page module is imported here, with the app, so that a preheated kernel has paid for
# the imports (plotly's widget module alone takes seconds) before its visitor arrives.
PAGES: dict[str, type] = {"overview": overview.OverviewPage, **more_pages.PAGES}


def page_widget(data: DashboardData, state: ViewState) -> widgets.Widget:
    page_class = PAGES.get(state.page)
    if page_class is None:
        return notice(f"The {html.escape(PAGE_TITLES[state.page])} page is not built yet.",
                      "empty")
    return page_class(data, state).widget()


def warm_up() -> None:
    """Pay first-use costs before a visitor arrives (run by preheated kernels in the pool).

    Opens the database and runs the overview's queries, and builds (but does not display) its
    figures, so that plotly's validators and DuckDB's code paths are loaded. No widget is
    created here: widgets made before the visitor connects would be replayed to the browser.
    """
    from dashboards import figures

    try:
        data = DashboardData()
    except DatabaseMissing:
        return
    frame = data.query("activity_by_year_forum")
    forums = list(data.forums()["forum"])
    figures.activity_by_year_forum(frame, list(figures.KIND_LABELS), forums).to_plotly_json()
    figures.timeline(data.query("events"), data.query("forum_meetings"),
                     data.query("milestones"), forums).to_plotly_json()
    data.con.close()


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
