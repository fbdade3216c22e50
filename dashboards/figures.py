"""Plotly figures: plain functions from query results (bestbits.query.Rows) to go.Figure objects."""

from __future__ import annotations

import datetime as dt
import html

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bestbits.config import FIRST_YEAR, LAST_YEAR
from bestbits.query import Rows
from dashboards.page_view import plain_array

# One colour per forum, the same on every chart; colour-blind-safe (Okabe-Ito), the four
# forums the dashboards are about first.
FORUM_COLOURS = {
    "IGF": "#0072B2",
    "NETmundial": "#E69F00",
    "WSIS+10": "#009E73",
    "UNESCO": "#CC79A7",
    "ITU": "#D55E00",
    "HRC": "#56B4E9",
    "ICANN": "#F0E442",
    "other": "#999999",
}
PAGE_WIDTH = 1200
KIND_LABELS = {"events": "Events", "statements": "Statements", "messages": "List messages"}
KIND_HOVER = {
    "events": "events held in %{x} tied to %{fullData.name}",
    "statements": "statements dated %{x} addressed to or about %{fullData.name}",
    "messages": "list messages of %{x} whose subject or text names %{fullData.name}",
}


def forum_colour(forum: str) -> str:
    return FORUM_COLOURS.get(forum, "#999999")


def activity_by_year_forum(frame: Rows, kinds: list[str], forums: list[str],
                           title: str = "") -> go.Figure:
    """Stacked bars of activity per year, one panel per kind of activity, one colour per forum.

    `frame` is the result of queries/activity_by_year_forum.sql (year, forum, events,
    statements, messages). Forums with no activity in the shown kinds are left out of the legend.
    """
    kinds = [k for k in KIND_LABELS if k in kinds] or list(KIND_LABELS)
    figure = make_subplots(rows=1, cols=len(kinds), shared_yaxes=False,
                           subplot_titles=[KIND_LABELS[k] for k in kinds],
                           horizontal_spacing=0.06)
    years = sorted(set(frame["year"]))
    for forum in forums:
        rows = frame.where(forum=forum)
        if not any(value for kind in kinds for value in rows[kind]):
            continue
        for col, kind in enumerate(kinds, start=1):
            figure.add_trace(go.Bar(
                x=rows["year"], y=rows[kind], name=forum, legendgroup=forum,
                showlegend=col == 1, marker_color=forum_colour(forum),
                customdata=[[kind, forum]] * len(rows),
                hovertemplate=f"<b>%{{y}}</b> {KIND_HOVER[kind]}<extra></extra>",
            ), row=1, col=col)
    figure.update_layout(
        # Widgets do not size themselves to the page: a fixed width that fits a laptop screen.
        barmode="stack", title=title or None, height=380, width=PAGE_WIDTH,
        margin=dict(l=40, r=20, t=60, b=40),
        legend=dict(title="Forum", orientation="h", y=-0.15), template="plotly_white",
    )
    figure.update_xaxes(tickmode="array", tickvals=years, dtick=1)
    figure.update_yaxes(rangemode="tozero", title_text="count", row=1, col=1)
    return figure


