"""Figures of the Participation and Sources & coverage pages: plain functions Rows -> go.Figure.

Every trace carries `customdata` naming what a mark counts (a month, a year, a forum, an
organisation, a cohort, an event and phase), so that a click can fetch the rows behind it, and
hover text that says what is counted.
"""

from __future__ import annotations

import datetime as dt
import html

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bestbits.query import Rows
from dashboards.figures import forum_colour

# Cohorts and phases get their own colour-blind-safe colours (Okabe-Ito, then greys).
SEQUENCE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442",
            "#999999"]
PHASES = {"before": "#56B4E9", "during": "#D55E00", "after": "#009E73"}
METHOD_COLOURS = {"curated": "#0072B2", "scraped": "#E69F00", "parsed": "#009E73"}

_LAYOUT = dict(template="plotly_white", margin=dict(l=50, r=20, t=50, b=40))


def _month_axis(months: list) -> list[dt.datetime]:
    """'YYYY-MM' as the first of the month, for a date axis (the day is not claimed: hover says
    the month)."""
    return [dt.datetime.fromisoformat(f"{month}-01") for month in months]


def _escape(text: object) -> str:
    return html.escape(str(text), quote=False)


def _short(title: object, length: int = 32) -> str:
    """A title short enough for an axis label (the evidence panel gives it in full)."""
    text = str(title)
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def messages_per_month(frame: Rows) -> go.Figure:
    """Bars of messages per month (queries/participation_messages_per_month.sql)."""
    figure = go.Figure(go.Bar(
        x=_month_axis(frame["month"]), y=frame["messages"], name="messages",
        marker_color="#0072B2", customdata=[[m] for m in frame["month"]],
        hovertemplate="<b>%{y}</b> messages posted to the list in %{customdata[0]}"
                      "<extra>click for the messages</extra>"))
    figure.update_layout(title="Messages per month", height=320, yaxis_title="messages",
                         xaxis_type="date", **_LAYOUT)
    return figure


def posters_per_month(frame: Rows) -> go.Figure:
    """Distinct posters per month as a line (queries/participation_posters_per_month.sql)."""
    figure = go.Figure(go.Scatter(
        x=_month_axis(frame["month"]), y=frame["posters"], mode="lines+markers",
        name="posters", line=dict(color="#E69F00"), customdata=[[m] for m in frame["month"]],
        hovertemplate="<b>%{y}</b> distinct people posted in %{customdata[0]}"
                      "<extra>click for the messages</extra>"))
    figure.update_layout(title="Distinct posters per month", height=300, yaxis_title="posters",
                         yaxis_rangemode="tozero", xaxis_type="date", **_LAYOUT)
    return figure


def posters_per_year(frame: Rows) -> go.Figure:
    """Posters per year, split into newcomers and people who had posted before
    (queries/participation_posters_per_year.sql)."""
    years = [int(y) for y in frame["year"]]
    returning = [p - n for p, n in zip(frame["posters"], frame["newcomers"], strict=True)]
    figure = go.Figure([
        go.Bar(x=years, y=returning, name="posted in an earlier year", marker_color="#56B4E9",
               customdata=[[y, "returning"] for y in years],
               hovertemplate="<b>%{y}</b> people posted in %{x} who had posted in an earlier "
                             "year<extra>click for the year's messages</extra>"),
        go.Bar(x=years, y=frame["newcomers"], name="newcomers", marker_color="#D55E00",
               customdata=[[y, "newcomers"] for y in years],
               hovertemplate="<b>%{y}</b> people posted for the first time in %{x}"
                             "<extra>click for the year's messages</extra>"),
    ])
    figure.update_layout(title="Distinct posters per year", barmode="stack", height=300,
                         yaxis_title="posters", xaxis=dict(tickmode="array", tickvals=years),
                         legend=dict(orientation="h", y=-0.2), **_LAYOUT)
    return figure


