"""The full-text index beside the database (tantivy): its fields and words, where it lives, and
the searches that named queries declare (`-- @search`, bestbits/query.py).

Why tantivy (benchmarks/bench_search.py, README "How search ranks"): on the same synthetic
list, DuckDB's fts scores every document holding a term in SQL and grows with the list, SQLite
FTS5 has no early termination either, and tantivy's block-max WAND answers top-k in single
milliseconds at 834,400 messages.

The index is one folder per database content: `<db>.search/<token>/`, where the token is a
hash of every indexed row (bestbits/load/search_index.py writes it, and the database names it
in `search_index`). A database therefore only ever opens the index made from its own rows, and
a build whose rows did not change finds its index already there.

Messages are looked up by the index alone: a hit carries the columns a result shows (stored
in the index), because fetching 200 scattered rows of message text back from DuckDB took
36-76 ms at 834,400 messages, more than the whole search may take. Statements are few: their
hits are ids that SQL joins to `statements`.
"""

from __future__ import annotations

import csv
import html
import json
import re
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa
import tantivy

from bestbits import config
from bestbits.query import load_sql

ENGINE = "tantivy"
# Raised when what is indexed, or how, changes: an index of another version is rebuilt.
INDEX_VERSION = 1
MARKER = "bestbits-search.json"
KINDS = ("messages", "statements")
STOPWORDS_FILE = config.REPO_ROOT / "data" / "search_stopwords.csv"
SNIPPET_CHARS = 220
# Hits that get a snippet: a page of results (the Statements page shows 50). A snippet costs
# about 60 us of CPU, so 200 of them would take most of a search's 20 ms.
SNIPPET_HITS = 50
# A prefix shorter than this would expand to most of the dictionary.
MIN_PREFIX = 2


class SearchIndexMissing(Exception):
    """The database names an index that is not beside it (moved, copied alone, or deleted)."""


def index_root(db: Path) -> Path:
    """The folder that holds the indexes of the database DB (one per content token)."""
    return db.with_name(db.name + ".search")


def index_folder(db: Path, token: str) -> Path:
    return index_root(db) / token


# -- words ---------------------------------------------------------------------------------------

@cache
def stopwords() -> tuple[str, ...]:
    """The English stop words of DuckDB's fts extension (its `english` list), which the search
    used before: the same words are left out, so documents have the same lengths and BM25
    ranks them as it did."""
    with STOPWORDS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(row["word"] for row in csv.DictReader(handle))


@cache
def _analyzers():
    # "words": as DuckDB's fts tokenised (letters only, lower case, accents folded, its stop
    # words, the Snowball English stemmer), for BM25. "plain": every run of letters and digits,
    # lower case, nothing dropped, with positions: for prefixes, phrases of exact words and the
    # word starts of statement_list_context.
    words = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"\p{L}+"))
             .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold())
             .filter(tantivy.Filter.custom_stopword(list(stopwords())))
             .filter(tantivy.Filter.stemmer("english")).build())
    # The searched words as DuckDB's fts read them: stemmed, but stop words kept (a stop word
    # may still be a stem in the index: "ons" is stemmed to "on").
    query = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"\p{L}+"))
             .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold())
             .filter(tantivy.Filter.stemmer("english")).build())
    plain = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"[\p{L}\p{N}]+"))
             .filter(tantivy.Filter.lowercase()).build())
    return {"bb_words": words, "bb_plain": plain, "bb_query": query}


def register_analyzers(index) -> None:
    for name, analyzer in _analyzers().items():
        index.register_tokenizer(name, analyzer)


# The columns of a message hit as message_search shows them, stored with each message (as one
# JSON value, `row`, which the index keeps and does not search).
MESSAGE_STORED = ("message_id", "date", "month", "list", "subject", "author_id", "author_name",
                  "thread_id", "thread_subject", "thread_messages", "sent_at", "url",
                  "source_url", "method", "text")


