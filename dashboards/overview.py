"""The overview page: activity by year and forum, and the timeline of events over forum meetings."""

from __future__ import annotations

import ipywidgets as widgets

from bestbits.config import FIRST_YEAR, LAST_YEAR
from dashboards import figures
from dashboards.data import DashboardData
from dashboards.evidence import EvidencePanel, clickable
from dashboards.view_state import ViewState
from dashboards.widgets_common import notice, provenance_line

ALL_FORUMS = "All forums"


class OverviewPage:
    """Widgets and their wiring; every figure comes from a tested function in figures.py."""

    def __init__(self, data: DashboardData, state: ViewState):
        self.data, self.state = data, state
        forums = list(data.forums()["forum"])
        self.forum_codes = forums
        self.forum = widgets.Dropdown(
            options=[ALL_FORUMS, *forums], description="Forum",
            value=state.get("forum") if state.get("forum") in forums else ALL_FORUMS)
        self.kinds = widgets.SelectMultiple(
            options=[(label, key) for key, label in figures.KIND_LABELS.items()],
            value=tuple(state.get_list("kinds", list(figures.KIND_LABELS),
                                       list(figures.KIND_LABELS))),
            description="Activity", rows=3)
        self.years = widgets.IntRangeSlider(
            min=FIRST_YEAR, max=LAST_YEAR, description="Years", continuous_update=False,
            layout=widgets.Layout(width="380px"),
            value=(state.get_int("from", FIRST_YEAR, FIRST_YEAR, LAST_YEAR),
                   state.get_int("to", LAST_YEAR, FIRST_YEAR, LAST_YEAR)))
        self.chart = widgets.Box(layout=widgets.Layout(min_height="380px"))
        self.evidence = EvidencePanel()
        self.timeline = widgets.Box()
        for control in (self.forum, self.kinds, self.years):
            control.observe(self._changed, names="value")

    def selected_forums(self) -> list[str]:
        return self.forum_codes if self.forum.value == ALL_FORUMS else [self.forum.value]

    def activity_frame(self):
        return self.data.query(
            "activity_by_year_forum", from_year=self.years.value[0], to_year=self.years.value[1],
            forum=None if self.forum.value == ALL_FORUMS else self.forum.value)

    def draw_chart(self) -> None:
        frame = self.activity_frame()
        figure = figures.activity_by_year_forum(
            frame, list(self.kinds.value), self.selected_forums(),
            title="Activity by year and forum")
        self.chart.children = [clickable(figure, self._bar_clicked)]

    def _bar_clicked(self, trace, points) -> None:
        kind, forum = trace.customdata[points.point_inds[0]]
        year = int(points.xs[0])
        rows = self.data.query("activity_evidence", year=year, forum=forum, kind=kind)
        self.state.set(evidence=f"{kind}:{forum}:{year}")
        self.evidence.show(f"{figures.KIND_LABELS[kind]} in {year}, {forum}: {len(rows)} rows",
                           rows, f"bestbits-{kind}-{forum}-{year}.csv")

    def restore_evidence(self) -> None:
        """Reopen the evidence a permalink points at (evidence=kind:forum:year)."""
        kind, _, rest = (self.state.get("evidence") or "").partition(":")
        forum, _, year = rest.rpartition(":")
        if kind in figures.KIND_LABELS and forum in self.forum_codes and year.isdigit():
            rows = self.data.query("activity_evidence", year=int(year), forum=forum, kind=kind)
            self.evidence.show(f"{figures.KIND_LABELS[kind]} in {year}, {forum}: "
                               f"{len(rows)} rows", rows, f"bestbits-{kind}-{forum}-{year}.csv")

    def draw_timeline(self) -> None:
        figure = figures.timeline(
            self.data.cached("events"), self.data.cached("forum_meetings"),
            self.data.cached("milestones"), self.forum_codes)
        # A widget like the bar chart, so the page evaluates plotly.js once (about 1.5 s
        # each here), and a clicked event or milestone shows its row and source.
        self.timeline.children = [clickable(figure, self._timeline_clicked)]

    def _timeline_clicked(self, trace, points) -> None:
        item = trace.customdata[points.point_inds[0]] if trace.customdata else None
        if not item or len(item) != 2:
            return
        kind, item_id = item
        frame = self.data.cached("events" if kind == "event" else "milestones")
        rows = frame[frame[f"{kind}_id"] == item_id]
        self.evidence.show(f"The {kind} on the timeline", rows, f"bestbits-{kind}-{item_id}.csv")

    def _changed(self, _change) -> None:
        self.state.set(forum=None if self.forum.value == ALL_FORUMS else self.forum.value,
                       kinds=list(self.kinds.value) if len(self.kinds.value) < 3 else None,
                       **{"from": self.years.value[0] if self.years.value[0] != FIRST_YEAR
                          else None,
                          "to": self.years.value[1] if self.years.value[1] != LAST_YEAR
                          else None}, evidence=None)
        self.evidence.clear()
        self.draw_chart()

    def widget(self) -> widgets.Widget:
        summary = self.data.cached("record_summary")
        self.draw_chart()
        self.draw_timeline()
        self.restore_evidence()
        return widgets.VBox([
            widgets.HTML("<h2 style='margin-bottom:2px'>What the Best Bits network did, "
                         "2012–2019</h2>"),
            notice(provenance_line(summary)),
            widgets.HBox([self.forum, self.kinds, self.years]),
            self.chart,
            self.evidence.widget,
            self.timeline,
            widgets.HTML("<p style='font-size:12px;color:#555'>Hover a bar or a point for what "
                         "it counts. Open markers: only the month is known. Shaded bands: the "
                         "forums' own meetings (IGF, NETmundial, WSIS+10, UNESCO). Forum "
                         "classification: data/forum_rules.toml; where it differs from the "
                         "curated value, <code>bestbits query forum_disagreements</code>.</p>"),
        ])