def timeline(events: Rows, meetings: Rows, milestones: Rows,
             forums: list[str], band_forums: tuple[str, ...] = ("IGF", "NETmundial", "WSIS+10",
                                                                 "UNESCO")) -> go.Figure:
    """The network's events (one row per forum) over shaded bands of the forums' own meetings.

    Dates known only to the month are drawn at the month's start with an open marker, and the
    hover text says that only the month is known.
    """
    figure = go.Figure()
    rows = [f for f in forums if f in set(events["forum"])] + ["Best Bits milestones"]
    bands = []
    for meeting in meetings:
        if meeting.forum not in band_forums or meeting.start_date is None:
            continue
        start = _midnight(meeting.start_date)
        end = _midnight(meeting.end_date if meeting.end_date is not None else meeting.start_date)
        # Shapes given at once: add_vrect per meeting cost a quarter of a second per page.
        bands.append(dict(
            type="rect", xref="x", yref="paper", y0=0, y1=1,
            x0=start - dt.timedelta(days=3), x1=end + dt.timedelta(days=4),
            fillcolor=forum_colour(meeting.forum), opacity=0.18, line_width=0, layer="below"))
        figure.add_trace(go.Scatter(
            x=[start], y=[rows[-1]], mode="markers",
            marker=dict(symbol="line-ns", size=1, color=forum_colour(meeting.forum)),
            showlegend=False, name=meeting.forum,
            hovertemplate=(f"<b>{_escape(meeting.title)}</b><br>{start} – {end}"
                           f"<br>{_escape(meeting.city or '')}<extra>forum meeting</extra>"),
        ))
    for forum in rows[:-1]:
        subset = events.where(forum=forum)
        x = [_drawn_day(e.start, e.date_precision) for e in subset]
        figure.add_trace(go.Scatter(
            x=x, y=[forum] * len(subset), mode="markers", name=forum,
            marker=dict(size=12, color=forum_colour(forum), line=dict(width=2),
                        symbol=["circle" if p == "day" else "circle-open"
                                for p in subset["date_precision"]]),
            customdata=[["event", e] for e in subset["event_id"]],
            text=[_event_hover(e) for e in subset],
            hovertemplate="%{text}<extra></extra>", showlegend=False,
        ))
    if len(milestones):
        x = [_drawn_day(m.date, m.date_precision) for m in milestones]
        figure.add_trace(go.Scatter(
            x=x, y=[rows[-1]] * len(milestones), mode="markers", name="milestone",
            marker=dict(size=10, symbol="diamond", color="#333333"),
            customdata=[["milestone", m] for m in milestones["milestone_id"]],
            text=[f"<b>{_escape(m.title)}</b><br>{m.date}"
                  + (" (month only)" if m.date_precision != "day" else "")
                  for m in milestones],
            hovertemplate="%{text}<extra>milestone</extra>", showlegend=False,
        ))
    figure.update_layout(
        shapes=bands, height=120 + 45 * len(rows), width=PAGE_WIDTH, template="plotly_white",
        margin=dict(l=150, r=20, t=40, b=40),
        title="Events of the network over the forums' own meetings (shaded)",
        xaxis=dict(range=[f"{FIRST_YEAR}-01-01", f"{LAST_YEAR}-12-31"], type="date"),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(rows))),
    )
    return figure


def _midnight(day: dt.date) -> dt.datetime:
    """A day as the datetime plotly draws (and serialises) at its start."""
    return dt.datetime.combine(day, dt.time())


def _drawn_day(text: str, precision: str) -> dt.datetime:
    """Where a date of the record is drawn: its day, or the first of its month when only the
    month is known ('2014-04')."""
    return dt.datetime.fromisoformat(text if precision == "day" else f"{text}-01")


def _event_hover(event) -> str:
    place = ", ".join(p for p in (event.city, event.country) if isinstance(p, str) and p)
    when = event.start + (" (month only)" if event.date_precision != "day" else "")
    return f"<b>{_escape(event.title)}</b><br>{when}<br>{_escape(place)}<br>{event.kind}"


def _escape(text: str) -> str:
    return html.escape(str(text), quote=False)


def events_by_place(places: Rows) -> go.Figure:
    """Events per country (queries/events_by_place.sql), cities in the hover text."""
    by_country = sorted(
        ((country, sum(rows["events"]), ", ".join(sorted({c for c in rows["city"] if c})))
         for country, rows in places.groups("country") if country is not None),
        key=lambda c: (-c[1], c[0]))
    figure = go.Figure(go.Bar(
        x=[c[0] for c in by_country], y=[c[1] for c in by_country],
        marker_color="#0072B2", name="events",
        customdata=[[c[2]] for c in by_country],
        hovertemplate="<b>%{y}</b> events in %{x}<br>%{customdata[0]}<extra>click for the "
                      "list</extra>"))
    figure.update_layout(height=320, width=PAGE_WIDTH, template="plotly_white",
                         margin=dict(l=40, r=20, t=20, b=80),
                         yaxis=dict(title="events", dtick=1))
    return figure


