"""The Participation and Sources figures as plain functions (traces, what a click would name, hover),
and the pages' kernel side on copies of the built database.

Frames here are small hand-written stand-ins for the query results (SYNTHETIC numbers).
"""

from __future__ import annotations

import datetime as dt

from bestbits.query import Rows
from dashboards import participation_figures as pf
from dashboards.pages.participation import message_counts
from dashboards.pages.participation import parse_selection as participation_selection
from dashboards.pages.sources import month_ranges
from dashboards.pages.sources import parse_selection as sources_selection


def rows_of(data: dict[str, list] | None = None, columns: list[str] | None = None) -> Rows:
    """A query's rows as the figures get them, from columns of values."""
    data = data or {name: [] for name in columns or []}
    return Rows(list(data), list(zip(*data.values(), strict=True)))


def test_messages_per_month_names_each_month_for_the_click():
    frame = rows_of({"month": ["2013-09", "2013-10"], "messages": [4, 7]})
    figure = pf.messages_per_month(frame)
    (bar,) = figure.data
    assert list(bar.y) == [4, 7]
    assert [list(c) for c in bar.customdata] == [["2013-09"], ["2013-10"]]
    assert "messages posted to the list" in bar.hovertemplate
    assert str(bar.x[0]).startswith("2013-09-01")


def test_posters_per_year_splits_newcomers_from_returning_posters():
    frame = rows_of({"year": [2013, 2014], "posters": [3, 5], "newcomers": [3, 2],
                          "messages": [11, 12]})
    returning, newcomers = pf.posters_per_year(frame).data
    assert list(returning.y) == [0, 3] and list(newcomers.y) == [3, 2]
    assert [c[1] for c in newcomers.customdata] == ["newcomers", "newcomers"]


def test_cohorts_draw_one_trace_per_cohort_with_retention_in_the_hover():
    frame = rows_of({
        "cohort": [2013, 2013, 2014], "newcomers": [3, 3, 2], "year": [2013, 2014, 2014],
        "years_later": [0, 1, 0], "active": [3, 2, 2], "retention": [1.0, 0.667, 1.0]})
    traces = pf.cohorts(frame).data
    assert [t.name for t in traces] == ["first posted 2013", "first posted 2014"]
    assert [list(c[:2]) for c in traces[0].customdata] == [[2013, 2013], [2013, 2014]]
    assert "retention" in traces[0].hovertemplate


def test_organisations_keep_the_top_ones_by_messages_and_show_posters_beside_them():
    frame = rows_of({"organisation": [f"org{i}" for i in range(20)],
                          "messages": list(range(40, 20, -1)), "posters": [1] * 20})
    messages, posters = pf.organisations(frame, top=5).data
    assert list(messages.y) == ["org4", "org3", "org2", "org1", "org0"]  # biggest on top
    assert list(posters.x) == [1] * 5
    assert messages.customdata[-1][0] == "org0"


def test_forum_mentions_leave_out_forums_without_mentions_and_use_the_forum_colours():
    frame = rows_of({"month": ["2013-10", "2014-04"], "forum": ["IGF", "NETmundial"],
                          "messages": [5, 3], "in_subject": [5, 3], "in_body": [0, 0]})
    traces = pf.forum_mentions(frame, ["IGF", "NETmundial", "WSIS+10"]).data
    assert [t.name for t in traces] == ["IGF", "NETmundial"]
    assert traces[0].marker.color == "#0072B2"
    assert [list(c) for c in traces[1].customdata] == [["NETmundial", "2014-04"]]


def test_event_activity_shows_only_events_with_messages_in_their_window():
    frame = rows_of({
        "event_id": ["quiet", "busy"], "title": ["Quiet <b>meeting</b>", "Busy meeting"],
        "forum": ["IGF", "IGF"], "start_date": [dt.date(2013, 1, 1), dt.date(2013, 10, 19)],
        "end_date": [dt.date(2013, 1, 1), dt.date(2013, 10, 20)],
        "messages_before": [0, 5], "messages_during": [0, 0], "messages_after": [0, 2],
        "posters_before": [0, 3], "posters_after": [0, 2]})
    traces = pf.event_activity(frame).data
    assert [t.name for t in traces] == ["before", "during", "after"]
    assert list(traces[0].x) == ["Busy meeting (2013-10-19)"]
    assert [list(c) for c in traces[2].customdata] == [["busy", "after"]]


def test_combined_panels_keep_each_figures_traces_hover_and_axis_titles():
    months = rows_of({"month": ["2013-09", "2013-10"], "messages": [4, 7],
                           "posters": [3, 3]})
    figure = pf.combine([pf.messages_per_month(months), pf.posters_per_month(months)],
                        "Messages and distinct posters per month", rows=2, shared_xaxes=True)
    bars, line = figure.data
    assert (bars.type, line.type) == ("bar", "scatter")
    assert (bars.xaxis, line.xaxis) == ("x", "x2")
    assert "distinct people posted" in line.hovertemplate
    assert [a.text for a in figure.layout.annotations] == ["Messages per month",
                                                            "Distinct posters per month"]
    assert figure.layout.yaxis2.title.text == "posters"
    assert figure.layout.xaxis2.type == "date"


def test_list_months_mark_the_months_missing_from_the_archive():
    frame = rows_of({"month": ["2012-08", "2012-09", "2012-10"], "parsed": [0, 4, 0],
                          "curated": [2, 0, 0], "missing": [True, False, True]})
    parsed, curated, missing = pf.list_months(frame).data
    assert list(parsed.y) == [0, 4, 0] and list(curated.y) == [2, 0, 0]
    assert [c[0] for c in missing.customdata] == ["2012-08", "2012-10"]


