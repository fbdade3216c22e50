"""The Participation page: who posted to the mailing list, when, from where, about which forum, and
the themes over time.

It fills in as list data arrives. Before the archive is collected the database holds only the
curated sample, and the page says so (and shows the sample as a sample) instead of drawing
participation statistics from a few dozen hand-picked messages. Per-person tables (people, who
answers whom) are shown live only: the edition publishes no per-person rows, as the export does
not (bestbits/export.py, PER_PERSON_TABLES).
"""

from __future__ import annotations

import html
import re

from bestbits import config
from bestbits.privacy import suppress_counts
from bestbits.query import Rows
from bestbits.wording import counted
from dashboards import participation_figures as pf
from dashboards.figures import themes_over_time
from dashboards.page import Context, ControlSpec, Page, Point, Section
from dashboards.page_view import LIVE_ONLY, Block, Heading, Notice, Prose, Table
from dashboards.pages.common import (
    FIRST_YEAR,
    LAST_YEAR,
    chart,
    evidence,
    forum_codes,
    forum_options,
    message_counts,
    table,
)

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
THEME_EVIDENCE_COLUMNS = ["kind", "date", "title", "author_name", "evidence", "source_url",
                          "method"]
EVIDENCE_HINT = "Click a bar or a point to list the messages behind it, each with its archived source."

CONTROLS = [
    ControlSpec("years", "Years", "range", keys=("pfrom", "pto"),
                default=(FIRST_YEAR, LAST_YEAR), low=FIRST_YEAR, high=LAST_YEAR, width="380px"),
    ControlSpec("pforum", "Forum", "choice", forum_options, width="220px"),
    ControlSpec("min", "Min. messages", "int", default=DEFAULT_MIN_MESSAGES, low=1,
                high=MAX_MIN_MESSAGES, width="200px",
                tooltip="Per-person views show only people with at least this many messages"),
]


def small_cells(frame, columns: list[str]):
    """Per-person counts below the small-cell threshold shown as "<5", as in the default export
    ($BESTBITS_MIN_CELL sets the threshold)."""
    return suppress_counts(frame, columns, config.min_cell())


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


def counts(ctx: Context) -> dict[str, int]:
    return message_counts(ctx.query("record_summary"))


def collected(ctx: Context) -> int:
    """Messages parsed from the list archive (0: the page shows the curated sample)."""
    return counts(ctx).get("parsed", 0)


def filters(ctx: Context, **extra) -> dict:
    """The page's filters as bound query parameters."""
    first, last = ctx.value("years")
    return {"from_year": first, "to_year": last, **extra}


# --- the curated sample, before the archive is collected ------------------------------------

def sample(ctx: Context):
    if collected(ctx):
        return None
    curated = counts(ctx).get("curated", 0)
    if not curated:
        return Notice("no-messages", "The database holds no list messages yet. Collect the list "
                      f"archive with {COLLECT_HINT}.", "empty")
    rows = ctx.query("dashboard_participation_sample")
    per_month = Rows(("month", "messages"), [(month, len(messages)) for month, messages in
                                             rows.groups("month") if month is not None])
    figure = pf.messages_per_month(per_month)
    figure.update_layout(title="The curated sample: messages per month (a sample, not "
                               "participation statistics)")
    figure.data[0].hovertemplate = ("<b>%{y}</b> messages of %{customdata[0]} in the curated "
                                    "sample<extra>click for the messages</extra>")
    return [
        Notice("sample-warning", f"<b>Sample only.</b> The list here is the curated <b>sample</b> "
               f"of {curated} messages from an archive of about {config.LIST_ARCHIVE_SIZE:,} "
               "messages, so there are no participation statistics yet (messages per month, "
               "posters, cohorts, organisations, forum mentions, activity around events). "
               f"To draw them, run {COLLECT_HINT}.", "warning"),
        chart("sample-per-month", figure, click="sample"),
        sample_evidence(ctx),
        Heading("sample-title", "The sample's messages", 2),
        # The edition names no author: most wrote fewer messages than the export's small-cell
        # rule lets it name (bestbits/privacy.py).
        table("sample", rows, None, "bestbits-list-sample.csv", live_only_columns=["author"]),
    ]


def sample_evidence(ctx: Context) -> Block:
    selection = parse_selection(ctx.raw("psel"))
    if not selection or selection[0] != "month":
        return evidence("evidence", EVIDENCE_HINT)
    month = selection[1]
    rows = ctx.query("dashboard_participation_sample", month=month)
    return evidence("evidence", EVIDENCE_HINT, f"Sample messages of {month}: {len(rows)}", rows,
                    None, f"bestbits-list-sample-{month}.csv")


def sample_clicked(point: Point) -> dict[str, str | None]:
    return {"psel": f"month:{point.custom[0]}"}


