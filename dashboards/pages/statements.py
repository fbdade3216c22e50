"""The Statements page: one search over statements and list messages (a mode: statements,
messages, both), filters, snippets, and reading panes: a statement with its text (a page at a
time), signatories and sources, the list talk before it and its signatories active on the list;
a message with its own words. The edition gives each statement a page with the same card."""

from __future__ import annotations

import html
from urllib.parse import urlencode

from bestbits import config
from bestbits.links import ARCHIVED_COLUMNS, row_link
from bestbits.privacy import suppress_counts
from bestbits.query import QueryError
from dashboards import figures
from dashboards.page import Context, ControlSpec, ItemPages, Page, Point, Section
from dashboards.page_view import (
    LIVE_ONLY,
    Block,
    Card,
    Download,
    Fact,
    Facts,
    Heading,
    Hit,
    Hits,
    Notice,
    Prose,
    Text,
    records,
    source_link,
)
from dashboards.pages.common import (
    captures,
    chart,
    evidence,
    forum_options,
    source_links,
    table,
)
from dashboards.reading_text import html_pages, plain_pages, sanitise_for_display
from dashboards.search_snippets import snippet_html

TABLE_COLUMNS = ["date", "title", "forum", "addressee", "signatory_count", "link_to_best_bits",
                 "source_url", "method"]
SIGNATORY_COLUMNS = ["name", "organisation", "country", "kind", "listed_by", "source_url"]
# What the search covers (permalink key `in`; absent means statements, as before).
MODES = [("Statements", "statements"), ("List messages", "messages"), ("Both", "all")]
MAX_HITS_SHOWN = 50
DEFAULT_CONTEXT_WEEKS = 8
CONTEXT_COLUMNS = ["date", "subject", "author_name", "score", "evidence", "thread_subject",
                   "thread_messages", "source_url"]
POSTER_COLUMNS = ["signatory", "matched_as", "on_list", "messages", "first_month",
                  "last_month", "evidence", "confidence"]
FACETS = ("country", "kind")


def _capabilities(ctx: Context) -> dict[str, bool]:
    found = records(ctx.query("search_capabilities"))
    row = found[0] if found else {}
    return {"statements": bool(row.get("full_text_search")),
            "messages": bool(row.get("message_full_text_search"))}


def year_options(ctx: Context) -> list[tuple[str, str]]:
    years = {str(y) for y in ctx.query("statement_filters")["year"]}
    years |= {str(y) for y in ctx.query("message_filters")["year"] if y is not None}
    return [(y, y) for y in sorted(years)]


def list_options(ctx: Context) -> list[tuple[str, str]]:
    lists = sorted({str(v) for v in ctx.query("message_filters")["list"] if v is not None})
    return [(v, v) for v in lists]


def statement_results(ctx: Context):
    params = dict(forum=ctx.value("forum"), year=ctx.value("year"), addressee=ctx.value("to"))
    words = ctx.value("q")
    if words and _capabilities(ctx)["statements"]:
        return ctx.query("statement_search", q=words, **params)
    return ctx.query("statement_search_substring", q=words, **params)


def message_results(ctx: Context):
    """Messages for the search and filters (the addressee filter is for statements only)."""
    params = dict(list=ctx.value("list"), year=ctx.value("year"), forum=ctx.value("forum"))
    words = ctx.value("q")
    if words and _capabilities(ctx)["messages"]:
        return ctx.query("message_search", q=words, **params)
    return ctx.query("message_search_substring", q=words, **params)


def statement_options(ctx: Context) -> list[tuple[str, str]]:
    return [(f"{r['date'] or '—'} · {r['title']}"[:140], r["statement_id"])
            for r in records(statement_results(ctx), ["date", "title", "statement_id"])]


def message_options(ctx: Context) -> list[tuple[str, str]]:
    return [(f"{r['date'] or r['month'] or '—'} · {r['subject'] or '(no subject)'}"[:140],
             r["message_id"])
            for r in records(message_results(ctx), ["date", "month", "subject", "message_id"])]


