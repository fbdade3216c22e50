"""The themes over time (Participation page): messages per theme per month, the evidence on click.

Self-contained: `themes_section(data, state)` returns the whole section, so the page that shows
it needs one call. The themes are keyword rules (data/theme_rules.toml), and the section says so.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from dashboards.data import DashboardData
from dashboards.evidence import EvidencePanel, clickable
from dashboards.view_state import ViewState

THEME_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
EVIDENCE_COLUMNS = ["kind", "date", "title", "author_name", "evidence", "source_url", "method"]


def themes_figure(per_month: pd.DataFrame) -> go.Figure:
    """One line per theme: messages per month; statements as diamonds on the same line."""
    figure = go.Figure()
    for index, (theme, rows) in enumerate(per_month.groupby("theme", sort=False)):
        name = rows["name"].iloc[0]
        colour = THEME_COLOURS[index % len(THEME_COLOURS)]
        figure.add_trace(go.Scatter(
            x=rows["month"], y=rows["messages"], name=name, mode="lines+markers",
            line={"color": colour}, meta=theme, customdata=rows["statements"],
            hovertemplate=f"{html.escape(name)}<br>%{{x}}: %{{y}} messages, "
                          "%{customdata} statements<extra></extra>"))
    figure.update_layout(
        title={"text": "Themes over time (messages per month; keyword rules)"},
        height=380, margin={"l": 50, "r": 20, "t": 50, "b": 40},
        xaxis={"title": "month", "type": "category"}, yaxis={"title": "messages"},
        legend={"orientation": "h", "y": -0.2}, clickmode="event")
    return figure


def themes_section(data: DashboardData, state: ViewState) -> widgets.Widget:
    """The section: the chart, and the messages and statements behind a clicked point."""
    list_name = None  # every list: the Participation page has no list filter of its own
    per_month = data.query("themes_per_month", list=list_name)
    header = widgets.HTML("<h3>Themes over time</h3><p style='font-size:12px;color:#555'>A "
                          "message or statement counts for a theme when the rules of "
                          "<code>data/theme_rules.toml</code> find its words (subjects, the "
                          "authors' own text, titles); the evidence names the words. Click a "
                          "point for the items behind it.</p>")
    if per_month.empty:
        return widgets.VBox([header, widgets.HTML("<p><i>No message or statement matches a "
                                                  "theme in this database.</i></p>")])
    evidence = EvidencePanel("Click a point to list the messages and statements behind it.")

    def clicked(trace, points) -> None:
        theme, month = trace.meta, points.xs[0]
        state.set(theme=theme, theme_month=month)
        _show(data, evidence, theme, month, list_name)

    chart = clickable(themes_figure(per_month), clicked)
    theme, month = state.get("theme"), state.get("theme_month")
    if theme in set(per_month["theme"]) and month in set(per_month["month"]):
        _show(data, evidence, theme, month, list_name)
    return widgets.VBox([header, chart, evidence.widget])


def _show(data: DashboardData, evidence: EvidencePanel, theme: str, month: str,
          list_name: str | None) -> None:
    rows = data.query("theme_evidence", theme=theme, month=month, list=list_name)
    rows = rows.rename(columns={"archived_url": "source_url"})
    evidence.show(f"Theme {theme}, {month}: {len(rows)} items", rows,
                  f"theme-{theme}-{month}.csv", EVIDENCE_COLUMNS)