# --- the archive's figures ------------------------------------------------------------------

def intro(ctx: Context):
    parsed = collected(ctx)
    if not parsed:
        return None
    return [Notice("collected", f"{parsed:,} messages collected from the list archive (it held "
                   f"about {config.LIST_ARCHIVE_SIZE:,} when last seen; <code>bestbits query "
                   "coverage</code> and the Sources &amp; coverage page show which months are "
                   "missing). People are pseudonymous ids merged from their addresses; no address "
                   "is stored."),
            ctx.controls("years", "pforum", "min")]


def per_month(ctx: Context):
    if not collected(ctx):
        return None
    figure = pf.combine(
        [pf.messages_per_month(ctx.query("participation_messages_per_month", **filters(ctx))),
         pf.posters_per_month(ctx.query("participation_posters_per_month", **filters(ctx)))],
        "Messages and distinct posters per month", rows=2, shared_xaxes=True, height=520)
    return chart("per-month", figure, "No messages in these years.", click="per_month",
                 year_axis="date")


def messages_behind(ctx: Context):
    """The messages behind the clicked mark (psel), a page at a time."""
    if not collected(ctx):
        return None
    selection = parse_selection(ctx.raw("psel"))
    if not selection:
        return evidence("evidence", EVIDENCE_HINT)
    n = ctx.value("min")
    kind = selection[0]
    params: dict[str, object] = {"min_messages": n, "limit": ctx.shown("evidence", PAGE_ROWS)}
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
        events = ctx.query("participation_event_activity", from_year=FIRST_YEAR,
                           to_year=LAST_YEAR)
        named = events.where(event_id=selection[1])["title"]
        title = (f"Messages {selection[2]} {named[0] if named else selection[1]} "
                 "(30-day window)")
    else:
        params["organisation"] = selection[1]
        title = f"Messages sent from {selection[1]}"
    frame = ctx.query("dashboard_participation_messages", **params)
    total = int(frame.first("total", 0))
    return evidence("evidence", EVIDENCE_HINT,
                    f"{title}: {len(frame)} of {total} messages (authors named only with {n} or "
                    "more messages)", frame.drop("total"), None,
                    "bestbits-messages-" + "-".join(selection[1:]) + ".csv", total=total,
                    more_key="evidence", page_rows=PAGE_ROWS)


def per_year(ctx: Context):
    if not collected(ctx):
        return None
    figure = pf.combine(
        [pf.posters_per_year(ctx.query("participation_posters_per_year", **filters(ctx))),
         pf.cohorts(ctx.query("participation_cohorts", **filters(ctx)))],
        "Posters per year; newcomers and retention by yearly cohort", cols=2, height=380)
    return [chart("per-year", figure, "No posters in these years.", click="per_year"),
            chart("organisations", pf.organisations(
                ctx.query("participation_organisations", **filters(ctx))),
                "No sender domains are known.", click="organisations")]


def forum_charts(ctx: Context):
    """The charts that follow the forum (and the year range)."""
    if not collected(ctx):
        return None
    forum = ctx.value("pforum")
    mentions = ctx.query("participation_forum_mentions_per_month", **filters(ctx, forum=forum))
    events = ctx.query("participation_event_activity", **filters(ctx, forum=forum))
    return [chart("forums", pf.forum_mentions(mentions, forum_codes(ctx)),
                  "No message in these years names " + (forum or "a forum") + ".",
                  click="forums"),
            chart("events", pf.event_activity(events),
                  "No list activity around the events shown.", click="events")]


def people(ctx: Context):
    """The per-person tables: they follow N and the years, a page at a time."""
    if not collected(ctx):
        return None
    n = ctx.value("min")
    shown = ctx.shown("people", PAGE_ROWS)
    found = ctx.query("participation_people", **filters(ctx, min_messages=n, limit=shown))
    total = int(found.first("total", 0))
    people_table = paged_table(
        "people", small_cells(found, ["messages", "threads"]), PEOPLE_COLUMNS,
        f"bestbits-people-min{n}.csv", f"No one wrote {n} or more messages in these years.",
        f"{min(shown, total)} of {total} people with {n} or more messages in these years "
        "(people who opted out are left out).", total)
    shown = ctx.shown("replies", PAGE_ROWS)
    found = ctx.query("participation_reply_network_people",
                      **filters(ctx, min_messages=n, limit=shown))
    total = int(found.first("total", 0))
    replies_table = paged_table(
        "replies", small_cells(found, ["replies"]), REPLY_COLUMNS,
        f"bestbits-replies-min{n}.csv",
        f"No replies between people with {n} or more messages in these years.",
        f"{min(shown, total)} of {total} pairs of people with {n} or more messages.", total)
    return [Heading("people-title", "People with at least N messages (N: Min. messages above)",
                    2, faces=LIVE_ONLY), people_table,
            Heading("replies-title", "Who answers whom (people with at least N messages)", 2,
                    faces=LIVE_ONLY), replies_table]


