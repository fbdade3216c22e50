"""The dashboard application: one router per visit (dashboards/live/router.py) over the pages
dashboards/pages/ defines, each drawn by the live face (dashboards/live/page.py)."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass

import ipywidgets as widgets

from bestbits.database import DatabaseMissing
from bestbits.edition_identity import EditionIdentity
from dashboards import default_views
from dashboards.data import DashboardData
from dashboards.live.first_paint import show_first_paint
from dashboards.live.html import navigation_html, notice_html
from dashboards.live.page import LivePage
from dashboards.live.router import Router
from dashboards.pages import PAGE_IDS, definition
from dashboards.view_state import ViewState

# Every page definition is imported here, with the app, so that a preheated kernel has paid for
# the imports (plotly's figure modules take a second) before its visitor arrives.
DEFINITIONS = {page_id: definition(page_id) for page_id in PAGE_IDS}


def page_widget(data: DashboardData, state: ViewState,
                views: default_views.DefaultViews | None = None) -> widgets.Widget:
    """The page STATE names; drawn from VIEWS, the views computed once for every visitor, when
    it is a page's default view (queries run in this kernel only for a filtered view)."""
    computed = views.sections(state.page, state.values) if views is not None else None
    return LivePage(DEFINITIONS[state.page], data, state, computed).widget()


def identity_of(views: default_views.DefaultViews | None) -> EditionIdentity | None:
    """The database's edition identity, computed once with the views; without them, none: the
    pages say it was not computed rather than spend a visitor's seconds exporting the tables."""
    return views.identity if views is not None else None


@dataclass
class Prepared:
    """What a preheated kernel made before its visitor came: the router, opened at the
    overview, and the views computed once for every visitor (None without them)."""

    router: Router
    views: default_views.DefaultViews | None


def warm_up() -> Prepared | None:
    """Build the default view while the kernel waits in the preheated pool (first cell).

    The visitor's query string is known only in the next cell; most visits start at the
    overview, so it is drawn here (from the views computed once for every visitor when
    `bestbits serve` started, else by its queries and figures: about a second), and a visit to
    another address draws that page in build_app. The widgets made here are shown
    only by the last cell: the front end asks the kernel for every widget's state when it
    connects, so they reach the browser like widgets made during the visit.
    """
    try:
        data = DashboardData()
    except DatabaseMissing:
        return None
    views = default_views.load(data.db)
    return Prepared(Router(lambda state: page_widget(data, state, views), "", identity_of(views)),
                    views)


def paint_first(prepared: Prepared | None) -> None:
    """Every page's default view as static markup and figures, which the page draws before the
    kernel connects (dashboards/live/first_paint.py); nothing without precomputed views."""
    show_first_paint(prepared.views if prepared is not None else None)


def build_app(query_string: str | None = None, prepared: Prepared | None = None) -> widgets.Widget:
    """The whole page for one visit; errors a visitor can meet become notices, not tracebacks.

    Page switches, filters, Back and Forward all happen in this kernel from here on. PREPARED
    is what warm_up made in the pool; its router opens the visitor's address.
    """
    query_string = query_string if query_string is not None else os.environ.get("QUERY_STRING", "")
    if prepared is not None:
        prepared.router.open(query_string)
        prepared.router.keep_only_current()
        return prepared.router.widget()
    try:
        data = DashboardData()
    except DatabaseMissing as exc:
        state = ViewState(query_string)
        return widgets.VBox([widgets.HTML(navigation_html(state.page)),
                             widgets.HTML(notice_html(html.escape(str(exc)), "warning"))])
    views = default_views.load(data.db)
    return Router(lambda state: page_widget(data, state, views), query_string,
                  identity_of(views)).widget()
