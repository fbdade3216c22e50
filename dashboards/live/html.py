"""The live face's HTML for the blocks a widget shows as markup: tables (escaped text, sources as
links, a CSV of exactly the rows shown), notices, facts, search hits, evidence, the navigation and
the permalink. Every outside value is escaped here; HTML fields of blocks come escaped."""

from __future__ import annotations

import base64
import html
import re
from typing import Any
from urllib.parse import urlencode

from bestbits.wording import counted
from dashboards.page_view import (
    LINK_COLUMNS,
    LIVE,
    NOWRAP_COLUMNS,
    Block,
    Caption,
    Captures,
    Download,
    Evidence,
    Facts,
    Heading,
    Hit,
    Hits,
    Link,
    Notice,
    Prose,
    Table,
    source_link,
)
from dashboards.pages import PAGES

NOTICE_COLOURS = {"info": "#eef5fb", "warning": "#fff4e0", "empty": "#f4f4f4"}
_NONE = "<span style='color:#6b6b6b'>—</span>"


# --- links and cells -------------------------------------------------------------------------

_ORIGINAL_SHOWN = 60  # characters of a source's original address shown beside its link


def link_html(link: Link) -> str:
    """A link to a source or a page: the one place the live face writes an outside address. A
    source's link (page_view.source_link) shows its original address beside it, carries the
    Robust Links attributes, and names the local WARC copy when there is one."""
    href = html.escape(link.href, quote=True)
    css = f" class='{html.escape(link.css_class)}'" if link.css_class else ""
    attributes = "".join(f" {name}='{html.escape(value, quote=True)}'"
                         for name, value in link.attributes.items())
    title = html.escape(link.title or link.href, quote=True)
    anchor = (f"<a{css} href='{href}'{attributes} target='_blank' rel='noopener noreferrer' "
              f"title='{title}'>{html.escape(link.label)}</a>")
    if link.original:
        shown = (link.original if len(link.original) <= _ORIGINAL_SHOWN
                 else link.original[:_ORIGINAL_SHOWN - 1] + "…")
        anchor += (f" <span class='bb-original' style='color:#666;font-size:11px' "
                   f"title='{html.escape(link.original, quote=True)}'>{html.escape(shown)}</span>")
    if link.local_copy:
        anchor += (f" <span class='bb-local-copy'>· local copy <code>"
                   f"{html.escape(link.local_copy)}</code></span>")
    return anchor


def _cell(column: str, value: Any, row: dict[str, Any]) -> str:
    if value is None:
        return _NONE
    if column in LINK_COLUMNS:
        link = source_link(row, column)
        if link:
            return link_html(link)
    return html.escape(str(value))


def table_html(table: Table) -> str:
    """Every value escaped (archived text is untrusted); source columns as safe links."""
    columns = [c for c in table.columns if LIVE in c.faces]
    head = "".join(f"<th>{html.escape(c.label)}</th>" for c in columns)
    body = []
    for row in table.rows[:table.max_rows]:
        body.append("<tr>" + "".join(
            f"<td class='bb-nowrap'>{_cell(c.key, row.get(c.key), row)}</td>"
            if c.key in NOWRAP_COLUMNS else f"<td>{_cell(c.key, row.get(c.key), row)}</td>"
            for c in columns) + "</tr>")
    more = ""
    if len(table.rows) > table.max_rows:
        more = (f"<p style='font-size:12px'>Showing the first {table.max_rows} of "
                f"{len(table.rows)} rows; the CSV holds them all.</p>")
    # A scroll box a keyboard can reach (and scroll), named for a screen reader.
    region = html.escape(table.region_label(), quote=True)
    return (f"<div class='bb-table-scroll' style='max-height:420px;overflow:auto' tabindex='0' "
            f"role='region' aria-label='{region}'><table class='{table.css_class}'>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>{more}")


def csv_link(download: Download) -> str:
    """A link that downloads exactly these rows as CSV (built in the kernel, no server round trip)."""
    payload = base64.b64encode(download.csv_text().encode("utf-8")).decode("ascii")
    safe_name = re.sub(r"[^A-Za-z0-9_.-]", "_", download.filename)
    return (f"<a class='bb-csv' download='{safe_name}' "
            f"href='data:text/csv;charset=utf-8;base64,{payload}'>{html.escape(download.label)} "
            f"({counted(len(download.rows), 'row')})</a>")


def table_with_download(table: Table) -> str:
    link = csv_link(table.download())
    if table.caption_html:
        top = f"<p class='bb-caption'>{table.caption_html} {link}</p>"
    else:
        top = link
    body = top + table_html(table)
    return f"<div class='{table.wrapper_class}'>{body}</div>" if table.wrapper_class else body


# --- blocks ----------------------------------------------------------------------------------

def notice_html(text: str, tone: str = "info") -> str:
    return (f"<div class='bb-notice bb-notice-{tone}' style='background:{NOTICE_COLOURS[tone]};"
            f"padding:8px 12px;border-radius:4px;margin:6px 0'>{text}</div>")


def heading_html(heading: Heading) -> str:
    # The page's own title is an h2 in the live face (the navigation sits above it).
    level = min(heading.level + 1, 6)
    style = " style='margin-bottom:2px'" if heading.level == 1 else ""
    return f"<h{level}{style}>{html.escape(heading.text)}</h{level}>"


