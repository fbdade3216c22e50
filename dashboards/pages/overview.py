"""The Overview page: activity by year and forum, the timeline of the network's events over the
forums' own meetings, and its milestones."""

from __future__ import annotations

from bestbits.wording import counted
from dashboards import figures
from dashboards.page import Context, ControlSpec, Page, Point, Section
from dashboards.page_view import Heading, Notice, Prose
from dashboards.pages.common import (
    FIRST_YEAR,
    LAST_YEAR,
    chart,
    evidence,
    forum_codes,
    forum_options,
    provenance_line,
    table,
)

EVIDENCE_HINT = "Click a bar, a point or a row to see the rows behind it."
RESETS = ("evidence",)  # a new filter makes the rows shown behind a bar stale

CONTROLS = [
    ControlSpec("forum", "Forum", "choice", forum_options, all_label="All forums",
                resets=RESETS),
    ControlSpec("kinds", "Activity", "multi",
                [(label, key) for key, label in figures.KIND_LABELS.items()], resets=RESETS),
    ControlSpec("years", "Years", "range", keys=("from", "to"), default=(FIRST_YEAR, LAST_YEAR),
                low=FIRST_YEAR, high=LAST_YEAR, width="380px", resets=RESETS),
]


def heading(ctx: Context):
    return [Heading("title", f"What the Best Bits network did, {FIRST_YEAR}–{LAST_YEAR}", 1),
            Notice("provenance", provenance_line(ctx.query("record_summary")))]


def activity(ctx: Context):
    forum = ctx.value("forum")
    first, last = ctx.value("years")
    frame = ctx.query("activity_by_year_forum", from_year=first, to_year=last, forum=forum)
    figure = figures.activity_by_year_forum(
        frame, ctx.value("kinds"), [forum] if forum else forum_codes(ctx),
        title="Activity by year and forum")
    return [ctx.controls("forum", "kinds", "years"),
            chart("activity", figure, click="activity", forum_traces=True, year_axis="linear")]


def activity_clicked(point: Point) -> dict[str, str | None]:
    kind, forum = point.custom
    return {"evidence": f"{kind}:{forum}:{int(point.x)}"}


def timeline_clicked(point: Point) -> dict[str, str | None]:
    item = point.custom
    if not isinstance(item, list) or len(item) != 2:
        return {}
    return {"evidence": f"{item[0]}:{item[1]}"}


def rows_behind(ctx: Context):
    """The rows behind the clicked bar (evidence=kind:forum:year) or timeline point
    (evidence=event:ID, evidence=milestone:ID)."""
    kind, _, rest = (ctx.raw("evidence") or "").partition(":")
    if kind in figures.KIND_LABELS:
        forum, _, year = rest.rpartition(":")
        if forum in forum_codes(ctx) and year.isdigit():
            rows = ctx.query("activity_evidence", year=int(year), forum=forum, kind=kind)
            return evidence("evidence", EVIDENCE_HINT,
                            f"{figures.KIND_LABELS[kind]} in {year}, {forum}: {counted(len(rows), 'row')}",
                            rows, None, f"bestbits-{kind}-{forum}-{year}.csv")
    if kind in ("event", "milestone") and rest:
        frame = ctx.query("events" if kind == "event" else "milestones")
        rows = frame.where(**{f"{kind}_id": rest})
        if len(rows):
            return evidence("evidence", EVIDENCE_HINT, f"The {kind} on the timeline", rows, None,
                            f"bestbits-{kind}-{rest}.csv")
    return evidence("evidence", EVIDENCE_HINT)


def timeline(ctx: Context):
    figure = figures.timeline(ctx.query("events"), ctx.query("forum_meetings"),
                              ctx.query("milestones"), forum_codes(ctx))
    return [chart("timeline", figure, click="timeline", forum_traces=True, year_axis="date"),
            Prose("timeline-note", "Hover a bar or a point for what it counts. Open markers: only "
                  "the month is known. Shaded bands: the forums' own meetings (IGF, NETmundial, "
                  "WSIS+10, UNESCO). Forum classification: data/forum_rules.toml; where it "
                  "differs from the curated value, <code>bestbits query forum_disagreements</code>.",
                  small=True)]


def milestones(ctx: Context):
    return [Heading("milestones-title", "Milestones", 2),
            table("milestones", ctx.query("milestones"),
                  ["date", "title", "kind", "source_url", "method"], "bestbits-milestones.csv",
                  filterable=True)]


PAGE = Page("overview", CONTROLS, [
    Section("heading", heading),
    Section("activity", activity),
    Section("evidence", rows_behind),
    Section("timeline", timeline),
    Section("milestones", milestones),
], clicks={"activity": activity_clicked, "timeline": timeline_clicked})