CONTROLS = [
    ControlSpec("in", "Search in", "toggle", MODES, default="statements"),
    ControlSpec("q", "Search", "text", placeholder="search titles and text", width="420px"),
    ControlSpec("forum", "Forum", "choice", forum_options, width="230px"),
    ControlSpec("year", "Year", "choice", year_options, width="160px"),
    ControlSpec("to", "Addressee", "text", placeholder="e.g. ITU", width="260px"),
    ControlSpec("list", "List", "choice", list_options, width="200px"),
    ControlSpec("statement", "Statement", "choice", statement_options,
                all_label="(choose a statement)", width="760px", resets=("evidence", "tpage")),
    ControlSpec("message", "Message", "choice", message_options, all_label="(choose a message)",
                width="760px", resets=("mpage",)),
    ControlSpec("weeks", "Weeks before", "int", default=DEFAULT_CONTEXT_WEEKS, low=1, high=104,
                width="180px"),
    # The page of a long text shown (its pager's buttons).
    ControlSpec("tpage", "Page", "int", default=1, low=1, high=100_000),
    ControlSpec("mpage", "Page", "int", default=1, low=1, high=100_000),
]


def heading(ctx: Context):
    mode = ctx.value("in")
    keys = ["q", "forum", "year"] + (["to"] if mode != "messages" else []) + (
        ["list"] if mode != "statements" else [])
    return [Heading("title", "Statements", 1),
            Prose("intro", "Sign-on statements and letters 2012–2019. Best Bits did not sign in "
                  "its own name: statements were signed by organisations and individuals; "
                  "<i>link to Best Bits</i> says how each one relates to the network."),
            ctx.controls("in", block_id="mode"),
            ctx.controls(*keys, block_id="filters"),
            Notice("search-mode", html.escape(search_mode_notice(_capabilities(ctx))),
                   faces=LIVE_ONLY)]


def search_mode_notice(capabilities: dict[str, bool]) -> str:
    if capabilities["statements"]:
        return ("Full-text search (BM25) over statements' titles, addressees, notes and "
                "collected texts, and over list messages' subjects and their authors' own "
                "words (quotes, signatures and addresses are not stored); best matches first.")
    return ("Full-text search is not available here (the duckdb-extension-fts package is "
            "missing), so the search matches the words literally.")


# --- search hits ---------------------------------------------------------------------------

def hits(ctx: Context):
    """Hits with snippets around the searched words; without words in statements mode the
    statement table alone is the answer. Searching both kinds gives one list (and one CSV)."""
    mode, words = ctx.value("in"), ctx.value("q") or ""
    if mode == "statements":
        # The statements table below holds the same rows and offers their CSV.
        return _hits("statement-hits", "Statements", words, mode,
                     statement=statement_results(ctx), download=False) if words else None
    if mode == "messages":
        return _hits("message-hits", "List messages", words, mode, message=message_results(ctx))
    return _hits("search-hits", "Statements and list messages", words, mode,
                 statement=statement_results(ctx), message=message_results(ctx))


def opening(kind: str, item_id: str, mode: str, words: str) -> tuple[dict[str, str | None], str]:
    """The state keys that open a hit's reading pane (its choice, and what that choice resets),
    and the address of that view for a new tab."""
    spec = PAGE.control(kind)
    keys: dict[str, str | None] = {kind: item_id, **{key: None for key in spec.resets}}
    address = {"page": "statements", "in": None if mode == "statements" else mode,
               "q": words or None, kind: item_id}
    return keys, "?" + urlencode({k: v for k, v in address.items() if v})


HIT_KINDS = {"statement": "Statement", "message": "List message"}
# The columns of a list of hits of both kinds (its CSV): one row per hit, its kind first.
HIT_COLUMNS = ["kind", "id", "date", "title", "by", "source_url", *ARCHIVED_COLUMNS]


def _hit_row(kind: str, row: dict) -> dict:
    """A statement's or a message's row as a hit: what the list shows, and its source."""
    if kind == "statement":
        shown = {"id": row["statement_id"], "title": row["title"], "by": row["forum"]}
        text = next((t for t in (row.get("text"), row.get("summary"), row.get("notes"),
                                 row["title"]) if isinstance(t, str) and t.strip()), "")
    else:
        shown = {"id": row["message_id"], "title": row["subject"] or "(no subject)",
                 "by": row["author_name"]}
        text = row["text"]
    return {"kind": kind, **shown, "date": row["date"] or row.get("month"), "text": text,
            **{c: row.get(c) for c in ("source_url", *ARCHIVED_COLUMNS)}}


