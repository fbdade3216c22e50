"""Tables of rows as HTML: escaped text, source addresses as links, and a CSV of exactly those rows."""

from __future__ import annotations

import base64
import html
import re

import pandas as pd

LINK_COLUMNS = ("source_url", "url", "replay_url")
NOWRAP_COLUMNS = {"start", "end", "date", "day", "start_time", "end_time", "month", "sent_at"}
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$")


def safe_href(url: object) -> str | None:
    """Only plain http(s) addresses become links; anything else (javascript:, data:) stays text."""
    if isinstance(url, str) and _SAFE_URL.match(url):
        return html.escape(url, quote=True)
    return None


def _cell(column: str, value: object) -> str:
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return "<span style='color:#999'>—</span>"
    if column in LINK_COLUMNS:
        href = safe_href(value)
        if href:
            label = "archived source" if column == "source_url" else "page"
            return f"<a href='{href}' target='_blank' rel='noopener noreferrer' " \
                   f"title='{href}'>{label}</a>"
    return html.escape(str(value))


def html_table(frame: pd.DataFrame, columns: list[str] | None = None, max_rows: int = 500,
               css_class: str = "bb-table") -> str:
    """Every value escaped (archived text is untrusted); source columns as safe links."""
    columns = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    head = "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in columns)
    body = []
    for row in frame.head(max_rows).itertuples(index=False):
        values = dict(zip(frame.columns, row, strict=True))
        body.append("<tr>" + "".join(
            f"<td class='bb-nowrap'>{_cell(c, values[c])}</td>" if c in NOWRAP_COLUMNS
            else f"<td>{_cell(c, values[c])}</td>" for c in columns) + "</tr>")
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