def cohorts(frame: Rows) -> go.Figure:
    """Active posters per year, one colour per yearly cohort (the year of a first message);
    hover gives the cohort's size and its retention (queries/participation_cohorts.sql)."""
    figure = go.Figure()
    years = sorted({int(y) for y in frame["year"]})
    for index, (cohort, rows) in enumerate(frame.groups("cohort")):
        cohort = int(cohort)
        figure.add_trace(go.Bar(
            x=[int(y) for y in rows["year"]], y=rows["active"],
            name=f"first posted {cohort}", marker_color=SEQUENCE[index % len(SEQUENCE)],
            customdata=[[cohort, int(r.year), int(r.newcomers), float(r.retention)]
                        for r in rows],
            hovertemplate=("<b>%{y}</b> of the %{customdata[2]} people who first posted in "
                           "%{customdata[0]} posted in %{x} (retention %{customdata[3]:.0%})"
                           "<extra>click for their messages</extra>")))
    figure.update_layout(title="Newcomers and retention by yearly cohort", barmode="stack",
                         height=320, yaxis_title="active posters",
                         xaxis=dict(tickmode="array", tickvals=years),
                         legend=dict(title="Cohort", orientation="h", y=-0.2), **_LAYOUT)
    return figure


def organisations(frame: Rows, top: int = 15) -> go.Figure:
    """The TOP organisations (sender domains) by messages, with their posters beside them
    (queries/participation_organisations.sql)."""
    rows = Rows(frame.columns, frame.data[:top][::-1])
    names = [str(n) for n in rows["organisation"]]
    custom = [[n] for n in names]
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                           subplot_titles=["messages", "distinct posters"])
    figure.add_trace(go.Bar(
        y=names, x=rows["messages"], orientation="h", name="messages",
        marker_color="#0072B2", customdata=custom,
        hovertemplate="<b>%{x}</b> messages sent from %{y}<extra>click for the messages</extra>",
    ), row=1, col=1)
    figure.add_trace(go.Bar(
        y=names, x=rows["posters"], orientation="h", name="posters",
        marker_color="#E69F00", customdata=custom,
        hovertemplate="<b>%{x}</b> distinct people wrote from %{y}"
                      "<extra>click for the messages</extra>",
    ), row=1, col=2)
    figure.update_layout(title=f"Organisations (sender domains), top {len(rows)} by messages",
                         height=max(260, 90 + 24 * len(rows)), showlegend=False,
                         **{**_LAYOUT, "margin": dict(l=160, r=20, t=60, b=40)})
    return figure


def forum_mentions(frame: Rows, forums: list[str]) -> go.Figure:
    """Messages naming each forum per month, stacked by forum
    (queries/participation_forum_mentions_per_month.sql)."""
    figure = go.Figure()
    for forum in forums:
        rows = frame.where(forum=forum)
        if rows.empty:
            continue
        figure.add_trace(go.Bar(
            x=_month_axis(rows["month"]), y=rows["messages"], name=forum,
            marker_color=forum_colour(forum),
            customdata=[[forum, m] for m in rows["month"]],
            hovertemplate=(f"<b>%{{y}}</b> messages of %{{customdata[1]}} name {_escape(forum)} "
                           "in the subject or the author's own text"
                           "<extra>click for the messages</extra>")))
    figure.update_layout(title="Forum mentions per month", barmode="stack", height=320,
                         yaxis_title="messages", xaxis_type="date",
                         legend=dict(title="Forum", orientation="h", y=-0.2), **_LAYOUT)
    return figure


def event_activity(frame: Rows) -> go.Figure:
    """Messages before, during and after each event that saw any list activity
    (queries/participation_event_activity.sql); one bar group per event."""
    counted = ["messages_before", "messages_during", "messages_after"]
    rows = frame.where(lambda r: sum(getattr(r, c) or 0 for c in counted) > 0)
    labels = [f"{_escape(_short(r.title))} ({_day(r.start_date):%Y-%m-%d})" for r in rows]
    figure = go.Figure()
    for phase, colour in PHASES.items():
        figure.add_trace(go.Bar(
            x=labels, y=rows[f"messages_{phase}"], name=phase, marker_color=colour,
            customdata=[[r.event_id, phase] for r in rows],
            hovertemplate=f"<b>%{{y}}</b> messages {phase} %{{x}}"
                          "<extra>click for the messages</extra>"))
    figure.update_layout(title="List activity around each event (window before and after)",
                         barmode="group", height=420, yaxis_title="messages",
                         xaxis_tickangle=-30,
                         legend=dict(orientation="h", y=1.12), **_LAYOUT)
    return figure