def _hits(block_id: str, title: str, words: str, mode: str, download: bool = True,
          **frames) -> Hits:
    rows = [_hit_row(kind, row) for kind, frame in frames.items() for row in records(frame)]
    shown = []
    for row in rows[:MAX_HITS_SHOWN]:
        opens, href = opening(row["kind"], str(row["id"]), mode, words)
        # In a list of both kinds, each hit says which it is.
        what = f"{HIT_KINDS[row['kind']]} · " if len(frames) > 1 else ""
        shown.append(Hit(str(row["title"] or ""),
                         f"{what}{row['date'] or ''} · {row['by'] or '—'}",
                         source_link(row), snippet_html(row["text"], words), opens, href,
                         row["kind"]))
    kind = next(iter(frames)) if len(frames) == 1 else "hit"
    csv = None
    if download and len(frames) == 1:
        frame = frames[kind]
        csv = Download(f"bestbits-search-{kind}s.csv", [c for c in frame.columns if c != "text"],
                       records(frame), f"Download {kind} hits CSV")
    elif download:
        csv = Download("bestbits-search.csv", HIT_COLUMNS, rows, "Download hits CSV")
    return Hits(block_id, title, kind, len(rows), shown, csv,
                f"No {'statement or message' if kind == 'hit' else kind} matches this search "
                "and these filters.")


# --- statements ----------------------------------------------------------------------------

def statements_table(ctx: Context):
    if ctx.value("in") != "statements":  # the list of hits is the answer
        return None
    frame = statement_results(ctx)
    if frame.empty:
        return Notice("statements-none", "No statement matches this search and these filters.",
                      "empty")
    return table("statements", frame, TABLE_COLUMNS, "bestbits-statements.csv",
                 item_link=("statements", "statement_id"), filterable=True,
                 csv_columns=[c for c in frame.columns if c != "text"])


def chosen_statement(ctx: Context):
    if ctx.value("in") == "messages":
        return None
    statement_id = ctx.value("statement")
    card = statement_card(ctx, statement_id) if statement_id else None
    blocks: list[Block] = [ctx.controls("statement"), card or Prose(
        "statement-hint", "<span style='color:#555'>Choose a statement to read it, with its "
        "signatories and sources.</span>", faces=LIVE_ONLY)]
    blocks.append(ctx.controls("weeks"))
    if card:
        blocks.append(list_context(ctx, statement_id))
    return blocks


def statement_card(ctx: Context, statement_id: str) -> Card | None:
    """A statement: its facts, its text a page at a time, its signatories (a table and charts by
    country and kind, a click listing them), and the captures it was parsed from."""
    found = ctx.query("statement_detail", statement_id=statement_id)
    if found.empty:
        return None
    statement = records(found)[0]
    key = f"statement-{statement_id}"
    when = (statement["date"] or "") + (" (only the month is known)" if statement["date"] and
                                        statement["date_precision"] != "day" else "")
    facts = [Fact("Date", when or "—"), Fact("Forum", statement["forum"] or "—"),
             Fact("To", statement["addressee"] or "—"),
             Fact("Signatories (as the source states)", str(statement["signatory_count"] or "—")),
             Fact("Link to Best Bits", statement["link_to_best_bits"] or "—")]
    if statement["notes"]:
        facts.append(Fact("Notes", statement["notes"]))
    facts.append(Fact("Sources", links=source_links(
        statement, [("open the archived source", "source_url"),
                    ("the statement's page on bestbits.net", "url")], "bb-archived"),
        note=statement["method"] or ""))
    facts.append(Fact("Identifier", statement_id, code=True))
    blocks: list[Block] = [Facts(f"{key}-facts", facts)]
    blocks.extend(summary_blocks(key, statement))
    blocks.append(Heading(f"{key}-text-title", "Text", 3))
    text_html, text = statement["text_html"], statement["text"]
    if isinstance(text_html, str) and text_html.strip():
        pages = html_pages(sanitise_for_display(text_html, text_date(statement)))
    elif isinstance(text, str) and text.strip():
        pages = [f"<p>{html.escape(page)}</p>" for page in plain_pages(text)]
    else:
        pages = []
    if pages:
        blocks.append(Text(f"{key}-text", pages, _page(ctx, "tpage", len(pages)), "tpage",
                           "bb-statement-text"))
    else:
        blocks.append(Prose(f"{key}-no-text", "<i>The text of this statement has not been "
                            "collected yet: follow the archived source, or run <code>bestbits "
                            "collect site</code> then <code>bestbits build</code>.</i>"))
    signatories = ctx.query("statement_signatories", statement_id=statement_id)
    counts = records(ctx.query("statement_signatory_counts", statement_id=statement_id))
    if counts and counts[0].get("listed_against_stated"):
        # How partial the list is: listed against the count the source states.
        blocks.append(Prose(f"{key}-listed-against-stated",
                            f"<p class='bb-listed-against-stated'>"
                            f"{html.escape(str(counts[0]['listed_against_stated']))}</p>"))
    if signatories.empty:
        blocks.append(Prose(f"{key}-no-signatories", "<i>No signatories are recorded.</i>"))
    else:
        blocks.append(Heading(f"{key}-signatories-title",
                              f"Signatories listed ({len(signatories)})", 3))
        blocks.append(table(f"{key}-signatories", signatories, SIGNATORY_COLUMNS,
                            f"signatories-{statement_id}.csv"))
        summary = ctx.query("statement_signatory_summary", statement_id=statement_id)
        for facet in FACETS:
            rows = summary.where(facet=facet)
            if len(rows):
                blocks.append(chart(f"{key}-by-{facet}", figures.signatories_by(rows, facet),
                                    click="signatories"))
        blocks.append(signatories_behind(ctx, statement_id, signatories))
    found_captures = captures(ctx, statement_id)
    if found_captures:
        blocks.append(found_captures)
    return Card(key, statement["title"] or statement_id, figures.forum_colour(statement["forum"]),
                "bb-statement", blocks, item_page="statements")


