"""The Participation page: who posted to the mailing list, when, from where, and about which forum.

It fills in as list data arrives. Before the archive is collected the database holds only the
curated sample, and the page says so (and shows the sample as a sample) instead of drawing
participation statistics from 61 hand-picked messages.
"""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from bestbits import config
from bestbits.privacy import suppress_counts
from dashboards import participation_figures as pf
from dashboards.data import DashboardData
from dashboards.evidence import EvidencePanel, clickable
from dashboards.pages.filters import choice, value_of
from dashboards.pages.themes_section import themes_section
from dashboards.plotly_chart import PlotlyChart
from dashboards.tables import csv_download_link, html_table
from dashboards.view_state import ViewState
from dashboards.widgets_common import notice

FIRST_YEAR, LAST_YEAR = config.FIRST_YEAR, config.LAST_YEAR
DEFAULT_MIN_MESSAGES = 3
MAX_MIN_MESSAGES = 1000
# Rows of a table (people, replies, the messages behind a mark) fetched at a time: every
# table is a page of a query; "Show more" asks for the next page.
PAGE_ROWS = 50
PHASES = ("before", "during", "after")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")

COLLECT_HINT = ("<code>bestbits collect list</code> (or <code>bestbits collect mbox FILE</code> "
                "for a local copy), then <code>bestbits build</code>")
PEOPLE_COLUMNS = ["person", "organisation", "sector", "messages", "first_month", "last_month",
                  "threads"]
THREAD_COLUMNS = ["year", "rank", "subject", "messages", "posters", "first_message",
                  "last_message", "first_url"]
REPLY_COLUMNS = ["source", "target", "replies"]