def _day(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def combine(figures: list[go.Figure], title: str, rows: int = 1, cols: int = 1,
            shared_xaxes: bool = False, height: int = 420) -> go.Figure:
    """Several of the figures above as the panels of one chart, each keeping its traces, hover
    and axis titles. One chart is one widget in the browser, and each clickable widget costs
    the browser a second or more to start on a busy machine."""
    grid = make_subplots(rows=rows, cols=cols, shared_xaxes=shared_xaxes,
                         subplot_titles=[f.layout.title.text for f in figures],
                         vertical_spacing=0.14, horizontal_spacing=0.08)
    for index, figure in enumerate(figures):
        row, col = index // cols + 1, index % cols + 1
        for trace in figure.data:
            grid.add_trace(trace, row=row, col=col)
        grid.update_yaxes(title_text=figure.layout.yaxis.title.text, rangemode="tozero",
                          row=row, col=col)
        if figure.layout.xaxis.type == "date":
            grid.update_xaxes(type="date", row=row, col=col)
        else:
            grid.update_xaxes(dtick=1, row=row, col=col)
    grid.update_layout(title=title, barmode="stack", height=height,
                       legend=dict(orientation="h", y=-0.12), **_LAYOUT)
    return grid


# --- Sources & coverage ------------------------------------------------------------------------

def rows_by_year(frame: Rows, table: str, label: str | None = None) -> go.Figure:
    """Rows of one table per year, stacked by provenance method (queries/coverage.sql);
    `label` is the table as readers call it."""
    label = label or table
    rows = frame.where(lambda r: r.year is not None, table_name=table)
    figure = go.Figure()
    for method, colour in METHOD_COLOURS.items():
        part = rows.where(method=method)
        if part.empty:
            continue
        years = [int(y) for y in part["year"]]
        figure.add_trace(go.Bar(
            x=years, y=part["rows"], name=method, marker_color=colour,
            customdata=[[table, method, y] for y in years],
            hovertemplate=(f"{_escape(label)}: <b>%{{y}}</b> rows of %{{x}}, {method}"
                           "<extra>click for the rows</extra>")))
    figure.update_layout(title=f"{_escape(label)}: where the rows come from, by year",
                         barmode="stack", height=300, yaxis_title="rows",
                         xaxis=dict(dtick=1), legend=dict(title="Method"), **_LAYOUT)
    return figure


def captures_per_month(frame: Rows) -> go.Figure:
    """Captures of the site per month and archive (queries/sources_captures_per_month.sql)."""
    figure = go.Figure()
    for index, (archive, rows) in enumerate(
            (a, r) for a, r in frame.groups("archive") if a is not None):
        figure.add_trace(go.Bar(
            x=_month_axis(rows["month"]), y=rows["captures"], name=str(archive),
            marker_color=SEQUENCE[index % len(SEQUENCE)],
            customdata=[[m, archive] for m in rows["month"]],
            hovertemplate=(f"<b>%{{y}}</b> captures made in %{{customdata[0]}} by "
                           f"{_escape(archive)}<extra>click for the captures</extra>")))
    figure.update_layout(title="Captures of the site per month", barmode="stack", height=300,
                         yaxis_title="captures", xaxis_type="date",
                         legend=dict(title="Archive", orientation="h", y=-0.2), **_LAYOUT)
    return figure


def list_months(frame: Rows) -> go.Figure:
    """Each month of the list's life: messages from the archive, the curated sample, and a mark
    where the database holds nothing (queries/sources_list_months.sql)."""
    x = _month_axis(frame["month"])
    custom = [[m] for m in frame["month"]]
    missing = [parsed == 0 for parsed in frame["parsed"]]
    figure = go.Figure([
        go.Bar(x=x, y=frame["parsed"], name="from the list archive",
               marker_color=METHOD_COLOURS["parsed"], customdata=custom,
               hovertemplate="<b>%{y}</b> messages of %{customdata[0]} collected from the "
                             "archive<extra>click for the month</extra>"),
        go.Bar(x=x, y=frame["curated"], name="curated sample",
               marker_color=METHOD_COLOURS["curated"], customdata=custom,
               hovertemplate="<b>%{y}</b> messages of %{customdata[0]} in the curated sample"
                             "<extra>click for the month</extra>"),
        go.Scatter(x=[v for v, m in zip(x, missing, strict=True) if m],
                   y=[0] * sum(missing), mode="markers", name="not collected",
                   marker=dict(symbol="line-ew-open", size=8, color="#D55E00"),
                   customdata=[c for c, m in zip(custom, missing, strict=True) if m],
                   hovertemplate="%{customdata[0]}: no message from the archive"
                                 "<extra>missing</extra>"),
    ])
    figure.update_layout(title="Months of the list (2012-08 to 2019-05): present or missing",
                         barmode="stack", height=300, yaxis_title="messages", xaxis_type="date",
                         legend=dict(orientation="h", y=-0.2), **_LAYOUT)
    return figure
