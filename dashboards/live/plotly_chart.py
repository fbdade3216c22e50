"""A plotly chart as a small widget: the figure travels as JSON, clicks come back to Python.

plotly's own FigureWidget carries the whole of plotly.js (5 MB) in its front end, and importing
it in the kernel pulls in nbformat and jsonschema (seconds, and tens of MB per kernel). Here the
figure is plain plotly JSON (a Chart block's figure) drawn by the page's one plotly.js (the basic
bundle the Voila template serves, dashboards/jupyter/voila/templates/bestbits/static/), and a
click calls back with the clicked Point (its trace, index, x and y).
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from dashboards.page import Point
from dashboards.page_view import chart_marks, chart_text

PLOTLY_JS = "plotly-basic-4.1.1.min.js"
MAX_MARKS = 300  # buttons offered under a chart (the overview's bars: about 60)
_ESM = (Path(__file__).parent / "plotly_chart.js").read_text(encoding="utf-8")

ClickHandler = Callable[[Point], object]


class PlotlyChart(anywidget.AnyWidget):
    """One figure on the page; `show` swaps in another figure without a new widget."""

    _esm = _ESM
    figure = traitlets.Unicode("{}").tag(sync=True)
    plotly_file = traitlets.Unicode(PLOTLY_JS).tag(sync=True)
    # The chart in words (page_view.chart_text), shown under it: its text alternative.
    description = traitlets.Unicode("").tag(sync=True)
    # A chart a click acts on: its marks (page_view.chart_marks) as JSON, offered as buttons
    # under it, so that a keyboard reaches what a pointer does. "[]" for a chart with no click.
    marks = traitlets.Unicode("[]").tag(sync=True)

    def __init__(self, figure: dict[str, Any], on_click: ClickHandler | None = None,
                 description: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._on_click = on_click
        self.figure_data: dict[str, Any] = {}
        self.show(figure, description=description)
        self.on_msg(self._received)

    def show(self, figure: dict[str, Any], on_click: ClickHandler | None = None,
             description: str | None = None) -> None:
        """Draw FIGURE; DESCRIPTION is its text alternative (by default chart_text of FIGURE)."""
        if on_click is not None:
            self._on_click = on_click
        if figure == self.figure_data:
            return  # nothing to send
        self.figure_data = figure
        self.description = description if description is not None else chart_text(figure)
        self.marks = json.dumps(chart_marks(figure)[:MAX_MARKS] if self._on_click else [])
        self.figure = json.dumps(figure)

    @property
    def title(self) -> str:
        return ((self.figure_data.get("layout") or {}).get("title") or {}).get("text") or ""

    @property
    def traces(self) -> list[dict[str, Any]]:
        return self.figure_data.get("data") or []

    def _received(self, _widget, content: dict, _buffers) -> None:
        if content.get("event") != "click" or self._on_click is None:
            return
        for point in content.get("points", [])[:1]:  # the first mark under the pointer
            curve, index = point.get("curve"), point.get("index")
            if not isinstance(curve, int) or not isinstance(index, int) or \
                    not 0 <= curve < len(self.traces):
                continue
            try:
                self._on_click(Point(self.traces[curve], index, point.get("x"), point.get("y")))
            except Exception:  # our bug: to the server log (not the page), which stays usable
                traceback.print_exc(file=sys.__stderr__)
