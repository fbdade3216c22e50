"""The router keeps one page per name for the visit, rebuilds a page only when an address asks for
another state of it, and tells the address bar about filter changes of the page shown."""

from __future__ import annotations

import ipywidgets as widgets

from dashboards.live.router import Router
from dashboards.view_state import ViewState


class Recorder:
    """A page builder that counts builds and lets the test change a page's filters."""

    def __init__(self):
        self.built: list[str] = []
        self.states: dict[str, ViewState] = {}

    def __call__(self, state: ViewState) -> widgets.Widget:
        self.built.append(state.query_string())
        self.states[state.page] = state
        return widgets.HTML(state.page)


def shown(router: Router) -> list[str]:
    return [kept.holder.children[0].value for kept in router.kept.values()
            if kept.holder.layout.display != "none"]


def router_recording_messages(address: str) -> tuple[Recorder, Router, list[dict]]:
    """A router on ADDRESS, and the list of what it sends the address bar."""
    pages = Recorder()
    router = Router(pages, address)
    sent: list[dict] = []
    router.location.send = sent.append
    return pages, router, sent


def test_pages_are_built_once_and_kept_across_switches():
    pages = Recorder()
    router = Router(pages, "?page=events&forum=IGF")
    router.open("?page=statements")
    # The navigation's link to a kept page is its address as it was left.
    assert "href='?page=events&amp;forum=IGF'" in router.nav.value
    router.open("?page=events&forum=IGF")
    assert pages.built == ["?page=events&forum=IGF", "?page=statements"]
    assert shown(router) == ["events"]
    assert "bb-nav-current'>Events" in router.nav.value


def test_an_address_with_another_state_rebuilds_that_page_only():
    pages = Recorder()
    router = Router(pages, "?page=events&forum=IGF")
    router.open("?page=overview")
    router.open("?page=events&forum=UNESCO")
    assert pages.built[-1] == "?page=events&forum=UNESCO"
    assert len(router.content.children) == 3  # loading notice, overview, the new events
    assert shown(router) == ["events"]


def test_a_filter_change_on_the_shown_page_replaces_the_address_and_the_permalink():
    pages, router, sent = router_recording_messages("?page=overview")
    pages.states["overview"].set(forum="IGF")
    assert sent == [{"event": "replace", "search": "?page=overview&forum=IGF", "seq": 0}]
    assert "?page=overview&amp;forum=IGF" in router.cite.value


def test_a_broken_page_becomes_a_notice_not_a_traceback(capsys):
    def broken(state: ViewState) -> widgets.Widget:
        raise RuntimeError("synthetic failure")

    router = Router(broken, "?page=sources")
    notice = router.kept["sources"].holder.children[0].value
    assert "could not be drawn" in notice and "synthetic failure" not in notice


def test_a_prepared_page_the_visitor_did_not_ask_for_is_forgotten():
    pages = Recorder()
    router = Router(pages, "")  # what a preheated kernel builds
    router.open("?page=events")
    router.keep_only_current()
    assert list(router.kept) == ["events"]
    assert len(router.content.children) == 2  # the loading line and the events page


def test_a_deliberate_change_pushes_a_history_entry_and_a_text_page_replaces():
    pages, router, sent = router_recording_messages("?page=statements")
    pages.states["statements"].choose(q="prism")
    pages.states["statements"].set(tpage="2")
    assert [m["event"] for m in sent] == ["push", "replace"]
    assert sent[0]["search"] == "?page=statements&q=prism"


def test_back_to_another_search_of_a_kept_page_is_drawn_in_place_by_its_follower():
    pages = Recorder()
    router = Router(pages, "?page=statements&q=prism")
    followed: list[set[str]] = []
    pages.states["statements"].on_follow(followed.append)
    router.open("?page=statements&q=surveillance&statement=s1")
    assert pages.built == ["?page=statements&q=prism"]  # not built again
    assert followed == [{"q", "statement"}]
    assert pages.states["statements"].get("q") == "surveillance"
    assert "q=surveillance" in router.cite.value
