"""The Statements page: one search over statements and list messages (a mode: statements,
messages, both), filters, snippets, and reading panes: a statement with its signatories, the
list talk before it and its signatories active on the list; a message with its own words."""

from __future__ import annotations

import html

import ipywidgets as widgets
import nh3
import pandas as pd

from bestbits import config
from bestbits.links import archived_address, row_link
from bestbits.privacy import suppress_counts
from dashboards import figures
from dashboards.data import DashboardData
from dashboards.evidence import EvidencePanel, clickable
from dashboards.pages.filters import choice, value_of
from dashboards.search_snippets import snippet_html
from dashboards.tables import csv_download_link, html_table, source_link_html
from dashboards.view_state import ViewState
from dashboards.widgets_common import notice

TABLE_COLUMNS = ["date", "title", "forum", "addressee", "signatory_count", "link_to_best_bits",
                 "source_url", "method"]
NO_STATEMENT = "(choose a statement)"
NO_MESSAGE = "(choose a message)"
# What the search covers (permalink key `in`; absent means statements, as before).
MODES = [("Statements", "statements"), ("List messages", "messages"), ("Both", "all")]
MAX_HITS_SHOWN = 50
DEFAULT_CONTEXT_WEEKS = 8
CONTEXT_COLUMNS = ["date", "subject", "author_name", "score", "evidence", "thread_subject",
                   "thread_messages", "source_url"]
POSTER_COLUMNS = ["signatory", "matched_as", "on_list", "messages", "first_month",
                  "last_month", "evidence", "confidence"]

# What the reading pane may show of archived HTML: structure and links, nothing that runs or
# loads from elsewhere (no scripts, no event handlers, no images, no styles).
READING_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u", "blockquote", "h2",
                "h3", "h4", "h5", "table", "thead", "tbody", "tr", "td", "th", "a", "hr"}


