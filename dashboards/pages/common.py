"""Blocks several pages make alike: a table from a query's rows, a chart or a notice when it would
be empty, links to sources, the provenance line, and the forums and years the filters offer."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from bestbits import config, links
from dashboards import figures
from dashboards.page import Context
from dashboards.page_view import (
    BOTH,
    LIVE_ONLY,
    Block,
    Capture,
    Captures,
    Chart,
    Column,
    Evidence,
    Link,
    Notice,
    Table,
    figure_dict,
    records,
    source_link,
)

# The network's years (its first meeting, its last activity): the filters' bounds, defined
# once in the settings table (bestbits/settings.py).
FIRST_YEAR, LAST_YEAR = config.FIRST_YEAR, config.LAST_YEAR

LINK_DETAIL_COLUMNS = {*links.ARCHIVED_COLUMNS, "url_archived_url", "summary_archived_url",
                       "summary_archived_at", "summary_archived_match"}
# A column's label where its name does not say it well enough (an identifier, an address, a
# database word); others: the name, spaced. The CSV keeps the names (the data package's).
COLUMN_LABELS: dict[str, str] = {
    "source_url": "archived source", "archived_url": "archived copy", "url": "page",
    "replay_url": "local replay", "first_url": "first page", "summary_basis_url": "page summarised",
    "text_source_url": "text's source",
    "statement_id": "statement", "statement_ids": "statements", "event_id": "event",
    "message_id": "message", "item_id": "agenda item", "thread_id": "thread",
    "author_id": "author", "source_id": "from", "target_id": "to", "meeting_id": "meeting",
    "milestone_id": "milestone", "archive_id": "archive", "candidate_id": "candidate",
    "signatory_count": "signatories (as stated)", "stated_count": "signatories (as stated)",
    "link_to_best_bits": "link to Best Bits", "author_name": "from", "display_name": "name",
    "listed_by": "listed by", "sent_at": "sent", "sent_month": "month", "date_month": "month",
    "thread_messages": "messages in thread", "thread_subject": "thread", "table_name": "table",
    "method": "how collected", "start_time": "starts", "end_time": "ends",
    "archived_at": "archived on",
}


def label(column: str) -> str:
    return COLUMN_LABELS.get(column, column.replace("_", " "))


def columns(keys: Iterable[str], live_only: Iterable[str] = ()) -> list[Column]:
    """Labelled columns; those in LIVE_ONLY are shown by the live face alone."""
    hidden = set(live_only)
    return [Column(key, label(key), LIVE_ONLY if key in hidden else BOTH) for key in keys]


def forum_options(ctx: Context) -> list[tuple[str, str]]:
    return [(f, f) for f in forum_codes(ctx)]


def forum_codes(ctx: Context) -> list[str]:
    return [str(f) for f in ctx.query("forums")["forum"]]


def table(block_id: str, frame, shown: list[str] | None, filename: str,
          live_only_columns: Iterable[str] = (), **options: Any) -> Table:
    """A table of a query's rows: SHOWN columns on the page (None: all), every column in the CSV
    unless `csv_columns` says otherwise."""
    rows = records(frame)
    # Shown whole, a query's archived_* columns go into its source's link cell, not beside it.
    keys = [c for c in (shown or [c for c in frame.columns if c not in LINK_DETAIL_COLUMNS])
            if c in frame.columns]
    return Table(block_id, columns(keys, live_only_columns), rows, filename, **options)


def chart(block_id: str, figure, empty_text: str | None = None, **options: Any) -> Block:
    """The chart, or a notice saying why there is none when no trace has a mark."""
    data = figures.integer_count_axes(figure_dict(figure))
    if empty_text is not None and not any(_has_marks(t) for t in data.get("data", [])):
        return Notice(block_id, html.escape(empty_text), "empty")
    title = (data.get("layout", {}).get("title") or {}).get("text") or ""
    return Chart(block_id, title, data, **options)


def _has_marks(trace: dict[str, Any]) -> bool:
    values = trace.get("x") if trace.get("x") is not None else trace.get("y")
    if isinstance(values, dict):  # a typed array
        return bool(values.get("bdata"))
    return bool(values)


def evidence(block_id: str, hint: str, title: str = "", frame=None, shown: list[str] | None = None,
             filename: str = "", **options: Any) -> Evidence:
    """The rows behind a click (FRAME), or the hint when nothing is chosen."""
    if frame is None:
        return Evidence(block_id, hint)
    return Evidence(block_id, hint, title, table(f"{block_id}-rows", frame, shown, filename,
                                                 **options))


def source_links(row: dict[str, Any], labels: Iterable[tuple[str, str]],
                 css_class: str = "bb-archived") -> list[Link]:
    """Links to the row's sources (LABELS: (what the address is, its column)), each opening its
    archived version with its date (page_view.source_link); the row's own source is labelled by
    its copy alone ("archived copy, 2014-04-23"), any other address says what it is first."""
    found = []
    for text, column in labels:
        link = source_link(row, column, css_class=css_class)
        if link is not None:
            if column != "source_url":
                link.label = f"{text} ({link.label})"
            found.append(link)
    return found


def captures(ctx: Context, item_id: str) -> Captures | None:
    """The captures an item was parsed from (none for curated rows)."""
    frame = ctx.query("site_item_captures", item_id=item_id)
    rows = [r for r in records(frame) if r["item_id"] == item_id]
    if not rows:
        return None
    return Captures(f"captures-{item_id}", [
        Capture(str(r["url"]), str(r["timestamp"]), bool(r["preferred"]), r["lang"],
                source_link(r, "replay_url")) for r in rows])


def provenance_line(summary) -> str:
    """One sentence on where the shown data comes from and how complete it is (HTML)."""
    def count(table_name: str, method: str | None = None) -> int:
        rows = summary.where(table_name=table_name, **({"method": method} if method else {}))
        return int(sum(rows["rows"]))

    parsed = sum(count(t, "parsed") + count(t, "scraped") for t in
                 ("events", "statements", "messages", "agenda_items", "signatories"))
    curated_messages = count("messages", "curated")
    parts = [
        f"{count('events')} events, {count('statements')} statements and "
        f"{count('messages')} list messages",
        f"{count('events', 'curated') + count('statements', 'curated')} of the events and "
        "statements come from the curated record (data/reference/), each row citing the archived "
        "page it was read from",
    ]
    if parsed:
        parts.append(f"{parsed} rows were parsed from archived captures")
    else:
        parts.append("nothing has been collected from the web archives yet "
                     "(<code>bestbits collect site</code>, then <code>bestbits build</code>)")
    text = "Data: " + "; ".join(parts) + "."
    if curated_messages and count("messages") == curated_messages:
        text += (f" The {curated_messages} list messages are a <b>sample</b> of an archive of "
                 f"about {config.LIST_ARCHIVE_SIZE:,} messages: message counts here are not "
                 "participation statistics.")
    return text


def message_counts(summary) -> dict[str, int]:
    """List messages in the database by provenance method (from queries/record_summary.sql)."""
    return {str(r.method): int(r.rows) for r in summary.where(table_name="messages")}


def esc(value: Any) -> str:
    """A value as escaped text; missing values as an empty string."""
    return "" if value is None else html.escape(str(value))
