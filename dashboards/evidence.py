"""The rows behind a number: a panel that lists them with their sources and offers them as CSV."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from dashboards.plotly_chart import PlotlyChart
from dashboards.tables import csv_download_link, html_table


class EvidencePanel:
    """Shows the rows behind whatever was clicked, each with its source_url as a link."""

    def __init__(self, hint: str = "Click a bar, a point or a row to see the rows behind it."):
        self.hint = (f"<p class='bb-evidence-hint' style='color:#555'>{html.escape(hint)}"
                     "</p>")
        self.box = widgets.HTML(self.hint)
        self.frame: pd.DataFrame | None = None

    def clear(self) -> None:
        """Back to the hint: what was shown no longer matches the filters."""
        self.frame = None
        self.box.value = self.hint

    def show(self, title: str, frame: pd.DataFrame, filename: str,
             columns: list[str] | None = None) -> None:
        self.frame = frame
        if frame.empty:
            body = "<p>No rows.</p>"
        else:
            body = csv_download_link(frame, filename) + html_table(frame, columns)
        self.box.value = (f"<div class='bb-evidence'><h4 style='margin:8px 0 4px'>"
                          f"{html.escape(title)}</h4>{body}</div>")

    @property
    def widget(self) -> widgets.HTML:
        return self.box


def clickable(figure: go.Figure, on_click) -> PlotlyChart:
    """A chart whose every trace calls on_click(trace, points) when a point is clicked.

    The arguments are those of FigureWidget's on_click: the clicked trace of FIGURE and a
    plotly.callbacks.Points with point_inds, xs and ys.
    """
    return PlotlyChart(figure, lambda trace, points: points.point_inds and on_click(trace, points))
