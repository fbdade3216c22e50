"""Tables of rows as HTML: escaped text, sources as links to archived versions, and a CSV of
exactly those rows."""

from __future__ import annotations

import base64
import html
import re

import pandas as pd

from bestbits.links import ARCHIVED_COLUMNS, LINK_COLUMNS, SourceLink, row_link, safe_href

NOWRAP_COLUMNS = {"start", "end", "date", "day", "start_time", "end_time", "month", "sent_at"}
# Shown inside the link cell (source_link_html), not as columns of their own.
_LINK_DETAIL_COLUMNS = {*ARCHIVED_COLUMNS, "url_archived_url"}
_ORIGINAL_SHOWN = 60  # characters of the original address shown beside a link (all in its title)

__all__ = ["csv_download_link", "html_table", "safe_href", "source_link_html"]


def source_link_html(link: SourceLink | None, label: str | None = None) -> str:
    """The dashboards' one rendering of a link to a source: the archived version to click,
    labelled with its date ("archived copy, 2014-04-23") or as the "nearest archived copy",
    the original address beside it, the Robust Links attributes, and the local WARC copy when
    the collector stored one. Empty when there is nothing a browser may open."""
    if link is None:
        return ""
    attributes = " ".join(f"{name}='{html.escape(value, quote=True)}'"
                          for name, value in link.attributes().items())
    original = link.original_url
    shown = original if len(original) <= _ORIGINAL_SHOWN else original[:_ORIGINAL_SHOWN - 1] + "…"
    local = (f" <span class='bb-local-copy'>· local copy <code>{html.escape(link.local_copy)}"
             "</code></span>" if link.local_copy else "")
    return (f"<a class='bb-archived' href='{html.escape(link.href, quote=True)}' {attributes} "
            f"target='_blank' rel='noopener noreferrer' "
            f"title='{html.escape(link.description, quote=True)}'>"
            f"{html.escape(label or link.label)}</a> <span class='bb-original' "
            f"style='color:#666;font-size:11px' title='{html.escape(original, quote=True)}'>"
            f"{html.escape(shown)}</span>{local}")


def _cell(column: str, value: object, row: dict) -> str:
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return "<span style='color:#999'>—</span>"
    if column in LINK_COLUMNS:
        link = row_link(row, column)
        if link:
            return source_link_html(link)
    return html.escape(str(value))


def html_table(frame: pd.DataFrame, columns: list[str] | None = None, max_rows: int = 500,
               css_class: str = "bb-table") -> str:
    """Every value escaped (archived text is untrusted); source columns as links to archived
    versions (source_link_html)."""
    columns = [c for c in (columns or [c for c in frame.columns
                                       if c not in _LINK_DETAIL_COLUMNS]) if c in frame.columns]
    head = "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in columns)
    body = []
    for row in frame.head(max_rows).itertuples(index=False):
        values = dict(zip(frame.columns, row, strict=True))
        body.append("<tr>" + "".join(
            f"<td class='bb-nowrap'>{_cell(c, values[c], values)}</td>" if c in NOWRAP_COLUMNS
            else f"<td>{_cell(c, values[c], values)}</td>" for c in columns) + "</tr>")
    more = ""
    if len(frame) > max_rows:
        more = (f"<p style='font-size:12px'>Showing the first {max_rows} of {len(frame)} rows; "
                "the CSV holds them all.</p>")
    return (f"<div style='max-height:420px;overflow:auto'><table class='{css_class}'>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>{more}")


def csv_download_link(frame: pd.DataFrame, filename: str, label: str = "Download CSV") -> str:
    """A link that downloads exactly these rows as CSV (built in the kernel, no server round trip)."""
    payload = base64.b64encode(frame.to_csv(index=False).encode("utf-8")).decode("ascii")
    safe_name = re.sub(r"[^A-Za-z0-9_.-]", "_", filename)
    return (f"<a class='bb-csv' download='{safe_name}' "
            f"href='data:text/csv;charset=utf-8;base64,{payload}'>{html.escape(label)} "
            f"({len(frame)} rows)</a>")
