"""Filter widgets restored from, and written back to, the URL state."""

from __future__ import annotations

import ipywidgets as widgets

from dashboards.view_state import ViewState

ALL = "All"


def choice(state: ViewState, key: str, description: str, options: list[str],
           width: str = "230px") -> widgets.Dropdown:
    """A dropdown of `options` plus All; a value from the URL is used only if it is offered."""
    wanted = state.get(key)
    return widgets.Dropdown(
        options=[ALL, *options], value=wanted if wanted in options else ALL,
        description=description, layout=widgets.Layout(width=width))


def value_of(dropdown: widgets.Dropdown) -> str | None:
    """The chosen value for a query parameter: None means no filter."""
    return None if dropdown.value == ALL else dropdown.value
