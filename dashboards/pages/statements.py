"""The Statements page: search, filters, a reading pane with the sanitised text and its signatories."""

from __future__ import annotations

import html

import ipywidgets as widgets
import nh3
import pandas as pd

from dashboards import figures
from dashboards.data import DashboardData
from dashboards.evidence import EvidencePanel, clickable
from dashboards.pages.filters import choice, value_of
from dashboards.tables import csv_download_link, html_table, safe_href
from dashboards.view_state import ViewState
from dashboards.widgets_common import notice

TABLE_COLUMNS = ["date", "title", "forum", "addressee", "signatory_count", "link_to_best_bits",
                 "source_url", "method"]
NO_STATEMENT = "(choose a statement)"

# What the reading pane may show of archived HTML: structure and links, nothing that runs or
# loads from elsewhere (no scripts, no event handlers, no images, no styles).
READING_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u", "blockquote", "h2",
                "h3", "h4", "h5", "table", "thead", "tbody", "tr", "td", "th", "a", "hr"}


def sanitise_for_display(fragment: str) -> str:
    """Archived HTML is untrusted: clean it again at display, whatever the parser did."""
    return nh3.clean(fragment, tags=READING_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https"}, link_rel="noopener noreferrer nofollow",
                     strip_comments=True)


class StatementsPage:
    def __init__(self, data: DashboardData, state: ViewState):
        self.data, self.state = data, state
        capabilities = data.cached("search_capabilities")
        self.full_text = bool(len(capabilities) and capabilities["full_text_search"].iloc[0])
        years = list(data.cached("statement_filters")["year"])
        self.search = widgets.Text(value=state.get("q", ""), placeholder="search titles and text",
                                   description="Search", continuous_update=False,
                                   layout=widgets.Layout(width="420px"))
        self.forum = choice(state, "forum", "Forum", list(data.forums()["forum"]))
        self.year = choice(state, "year", "Year", years, "160px")
        self.addressee = widgets.Text(value=state.get("to", ""), description="Addressee",
                                      placeholder="e.g. ITU", continuous_update=False,
                                      layout=widgets.Layout(width="260px"))
        self.table = widgets.HTML()
        self.selector = widgets.Dropdown(description="Statement",
                                         layout=widgets.Layout(width="760px"))
        self.reading = widgets.HTML()
        self.charts = widgets.HBox()
        self.evidence = EvidencePanel("Click a bar to list those signatories.")
        for control in (self.search, self.forum, self.year, self.addressee):
            control.observe(self._filters_changed, names="value")
        self.selector.observe(self._selected, names="value")

    def search_mode_notice(self) -> str:
        if self.full_text:
            return ("Full-text search (BM25) over titles, addressees, notes and the collected "
                    "texts; best matches first.")
        return ("Full-text search is not available here (the duckdb-extension-fts package is "
                "missing), so the search matches the words literally.")

    def _filters_changed(self, _change=None) -> None:
        self.state.set(q=self.search.value.strip() or None, forum=value_of(self.forum),
                       year=value_of(self.year), to=self.addressee.value.strip() or None)
        self.refresh()

    def results(self) -> pd.DataFrame:
        params = dict(forum=value_of(self.forum), year=value_of(self.year),
                      addressee=self.addressee.value.strip() or None)
        words = self.search.value.strip()
        if words and self.full_text:
            return self.data.query("statement_search", q=words, **params)
        return self.data.query("statement_search_substring", q=words or None, **params)

    def refresh(self) -> None:
        frame = self.results()
        if frame.empty:
            self.table.value = notice("No statement matches this search and these filters.",
                                      "empty").value
        else:
            self.table.value = (csv_download_link(frame, "bestbits-statements.csv")
                                + html_table(frame, TABLE_COLUMNS))
        wanted = self.state.get("statement")
        self.selector.unobserve(self._selected, names="value")
        self.selector.options = [(NO_STATEMENT, "")] + [
            (f"{r.date or '—'} · {r.title}"[:140], r.statement_id) for r in frame.itertuples()]
        self.selector.value = wanted if wanted in set(frame["statement_id"]) else ""
        self.selector.observe(self._selected, names="value")
        self._read(self.selector.value)

    def _selected(self, change) -> None:
        self.state.set(statement=change["new"] or None)
        self._read(change["new"])

    def _read(self, statement_id: str) -> None:
        if not statement_id:
            self.reading.value = ("<p style='color:#555'>Choose a statement to read it, with "
                                  "its signatories and sources.</p>")
            self.charts.children = []
            return
        statement = self.data.query("statement_detail", statement_id=statement_id).iloc[0]
        signatories = self.data.query("statement_signatories", statement_id=statement_id)
        self.reading.value = reading_pane_html(statement, signatories)
        summary = self.data.query("statement_signatory_summary", statement_id=statement_id)
        if summary.empty:
            self.charts.children = []
            return
        charts = []
        for facet in ("country", "kind"):
            rows = summary[summary["facet"] == facet]
            figure = figures.signatories_by(rows, facet)
            charts.append(clickable(figure, lambda trace, points, f=facet, sid=statement_id:
                                    self._signatories_clicked(sid, f, points.xs[0])))
        self.charts.children = charts

    def _signatories_clicked(self, statement_id: str, facet: str, value: str) -> None:
        rows = self.data.query("statement_signatories", statement_id=statement_id)
        rows = rows[rows[facet] == value]
        self.evidence.show(f"Signatories ({facet}: {value})", rows,
                           f"signatories-{statement_id}.csv")

    def widget(self) -> widgets.Widget:
        self.refresh()
        return widgets.VBox([
            widgets.HTML("<h2>Statements</h2><p>Sign-on statements and letters 2012–2019. Best "
                         "Bits did not sign in its own name: statements were signed by "
                         "organisations and individuals; <i>link to Best Bits</i> says how each "
                         "one relates to the network.</p>"),
            widgets.HBox([self.search, self.forum, self.year, self.addressee]),
            notice(html.escape(self.search_mode_notice())),
            self.table,
            self.selector,
            self.reading,
            self.charts,
            self.evidence.widget,
        ])