def small_cells(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Per-person counts below the small-cell threshold shown as "<5", as in the default export
    ($BESTBITS_MIN_CELL sets the threshold)."""
    return suppress_counts(frame, columns, config.min_cell())


def message_counts(summary: pd.DataFrame) -> dict[str, int]:
    """List messages in the database by provenance method (from queries/record_summary.sql)."""
    rows = summary[summary["table_name"] == "messages"]
    return {str(r.method): int(r.rows) for r in rows.itertuples()}


def parse_selection(value: str | None) -> tuple[str, ...] | None:
    """The clicked mark kept in the URL ('month:2013-10', 'event:bb2013-bali:before', ...);
    anything that does not have the expected shape is ignored."""
    if not value:
        return None
    kind, _, rest = value.partition(":")
    if kind == "month" and _MONTH.match(rest):
        return (kind, rest)
    if kind == "year" and _YEAR.match(rest):
        return (kind, rest)
    if kind == "cohort":
        cohort, _, year = rest.partition(":")
        if _YEAR.match(cohort) and _YEAR.match(year):
            return (kind, cohort, year)
    if kind == "forum":
        forum, _, month = rest.rpartition(":")
        if forum and _MONTH.match(month):
            return (kind, forum, month)
    if kind == "event":
        event_id, _, phase = rest.rpartition(":")
        if event_id and phase in PHASES:
            return (kind, event_id, phase)
    if kind == "org" and rest:
        return (kind, rest)
    return None


def place_chart(box: widgets.Box, figure: go.Figure, on_click) -> None:
    """Show FIGURE in BOX as a clickable chart, updating the chart already there rather than
    starting a new widget (a new widget per redraw would stay in the kernel for the visit)."""
    current = box.children
    if current and isinstance(current[0], PlotlyChart):
        current[0].show(figure, lambda trace, points: points.point_inds and on_click(trace, points))
        return
    box.children = (clickable(figure, on_click),)


class ParticipationPage:
    """Widgets and their wiring; figures come from dashboards/participation_figures.py."""

    def __init__(self, data: DashboardData, state: ViewState):
        self.data, self.state = data, state
        self.counts = message_counts(data.cached("record_summary"))
        self.forum_codes = list(data.forums()["forum"])
        self.min_messages = widgets.BoundedIntText(
            value=state.get_int("min", DEFAULT_MIN_MESSAGES, 1, MAX_MIN_MESSAGES),
            min=1, max=MAX_MIN_MESSAGES, description="Min. messages",
            tooltip="Per-person views show only people with at least this many messages",
            layout=widgets.Layout(width="200px"),
            style={"description_width": "initial"})
        self.forum = choice(state, "pforum", "Forum", self.forum_codes, "220px")
        self.years = widgets.IntRangeSlider(
            min=FIRST_YEAR, max=LAST_YEAR, description="Years", continuous_update=False,
            layout=widgets.Layout(width="380px"),
            value=sorted((state.get_int("pfrom", FIRST_YEAR, FIRST_YEAR, LAST_YEAR),
                          state.get_int("pto", LAST_YEAR, FIRST_YEAR, LAST_YEAR))))
        self.evidence = EvidencePanel("Click a bar or a point to list the messages behind it, "
                                      "each with its archived source.")
        self.slots = {name: widgets.Box(layout=widgets.Layout(display="block"))
                      for name in ("per_month", "per_year", "organisations", "forums", "events")}
        self.selection: tuple[str, ...] | None = None
        self.people = widgets.HTML()
        self.replies = widgets.HTML()
        self.threads = widgets.HTML()
        # How many rows of each paged table are shown; reset when a filter changes.
        self.shown = {"people": PAGE_ROWS, "replies": PAGE_ROWS, "evidence": PAGE_ROWS}
        self.more = {name: self._more_button(name) for name in self.shown}
        for control in (self.min_messages, self.forum, self.years):
            control.observe(self._changed, names="value")

    def _more_button(self, table: str) -> widgets.Button:
        button = widgets.Button(description="Show more", tooltip=f"the next {PAGE_ROWS} rows",
                                layout=widgets.Layout(display="none", width="140px"))

        def more(_button) -> None:
            self.shown[table] += PAGE_ROWS
            if table == "evidence":
                if self.selection:
                    self.show_evidence(self.selection, reset=False)
            else:
                self.draw_tables(reset=False)

        button.on_click(more)
        return button

    def _set_more(self, table: str, shown: int, total: int) -> None:
        self.more[table].layout.display = "inline-flex" if shown < total else "none"

    def _filters(self, **extra) -> tuple:
        """The page's filters as bound query parameters (a hashable tuple for data.cached)."""
        first, last = self.years.value
        return (("from_year", first), ("to_year", last), *sorted(extra.items()))

    # --- state ------------------------------------------------------------------------------

    def _changed(self, change) -> None:
        first, last = self.years.value
        self.state.set(min=None if self.min_messages.value == DEFAULT_MIN_MESSAGES
                       else self.min_messages.value,
                       pforum=value_of(self.forum),
                       pfrom=None if first == FIRST_YEAR else first,
                       pto=None if last == LAST_YEAR else last)
        # Redraw only what the control feeds: each chart is a widget that takes time to start.
        if change["owner"] is self.years:
            self.draw_charts()
            self.draw_tables()
        elif change["owner"] is self.forum:
            self.draw_forum_charts()
        else:
            self.draw_tables()
            if self.selection:  # the evidence names authors by the same threshold
                self.show_evidence(self.selection)

    # --- charts -----------------------------------------------------------------------------

    def _place(self, slot: str, figure: go.Figure, empty_text: str) -> None:
        if all(len(t.x if t.x is not None else []) == 0 for t in figure.data):
            self.slots[slot].children = (notice(html.escape(empty_text), "empty"),)
            return
        place_chart(self.slots[slot], figure,
                    lambda trace, points: self._clicked(slot, trace, points))

    def draw_charts(self) -> None:
        """The charts that follow the year range."""
        def query(name: str):  # each figure is aggregated in SQL, for the years chosen
            return self.data.cached(name, self._filters())

        per_month = query("participation_messages_per_month")
        posters = query("participation_posters_per_month")
        self._place("per_month", pf.combine(
            [pf.messages_per_month(per_month), pf.posters_per_month(posters)],
            "Messages and distinct posters per month", rows=2, shared_xaxes=True, height=520),
            "No messages in these years.")
        per_year = query("participation_posters_per_year")
        cohorts = query("participation_cohorts")
        self._place("per_year", pf.combine(
            [pf.posters_per_year(per_year), pf.cohorts(cohorts)],
            "Posters per year; newcomers and retention by yearly cohort", cols=2, height=380),
            "No posters in these years.")
        self._place("organisations", pf.organisations(query("participation_organisations")),
                    "No sender domains are known.")
        self.draw_forum_charts()

    def draw_forum_charts(self) -> None:
        """The charts that follow the forum (and the year range)."""
        forum = value_of(self.forum)
        mentions = self.data.cached("participation_forum_mentions_per_month",
                                    self._filters(forum=forum))
        self._place("forums", pf.forum_mentions(mentions, self.forum_codes),
                    "No message in these years names " + (forum or "a forum") + ".")
        events = self.data.cached("participation_event_activity", self._filters(forum=forum))
        self._place("events", pf.event_activity(events),
                    "No list activity around the events shown.")

    def draw_tables(self, reset: bool = True) -> None:
        """The per-person tables (they follow N and the years, a page at a time) and the
        busiest threads (the years)."""
        if reset:
            self.shown.update(people=PAGE_ROWS, replies=PAGE_ROWS)
        n = self.min_messages.value
        shown = self.shown["people"]
        people = self.data.cached("participation_people",
                                  self._filters(min_messages=n, limit=shown))
        total = int(people["total"].iloc[0]) if len(people) else 0
        self.people.value = self._table(
            small_cells(people, ["messages", "threads"]), PEOPLE_COLUMNS,
            f"bestbits-people-min{n}.csv",
            f"No one wrote {n} or more messages in these years.",
            f"{min(shown, total)} of {total} people with {n} or more messages in these years "
            "(people who opted out are left out).")
        self._set_more("people", shown, total)
        shown = self.shown["replies"]
        replies = self.data.cached("participation_reply_network_people",
                                   self._filters(min_messages=n, limit=shown))
        total = int(replies["total"].iloc[0]) if len(replies) else 0
        self.replies.value = self._table(
            small_cells(replies, ["replies"]), REPLY_COLUMNS, f"bestbits-replies-min{n}.csv",
            f"No replies between people with {n} or more messages in these years.",
            f"{min(shown, total)} of {total} pairs of people with {n} or more messages.")
        self._set_more("replies", shown, total)
        threads = self.data.cached("participation_busiest_threads", self._filters())
        self.threads.value = self._table(threads, THREAD_COLUMNS, "bestbits-busiest-threads.csv",
                                         "No threads in these years.",
                                         f"{len(threads)} threads.")

    @staticmethod
    def _table(frame: pd.DataFrame, columns: list[str], filename: str, empty: str,
               caption: str) -> str:
        name = filename.split("-")[1]  # bestbits-people-min3.csv -> people: the CSS hook
        if frame.empty:
            return notice(html.escape(empty), "empty").value
        shown = frame[[c for c in columns if c in frame.columns]]
        return (f"<div class='bb-{name}'><p class='bb-caption'>{html.escape(caption)} "
                + csv_download_link(shown, filename) + "</p>"
                + html_table(shown, css_class=f"bb-table bb-{name}-table") + "</div>")

    # --- evidence ---------------------------------------------------------------------------

    def _clicked(self, slot: str, trace, points) -> None:
        """Each chart's marks carry what they count in customdata (participation_figures)."""
        custom = [str(v) for v in trace.customdata[points.point_inds[0]]]
        if slot == "per_year":  # posters per year: [year, part]; cohorts: [cohort, year, ...]
            kind = "year" if len(custom) == 2 else "cohort"
        else:
            kind = {"per_month": "month", "organisations": "org", "forums": "forum",
                    "events": "event"}[slot]
        width = 3 if kind in ("cohort", "forum", "event") else 2
        selection = (kind, *custom[:width - 1])
        self.state.set(psel=":".join(selection))
        self.show_evidence(selection)

    def show_evidence(self, selection: tuple[str, ...], reset: bool = True) -> None:
        if reset:
            self.shown["evidence"] = PAGE_ROWS
        self.selection = selection
        n = self.min_messages.value
        kind = selection[0]
        params: dict[str, object] = {"min_messages": n, "limit": self.shown["evidence"]}
        if kind == "month":
            params["month"] = selection[1]
            title = f"Messages of {selection[1]}"
        elif kind == "year":
            params["year"] = int(selection[1])
            title = f"Messages of {selection[1]}"
        elif kind == "cohort":
            params.update(cohort=int(selection[1]), year=int(selection[2]))
            title = f"Messages of {selection[2]} by people who first posted in {selection[1]}"
        elif kind == "forum":
            params.update(forum=selection[1], month=selection[2])
            title = f"Messages of {selection[2]} that name {selection[1]}"
        elif kind == "event":
            params.update(event_id=selection[1], phase=selection[2])
            events = self.data.cached("participation_event_activity",
                                      (("from_year", FIRST_YEAR), ("to_year", LAST_YEAR)))
            named = events[events["event_id"] == selection[1]]["title"].tolist()
            title = (f"Messages {selection[2]} {named[0] if named else selection[1]} "
                     "(30-day window)")
        else:
            params["organisation"] = selection[1]
            title = f"Messages sent from {selection[1]}"
        frame = self.data.query("dashboard_participation_messages", **params)
        total = int(frame["total"].iloc[0]) if len(frame) else 0
        self.evidence.show(f"{title}: {len(frame)} of {total} messages (authors named only with "
                           f"{n} or more messages)", frame.drop(columns=["total"]),
                           "bestbits-messages-" + "-".join(selection[1:]) + ".csv")
        self._set_more("evidence", len(frame), total)

    # --- layout -----------------------------------------------------------------------------

    def _sample_widget(self) -> widgets.Widget:
        """The honest state before the archive is collected: the curated sample, as a sample."""
        curated = self.counts.get("curated", 0)
        if not curated:
            return notice("The database holds no list messages yet. Collect the list archive "
                          f"with {COLLECT_HINT}.", "empty")
        sample = self.data.cached("dashboard_participation_sample")
        per_month = (sample.groupby("month", as_index=False).size()
                     .rename(columns={"size": "messages"}))
        figure = pf.messages_per_month(per_month)
        figure.update_layout(title="The curated sample: messages per month (a sample, not "
                                   "participation statistics)")
        figure.data[0].hovertemplate = ("<b>%{y}</b> messages of %{customdata[0]} in the curated "
                                        "sample<extra>click for the messages</extra>")
        chart = clickable(figure, self._sample_clicked)
        selection = parse_selection(self.state.get("psel"))
        if selection and selection[0] == "month":
            self._show_sample(selection[1])
        return widgets.VBox([
            notice(f"<b>Sample only.</b> The list here is the curated <b>sample</b> of "
                   f"{curated} messages from an archive of about {config.LIST_ARCHIVE_SIZE:,} "
                   "messages, so there are no participation statistics yet (messages per month, "
                   "posters, cohorts, organisations, forum mentions, activity around events). "
                   f"To draw them, run {COLLECT_HINT}.", "warning"),
            chart, self.evidence.widget,
            widgets.HTML("<h3>The sample's messages</h3>"
                         + csv_download_link(sample, "bestbits-list-sample.csv")
                         + html_table(sample)),
        ])

    def _sample_clicked(self, trace, points) -> None:
        month = str(trace.customdata[points.point_inds[0]][0])
        self.state.set(psel=f"month:{month}")
        self._show_sample(month)

    def _show_sample(self, month: str) -> None:
        frame = self.data.query("dashboard_participation_sample", month=month)
        self.evidence.show(f"Sample messages of {month}: {len(frame)}", frame,
                           f"bestbits-list-sample-{month}.csv")

    def widget(self) -> widgets.Widget:
        header = widgets.HTML("<h2 style='margin-bottom:2px'>Participation on the mailing "
                              "list</h2>")
        parsed = self.counts.get("parsed", 0)
        if not parsed:
            return widgets.VBox([header, self._sample_widget()])
        self.draw_charts()
        self.draw_tables()
        selection = parse_selection(self.state.get("psel"))
        if selection:
            self.show_evidence(selection)
        return widgets.VBox([
            header,
            notice(f"{parsed:,} messages collected from the list archive (it held about "
                   f"{config.LIST_ARCHIVE_SIZE:,} when last seen; "
                   "<code>bestbits query coverage</code> and the Sources &amp; coverage page "
                   "show which months are missing). People are pseudonymous ids merged from "
                   "their addresses; no address is stored."),
            widgets.HBox([self.years, self.forum, self.min_messages]),
            self.slots["per_month"], self.evidence.widget, self.more["evidence"],
            self.slots["per_year"], self.slots["organisations"], self.slots["forums"],
            self.slots["events"],
            widgets.HTML("<h3>People with at least N messages (N: <i>Min. messages</i> above)"
                         "</h3>"),
            self.people, self.more["people"],
            widgets.HTML("<h3>Who answers whom (people with at least N messages)</h3>"),
            self.replies, self.more["replies"],
            widgets.HTML("<h3>Busiest threads of each year</h3>"),
            self.threads,
            themes_section(self.data, self.state),
            widgets.HTML("<p style='font-size:12px;color:#555'>Hover a mark for what it counts; "
                         "click it for the messages behind it. Forum mentions: data/"
                         "forum_rules.toml applied to subjects and the authors' own text. "
                         "Organisations are registrable sender domains, named where "
                         "data/domains.csv knows them.</p>"),
        ])
