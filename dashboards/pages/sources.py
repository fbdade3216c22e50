"""The Sources & coverage page: where each table's rows come from, what is missing, what was
rejected, and the commands that collect more."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets

from dashboards import participation_figures as pf
from dashboards.data import DashboardData
from dashboards.evidence import EvidencePanel, clickable
from dashboards.pages.filters import choice, value_of
from dashboards.pages.participation import place_chart
from dashboards.tables import csv_download_link, html_table
from dashboards.view_state import ViewState
from dashboards.widgets_common import notice

TABLES = ["events", "statements", "agenda_items", "signatories", "messages", "forum_meetings",
          "milestones", "captures"]
DEFAULT_TABLE = "events"
STAGES = ["curated", "captures", "site", "list"]
METHODS = ("curated", "scraped", "parsed")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")

METHOD_NOTES = {
    "curated": "read by a person from an archived page and written down in data/reference/ "
               "(each row cites that page)",
    "scraped": "recorded by a web archive (captures) and listed by <code>bestbits collect</code>",
    "parsed": "read by the parsers from collected captures, WARC files or the list archive",
}

COLLECT_COMMANDS = [
    ("bestbits collect site",
     "every archived capture of bestbits.net from the web archives, stored as WARC under "
     "DATA_DIR/raw/site/ (fills captures, and events and statements parsed from them)"),
    ("bestbits collect warc FILE ...",
     "import WARC/WACZ files you already have (Archive-It, Webrecorder)"),
    ("bestbits collect list",
     "the pipermail archive of the mailing list, month by month (fills messages, people, "
     "domains: the Participation page)"),
    ("bestbits collect mbox FILE ... [--list NAME]",
     "import local mbox files, for instance a copy of the governance caucus list"),
    ("bestbits build",
     "then rebuild the database from data/reference/ and everything under DATA_DIR/raw/ "
     "(the old database is replaced only when the build succeeds)"),
]


def parse_selection(value: str | None) -> tuple[str, ...] | None:
    """The clicked mark kept in the URL ('rows:events:curated:2014', 'captures:2014-04:ARCHIVE',
    'month:2013-10'); anything not of that shape is ignored."""
    if not value:
        return None
    kind, _, rest = value.partition(":")
    if kind == "rows":
        table, method, year = (rest.split(":") + ["", ""])[:3]
        if table in TABLES and method in METHODS and _YEAR.match(year):
            return (kind, table, method, year)
    if kind == "captures":
        month, _, archive = rest.partition(":")
        if _MONTH.match(month):
            return (kind, month, archive)
    if kind == "month" and _MONTH.match(rest):
        return (kind, rest)
    return None


def month_ranges(months: list[str]) -> str:
    """'2012-08 to 2013-01, 2013-05' for a sorted list of consecutive-or-not months."""
    def index(month: str) -> int:
        return int(month[:4]) * 12 + int(month[5:7]) - 1

    ranges: list[list[str]] = []
    for month in months:
        if ranges and index(month) == index(ranges[-1][-1]) + 1:
            ranges[-1].append(month)
        else:
            ranges.append([month])
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in ranges)


class SourcesPage:
    """Provenance, coverage and rejects, each number leading to the rows behind it."""

    def __init__(self, data: DashboardData, state: ViewState):
        self.data, self.state = data, state
        wanted = state.get("table")
        self.table = widgets.Dropdown(
            options=TABLES, value=wanted if wanted in TABLES else DEFAULT_TABLE,
            description="Table", layout=widgets.Layout(width="260px"))
        self.stage = choice(state, "stage", "Stage", STAGES, "220px")
        # One panel per chart, under it: the rows behind a click appear where the click was.
        self.evidence = {kind: EvidencePanel(hint) for kind, hint in (
            ("rows", "Click a bar to list the rows behind it, each with its source."),
            ("captures", "Click a bar to list the captures behind it, each with its address."),
            ("month", "Click a month to list the messages the database holds for it."))}
        self.coverage_chart = widgets.Box(layout=widgets.Layout(display="block"))
        self.provenance = widgets.HTML()
        self.rejects = widgets.HTML()
        self.table.observe(self._table_changed, names="value")
        self.stage.observe(self._stage_changed, names="value")

    # --- where rows come from ---------------------------------------------------------------

    def _table_changed(self, _change=None) -> None:
        self.state.set(table=None if self.table.value == DEFAULT_TABLE else self.table.value)
        self.draw_table_view()

    def draw_table_view(self) -> None:
        table = self.table.value
        coverage = self.data.cached("coverage")
        figure = pf.rows_by_year(coverage, table)
        if figure.data:
            place_chart(self.coverage_chart, figure, self._rows_clicked)
        else:
            self.coverage_chart.children = (notice(
                f"The database holds no dated {html.escape(table)} rows. "
                + self._fill_hint(table), "empty"),)
        provenance = self.data.cached("sources_provenance")
        shown = provenance[provenance["table_name"] == table].reset_index(drop=True)
        if shown.empty:
            self.provenance.value = notice(f"No {html.escape(table)} rows yet. "
                                           + self._fill_hint(table), "empty").value
        else:
            self.provenance.value = (
                f"<p class='bb-caption'>{html.escape(table)}: {int(shown['rows'].sum())} rows "
                f"by method and origin. "
                + csv_download_link(shown, f"bestbits-provenance-{table}.csv") + "</p>"
                + html_table(shown, css_class="bb-table bb-provenance"))

    @staticmethod
    def _fill_hint(table: str) -> str:
        if table == "captures":
            return ("Collect them with <code>bestbits collect site</code> (or <code>bestbits "
                    "collect warc FILE</code>), then <code>bestbits build</code>.")
        if table == "messages":
            return ("Collect them with <code>bestbits collect list</code> (or <code>bestbits "
                    "collect mbox FILE</code>), then <code>bestbits build</code>.")
        return ("The curated record (data/reference/) fills it at every <code>bestbits "
                "build</code>; <code>bestbits collect site</code> adds parsed rows.")

    def _rows_clicked(self, trace, points) -> None:
        table, method, year = (str(v) for v in trace.customdata[points.point_inds[0]])
        self._select(("rows", table, method, year))

    # --- captures and list months -----------------------------------------------------------

    def captures_widget(self) -> widgets.Widget:
        frame = self.data.cached("sources_captures_per_month")
        if frame.empty:
            return notice("No captures of the site yet. " + self._fill_hint("captures"), "empty")
        total = int(frame["captures"].sum())
        return widgets.VBox([
            widgets.HTML(f"<p class='bb-caption'>{total:,} captures in "
                         f"{frame['month'].nunique()} months. "
                         + csv_download_link(frame, "bestbits-captures-per-month.csv") + "</p>"),
            clickable(pf.captures_per_month(frame), self._captures_clicked),
            self.evidence["captures"].widget,
        ])

    def _captures_clicked(self, trace, points) -> None:
        month, archive = (str(v) for v in trace.customdata[points.point_inds[0]])
        self._select(("captures", month, archive))

    def list_months_widget(self) -> widgets.Widget:
        frame = self.data.cached("sources_list_months")
        missing = frame[frame["missing"]]["month"].tolist()
        present = len(frame) - len(missing)
        sample = int(frame["curated"].sum())
        text = (f"{present} of the {len(frame)} months from {frame['month'].iloc[0]} to "
                f"{frame['month'].iloc[-1]} hold messages collected from the list archive.")
        if missing:
            text += (f" Missing ({len(missing)}): {html.escape(month_ranges(missing))}. "
                     + self._fill_hint("messages"))
        if sample:
            text += (f" The curated sample adds {sample} messages (a sample, shown apart: it "
                     "does not fill a month).")
        summary = self.data.cached("record_summary")
        held = int(summary[summary["table_name"] == "messages"]["rows"].sum())
        outside = held - int(frame["parsed"].sum()) - sample
        if outside > 0:
            text += (f" {outside} messages are dated outside these months (or not dated): "
                     "<code>bestbits query coverage</code> counts them by year.")
        return widgets.VBox([
            widgets.HTML(f"<p class='bb-caption bb-list-months'>{text} "
                         + csv_download_link(frame, "bestbits-list-months.csv") + "</p>"),
            clickable(pf.list_months(frame), self._month_clicked),
            self.evidence["month"].widget,
        ])

    def _month_clicked(self, trace, points) -> None:
        self._select(("month", str(trace.customdata[points.point_inds[0]][0])))

    # --- evidence ---------------------------------------------------------------------------

    def _select(self, selection: tuple[str, ...]) -> None:
        self.state.set(ssel=":".join(selection))
        self.show_evidence(selection)

    def show_evidence(self, selection: tuple[str, ...]) -> None:
        kind = selection[0]
        if kind == "rows":
            _, table, method, year = selection
            frame = self.data.query("sources_rows", table_name=table, method=method,
                                    year=int(year))
            title = f"{table} rows of {year}, {method}: {len(frame)}"
        elif kind == "captures":
            _, month, archive = selection
            frame = self.data.query("sources_captures_of_month", month=month,
                                    archive=archive or None)
            title = f"Captures made in {month}" + (f" by {archive}" if archive else "") \
                + f": {len(frame)}"
        else:
            frame = self.data.query("sources_list_month_messages", month=selection[1])
            title = f"List messages of {selection[1]} in the database: {len(frame)}"
        self.evidence[kind].show(title, frame, "bestbits-" + "-".join(selection) + ".csv")

    # --- rejects ----------------------------------------------------------------------------

    def _stage_changed(self, _change=None) -> None:
        self.state.set(stage=value_of(self.stage))
        self.draw_rejects()

    def draw_rejects(self) -> None:
        stage = value_of(self.stage)
        frame = self.data.cached("rejects", (("stage", stage),))
        where = f" at the {html.escape(stage)} stage" if stage else ""
        if frame.empty:
            self.rejects.value = notice(f"No input was rejected{where}.", "empty").value
            return
        self.rejects.value = (
            f"<p class='bb-caption'>{len(frame)} inputs rejected{where}. "
            + csv_download_link(frame, f"bestbits-rejects-{stage or 'all'}.csv") + "</p>"
            + html_table(frame, css_class="bb-table bb-rejects"))

    def ingest_widget(self) -> widgets.HTML:
        report = self.data.cached("ingest_report")
        if report.empty:
            return notice("The build recorded no inputs: run <code>bestbits build</code>.",
                          "empty")
        by_stage = report.groupby("stage")[["total", "loaded", "rejected"]].sum()
        lines = "; ".join(f"{html.escape(str(s))}: {int(r.total)} items, {int(r.loaded)} "
                          f"loaded, {int(r.rejected)} rejected" for s, r in by_stage.iterrows())
        return widgets.HTML(f"<p class='bb-caption'>Every input the build read ({lines}). "
                            + csv_download_link(report, "bestbits-ingest-report.csv") + "</p>"
                            + html_table(report, css_class="bb-table bb-ingest"))

    # --- what the archived site added to the curated record ---------------------------------

    def reconcile_widget(self) -> widgets.HTML:
        """Fills and refinements (both values, both sources) and the matches too close to call."""
        changes = self.data.cached("reconcile_changes")
        listed = self.data.cached("match_ambiguities")
        if changes.empty:
            text = notice("No parsed page filled or refined a curated row yet. "
                          + self._fill_hint("events"), "empty").value
        else:
            fills = int((changes["change"] == "fill").sum())
            text = (f"<p class='bb-caption'>{len(changes)} values the archived pages added to "
                    f"curated rows: {fills} fills (the curated record was silent) and "
                    f"{len(changes) - fills} refinements (more precise, and agreeing). A "
                    "disagreement keeps the curated value: <code>bestbits query "
                    "parse_disagreements</code> lists those. "
                    + csv_download_link(changes, "bestbits-reconcile-changes.csv") + "</p>"
                    + html_table(changes, css_class="bb-table bb-reconcile"))
        if listed.empty:
            text += ("<p class='bb-caption bb-ambiguous'>No ambiguous match: every parsed item "
                     "was tied to one row or none.</p>")
        else:
            text += (f"<p class='bb-caption bb-ambiguous'>{len(listed)} parsed items resemble a "
                     "curated row by day and place but not enough to merge: listed here, and "
                     "neither merged nor loaded a second time. "
                     + csv_download_link(listed, "bestbits-match-ambiguities.csv") + "</p>"
                     + html_table(listed, css_class="bb-table bb-ambiguities"))
        return widgets.HTML(text)

    # --- layout -----------------------------------------------------------------------------

    def summary_widget(self) -> widgets.HTML:
        summary = self.data.cached("record_summary")
        table = (summary.pivot_table(index="table_name", columns="method", values="rows",
                                     aggfunc="sum", fill_value=0)
                 .reindex(columns=[m for m in METHODS if m in set(summary["method"])])
                 .reset_index().rename(columns={"table_name": "table"}))
        notes = "".join(f"<li><b>{m}</b>: {METHOD_NOTES[m]}</li>" for m in METHODS)
        return widgets.HTML(
            "<p>Rows per table and provenance method:</p><ul style='font-size:13px'>"
            f"{notes}</ul>" + csv_download_link(table, "bestbits-record-summary.csv")
            + html_table(table, css_class="bb-table bb-summary"))

    def widget(self) -> widgets.Widget:
        self.draw_table_view()
        self.draw_rejects()
        selection = parse_selection(self.state.get("ssel"))
        if selection:
            self.show_evidence(selection)
        commands = "".join(f"<li><code>{html.escape(c)}</code>: {html.escape(h)}</li>"
                           for c, h in COLLECT_COMMANDS)
        return widgets.VBox([
            widgets.HTML("<h2 style='margin-bottom:2px'>Sources &amp; coverage</h2>"
                         "<p>Where every row comes from, what the database does not hold yet, "
                         "and what the build left out.</p>"),
            widgets.HTML("<h3>Where each table's rows come from</h3>"),
            self.summary_widget(),
            self.table,
            self.coverage_chart,
            self.evidence["rows"].widget,
            self.provenance,
            widgets.HTML("<h3>Captures per month</h3>"),
            self.captures_widget(),
            widgets.HTML("<h3>Months of the list: present or missing</h3>"),
            self.list_months_widget(),
            widgets.HTML("<h3>What the archived site added to the curated record</h3>"),
            self.reconcile_widget(),
            widgets.HTML("<h3>Inputs and rejected rows</h3>"),
            self.ingest_widget(),
            self.stage,
            self.rejects,
            widgets.HTML("<h3>How to collect more</h3><ol class='bb-collect'>" + commands
                         + "</ol><p style='font-size:12px;color:#555'><code>bestbits collect "
                         "--help</code> lists every option; <code>bestbits query coverage</code> "
                         "prints the same coverage in a terminal.</p>"),
        ])

