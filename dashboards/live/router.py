"""One visit, one kernel: the address (query string) chooses the page, and pages are built once per
visit and kept, so page switches and filter changes never reload the browser page.

The address bar follows the view (dashboards/live/location.py): following a link or going Back or
Forward opens the address it brings in this kernel; a deliberate change (a search submitted, a
filter chosen, a chart clicked, a hit opened) pushes a new history entry, any other change
replaces the address in place. A page is kept with its own ViewState: coming back to it through
the navigation shows it as it was left; an address that asks for another state of a kept page
(Back, Forward, a search hit) is drawn in place by that page (the sections it changes only),
or, when the page cannot follow, rebuilt from the address exactly as a fresh visit would.
"""

from __future__ import annotations

import html
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets

from bestbits.edition_identity import EditionIdentity
from dashboards.live.cite import cite_html
from dashboards.live.html import navigation_html, notice_html
from dashboards.live.location import Location
from dashboards.live.page import close_widget_tree
from dashboards.pages import TITLES
from dashboards.view_state import ViewState

# page name -> the page's widget for a state; the app supplies it (dashboards/live/app.py).
PageBuilder = Callable[[ViewState], widgets.Widget]


@dataclass
class KeptPage:
    state: ViewState
    holder: widgets.Box  # what the router shows or hides; holds the page's own widget


class Router:
    """The navigation, the page shown, the permalink and how to cite it, for one visitor.

    IDENTITY is the database's edition identity (computed once with the default views), shown
    under every page to be cited; None shows it as not computed."""

    def __init__(self, build_page: PageBuilder, query_string: str = "",
                 identity: EditionIdentity | None = None) -> None:
        self.build_page = build_page
        self.identity = identity
        self.location = Location()
        self.location.on_open(self.open)
        self.location.observe(lambda _change: self._refresh_links(), "address")
        self.nav = widgets.HTML()
        self.cite = widgets.HTML()
        self.loading = widgets.HTML(layout=widgets.Layout(display="none"))
        self.content = widgets.VBox([self.loading])
        self.kept: dict[str, KeptPage] = {}
        self.current = ""
        self.open(query_string)

    def widget(self) -> widgets.Widget:
        return widgets.VBox([self.location, self.nav, self.content, self.cite])

    # --- navigation ------------------------------------------------------------------------

    def open(self, query_string: str) -> None:
        """Show the view QUERY_STRING names: a kept page if it is in that state, else a new one."""
        state = ViewState(query_string)
        kept = self.kept.get(state.page)
        if kept is None or (kept.state.query_string() != state.query_string()
                            and not kept.state.follow(state.query_string())):
            kept = self._build(state, replacing=kept)
        self._show(state.page)

    def _build(self, state: ViewState, replacing: KeptPage | None) -> KeptPage:
        name = state.page
        self._hide_all()
        # Not a .bb-notice: that class is the pages' own notices.
        self.loading.value = (f"<div class='bb-loading' style='padding:8px 12px;color:#555'>"
                              f"Opening {html.escape(TITLES[name])} …</div>")
        self.loading.layout.display = None
        try:
            page = self.build_page(state)
        except Exception:  # our bug: the traceback to the server log, a notice to the visitor
            traceback.print_exc(file=sys.__stderr__)
            page = widgets.HTML(notice_html(f"The {html.escape(TITLES[name])} page could not be "
                                            "drawn. The server log says why.", "warning"))
        finally:
            self.loading.layout.display = "none"
        kept = KeptPage(state, widgets.VBox([page]))
        state.on_change(lambda changed, push, page_name=name:
                        self._state_changed(page_name, changed, push))
        children = [c for c in self.content.children
                    if replacing is None or c is not replacing.holder]
        self.content.children = [*children, kept.holder]
        if replacing is not None:
            close_widget_tree(replacing.holder)
        self.kept[name] = kept
        return kept

    def keep_only_current(self) -> None:
        """Forget every kept page but the one shown (a page prepared for a visitor who asked for
        another address): it would only hold memory and duplicate hidden widgets."""
        for name in [n for n in self.kept if n != self.current]:
            kept = self.kept.pop(name)
            self.content.children = [c for c in self.content.children if c is not kept.holder]
            close_widget_tree(kept.holder)
        self._refresh_links()

    def _hide_all(self) -> None:
        for kept in self.kept.values():
            kept.holder.layout.display = "none"

    def _show(self, name: str) -> None:
        self.current = name
        for page_name, kept in self.kept.items():
            kept.holder.layout.display = None if page_name == name else "none"
        self._refresh_links()

    def _state_changed(self, name: str, state: ViewState, push: bool) -> None:
        if name != self.current or self.kept.get(name) is None or self.kept[name].state is not state:
            return
        if push:
            self.location.push(state.query_string())
        else:
            self.location.replace(state.query_string())
        self._refresh_links()

    def _refresh_links(self) -> None:
        hrefs = {name: kept.state.query_string() for name, kept in self.kept.items()}
        self.nav.value = navigation_html(self.current, hrefs)
        state = self.kept[self.current].state
        self.cite.value = cite_html(self.identity, state.page, TITLES[state.page],
                                    state.query_string(), self.location.address)

