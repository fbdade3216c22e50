"""A plotly chart as a small widget: the figure travels as JSON, clicks come back to Python.

plotly's own FigureWidget carries the whole of plotly.js (5 MB) in its front end, and importing
it in the kernel pulls in nbformat and jsonschema (seconds, and tens of MB per kernel). Here the
figure is plain plotly JSON drawn by the page's one plotly.js (the basic bundle the Voila
template serves, dashboards/jupyter/voila/templates/bestbits/static/), and a click calls back
with the same (trace, points) arguments as FigureWidget's on_click.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import anywidget
import plotly.graph_objects as go
import plotly.io as pio
import traitlets
from plotly.callbacks import Points

PLOTLY_JS = "plotly-basic-4.1.1.min.js"
_ESM = (Path(__file__).parent / "plotly_chart.js").read_text(encoding="utf-8")

ClickHandler = Callable[[object, Points], object]


class PlotlyChart(anywidget.AnyWidget):
    """One figure on the page; `show` swaps in another figure without a new widget."""

    _esm = _ESM
    figure = traitlets.Unicode("{}").tag(sync=True)
    plotly_file = traitlets.Unicode(PLOTLY_JS).tag(sync=True)

    def __init__(self, figure: go.Figure | dict, on_click: ClickHandler | None = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self._on_click = on_click
        self.show(figure)
        self.on_msg(self._received)

    def show(self, figure: go.Figure | dict, on_click: ClickHandler | None = None) -> None:
        self._figure = figure if isinstance(figure, go.Figure) else go.Figure(figure)
        if on_click is not None:
            self._on_click = on_click
        # The figures were validated when built; validating again only costs time.
        self.figure = pio.to_json(self._figure, validate=False)

    @property
    def data(self) -> tuple:
        """The traces shown (as FigureWidget.data)."""
        return self._figure.data

    @property
    def figure_layout(self) -> go.Layout:
        """The layout shown (FigureWidget.layout; `layout` is the widget's own CSS layout)."""
        return self._figure.layout

    def _received(self, _widget, content: dict, _buffers) -> None:
        if content.get("event") != "click" or self._on_click is None:
            return
        by_trace: dict[int, list[dict]] = {}
        for point in content.get("points", []):
            if isinstance(point.get("curve"), int) and isinstance(point.get("index"), int):
                by_trace.setdefault(point["curve"], []).append(point)
        for index, points in by_trace.items():
            if not 0 <= index < len(self._figure.data):
                continue
            trace = self._figure.data[index]
            clicked = Points(point_inds=[p["index"] for p in points], xs=[p["x"] for p in points],
                             ys=[p["y"] for p in points], trace_name=trace.name,
                             trace_index=index)
            try:
                self._on_click(trace, clicked)
            except Exception:  # our bug: to the server log (not the page), which stays usable
                traceback.print_exc(file=sys.__stderr__)
