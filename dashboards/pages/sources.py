"""The Sources & coverage page: where each table's rows come from, what is missing, what was
rejected, and the commands that collect more."""

from __future__ import annotations

import html
import re

from bestbits.query import Rows
from bestbits.wording import counted
from dashboards import participation_figures as pf
from dashboards.page import Context, ControlSpec, Page, Point, Section
from dashboards.page_view import Block, Caption, Download, Heading, Notice, Prose, records
from dashboards.pages.common import chart, evidence, table

# The database's table names stay in the URL, the CSV names and the queries; people read these.
TABLE_LABELS = {"events": "Events", "statements": "Statements", "agenda_items": "Agenda items",
                "signatories": "Signatories", "messages": "List messages",
                "forum_meetings": "Forum meetings", "milestones": "Milestones",
                "captures": "Site captures"}
TABLES = list(TABLE_LABELS)
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

HINTS = {"rows": "Click a bar to list the rows behind it, each with its source.",
         "captures": "Click a bar to list the captures behind it, each with its address.",
         "month": "Click a month to list the messages the database holds for it."}

CONTROLS = [
    # The edition draws the sections this control feeds once per table, and shows the one chosen.
    ControlSpec("table", "Table", "choice", [(text, name) for name, text in TABLE_LABELS.items()],
                default=DEFAULT_TABLE, all_label=None, edition="each", width="260px"),
    ControlSpec("stage", "Stage", "choice", [(s, s) for s in STAGES], width="220px"),
]


def parse_selection(value: str | None) -> tuple[str, ...] | None:
    """The clicked mark kept in the URL ('rows:events:curated:2014', 'captures:2014-04:ARCHIVE',
    'month:2013-10'); anything not of that shape is ignored."""
    if not value:
        return None
    kind, _, rest = value.partition(":")
    if kind == "rows":
        table_name, method, year = (rest.split(":") + ["", ""])[:3]
        if table_name in TABLES and method in METHODS and _YEAR.match(year):
            return (kind, table_name, method, year)
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


def label(table_name: str) -> str:
    """What a reader calls a table ('Agenda items' for agenda_items)."""
    return TABLE_LABELS.get(table_name, table_name)


def fill_hint(table_name: str) -> str:
    if table_name == "captures":
        return ("Collect them with <code>bestbits collect site</code> (or <code>bestbits "
                "collect warc FILE</code>), then <code>bestbits build</code>.")
    if table_name == "messages":
        return ("Collect them with <code>bestbits collect list</code> (or <code>bestbits "
                "collect mbox FILE</code>), then <code>bestbits build</code>.")
    return ("The curated record (data/reference/) fills it at every <code>bestbits "
            "build</code>; <code>bestbits collect site</code> adds parsed rows.")


def heading(ctx: Context):
    summary = ctx.query("record_summary")
    methods = [m for m in METHODS if m in set(summary["method"])]
    # One row per table (alphabetical), one column per method present: rows, 0 where none.
    pivot = Rows(("table", *methods), [
        (label(table_name), *(sum(rows.where(method=m)["rows"]) for m in methods))
        for table_name, rows in summary.groups("table_name") if table_name is not None])
    notes = "".join(f"<li><b>{m}</b>: {METHOD_NOTES[m]}</li>" for m in METHODS)
    return [Heading("title", "Sources & coverage", 1),
            Prose("intro", "Where every row comes from, what the database does not hold yet, and "
                  "what the build left out."),
            Heading("rows-title", "Where each table's rows come from", 2),
            Prose("methods", "<p>Rows per table and provenance method:</p>"
                  f"<ul style='font-size:13px'>{notes}</ul>"),
            table("summary", pivot, None, "bestbits-record-summary.csv",
                  css_class="bb-table bb-summary")]


def table_view(ctx: Context):
    """The chosen table: its rows by year and method (a click lists them), and their origins."""
    table_name = ctx.value("table")
    figure = pf.rows_by_year(ctx.query("coverage"), table_name, label(table_name))
    shown: Block
    if figure.data:
        shown = chart("coverage", figure, click="rows", year_axis="linear")
    else:
        shown = Notice("coverage", f"{html.escape(label(table_name))}: the database holds no "
                       "dated rows. " + fill_hint(table_name), "empty")
    return [ctx.controls("table"), shown, behind(ctx, "rows", "rows-evidence"),
            provenance(ctx, table_name)]