def text_date(statement: dict) -> str | None:
    """The date of the capture a statement's text came from, else the statement's own date: a
    link inside the text opens the archive's copy as of then (reading_text.sanitise_for_display)."""
    link = row_link(statement, "text_source_url") or row_link(statement)
    return link.version_date if link else None


def summary_blocks(key: str, statement: dict) -> list[Block]:
    """The summary written for this archive, labelled so, with the page it summarises (never the
    statement's own sentences: data/reference/README.md)."""
    summary = statement.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        return []
    topics = statement.get("topics")
    facts = [Fact("Summarised from", links=source_links(
        statement, [("the page summarised", "summary_basis_url")]))]
    if isinstance(topics, str) and topics.strip():
        facts.append(Fact("Topics", topics))
    return [Heading(f"{key}-summary-title", "Summary (written for this archive)", 3),
            Prose(f"{key}-summary", f"<p class='bb-summary'>{html.escape(summary)}</p>"),
            Facts(f"{key}-summary-basis", facts),
            Prose(f"{key}-summary-note", "A summary in this archive's own words, from the page "
                  "named above; it is not the statement's text.", small=True)]


def _page(ctx: Context, key: str, pages: int) -> int:
    return min(ctx.value(key), pages) - 1


def signatories_clicked(point: Point) -> dict[str, str | None]:
    facet = (point.trace.get("name") or "").strip()
    if facet not in FACETS or point.x is None:
        return {}
    return {"evidence": f"{facet}:{point.x}"}


def signatories_behind(ctx: Context, statement_id: str, signatories):
    hint = "Click a bar to list those signatories."
    facet, _, value = (ctx.raw("evidence") or "").partition(":")
    if facet not in FACETS or not value:
        return evidence(f"statement-{statement_id}-evidence", hint)
    rows = signatories.where(**{facet: value})
    return evidence(f"statement-{statement_id}-evidence", hint,
                    f"Signatories ({facet}: {value})", rows, None,
                    f"signatories-{statement_id}.csv")


def list_context(ctx: Context, statement_id: str) -> Card:
    weeks = ctx.value("weeks")
    try:
        context = ctx.query("statement_list_context", statement_id=statement_id, weeks=weeks)
    except QueryError as exc:  # the full-text index is not beside this database (moved, copied)
        key = f"list-context-{statement_id}"
        return Card(key, "", "", "bb-list-context", [
            Heading(f"{key}-title", "On the list before this statement", 4),
            Notice(f"{key}-missing", html.escape(f"The list's context cannot be shown: {exc}"),
                   "warning")], faces=LIVE_ONLY)
    posters = ctx.query("statement_list_posters", statement_id=statement_id)
    return list_context_card(statement_id, context, posters, weeks, config.min_cell())


