"""The live face in the kernel, without a browser: a control change rebuilds only the sections
that read it and updates their widgets in place; a click on a chart sets the selection in the
address and shows the rows behind it, and the address alone shows them again."""

from __future__ import annotations

from bestbits.wording import counted
from dashboards.live.page import LivePage
from dashboards.pages import definition
from dashboards.view_state import ViewState


def click(chart, curve: int, index: int, x=None) -> None:
    """What the chart's front end sends when a mark is clicked."""
    chart._received(chart, {"event": "click", "points": [{"curve": curve, "index": index,
                                                          "x": x, "y": None}]}, [])


def test_a_filter_rebuilds_the_sections_that_read_it_and_keeps_the_other_widgets(data):
    state = ViewState("?page=overview")
    page = LivePage(definition("overview"), data, state)
    activity, timeline = page.widget_of("activity"), page.widget_of("timeline")
    timeline_sent = timeline.figure
    page.widget_of("control:forum").value = "NETmundial"
    assert state.query_string() == "?page=overview&forum=NETmundial"
    assert page.widget_of("activity") is activity          # the same widget, a new figure
    assert {t["name"] for t in activity.traces} == {"NETmundial"}
    assert page.widget_of("timeline") is timeline and timeline.figure == timeline_sent
    assert page.sections["timeline"].reads == frozenset()


def test_a_click_sets_the_selection_in_the_address_and_the_address_shows_it_again(data):
    state = ViewState("?page=overview&forum=NETmundial&kinds=statements")
    page = LivePage(definition("overview"), data, state)
    chart = page.widget_of("activity")
    year_2014 = chart.traces[0]["x"].index(2014)
    click(chart, 0, year_2014, 2014)
    assert "evidence=statements%3ANETmundial%3A2014" in state.query_string()
    shown = page.widget_of("evidence").value
    # The curated record grows between issues: count its rows rather than remember them.
    expected = data.con.execute(
        "SELECT count(*) FROM statements WHERE forum = 'NETmundial' AND date_year = 2014").fetchone()[0]
    assert expected and f"Statements in 2014, NETmundial: {counted(expected, 'row')}" in shown
    again = LivePage(definition("overview"), data, ViewState(state.query_string()))
    assert again.widget_of("evidence").value == shown
    # A new filter makes the rows stale: they go, and the hint comes back.
    page.widget_of("control:kinds").value = ("events", "statements")
    assert "evidence=" not in state.query_string()
    assert "bb-evidence-hint" in page.widget_of("evidence").value


def test_choosing_an_item_opens_its_card_and_a_filter_that_leaves_it_out_closes_it(data):
    state = ViewState("?page=events")
    page = LivePage(definition("events"), data, state)
    page.widget_of("control:event").value = "bb2014-istanbul"
    card = page.widget_of("event-bb2014-istanbul")
    assert "bb-event" in card._dom_classes
    assert "Istanbul, Turkey" in card.children[1].value
    page.widget_of("control:forum").value = "NETmundial"
    assert page.widget_of("control:event").value == ""
    assert "event-bb2014-istanbul" not in page.widgets
    assert card.comm is None  # closed: it leaves the kernel's widget registry


def test_url_values_outside_the_options_fall_back_to_the_defaults(data):
    state = ViewState("?page=overview&forum=%3Cscript%3E&from=1900&to=abc&kinds=x,events")
    page = LivePage(definition("overview"), data, state)
    assert page.widget_of("control:forum").value == ""
    assert page.widget_of("control:years").value == (2012, 2019)
    assert page.widget_of("control:kinds").value == ("events",)