def schema(kind: str):
    """The tantivy schema of one kind's index."""
    builder = tantivy.SchemaBuilder()
    if kind == "messages":
        builder.add_text_field("message_id", stored=True, tokenizer_name="raw",
                               index_option="basic")
        builder.add_bytes_field("row", stored=True, indexed=False)
        builder.add_text_field("list", tokenizer_name="raw", index_option="basic")
        # Seconds since 1970 (UTC), for the weeks before a statement.
        builder.add_integer_field("sent_at", indexed=True, fast=True)
    else:
        builder.add_text_field("statement_id", stored=True, tokenizer_name="raw",
                               index_option="basic")
    builder.add_text_field("forum", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("year", indexed=True)
    builder.add_text_field("words", tokenizer_name="bb_words", index_option="position")
    # Which documents hold a word, no more: prefixes and word starts score nothing, and a
    # statement's title is looked for among the few messages holding all its words.
    builder.add_text_field("plain", tokenizer_name="bb_plain", index_option="basic")
    return builder.build()


# -- the index of a database ---------------------------------------------------------------------

@dataclass
class OpenIndex:
    token: str
    folder: Path
    indexes: dict  # kind -> tantivy.Index
    searchers: dict  # kind -> tantivy.Searcher (the index never changes once written)


_OPEN: dict[tuple[str, str], OpenIndex] = {}
_OPEN_LOCK = threading.Lock()


def database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file of the connection's current database (None in memory)."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = "
                      "current_database()").fetchone()
    return Path(row[0]) if row and row[0] else None


def open_for(con: duckdb.DuckDBPyConnection) -> OpenIndex:
    """The index of the connection's database, opened once per process."""
    try:
        path, token = con.execute(
            "SELECT (SELECT path FROM duckdb_databases() WHERE database_name = "
            "current_database()), (SELECT any_value(token) FROM search_index)").fetchone()
    except duckdb.Error:
        path = token = None
    if not path or token is None:
        raise SearchIndexMissing("this database has no full-text index; rebuild it: "
                                 "bestbits build")
    db = Path(path)
    key = (str(db.resolve()), token)
    with _OPEN_LOCK:
        if key not in _OPEN:
            _OPEN[key] = _open_folder(index_folder(db, token), token, db)
        return _OPEN[key]


def _open_folder(folder: Path, token: str, db: Path) -> OpenIndex:
    marker = folder / MARKER
    try:
        described = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        described = None
    if not described or described.get("token") != token:
        raise SearchIndexMissing(
            f"the full-text index of {db} is missing or is not this database's (expected "
            f"{folder}); rebuild it: bestbits build --db {db}")
    indexes, searchers = {}, {}
    for kind in KINDS:
        index = tantivy.Index.open(str(folder / kind))
        register_analyzers(index)
        indexes[kind], searchers[kind] = index, index.searcher()
    return OpenIndex(token, folder, indexes, searchers)


# -- what a person types -------------------------------------------------------------------------

_PHRASE = re.compile(r'"([^"]*)"?')
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class ParsedSearch:
    words: tuple[str, ...]       # plain words: BM25 over their stems
    phrases: tuple[str, ...]     # "quoted words": in this order, stop words allowed between
    prefixes: tuple[str, ...]    # word*: any word starting so (lower case, no stemming)


def parse_search(text: str | None) -> ParsedSearch:
    """Words, "phrases" and prefix* of a search box's text; every other symbol is a space."""
    text = text or ""
    phrases = tuple(p for p in (" ".join(_NOT_WORD.sub(" ", m).split())
                                for m in _PHRASE.findall(text)) if p)
    words, prefixes = [], []
    for token in _PHRASE.sub(" ", text).split():
        core = " ".join(_NOT_WORD.sub(" ", token).split())
        if token.endswith("*") and " " not in core and len(core) >= MIN_PREFIX:
            prefixes.append(core.lower())
        elif core:
            words.append(core)
    return ParsedSearch(tuple(words), phrases, tuple(prefixes))


def _text_query(opened: OpenIndex, kind: str, search: ParsedSearch):
    """The query of the searched words (None when nothing searchable is left)."""
    index = opened.indexes[kind]
    schema_ = index.schema
    clauses = []
    analyzer = _analyzers()["bb_words"]
    stems = dict.fromkeys(_analyzers()["bb_query"].analyze(" ".join(search.words)))  # distinct
    for stem in stems:
        clauses.append((tantivy.Occur.Should, tantivy.Query.term_query(schema_, "words", stem)))
    for phrase in search.phrases:
        terms = analyzer.analyze(phrase)
        if len(terms) == 1:
            clauses.append((tantivy.Occur.Should,
                            tantivy.Query.term_query(schema_, "words", terms[0])))
        elif terms:
            # The parser keeps the gaps that stop words leave, so "freedom of expression"
            # matches those three words and not "freedom expression".
            clauses.append((tantivy.Occur.Should,
                            index.parse_query('"' + phrase + '"', ["words"])))
    for prefix in search.prefixes:
        clauses.append((tantivy.Occur.Should, tantivy.Query.regex_query(
            schema_, "plain", re.escape(prefix) + ".*")))
    if not clauses:
        return None
    return tantivy.Query.boolean_query(clauses)