def paged_table(name: str, frame, shown: list[str], filename: str, empty: str, caption: str,
                total: int) -> Block:
    if frame.empty:
        return Notice(name, html.escape(empty), "empty", faces=LIVE_ONLY)
    found: Table = table(name, frame, shown, filename, caption_html=html.escape(caption),
                         css_class=f"bb-table bb-{name}-table", wrapper_class=f"bb-{name}",
                         csv_columns=[c for c in shown if c in frame.columns], total=total,
                         more_key=name, page_rows=PAGE_ROWS, faces=LIVE_ONLY)
    return found


def threads(ctx: Context):
    if not collected(ctx):
        return None
    found = ctx.query("participation_busiest_threads", **filters(ctx))
    heading = Heading("threads-title", "Busiest threads of each year", 2)
    if found.empty:
        return [heading, Notice("threads", "No threads in these years.", "empty")]
    return [heading, table("threads", found, THREAD_COLUMNS, "bestbits-busiest-threads.csv",
                           caption_html=f"{counted(len(found), 'thread')}.",
                           css_class="bb-table bb-busiest-table", wrapper_class="bb-busiest",
                           csv_columns=[c for c in THREAD_COLUMNS if c in found.columns])]


# --- themes over time ------------------------------------------------------------------------

def themes(ctx: Context):
    """Messages per theme per month (keyword rules), and the items behind a clicked point."""
    if not collected(ctx):
        return None
    # Every list: the Participation page has no list filter of its own.
    found = ctx.query("themes_per_month")
    blocks: list[Block] = [
        Heading("themes-title", "Themes over time", 2),
        Prose("themes-how", "A message or statement counts for a theme when the rules of "
              "<code>data/theme_rules.toml</code> find its words (subjects, the authors' own "
              "text, titles); the evidence names the words. Click a point for the items behind "
              "it.", small=True)]
    if found.empty:
        blocks.append(Prose("themes-none", "<i>No message or statement matches a theme in this "
                            "database.</i>"))
        return blocks
    blocks.append(chart("themes", themes_over_time(found), click="themes"))
    hint = "Click a point to list the messages and statements behind it."
    theme, month = ctx.raw("theme"), ctx.raw("theme_month")
    if theme in set(found["theme"]) and month in set(found["month"]):
        rows = ctx.query("theme_evidence", theme=theme, month=month).rename(
            {"archived_url": "source_url"})
        blocks.append(evidence("themes-evidence", hint, f"Theme {theme}, {month}: {len(rows)} "
                               "items", rows, THEME_EVIDENCE_COLUMNS, f"theme-{theme}-{month}.csv"))
    else:
        blocks.append(evidence("themes-evidence", hint))
    return blocks


def footnote(ctx: Context):
    if not collected(ctx):
        return None
    return Prose("footnote", "Hover a mark for what it counts; click it for the messages behind "
                 "it. Forum mentions: data/forum_rules.toml applied to subjects and the authors' "
                 "own text. Organisations are registrable sender domains, named where "
                 "data/domains.csv knows them.", small=True)


# --- clicks: each chart's marks carry what they count in customdata (participation_figures) ---

def _selection(kind: str, width: int):
    def clicked(point: Point) -> dict[str, str | None]:
        custom = point.custom
        if not isinstance(custom, list) or len(custom) < width - 1:
            return {}
        return {"psel": ":".join([kind, *(str(v) for v in custom[:width - 1])])}
    return clicked


def per_year_clicked(point: Point) -> dict[str, str | None]:
    """Posters per year: [year, part]; cohorts: [cohort, year, newcomers, retention]."""
    custom = point.custom if isinstance(point.custom, list) else []
    return _selection("year" if len(custom) == 2 else "cohort", 2 if len(custom) == 2 else 3)(
        point)


def themes_clicked(point: Point) -> dict[str, str | None]:
    return {"theme": point.meta, "theme_month": str(point.x)} if point.meta else {}


PAGE = Page("participation", CONTROLS, [
    Section("heading", lambda _ctx: Heading("title", "Participation on the mailing list", 1)),
    Section("sample", sample),
    Section("intro", intro),
    Section("per-month", per_month),
    Section("evidence", messages_behind),
    Section("per-year", per_year),
    Section("forums", forum_charts),
    Section("people", people),
    Section("threads", threads),
    Section("themes", themes),
    Section("footnote", footnote),
], clicks={
    "sample": sample_clicked,
    "per_month": _selection("month", 2),
    "per_year": per_year_clicked,
    "organisations": _selection("org", 2),
    "forums": _selection("forum", 3),
    "events": _selection("event", 3),
    "themes": themes_clicked,
})
