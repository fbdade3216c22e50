"""The rows behind a number: a panel that lists them with their sources and offers them as CSV."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import plotly
import plotly.graph_objects as go

from dashboards.tables import csv_download_link, html_table

# plotly's FigureWidget ships its 5 MB front-end bundle inside every widget's state, so a page
# with three clickable charts sent 15 MB over the websocket and evaluated the bundle three
# times. Here the widget carries a two-line module that imports the bundle by address instead:
# `bestbits serve` puts a copy where Voila serves files (dashboards/static/, not committed),
# and the browser fetches and evaluates it once per page.
WIDGET_BUNDLE = f"static/plotly-widget-{plotly.__version__}.js"
_LOADER_ESM = (
    f"const bundle = await import(new URL('voila/files/{WIDGET_BUNDLE}', document.baseURI).href);\n"
    "export default bundle.default;\n"
)


class ClickableFigure(go.FigureWidget):
    """A FigureWidget whose front end is loaded by address (see WIDGET_BUNDLE)."""

    _esm = _LOADER_ESM


def install_widget_bundle(dashboards_dir: Path) -> Path:
    """Copy plotly's widget bundle where Voila serves files; done by `bestbits serve`."""
    target = dashboards_dir / WIDGET_BUNDLE
    if not target.exists():
        source = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"
        target.parent.mkdir(exist_ok=True)
        temporary = target.with_suffix(".tmp")
        shutil.copyfile(source, temporary)
        temporary.replace(target)
    return target


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


def clickable(figure: go.Figure, on_click) -> go.FigureWidget:
    """A FigureWidget whose every trace calls on_click(trace, points) when a point is clicked.

    Only charts that must answer clicks (the evidence behind a bar) pay for a widget; the rest
    stay plain figures.
    """
    widget = ClickableFigure(figure)
    for trace in widget.data:
        trace.on_click(lambda trace, points, _state: points.point_inds and on_click(trace, points))
    return widget