def sanitise_for_display(fragment: str, as_of: object = None) -> str:
    """Archived HTML is untrusted: clean it again at display, whatever the parser did. With
    AS_OF (the date of the capture the text came from), a link in the text opens the web
    archive's copy nearest that date, as every source does (bestbits.links)."""
    def archived(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href" and as_of:
            return archived_address(value, as_of)
        return value

    return nh3.clean(fragment, tags=READING_TAGS, attributes={"a": {"href", "title"}},
                     attribute_filter=archived, url_schemes={"http", "https"},
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


def text_date(statement) -> str | None:
    """The date of the capture a statement's text came from, else the statement's own date."""
    link = row_link(statement, "text_source_url") or row_link(statement)
    return link.version_date if link else None


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
        self.full_text_messages = bool(len(capabilities)
                                       and capabilities["message_full_text_search"].iloc[0])
        wanted_mode = state.get("in")
        self.mode = widgets.ToggleButtons(
            options=MODES, description="Search in",
            value=wanted_mode if wanted_mode in {v for _label, v in MODES} else "statements")
        lists = data.cached("message_filters")
        self.list = choice(state, "list", "List", sorted(set(lists["list"].dropna())), "200px")
        self.year.options = [self.year.options[0], *sorted(
            {str(y) for y in years} | {str(y) for y in lists["year"].dropna()})]
        if state.get("year") in self.year.options:
            self.year.value = state.get("year")
        self.weeks = widgets.BoundedIntText(
            value=state.get_int("weeks", DEFAULT_CONTEXT_WEEKS, 1, 104), min=1, max=104,
            description="Weeks before", layout=widgets.Layout(width="180px"))
        self.hits = widgets.HTML()
        self.filters = widgets.HBox()
        self.results_box = widgets.VBox()
        self.table = widgets.HTML()
        self.selector = widgets.Dropdown(description="Statement",
                                         layout=widgets.Layout(width="760px"))
        self.message_selector = widgets.Dropdown(description="Message",
                                                 layout=widgets.Layout(width="760px"))
        self.reading = widgets.HTML()
        self.list_context = widgets.HTML()
        self.message_reading = widgets.HTML()
        self.charts = widgets.HBox()
        self.evidence = EvidencePanel("Click a bar to list those signatories.")
        for control in (self.search, self.forum, self.year, self.addressee, self.mode, self.list):
            control.observe(self._filters_changed, names="value")
        self.selector.observe(self._selected, names="value")
        self.message_selector.observe(self._message_selected, names="value")
        self.weeks.observe(self._weeks_changed, names="value")

    def search_mode_notice(self) -> str:
        if self.full_text:
            return ("Full-text search (BM25) over statements' titles, addressees, notes and "
                    "collected texts, and over list messages' subjects and their authors' own "
                    "words (quotes, signatures and addresses are not stored); best matches "
                    "first.")
        return ("Full-text search is not available here (the duckdb-extension-fts package is "
                "missing), so the search matches the words literally.")

    def _filters_changed(self, _change=None) -> None:
        self.state.set(q=self.search.value.strip() or None, forum=value_of(self.forum),
                       year=value_of(self.year), to=self.addressee.value.strip() or None,
                       list=value_of(self.list),
                       **{"in": None if self.mode.value == "statements" else self.mode.value})
        self.refresh()

    def _weeks_changed(self, change) -> None:
        self.state.set(weeks=None if change["new"] == DEFAULT_CONTEXT_WEEKS else change["new"])
        self._show_list_context(self.selector.value)

    def message_results(self) -> pd.DataFrame:
        """Messages for the search and filters (the addressee filter is for statements only)."""
        params = dict(list=value_of(self.list), year=value_of(self.year),
                      forum=value_of(self.forum))
        words = self.search.value.strip()
        if words and self.full_text_messages:
            return self.data.query("message_search", q=words, **params)
        return self.data.query("message_search_substring", q=words or None, **params)

    def results(self) -> pd.DataFrame:
        params = dict(forum=value_of(self.forum), year=value_of(self.year),
                      addressee=self.addressee.value.strip() or None)
        words = self.search.value.strip()
        if words and self.full_text:
            return self.data.query("statement_search", q=words, **params)
        return self.data.query("statement_search_substring", q=words or None, **params)

    def refresh(self) -> None:
        mode = self.mode.value
        # Each mode shows its own widgets (children swapped, not hidden: a hidden widget's
        # style is not reliably restored in the browser).
        self.filters.children = [self.search, self.forum, self.year] + (
            [self.addressee] if mode != "messages" else []) + (
            [self.list] if mode != "statements" else [])
        statement_part = [self.table, self.selector, self.reading, self.weeks, self.list_context,
                          self.charts, self.evidence.widget]
        message_part = [self.message_selector, self.message_reading]
        self.results_box.children = (
            [self.hits] + (statement_part if mode != "messages" else [])
            + (message_part if mode != "statements" else []))
        statements = self.results() if mode != "messages" else pd.DataFrame()
        messages = self.message_results() if mode != "statements" else pd.DataFrame()
        self.hits.value = hits_html(statements, messages, self.search.value.strip(), mode)
        if mode != "messages":
            self._refresh_statements(statements)
        if mode != "statements":
            self._refresh_messages(messages)

    def _refresh_messages(self, frame: pd.DataFrame) -> None:
        wanted = self.state.get("message")
        self.message_selector.unobserve(self._message_selected, names="value")
        self.message_selector.options = [(NO_MESSAGE, "")] + [
            (f"{r.date or r.month or '—'} · {r.subject or '(no subject)'}"[:140], r.message_id)
            for r in frame.itertuples()]
        ids = set(frame["message_id"]) if len(frame) else set()
        self.message_selector.value = wanted if wanted in ids else ""
        self.message_selector.observe(self._message_selected, names="value")
        self._read_message(frame, self.message_selector.value)

    def _message_selected(self, change) -> None:
        self.state.set(message=change["new"] or None)
        self._read_message(self.message_results(), change["new"])

    def _read_message(self, frame: pd.DataFrame, message_id: str) -> None:
        rows = frame[frame["message_id"] == message_id] if message_id and len(frame) else frame[:0]
        if rows.empty:
            self.message_reading.value = ("<p style='color:#555'>Choose a message to read its "
                                          "author's own words and open its archived source.</p>")
            return
        self.message_reading.value = message_pane_html(rows.iloc[0], self.search.value.strip())

    def _refresh_statements(self, frame: pd.DataFrame) -> None:
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
            self.list_context.value = ""
            self.charts.children = []
            return
        statement = self.data.query("statement_detail", statement_id=statement_id).iloc[0]
        signatories = self.data.query("statement_signatories", statement_id=statement_id)
        counts = self.data.query("statement_signatory_counts", statement_id=statement_id)
        self.reading.value = reading_pane_html(statement, signatories, counts)
        self._show_list_context(statement_id)
        summary = self.data.query("statement_signatory_summary", statement_id=statement_id)
        charts = []
        # A chart only for what the sources state (no bar of "not stated" alone).
        for facet in ("country", "kind"):
            rows = summary[summary["facet"] == facet]
            if rows.empty:
                continue
            figure = figures.signatories_by(rows, facet)
            charts.append(clickable(figure, lambda trace, points, f=facet, sid=statement_id:
                                    self._signatories_clicked(sid, f, points.xs[0])))
        self.charts.children = charts

    def _show_list_context(self, statement_id: str) -> None:
        if not statement_id:
            self.list_context.value = ""
            return
        context = self.data.query("statement_list_context", statement_id=statement_id,
                                  weeks=int(self.weeks.value))
        posters = self.data.query("statement_list_posters", statement_id=statement_id)
        self.list_context.value = list_context_html(statement_id, context, posters,
                                                    int(self.weeks.value), config.min_cell())

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
            self.mode,
            self.filters,
            notice(html.escape(self.search_mode_notice())),
            self.results_box,
        ])