def facts_html(facts: Facts) -> str:
    lines = []
    for fact in facts.items:
        value = (f"<code>{html.escape(fact.text)}</code>" if fact.code
                 else html.escape(fact.text))
        if fact.links:
            value = " · ".join([value] * bool(fact.text) + [link_html(k) for k in fact.links])
        if fact.note:
            value += f" ({html.escape(fact.note)})"
        lines.append(f"<b>{html.escape(fact.label)}:</b> {value or '—'}")
    return "<p class='bb-facts'>" + "<br>".join(lines) + "</p>"


def hits_html(hits: Hits) -> str:
    if not hits.total:
        return (f"<div class='bb-hits'><h4 style='margin:8px 0 2px'>{html.escape(hits.title)}: "
                f"none</h4><p style='color:#555'>{html.escape(hits.empty_text)}</p></div>")
    items = []
    for hit in hits.hits:
        link = link_html(hit.link) if hit.link else ""
        items.append(
            f"<li class='bb-hit bb-hit-{hit.item_kind or hits.hit_kind}'>{hit_heading_html(hit)} "
            f"<span style='color:#555'>{html.escape(hit.meta)}</span> {link}<br>"
            f"<span class='bb-snippet' style='font-size:13px'>{hit.snippet_html}</span></li>")
    more = (f"<p style='font-size:12px'>The first {len(hits.hits)} of {hits.total} shown; the "
            "CSV holds them all.</p>" if hits.total > len(hits.hits) else "")
    download = csv_link(hits.download) if hits.download else ""
    return (f"<div class='bb-hits'><h4 style='margin:8px 0 2px'>{html.escape(hits.title)}: "
            f"{hits.total}</h4>{download}<ul style='padding-left:18px'>{''.join(items)}</ul>"
            f"{more}</div>")


def hit_heading_html(hit: Hit) -> str:
    """A hit's title; a link that opens its reading pane in the page when it has one (location.js
    sets the keys of `data-bb-set` on the address; the kernel draws the pane in place)."""
    title = f"<b>{html.escape(hit.heading)}</b>"
    if not hit.opens:
        return title
    keys = urlencode({k: v or "" for k, v in hit.opens.items()})
    return (f"<a class='bb-hit-open' href='{html.escape(hit.href or '?' + keys, quote=True)}' "
            f"data-bb-set='{html.escape(keys, quote=True)}'>{title}</a>")


# What a click on a chart does, without a pointer (the chart widget's marks, plotly_chart.js).
KEYBOARD_HINT = "With the keyboard: open “The chart in words” under the chart and choose a mark."


def evidence_html(panel: Evidence) -> str:
    if panel.table is None:
        return (f"<p class='bb-evidence-hint' style='color:#555'>{html.escape(panel.hint)} "
                f"{KEYBOARD_HINT}</p>")
    table = panel.table
    body = "<p>No rows.</p>" if not table.rows else (csv_link(table.download())
                                                     + table_html(table))
    return (f"<div class='bb-evidence'><h4 style='margin:8px 0 4px'>"
            f"{html.escape(panel.title)}</h4>{body}</div>")


def captures_html(captures: Captures) -> str:
    items = []
    for c in captures.captures:
        items.append(
            f"<li><code>{html.escape(c.url)}</code> captured <code>{html.escape(c.timestamp)}"
            "</code>" + (" (the one the row was read from)" if c.preferred else "")
            + (f", language {html.escape(c.lang)}" if c.lang else "")
            + (" · " + link_html(c.link) if c.link else "")
            + "</li>")
    return ("<h4>The captures behind this row</h4><ul class='bb-captures' "
            f"style='font-size:13px'>{''.join(items)}</ul>")


def block_html(block: Block) -> str:
    """The markup of a block the live face shows as HTML."""
    if isinstance(block, Heading):
        return heading_html(block)
    if isinstance(block, Prose):
        if block.small:
            return f"<p style='font-size:12px;color:#555'>{block.html}</p>"
        return block.html if block.html.lstrip().startswith("<") else f"<p>{block.html}</p>"
    if isinstance(block, Notice):
        return notice_html(block.html, block.tone)
    if isinstance(block, Table):
        return table_with_download(block)
    if isinstance(block, Caption):
        link = f" {csv_link(block.download)}" if block.download else ""
        return f"<p class='{block.css_class or 'bb-caption'}'>{block.html}{link}</p>"
    if isinstance(block, Facts):
        return facts_html(block)
    if isinstance(block, Hits):
        return hits_html(block)
    if isinstance(block, Evidence):
        return evidence_html(block)
    if isinstance(block, Captures):
        return captures_html(block)
    raise TypeError(f"no HTML for a {block.kind} block")


def chart_text_html(text: str) -> str:
    """A chart's text alternative under it, as the chart widget draws it (plotly_chart.js)."""
    return (f"<details class='bb-chart-text'><summary>The chart in words</summary>"
            f"<p>{html.escape(text)}</p></details>")


# --- around every page -----------------------------------------------------------------------

def navigation_html(current: str, hrefs: dict[str, str] | None = None) -> str:
    """The links to the pages; HREFS gives a page's address (its kept view), else ?page=NAME."""
    links = []
    for page in PAGES:
        label = html.escape(page.title)
        if page.id == current:
            links.append(f"<b class='bb-nav-current'>{label}</b>")
        else:
            href = html.escape((hrefs or {}).get(page.id) or f"?page={page.id}")
            links.append(f"<a class='bb-nav-link' data-page='{page.id}' href='{href}'>{label}</a>")
    return ("<div class='bb-nav' style='font-size:15px;padding:6px 0;border-bottom:1px solid "
            "#ddd'><span style='font-weight:600;margin-right:18px'>Best Bits archive</span>"
            + " &nbsp;·&nbsp; ".join(links) + "</div>")