def test_rows_by_year_stacks_one_table_by_method():
    frame = rows_of({"table_name": ["events", "events", "events", "statements"],
                          "method": ["curated", "parsed", "curated", "curated"],
                          "year": [2013, 2013, None, 2014], "rows": [3, 2, 1, 9]})
    traces = pf.rows_by_year(frame, "events").data
    assert [t.name for t in traces] == ["curated", "parsed"]
    assert [list(c) for c in traces[1].customdata] == [["events", "parsed", 2013]]


def test_captures_per_month_one_trace_per_archive():
    frame = rows_of({"month": ["2013-01", "2013-02", "2013-02"],
                          "archive": ["http://a.example/", "http://a.example/",
                                      "http://b.example/"],
                          "captures": [1, 2, 3], "addresses": [1, 1, 1]})
    traces = pf.captures_per_month(frame).data
    assert [t.name for t in traces] == ["http://a.example/", "http://b.example/"]
    assert list(traces[1].customdata[0]) == ["2013-02", "http://b.example/"]


def test_empty_frames_give_figures_without_marks():
    assert not pf.cohorts(rows_of(columns=["cohort", "newcomers", "year", "years_later",
                                                "active", "retention"])).data
    empty_events = rows_of(columns=["event_id", "title", "forum", "start_date", "end_date",
                                         "messages_before", "messages_during", "messages_after"])
    assert all(len(t.x) == 0 for t in pf.event_activity(empty_events).data)


def test_selections_from_the_url_are_checked_before_use():
    assert participation_selection("month:2013-10") == ("month", "2013-10")
    assert participation_selection("event:bb2013-bali:before") == ("event", "bb2013-bali",
                                                                    "before")
    assert participation_selection("forum:WSIS+10:2015-02") == ("forum", "WSIS+10", "2015-02")
    assert participation_selection("month:'; DROP TABLE messages") is None
    assert participation_selection("event:x:sideways") is None
    assert sources_selection("rows:events:curated:2014") == ("rows", "events", "curated", "2014")
    assert sources_selection("rows:passwords:curated:2014") is None
    assert sources_selection("captures:2014-04:") == ("captures", "2014-04", "")


def test_month_ranges_and_message_counts():
    assert month_ranges(["2012-11", "2012-12", "2013-01", "2013-05"]) == \
        "2012-11 to 2013-01, 2013-05"
    summary = rows_of({"table_name": ["messages", "messages", "events"],
                            "method": ["curated", "parsed", "curated"], "rows": [61, 34, 19]})
    assert message_counts(summary) == {"curated": 61, "parsed": 34}


# --- the pages' kernel side, without a browser ---------------------------------------------

def _page_texts(widget) -> str:
    """Every HTML value in a widget tree, joined (what a visitor reads, less the charts)."""
    texts = [getattr(widget, "value", "")] if isinstance(getattr(widget, "value", ""), str) else []
    for child in getattr(widget, "children", ()):
        texts.append(_page_texts(child))
    return "\n".join(texts)


def _charts(widget) -> list:
    from dashboards.live.plotly_chart import PlotlyChart

    found = [widget] if isinstance(widget, PlotlyChart) else []
    for child in getattr(widget, "children", ()):
        found += _charts(child)
    return found


def _copy_with(built_db, tmp_path, *statements: str):
    import shutil

    import duckdb

    from dashboards.data import DashboardData

    db = tmp_path / "copy.duckdb"
    shutil.copy(built_db, db)
    con = duckdb.connect(str(db))
    for statement in statements:
        con.execute(statement)
    con.close()
    return DashboardData(db)


def test_sources_page_draws_captures_per_month_and_lists_the_captures_of_a_clicked_month(
        built_db, tmp_path):
    from dashboards.live.page import LivePage
    from dashboards.pages import sources
    from dashboards.view_state import ViewState

    data = _copy_with(built_db, tmp_path, """
        INSERT INTO captures (url, timestamp, status, mime, archive, replay_url) VALUES
        ('https://bestbits.net/', '20140412000000', '200', 'text/html',
         'http://archive.example/', 'http://archive.example/20140412000000/https://bestbits.net/'),
        ('https://bestbits.net/about/', '20140420000000', '200', 'text/html',
         'http://archive.example/', NULL),
        ('https://bestbits.net/', '20150101000000', '200', 'text/html',
         'http://other.example/', NULL)""")
    state = ViewState("?page=sources&ssel=captures:2014-04:http://archive.example/")
    page = LivePage(sources.PAGE, data, state).widget()
    titles = [c.title for c in _charts(page)]
    assert "Captures of the site per month" in titles
    captures = _charts(page)[titles.index("Captures of the site per month")]
    assert sorted(t["name"] for t in captures.traces) == ["http://archive.example/",
                                                          "http://other.example/"]
    text = _page_texts(page)
    assert "3 captures in 2 months" in text
    assert "Captures made in 2014-04 by http://archive.example/: 2" in text
    assert "No captures of the site yet" not in text


def test_participation_page_with_no_list_messages_names_the_commands_that_fill_it(
        built_db, tmp_path):
    from dashboards.live.page import LivePage
    from dashboards.pages import participation
    from dashboards.view_state import ViewState

    data = _copy_with(built_db, tmp_path, "DELETE FROM messages")
    page = LivePage(participation.PAGE, data, ViewState("?page=participation")).widget()
    text = _page_texts(page)
    assert "holds no list messages yet" in text
    assert "bestbits collect list" in text and "bestbits build" in text
    assert not _charts(page)