def summary_html(statement: pd.Series) -> str:
    """The summary written for this archive, labelled so, with the page it summarises."""
    summary = statement.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        return ""
    basis = source_link_html(row_link(statement, "summary_basis_url"))
    topics = statement.get("topics")
    return ("<div class='bb-summary' style='background:#f6f6f2;padding:4px 10px;margin:6px 0'>"
            f"<h4 style='margin:4px 0'>Summary</h4><p>{html.escape(summary)}</p>"
            "<p class='bb-summary-basis' style='font-size:12px;color:#444'>Summary written for "
            f"this archive from the page it summarises: {basis}. It is not the statement's "
            "text."
            + (f" Topics: {html.escape(topics)}." if isinstance(topics, str) and topics else "")
            + "</p></div>")


def reading_pane_html(statement: pd.Series, signatories: pd.DataFrame,
                      counts: pd.DataFrame | None = None) -> str:
    def esc(value) -> str:
        return "" if value is None or pd.isna(value) else html.escape(str(value))

    links = [source_link_html(row_link(statement, "source_url"))]
    page = row_link(statement, "url")
    if page:
        links.append("the statement's page on bestbits.net: " + source_link_html(page))
    when = esc(statement["date"]) + (" (only the month is known)"
                                     if statement["date_precision"] != "day" else "")
    text_html = statement["text_html"]
    if isinstance(text_html, str) and text_html.strip():
        body = (f"<div class='bb-statement-text'>"
                f"{sanitise_for_display(text_html, text_date(statement))}</div>")
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
    parts.append(summary_html(statement))
    parts.append(body)
    if counts is not None and not counts.empty:
        parts.append(f"<p class='bb-listed-against-stated'>"
                     f"{esc(counts.iloc[0]['listed_against_stated'])}</p>")
    if signatories.empty:
        parts.append("<p><i>No signatories are recorded.</i></p>")
    else:
        parts.append(f"<h4>Signatories listed ({len(signatories)})</h4>"
                     + csv_download_link(signatories,
                                         f"signatories-{statement['statement_id']}.csv")
                     + html_table(signatories, ["name", "organisation", "country", "kind",
                                                "listed_by", "source_url"]))
    parts.append("</div>")
    return "".join(parts)


def _esc(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) \
        else html.escape(str(value))


def _source_link(row) -> str:
    """A hit's or a message's archived source (dashboards.tables.source_link_html)."""
    return source_link_html(row_link(row, "source_url") or row_link(row, "archived_url"))


def hits_html(statements: pd.DataFrame, messages: pd.DataFrame, words: str, mode: str) -> str:
    """Search hits with snippets around the searched words; each links its archived source.

    Without words in statements mode the statement table alone is the answer (as before).
    """
    if mode == "statements" and not words:
        return ""
    parts = []
    if mode != "messages" and words:
        parts.append(_hit_list("Statements", statements, words, "statement"))
    if mode != "statements":
        parts.append(_hit_list("List messages", messages, words, "message"))
    return "<div class='bb-hits'>" + "".join(parts) + "</div>"


