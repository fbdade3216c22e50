"""Counts are whole: on every chart of every page's default view (and of a view filtered down to
a few rows, where plotly would tick at 0.2 and 0.5), the axis a bar's length or a line's points
are counted on ticks at whole numbers only."""

from __future__ import annotations

from dashboards.figures import integer_count_axes
from dashboards.page_view import Chart, plain_array
from dashboards.pages import PAGE_IDS, definition

FILTERED = [("overview", {"forum": "NETmundial"}), ("events", {"forum": "NETmundial"}),
            ("participation", {"forum": "NETmundial"})]


def count_axes(figure: dict):
    """(axis name, its layout, the values of all its traces) of each bar's or line's value axis
    that counts (whole numbers)."""
    values_of: dict[str, list] = {}
    for trace in figure["data"]:
        if trace.get("type", "scatter") not in ("bar", "scatter"):
            continue
        letter = "x" if trace.get("orientation") == "h" else "y"
        ref = trace.get(f"{letter}axis") or letter
        name = f"{ref[0]}axis{ref[1:]}"
        values_of.setdefault(name, []).extend(
            v for v in plain_array(trace.get(letter)) or [] if v is not None)
    for name, values in values_of.items():
        if values and all(isinstance(v, int | float) and float(v).is_integer() for v in values):
            yield name, figure["layout"].get(name, {}), values


def charts(data):
    for page_id in PAGE_IDS:
        yield page_id, definition(page_id).view(data)
    for page_id, state in FILTERED:
        yield f"{page_id} {state}", definition(page_id).view(data, state)


def test_every_count_axis_of_every_page_ticks_at_whole_numbers(data):
    checked = 0
    for name, view in charts(data):
        for chart in (b for b in view.walk() if isinstance(b, Chart)):
            for axis_name, axis, values in count_axes(chart.figure):
                if axis.get("visible") is False or axis.get("type") in ("date", "category"):
                    continue
                where = f"{name}: {chart.title} {axis_name}"
                assert axis.get("tickformat") == ",d", where
                # Stacked, the bars reach at most the sum of every value.
                stacked = chart.figure["layout"].get("barmode") in ("stack", "relative")
                reach = sum(map(abs, values)) if stacked else max(map(abs, values))
                if reach <= 10 and axis.get("tickmode") != "array":
                    assert axis.get("dtick", 0) >= 1, where
                checked += 1
    assert checked >= 6


def test_a_small_stacked_count_ticks_at_every_whole_number_and_a_share_is_left_alone():
    small = integer_count_axes({"data": [{"type": "bar", "x": [2013], "y": [1]},
                                         {"type": "bar", "x": [2013], "y": [2]}],
                                "layout": {"barmode": "stack"}})
    assert small["layout"]["yaxis"] == {"tickformat": ",d", "dtick": 1, "tick0": 0}
    share = integer_count_axes({"data": [{"type": "scatter", "y": [0.25, 0.5]}], "layout": {}})
    assert "tickformat" not in share["layout"].get("yaxis", {})
    horizontal = integer_count_axes({"data": [{"type": "bar", "orientation": "h",
                                               "x": [40, 12], "y": ["a", "b"]}], "layout": {}})
    assert horizontal["layout"]["xaxis"] == {"tickformat": ",d"}