def provenance(ctx: Context, table_name: str) -> Block:
    found = ctx.query("sources_provenance")
    rows = found.where(table_name=table_name)
    if rows.empty:
        return Notice("provenance", f"{html.escape(label(table_name))}: no rows yet. "
                      + fill_hint(table_name), "empty")
    # Every row is of the chosen table, which the caption names.
    return table("provenance", rows.drop("table_name"), None,
                 f"bestbits-provenance-{table_name}.csv",
                 caption_html=f"{html.escape(label(table_name))}: "
                 f"{counted(int(sum(rows['rows'])), 'row')} by method and origin.",
                 css_class="bb-table bb-provenance")


def captures(ctx: Context):
    frame = ctx.query("sources_captures_per_month")
    title = Heading("captures-title", "Captures per month", 2)
    if frame.empty:
        return [title, Notice("captures", "No captures of the site yet. " + fill_hint("captures"),
                              "empty")]
    total = int(sum(frame["captures"]))
    return [title,
            Caption("captures-caption", f"{counted(total, 'capture')} in "
                    f"{counted(len(set(frame['month'])), 'month')}.",
                    Download("bestbits-captures-per-month.csv", list(frame.columns),
                             records(frame)), "bb-caption"),
            chart("captures", pf.captures_per_month(frame), click="captures", year_axis="date"),
            behind(ctx, "captures", "captures-evidence")]


def list_months(ctx: Context):
    frame = ctx.query("sources_list_months")
    title = Heading("list-months-title", "Months of the list: present or missing", 2)
    if frame.empty:
        return [title, Notice("list-months", "The database holds no list months.", "empty")]
    missing = frame.where(missing=True)["month"]
    present = len(frame) - len(missing)
    sample = int(sum(frame["curated"]))
    text = (f"{present} of the {len(frame)} months from {frame['month'][0]} to "
            f"{frame['month'][-1]} hold messages collected from the list archive.")
    if missing:
        text += (f" Missing ({len(missing)}): {html.escape(month_ranges(missing))}. "
                 + fill_hint("messages"))
    if sample:
        text += (f" The curated sample adds {sample} messages (a sample, shown apart: it "
                 "does not fill a month).")
    summary = ctx.query("record_summary")
    held = int(sum(summary.where(table_name="messages")["rows"]))
    outside = held - int(sum(frame["parsed"])) - sample
    if outside > 0:
        text += (f" {outside} messages are dated outside these months (or not dated): "
                 "<code>bestbits query coverage</code> counts them by year.")
    return [title,
            Caption("list-months-caption", text, Download(
                "bestbits-list-months.csv", list(frame.columns), records(frame)),
                "bb-caption bb-list-months"),
            chart("list-months", pf.list_months(frame), click="month", year_axis="date"),
            behind(ctx, "month", "month-evidence")]


def behind(ctx: Context, kind: str, block_id: str):
    """The rows behind a click on this section's chart (ssel), else its hint."""
    selection = parse_selection(ctx.raw("ssel"))
    if not selection or selection[0] != kind:
        return evidence(block_id, HINTS[kind])
    if kind == "rows":
        _, table_name, method, year = selection
        frame = ctx.query("sources_rows", table_name=table_name, method=method, year=int(year))
        title = f"{label(table_name)} of {year}, {method}: {counted(len(frame), 'row')}"
    elif kind == "captures":
        _, month, archive = selection
        frame = ctx.query("sources_captures_of_month", month=month, archive=archive or None)
        title = f"Captures made in {month}" + (f" by {archive}" if archive else "") \
            + f": {len(frame)}"
    else:
        frame = ctx.query("sources_list_month_messages", month=selection[1])
        title = f"List messages of {selection[1]} in the database: {len(frame)}"
    return evidence(block_id, HINTS[kind], title, frame, None,
                    "bestbits-" + "-".join(selection) + ".csv")


