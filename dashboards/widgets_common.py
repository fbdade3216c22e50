"""Widgets every page shares: navigation, permalink, notices, and the provenance line."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from bestbits import config
from dashboards.view_state import PAGES, ViewState

PAGE_TITLES = {
    "overview": "Overview",
    "events": "Events",
    "statements": "Statements",
    "participation": "Participation",
    "sources": "Sources & coverage",
}


def navigation_html(current: str, hrefs: dict[str, str] | None = None) -> str:
    """The links to the pages; HREFS gives a page's address (its kept view), else ?page=NAME."""
    links = []
    for page in PAGES:
        label = html.escape(PAGE_TITLES[page])
        if page == current:
            links.append(f"<b class='bb-nav-current'>{label}</b>")
        else:
            href = html.escape((hrefs or {}).get(page) or f"?page={page}")
            links.append(f"<a class='bb-nav-link' data-page='{page}' href='{href}'>{label}</a>")
    return ("<div class='bb-nav' style='font-size:15px;padding:6px 0;border-bottom:1px solid "
            "#ddd'><span style='font-weight:600;margin-right:18px'>Best Bits archive</span>"
            + " &nbsp;·&nbsp; ".join(links) + "</div>")


def navigation(current: str) -> widgets.HTML:
    return widgets.HTML(navigation_html(current))


def permalink_html(state: ViewState) -> str:
    href = html.escape(state.query_string())
    return (f"<span style='font-size:12px;color:#555'>Permalink to this view: "
            f"<a class='bb-permalink' href='{href}'>{href}</a></span>")


def permalink(state: ViewState) -> widgets.HTML:
    """A link to exactly this view; it follows every change of filter or selection."""
    box = widgets.HTML(permalink_html(state))
    state.on_change(lambda s: setattr(box, "value", permalink_html(s)))
    return box


def notice(text: str, kind: str = "info") -> widgets.HTML:
    colours = {"info": "#eef5fb", "warning": "#fff4e0", "empty": "#f4f4f4"}
    return widgets.HTML(
        f"<div class='bb-notice bb-notice-{kind}' style='background:{colours[kind]};"
        f"padding:8px 12px;border-radius:4px;margin:6px 0'>{text}</div>")


def provenance_line(summary: pd.DataFrame) -> str:
    """One sentence on where the shown data comes from and how complete it is (HTML)."""
    def count(table: str, method: str | None = None) -> int:
        rows = summary[summary["table_name"] == table]
        if method:
            rows = rows[rows["method"] == method]
        return int(rows["rows"].sum())

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