def _filtered(schema_, query, terms: dict[str, object]):
    """QUERY, restricted to documents whose fields hold each given term (they add no score)."""
    clauses = [(tantivy.Occur.Must, query)]
    for field, value in terms.items():
        if value is None:
            continue
        clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(
            tantivy.Query.term_query(schema_, field, value), 0.0)))
    return tantivy.Query.boolean_query(clauses) if len(clauses) > 1 else query


def _year(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # a year that no document has: nothing matches, as the SQL filter did


def _limit(value, default: int) -> int:
    try:
        return max(0, int(value)) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def _snippet(generator, text: str) -> str:
    """A passage of TEXT around the matched words: escaped HTML, the words in <mark>."""
    snippet = generator.snippet_from_doc(tantivy.Document(words=[text]))
    fragment = snippet.fragment()
    if not fragment:
        flat = " ".join(text.split())
        return html.escape(flat[:SNIPPET_CHARS]) + ("…" if len(flat) > SNIPPET_CHARS else "")
    parts, position = [], 0
    for start, end in sorted((r.start, r.end) for r in snippet.highlighted()):
        parts.append(html.escape(fragment[position:start]))
        parts.append(f"<mark>{html.escape(fragment[start:end])}</mark>")
        position = end
    parts.append(html.escape(fragment[position:]))
    return " ".join("".join(parts).split())


_INTEGER_COLUMNS = {"thread_messages"}
MESSAGE_HIT_SCHEMA = pa.schema(
    [(name, pa.timestamp("s") if name == "sent_at" else
      pa.int64() if name in _INTEGER_COLUMNS else pa.string()) for name in MESSAGE_STORED]
    + [("score", pa.float64()), ("rank", pa.int64()), ("snippet", pa.string())])
STATEMENT_HIT_SCHEMA = pa.schema([("statement_id", pa.string()), ("score", pa.float64()),
                                  ("rank", pa.int64()), ("snippet", pa.string())])


def epoch_seconds(moment: datetime | None) -> int | None:
    """A naive UTC timestamp (as DuckDB gives it) as whole seconds since 1970."""
    return int(moment.replace(tzinfo=UTC).timestamp()) if moment is not None else None


def stored_row(values: dict) -> bytes:
    """A message's shown columns as the index stores them (bestbits/load/search_index.py)."""
    return json.dumps({**values, "sent_at": epoch_seconds(values.get("sent_at"))},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def plain_words(text: str | None) -> str:
    """Text as statement_list_context compares it: runs of letters and digits, lower case,
    one space apart (as regexp_replace(..., '[^\\p{L}\\p{N}]+', ' ') and lower() in SQL)."""
    return " ".join(_NOT_WORD.sub(" ", text or "").lower().split())


def _read_row(searcher, address) -> dict:
    """A message's stored columns (sent_at in seconds since 1970, as Arrow takes it)."""
    return json.loads(searcher.doc(address).get_first("row"))


def _year_filter(index, query, year):
    wanted = _year(year)
    if wanted is None:
        return query
    return tantivy.Query.boolean_query([
        (tantivy.Occur.Must, query),
        (tantivy.Occur.Must, tantivy.Query.const_score_query(
            tantivy.Query.term_query(index.schema, "year", wanted), 0.0))])


def _wanted(kind, this: str) -> bool:
    """Whether a search limited to KIND (statement | message | empty for both) covers THIS."""
    return kind in (None, "") or str(kind).strip().lower().rstrip("s") == this


def message_hits(con, q=None, list=None, year=None, forum=None, limit=None, kind=None
                 ) -> pa.Table:
    """The best LIMIT messages for Q (BM25), with the columns a hit shows and a snippet."""
    rows: list[dict] = []
    if not _wanted(kind, "message"):
        return MESSAGE_HIT_SCHEMA.empty_table()
    opened = open_for(con)
    text_query = _text_query(opened, "messages", parse_search(q))
    count = _limit(limit, 200)
    if text_query is not None and count:
        index, searcher = opened.indexes["messages"], opened.searchers["messages"]
        query = _year_filter(index, _filtered(index.schema, text_query,
                                              {"list": list, "forum": forum}), year)
        generator = tantivy.SnippetGenerator.create(searcher, text_query, index.schema, "words")
        generator.set_max_num_chars(SNIPPET_CHARS)
        for rank, (score, address) in enumerate(searcher.search(query, count, count=False).hits,
                                                start=1):
            row = _read_row(searcher, address)
            row["score"], row["rank"] = score, rank
            row["snippet"] = (_snippet(generator, " ".join(
                v for v in (row["subject"], row["text"]) if v)) if rank <= SNIPPET_HITS else None)
            rows.append(row)
    return pa.Table.from_pylist(rows, schema=MESSAGE_HIT_SCHEMA)


def statement_hits(con, q=None, forum=None, year=None, limit=None, kind=None) -> pa.Table:
    """Statements matching Q, best first (BM25 over title, addressee, text, notes, summary and
    topics)."""
    rows: dict[str, list] = {name: [] for name in STATEMENT_HIT_SCHEMA.names}
    if not _wanted(kind, "statement"):
        return pa.table(rows, schema=STATEMENT_HIT_SCHEMA)
    opened = open_for(con)
    query = _text_query(opened, "statements", parse_search(q))
    index, searcher = opened.indexes["statements"], opened.searchers["statements"]
    count = _limit(limit, max(searcher.num_docs, 1))
    if query is not None and count and searcher.num_docs:
        filtered = _year_filter(index, _filtered(index.schema, query, {"forum": forum}), year)
        for rank, (score, address) in enumerate(
                searcher.search(filtered, count, count=False).hits, start=1):
            rows["statement_id"].append(searcher.doc(address).get_first("statement_id"))
            rows["score"].append(score)
            rows["rank"].append(rank)
            rows["snippet"].append(None)
    return pa.table(rows, schema=STATEMENT_HIT_SCHEMA)


LIST_CONTEXT_SCHEMA = pa.schema(
    [("message_id", pa.string()), ("word", pa.string()), ("names_title", pa.bool_()),
     ("window_messages", pa.int64()), ("title_words", pa.int64()),
     ("sent_at", pa.timestamp("s")), ("subject", pa.string()),
     ("author_id", pa.string()), ("author_name", pa.string()), ("thread_id", pa.string()),
     ("thread_subject", pa.string()), ("thread_messages", pa.int64()), ("url", pa.string()),
     ("source_url", pa.string())])


def _epoch(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def title_word_hits(con, statement_id=None, weeks=None) -> pa.Table:
    """For statement_list_context: the messages of the weeks before a statement that hold one
    of its distinctive title words at a word start (one row per message and word), or its
    whole title (word NULL, names_title), with the number of messages in those weeks and of
    title words, and the columns the context shows."""
    statement = con.execute(load_sql("search/statement_title_words.sql"),
                            {"statement_id": statement_id}).fetchone()
    if statement is None or statement[1] is None:
        return LIST_CONTEXT_SCHEMA.empty_table()
    title_norm, until_day, words = statement
    opened = open_for(con)
    index, searcher = opened.indexes["messages"], opened.searchers["messages"]
    weeks = _limit(weeks, 8)
    start = _epoch(until_day - timedelta(days=7 * weeks))
    end = _epoch(until_day + timedelta(days=1)) - 1
    window = tantivy.Query.range_query(index.schema, "sent_at", tantivy.FieldType.Integer,
                                       start, end)
    total = searcher.search(window, 1, count=True).count
    found: dict[str, set] = {}  # doc address key -> words
    addresses = {}
    if total:
        for word in words:
            query = tantivy.Query.boolean_query([
                (tantivy.Occur.Must, window),
                (tantivy.Occur.Must, tantivy.Query.regex_query(index.schema, "plain",
                                                               re.escape(word) + ".*"))])
            for _score, address in searcher.search(query, total, count=False).hits:
                key = (address.segment_ord, address.doc)
                addresses[key] = address
                found.setdefault(key, set()).add(word)
        title_terms = title_norm.split()
        if len(title_norm) >= 12 and title_terms:
            # The messages holding every word of the title, then those holding it in order.
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, window)]
                + [(tantivy.Occur.Must, tantivy.Query.term_query(index.schema, "plain", term))
                   for term in dict.fromkeys(title_terms)])
            wanted = f" {title_norm} "
            for _score, address in searcher.search(query, total, count=False).hits:
                row = _read_row(searcher, address)
                words = plain_words(" ".join(v for v in (row.get("subject"), row.get("text"))
                                             if v))
                if wanted in f" {words} ":
                    key = (address.segment_ord, address.doc)
                    addresses[key] = address
                    found.setdefault(key, set()).add(None)
    listed = []
    for key in sorted(found):
        row = _read_row(searcher, addresses[key])
        for word in sorted(found[key], key=lambda w: (w is None, w or "")):
            listed.append({**row, "word": word, "names_title": word is None,
                           "window_messages": total, "title_words": len(words)})
    return pa.Table.from_pylist(listed, schema=LIST_CONTEXT_SCHEMA)


# The searches a named query may declare (`-- @search relation = function(param, ...)`).
SEARCHES = {"message_hits": message_hits, "statement_hits": statement_hits,
            "title_word_hits": title_word_hits}