def list_context_card(statement_id: str, context, posters, weeks: int, min_cell: int) -> Card:
    """'On the list before this statement' and 'signatories active on the list' (live only:
    the edition publishes no per-person rows, as the export does not)."""
    key = f"list-context-{statement_id}"
    blocks: list[Block] = [Heading(f"{key}-title",
                                   f"On the list before this statement ({weeks} weeks)", 4)]
    if context.empty:
        blocks.append(Prose(f"{key}-none", "<i>No message of those weeks names this statement "
                            "or shares its distinctive title words.</i>"))
    else:
        blocks.append(Prose(f"{key}-how", "Messages that share the statement's distinctive "
                            "title words (rarer words weigh more) or name its title; the evidence "
                            "says which words matched.", small=True))
        blocks.append(table(f"{key}-messages", context.rename(
            {"archived_url": "source_url"}), CONTEXT_COLUMNS,
            f"list-context-{statement_id}.csv"))
    blocks.append(Heading(f"{key}-posters-title", "Signatories active on the list", 4))
    if posters.empty:
        blocks.append(Prose(f"{key}-no-posters", "<i>No signatory is recognised among the list's "
                            "posters (organisations by their known domains, people by display "
                            "name).</i>"))
    else:
        shown = suppress_counts(posters, ["messages", "posters"], min_cell)
        blocks.append(table(f"{key}-posters", shown, POSTER_COLUMNS,
                            f"signatories-on-list-{statement_id}.csv"))
        blocks.append(Prose(f"{key}-small", f"Counts below {min_cell} are shown as "
                            f"'&lt;{min_cell}'.", small=True))
    return Card(key, "", "", "bb-list-context", blocks, faces=LIVE_ONLY)


# --- messages ------------------------------------------------------------------------------

def chosen_message(ctx: Context):
    if ctx.value("in") == "statements":
        return None
    message_id = ctx.value("message")
    card = None
    if message_id:
        frame = message_results(ctx)
        rows = [r for r in records(frame) if r["message_id"] == message_id]
        card = message_card(ctx, rows[0]) if rows else None
    return [ctx.controls("message"), card or Prose(
        "message-hint", "<span style='color:#555'>Choose a message to read its author's own "
        "words and open its archived source.</span>", faces=LIVE_ONLY)]


def message_card(ctx: Context, message: dict) -> Card:
    """A message: subject, date, author (never an address), its own words, its archived source."""
    key = f"message-{message['message_id']}"
    words = ctx.value("q") or ""
    facts = [Fact("Date", message["date"] or message["month"] or "—"),
             Fact("From", message["author_name"] or "—"), Fact("List", message["list"] or ""),
             Fact("Source", links=source_links(message, [("archived source", "source_url")]),
                  note=message["method"] or "")]
    blocks: list[Block] = [Facts(f"{key}-facts", facts)]
    snippet = snippet_html(message.get("text"), words)
    if snippet:
        blocks.append(Prose(f"{key}-snippet", f"<span class='bb-snippet'>{snippet}</span>",
                            small=True))
    text = message.get("text")
    if isinstance(text, str) and text.strip():
        pages = [html.escape(page) for page in plain_pages(text)]
        blocks.append(Text(f"{key}-text", pages, _page(ctx, "mpage", len(pages)), "mpage",
                           "bb-message-text", pre=True))
    else:
        blocks.append(Prose(f"{key}-no-text", "<i>Nothing of the author's own is stored for this "
                            "message: it was only a quote of earlier messages, or only its "
                            "subject was collected.</i>"))
    return Card(key, message["subject"] or "(no subject)", "#888", "bb-message", blocks,
                faces=LIVE_ONLY)


def all_statements(ctx: Context) -> list[str]:
    return [str(s) for s in ctx.query("statements")["statement_id"]]


PAGE = Page("statements", CONTROLS, [
    Section("heading", heading),
    Section("hits", hits),
    Section("table", statements_table),
    Section("statement", chosen_statement),
    Section("message", chosen_message),
], clicks={"signatories": signatories_clicked},
    items=ItemPages("statements", all_statements, statement_card, "All statements"))
