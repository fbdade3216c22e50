"""A page's controls as ipywidgets: one widget per control, made from the Control a PageView holds
and brought up to date in place when the view changes (options refilled, value set) without
reporting those updates as the visitor's own changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from dashboards.page_view import Control

Changed = Callable[[Control, Any], None]


def make(control: Control, changed: Changed) -> widgets.Widget:
    """The widget for CONTROL; CHANGED(control, value) when the visitor changes it."""
    layout = widgets.Layout(width=control.width) if control.width else widgets.Layout()
    options = [(str(label), value) for label, value in control.options]
    if control.type == "choice":
        widget = widgets.Dropdown(options=options, value=control.value,
                                  description=control.label, layout=layout)
    elif control.type == "toggle":
        widget = widgets.ToggleButtons(options=options, value=control.value,
                                       description=control.label)
    elif control.type == "multi":
        widget = widgets.SelectMultiple(options=options, value=tuple(control.value),
                                        description=control.label, rows=len(options))
    elif control.type == "range":
        widget = widgets.IntRangeSlider(min=control.low, max=control.high,
                                        value=tuple(control.value), description=control.label,
                                        continuous_update=False, layout=layout)
    elif control.type == "int":
        widget = widgets.BoundedIntText(value=control.value, min=control.low, max=control.high,
                                        description=control.label, tooltip=control.tooltip,
                                        layout=layout, style={"description_width": "initial"})
    elif control.type == "text":
        widget = widgets.Text(value=control.value, placeholder=control.placeholder,
                              description=control.label, continuous_update=False, layout=layout)
        # The address follows the words as they are typed (location.js), the search on Enter.
        widget.add_class(f"bb-typed-key-{control.key}")
    else:
        raise ValueError(f"no widget for a {control.type} control")
    widget.updating = False  # set while the page brings it up to date

    def observed(change) -> None:
        if not widget.updating:
            changed(widget.control, _value(widget.control, change["new"]))

    widget.observe(observed, names="value")
    widget.control = control
    return widget


def update(widget: widgets.Widget, control: Control) -> None:
    """Bring WIDGET to CONTROL (options and value), silently."""
    widget.control = control
    widget.updating = True
    try:
        options = [(str(label), value) for label, value in control.options]
        if control.type in ("choice", "toggle", "multi") and _pairs(widget) != options:
            widget.options = options
        wanted = tuple(control.value) if control.type in ("multi", "range") else control.value
        if widget.value != wanted:
            widget.value = wanted
    finally:
        widget.updating = False


def _pairs(widget) -> list[tuple[str, Any]]:
    return list(zip(widget._options_labels, widget._options_values, strict=True))


def _value(control: Control, value: Any) -> Any:
    if control.type in ("multi", "range"):
        return list(value)
    return value