def reading_pane_html(statement: pd.Series, signatories: pd.DataFrame) -> str:
    def esc(value) -> str:
        return "" if value is None or pd.isna(value) else html.escape(str(value))

    links = []
    for label, column in (("open the archived source", "source_url"),
                          ("the statement's page on bestbits.net", "url")):
        href = safe_href(statement[column])
        if href:
            links.append(f"<a class='bb-archived' href='{href}' target='_blank' "
                         f"rel='noopener noreferrer'>{label}</a>")
    when = esc(statement["date"]) + (" (only the month is known)"
                                     if statement["date_precision"] != "day" else "")
    text_html = statement["text_html"]
    if isinstance(text_html, str) and text_html.strip():
        body = f"<div class='bb-statement-text'>{sanitise_for_display(text_html)}</div>"
    elif isinstance(statement["text"], str) and statement["text"].strip():
        body = f"<div class='bb-statement-text'><p>{esc(statement['text'])}</p></div>"
    else:
        body = ("<p><i>The text of this statement has not been collected yet: follow the "
                "archived source, or run <code>bestbits collect site</code> then "
                "<code>bestbits build</code>.</i></p>")
    parts = [
        f"<div style='border-left:4px solid {figures.forum_colour(statement['forum'])};"
        "padding:4px 12px;margin:8px 0'>",
        f"<h3 style='margin:4px 0'>{esc(statement['title'])}</h3>",
        f"<p><b>Date:</b> {when or '—'} · <b>Forum:</b> {esc(statement['forum'])} · "
        f"<b>To:</b> {esc(statement['addressee']) or '—'}<br>"
        f"<b>Signatories (as the source states):</b> {esc(statement['signatory_count']) or '—'} · "
        f"<b>Link to Best Bits:</b> {esc(statement['link_to_best_bits']) or '—'}<br>"
        f"{' · '.join(links)} ({esc(statement['method'])})</p>",
    ]
    if esc(statement["notes"]):
        parts.append(f"<p style='font-size:12px;color:#444'>{esc(statement['notes'])}</p>")
    parts.append(body)
    if signatories.empty:
        parts.append("<p><i>No signatories are recorded.</i></p>")
    else:
        parts.append(f"<h4>Signatories listed ({len(signatories)})</h4>"
                     + csv_download_link(signatories,
                                         f"signatories-{statement['statement_id']}.csv")
                     + html_table(signatories, ["name", "organisation", "country", "kind",
                                                "source_url"]))
    parts.append("</div>")
    return "".join(parts)
