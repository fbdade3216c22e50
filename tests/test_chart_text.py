"""Every chart has a text alternative (issue 17.6): its data in words (page_view.chart_text), built
from the figure, shown under the chart by both faces (the live chart widget and the first paint,
and the edition)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from dashboards.default_views import DefaultViews, compute
from dashboards.edition.site import EditionSite
from dashboards.live.first_paint import first_paint
from dashboards.page_view import Chart, chart_marks, chart_text, plain_array
from dashboards.pages import PAGE_IDS, PAGES, definition

ITEMS = [("events", {"event": "bb2014-istanbul"}),
         ("statements", {"statement": "netmundial-draft-2014"})]


def charts_of(data, page_id: str, state: dict | None = None) -> list[Chart]:
    page = definition(page_id)
    view = page.build(data, state, {})[0] if state else page.view(data)
    return [b for b in view.walk() if isinstance(b, Chart)]


def test_every_chart_of_every_default_view_and_item_says_its_data_in_words(data):
    seen = 0
    for page_id, state in [(p, None) for p in PAGE_IDS] + ITEMS:
        for chart in charts_of(data, page_id, state):
            words = chart.text_alternative()
            where = f"{page_id} {state or ''}: {chart.title!r}"
            assert words and words != "Chart: no data.", where
            if chart.title:
                assert words.startswith(chart.title), where
            # A value the chart draws is in the words: a bar's count or a mark's label.
            trace = next(t for t in chart.figure["data"] if t.get("visible") is not False
                         and (t.get("name") or t.get("mode") != "lines"))
            if trace.get("type") == "bar":
                values = [v for v in plain_array(trace.get("x" if trace.get("orientation") == "h"
                                                             else "y")) if v]
                assert not values or f": {values[0]}" in words, where
            seen += 1
    assert seen >= 8


def test_the_words_name_bars_marks_and_subplots():
    bars = {"data": [{"type": "bar", "name": "IGF", "x": [2012, 2013, 2014], "y": [2, 0, 3],
                      "xaxis": "x2"},
                     {"type": "bar", "name": "places", "orientation": "h", "x": [4],
                      "y": ["Brazil"]}],
            "layout": {"title": {"text": "<b>Activity</b>"},
                       "xaxis2": {"domain": [0.5, 1]},
                       "annotations": [{"text": "Events", "x": 0.75, "xref": "paper",
                                        "yanchor": "bottom"}]}}
    assert chart_text(bars) == ("Activity (2 series). Events, IGF (total 5): 2012: 2; 2014: 3. "
                                "places (total 4): Brazil: 4.")
    marks = {"data": [{"type": "scatter", "mode": "lines", "x": [0, 1], "y": [0, 1]},
                      {"type": "scatter", "mode": "markers", "name": "people",
                       "x": [0, 1], "y": [0, 1], "text": ["<b>Ana</b><br>2 ties", "Bo &amp; Co"]}],
             "layout": {}}
    assert chart_text(marks, "Ties") == "Ties (one series). people: Ana; Bo & Co."
    many = {"data": [{"type": "bar", "x": list(range(30)), "y": [1] * 30}], "layout": {}}
    assert chart_text(many).endswith("and 6 more.")
    assert chart_text({"data": [], "layout": {}}, "Empty") == "Empty: no data."


def test_the_marks_a_keyboard_chooses_are_the_ones_a_click_reports():
    figure = {"data": [{"type": "bar", "name": "IGF", "x": ["2013-05-01T00:00:00", "2013-06-01"],
                        "y": [0, 3]},
                       {"type": "scatter", "mode": "lines", "x": [0, 1], "y": [0, 1]},
                       {"type": "bar", "name": "places", "orientation": "h", "x": [4],
                        "y": ["Brazil"]}],
              "layout": {}}
    assert chart_marks(figure) == [
        {"curve": 0, "index": 1, "x": "2013-06-01", "y": 3, "label": "IGF, 2013-06-01: 3"},
        {"curve": 2, "index": 0, "x": 4, "y": "Brazil", "label": "places, Brazil: 4"}]


def test_both_faces_show_the_words_under_each_chart(data, built_db, tmp_path):
    site = EditionSite(data, tmp_path, edition="2026-01-01-000000000000", built="2026-01-01",
                       digest="0" * 64, version="test", title="Test edition", has_wacz=False)
    for entry in PAGES:
        page = definition(entry.id)
        drawn = BeautifulSoup(site.render("page.html.j2", entry.edition_file,
                                          page_title=page.title, blocks=site.page_blocks(page)),
                              "html.parser")
        for chart in drawn.select("div.chart"):
            words = chart.find_next_sibling("details", class_="chart-text")
            assert words and words.p.get_text(strip=True), f"{entry.id}: {chart['id']}"
            assert chart.get("role") is None  # no role="img" over plotly's own controls
    painted = first_paint(DefaultViews(compute(built_db)))
    assert painted["pages"]
    for page_id, page in painted["pages"].items():
        soup = BeautifulSoup(page["html"], "html.parser")
        for chart in soup.select(".bb-fp-chart"):
            words = chart.find_next_sibling("details", class_="bb-chart-text")
            assert words and words.p.get_text(strip=True), page_id