def signatories_by(rows: Rows, facet: str) -> go.Figure:
    """Signatories of one statement by country or by kind (queries/statement_signatory_summary)."""
    figure = go.Figure(go.Bar(
        x=rows["value"], y=rows["signatories"], marker_color="#009E73",
        name=facet,
        hovertemplate=f"<b>%{{y}}</b> signatories listed with {facet} %{{x}}<extra>click for "
                      "the list</extra>"))
    title = f"Signatories by {facet}"
    if {"stated", "listed"} <= set(rows.columns) and len(rows):
        # Only those whose source states it are counted: say how many of the listed that is.
        title += f" ({int(rows.first('stated'))} of {int(rows.first('listed'))} listed)"
    figure.update_layout(title=title, height=280, width=460,
                         template="plotly_white", margin=dict(l=40, r=10, t=40, b=80),
                         yaxis=dict(dtick=1 if max(rows["signatories"], default=0) < 10 else None))
    return figure


THEME_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]


def themes_over_time(per_month: Rows) -> go.Figure:
    """One line per theme: messages per month (queries/themes_per_month.sql); the statements of
    the month in the hover text."""
    figure = go.Figure()
    for index, (theme, rows) in enumerate(per_month.groups("theme", sort=False)):
        name = rows.first("name")
        colour = THEME_COLOURS[index % len(THEME_COLOURS)]
        figure.add_trace(go.Scatter(
            x=rows["month"], y=rows["messages"], name=name,
            mode="lines+markers", line={"color": colour}, meta=theme,
            customdata=rows["statements"],
            hovertemplate=f"{html.escape(name)}<br>%{{x}}: %{{y}} messages, "
                          "%{customdata} statements<extra></extra>"))
    figure.update_layout(
        title={"text": "Themes over time (messages per month; keyword rules)"},
        height=380, margin={"l": 50, "r": 20, "t": 50, "b": 40},
        xaxis={"title": "month", "type": "category"}, yaxis={"title": "messages"},
        legend={"orientation": "h", "y": -0.2}, clickmode="event")
    return figure


# --- count axes ------------------------------------------------------------------------------

_SMALL_COUNT = 10  # up to this many, a count axis ticks at every whole number


def integer_count_axes(figure: dict) -> dict:
    """Counts are whole numbers: the value axis of every bar and line (a bar's length, a line's
    points) ticks at whole numbers only, one tick per unit while the counts are small, so that a
    filtered chart never shows 0.5 of a message. FIGURE is plotly JSON (page_view.figure_dict);
    an axis whose values are not all whole (a share, a layout's coordinates) is left alone."""
    layout = figure.setdefault("layout", {})
    stacked = layout.get("barmode") in ("stack", "relative")
    per_axis: dict[str, list[tuple[list, list]]] = {}
    for trace in figure.get("data", []):
        if trace.get("type", "scatter") not in ("bar", "scatter"):
            continue
        value, category = ("x", "y") if trace.get("orientation") == "h" else ("y", "x")
        values = plain_array(trace.get(value)) or []
        categories = plain_array(trace.get(category)) or list(range(len(values)))
        per_axis.setdefault(trace.get(f"{value}axis") or value, []).append((values, categories))
    for ref, traces in per_axis.items():
        axis = layout.setdefault(f"{ref[0]}axis{ref[1:]}", {})
        numbers = [v for values, _ in traces for v in values if v is not None]
        if (not numbers or axis.get("visible") is False
                or axis.get("type") in ("date", "category", "log")
                or not all(_whole(v) for v in numbers)):
            continue
        axis.setdefault("tickformat", ",d")
        if stacked:
            totals: dict = {}
            for values, categories in traces:
                for v, c in zip(values, categories, strict=False):
                    if v is not None:
                        totals[str(c)] = totals.get(str(c), 0) + abs(v)
            largest = max(totals.values(), default=0)
        else:
            largest = max(abs(v) for v in numbers)
        if largest <= _SMALL_COUNT and axis.get("tickmode") != "array":
            axis["dtick"], axis["tick0"] = max(axis.get("dtick") or 1, 1), 0
    return figure


def _whole(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and float(value).is_integer())