def reconcile(ctx: Context):
    """Fills and refinements (both values, both sources) and the matches too close to call."""
    changes = ctx.query("reconcile_changes")
    listed = ctx.query("match_ambiguities")
    blocks: list[Block] = [Heading("reconcile-title",
                                   "What the archived site added to the curated record", 2)]
    if changes.empty:
        blocks.append(Notice("reconcile", "No parsed page filled or refined a curated row yet. "
                             + fill_hint("events"), "empty"))
    else:
        fills = len(changes.where(change="fill"))
        blocks.append(table(
            "reconcile", changes, None, "bestbits-reconcile-changes.csv",
            caption_html=f"{len(changes)} values the archived pages added to curated rows: "
            f"{fills} fills (the curated record was silent) and {len(changes) - fills} "
            "refinements (more precise, and agreeing). A disagreement keeps the curated value: "
            "<code>bestbits query parse_disagreements</code> lists those.",
            css_class="bb-table bb-reconcile"))
    if listed.empty:
        blocks.append(Caption("ambiguities", "No ambiguous match: every parsed item was tied to "
                              "one row or none.", css_class="bb-caption bb-ambiguous"))
    else:
        blocks.append(table(
            "ambiguities", listed, None, "bestbits-match-ambiguities.csv",
            caption_html=f"{len(listed)} parsed items resemble a curated row by day and place "
            "but not enough to merge: listed here, and neither merged nor loaded a second time.",
            css_class="bb-table bb-ambiguities"))
    return blocks


def ingest(ctx: Context):
    report = ctx.query("ingest_report")
    title = Heading("ingest-title", "Inputs and rejected rows", 2)
    if report.empty:
        return [title, Notice("ingest", "The build recorded no inputs: run <code>bestbits "
                              "build</code>.", "empty")]
    lines = "; ".join(f"{html.escape(str(s))}: {int(sum(r['total']))} items, "
                      f"{int(sum(r['loaded']))} loaded, {int(sum(r['rejected']))} rejected"
                      for s, r in report.groups("stage") if s is not None)
    return [title, table("ingest", report, None, "bestbits-ingest-report.csv",
                         caption_html=f"Every input the build read ({lines}).",
                         css_class="bb-table bb-ingest")]


def rejects(ctx: Context):
    stage = ctx.value("stage")
    frame = ctx.query("rejects", stage=stage)
    where = f" at the {html.escape(stage)} stage" if stage else ""
    if frame.empty:
        shown: Block = Notice("rejects", f"No input was rejected{where}.", "empty")
    else:
        shown = table("rejects", frame, None, f"bestbits-rejects-{stage or 'all'}.csv",
                      caption_html=f"{counted(len(frame), 'input')} rejected{where}.",
                      css_class="bb-table bb-rejects")
    return [ctx.controls("stage"), shown]


def collect_more(_ctx: Context):
    commands = "".join(f"<li><code>{html.escape(c)}</code>: {html.escape(h)}</li>"
                       for c, h in COLLECT_COMMANDS)
    return [Heading("collect-title", "How to collect more", 2),
            Prose("collect", f"<ol class='bb-collect'>{commands}</ol>"),
            Prose("collect-note", "<code>bestbits collect --help</code> lists every option; "
                  "<code>bestbits query coverage</code> prints the same coverage in a terminal.",
                  small=True)]


def rows_clicked(point: Point) -> dict[str, str | None]:
    table_name, method, year = (str(v) for v in point.custom)
    return {"ssel": f"rows:{table_name}:{method}:{year}"}


def captures_clicked(point: Point) -> dict[str, str | None]:
    month, archive = (str(v) for v in point.custom)
    return {"ssel": f"captures:{month}:{archive}"}


def month_clicked(point: Point) -> dict[str, str | None]:
    return {"ssel": f"month:{point.custom[0]}"}


PAGE = Page("sources", CONTROLS, [
    Section("heading", heading),
    Section("table", table_view),
    Section("captures", captures),
    Section("list-months", list_months),
    Section("reconcile", reconcile),
    Section("ingest", ingest),
    Section("rejects", rejects),
    Section("collect", collect_more),
], clicks={"rows": rows_clicked, "captures": captures_clicked, "month": month_clicked})