def _hit_list(title: str, frame: pd.DataFrame, words: str, kind: str) -> str:
    if frame.empty:
        return (f"<h4 style='margin:8px 0 2px'>{title}: none</h4><p style='color:#555'>No "
                f"{kind} matches this search and these filters.</p>")
    rows = []
    for row in frame.head(MAX_HITS_SHOWN).itertuples():
        if kind == "statement":
            heading, who = row.title, row.forum
            text = next((t for t in (getattr(row, "text", None), getattr(row, "summary", None),
                                     getattr(row, "notes", None), row.title)
                         if isinstance(t, str) and t.strip()), "")
        else:
            heading, who = row.subject or "(no subject)", row.author_name
            text = row.text
        rows.append(
            f"<li class='bb-hit bb-hit-{kind}'><b>{_esc(heading)}</b> "
            f"<span style='color:#555'>{_esc(row.date)} · {_esc(who) or '—'}</span> "
            f"{_source_link(row._asdict())}<br><span class='bb-snippet' style='font-size:13px'>"
            f"{snippet_html(text, words)}</span></li>")
    more = (f"<p style='font-size:12px'>The first {MAX_HITS_SHOWN} of {len(frame)} shown; the "
            "CSV holds them all.</p>" if len(frame) > MAX_HITS_SHOWN else "")
    download = frame.drop(columns=[c for c in ("text",) if c in frame.columns])
    return (f"<h4 style='margin:8px 0 2px'>{title}: {len(frame)}</h4>"
            + csv_download_link(download, f"bestbits-search-{kind}s.csv",
                                f"Download {kind} hits CSV")
            + f"<ul style='padding-left:18px'>{''.join(rows)}</ul>{more}")


def message_pane_html(message: pd.Series, words: str) -> str:
    """A message: subject, date, author (never an address), its own words, its archived source."""
    text = message.get("text")
    if isinstance(text, str) and text.strip():
        body = (f"<div class='bb-message-text' style='white-space:pre-wrap'>"
                f"{_esc(text)}</div>")
    else:
        body = ("<p><i>Nothing of the author's own is stored for this message: it was only a "
                "quote of earlier messages, or only its subject was collected.</i></p>")
    return (
        "<div style='border-left:4px solid #888;padding:4px 12px;margin:8px 0'>"
        f"<h3 style='margin:4px 0'>{_esc(message['subject']) or '(no subject)'}</h3>"
        f"<p><b>Date:</b> {_esc(message['date']) or _esc(message['month']) or '—'} · "
        f"<b>From:</b> {_esc(message['author_name']) or '—'} · <b>List:</b> "
        f"{_esc(message['list'])}<br>{_source_link(message)} "
        f"({_esc(message['method'])})</p>"
        f"<p class='bb-snippet' style='font-size:13px'>{snippet_html(text, words)}</p>"
        f"{body}</div>")


def list_context_html(statement_id: str, context: pd.DataFrame, posters: pd.DataFrame,
                      weeks: int, min_cell: int) -> str:
    """'On the list before this statement' and 'signatories active on the list'."""
    parts = [f"<div class='bb-list-context'><h4>On the list before this statement "
             f"({weeks} weeks)</h4>"]
    if context.empty:
        parts.append("<p><i>No message of those weeks names this statement or shares its "
                     "distinctive title words.</i></p>")
    else:
        shown = context.rename(columns={"archived_url": "source_url"})
        parts.append("<p style='font-size:12px;color:#555'>Messages that share the statement's "
                     "distinctive title words (rarer words weigh more) or name its title; the "
                     "evidence says which words matched.</p>"
                     + csv_download_link(shown, f"list-context-{statement_id}.csv")
                     + html_table(shown, CONTEXT_COLUMNS))
    parts.append("<h4>Signatories active on the list</h4>")
    if posters.empty:
        parts.append("<p><i>No signatory is recognised among the list's posters (organisations "
                     "by their known domains, people by display name).</i></p>")
    else:
        shown = suppress_counts(posters, ["messages", "posters"], min_cell)
        parts.append(csv_download_link(shown, f"signatories-on-list-{statement_id}.csv")
                     + html_table(shown, POSTER_COLUMNS)
                     + f"<p style='font-size:12px;color:#555'>Counts below {min_cell} are shown "
                       f"as '&lt;{min_cell}'.</p>")
    parts.append("</div>")
    return "".join(parts)
