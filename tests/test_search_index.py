"""The full-text index beside the database (issue 20): it ranks as DuckDB's BM25 did, finds
phrases and prefixes, filters, never holds an opted-out poster's words or name, is the same
after an incremental and a full build, and is never half-written nor another database's.

Built from the SYNTHETIC list-words mbox (tests/fixtures/list_words/) and the SYNTHETIC
fixture months (tests/fixtures/list/), with the curated record."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from test_build_incremental import write_months

from bestbits import query, search
from bestbits.database import connect, load_fts
from bestbits.load import build as build_module
from bestbits.load.build import build
from support.list_words_db import (
    MADE_UP_WORD,
    OPTED_OUT_NAME,
    STATEMENT,
    TEXT_ADDRESSES,
    build_list_words_db,
)

BASELINES = Path(__file__).resolve().parents[1] / "benchmarks" / "baselines"
# Searches whose top hits are compared with DuckDB's fts BM25 (the engine before issue 20).
FIXED_QUERIES = ["surveillance", "state surveillance", "human rights", "draft statement",
                 "PRISM", "reading list", "sign-on", "governance", "lunch", "HRC session",
                 MADE_UP_WORD, "internet governance forum", "civil society"]
TOP = 5


@pytest.fixture(scope="module")
def words_db(tmp_path_factory):
    return build_list_words_db(tmp_path_factory.mktemp("search-index"))


@pytest.fixture(scope="module")
def con(words_db):
    connection = connect(words_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def baseline_con(words_db, tmp_path_factory):
    """A copy of the database with the DuckDB fts indexes the build made before issue 20."""
    copy = tmp_path_factory.mktemp("baseline") / "baseline.duckdb"
    shutil.copy(words_db, copy)
    connection = duckdb.connect(str(copy))
    if not load_fts(connection):
        pytest.skip("DuckDB's fts extension does not load here (duckdb-extension-fts)")
    connection.execute((BASELINES / "duckdb_fts_index.sql").read_text())
    yield connection
    connection.close()


def run(con, name, **params):
    return query.run(con.cursor(), name, params)


def baseline(con, file: str, name: str, **params):
    sql = (BASELINES / file).read_text()
    values = {p.name: p.default for p in query.get(name).parameters} | params
    return con.execute(sql, {k: v for k, v in values.items() if f"${k}" in sql}).df()


# Scores this close are ties: tantivy keeps a document's length in one byte (exact up to 40
# words, then in steps of a few percent), so BM25 may part two documents that DuckDB's exact
# lengths scored a hair apart.
TIE = 0.01


def tie_groups(frame, id_column: str) -> list[set]:
    """Ids in rank order, grouped where each score is within TIE of the group's first."""
    groups: list[set] = []
    first = None
    for row_id, score in zip(frame[id_column], frame["score"], strict=True):
        if first is None or score < first * (1 - TIE):
            groups.append(set())
            first = score
        groups[-1].add(row_id)
    return groups


def assert_same_top_hits(new, old, id_column: str) -> None:
    """NEW's first TOP hits are OLD's, in OLD's order, allowing any order among OLD's ties and
    any of OLD's tied hits at the cut."""
    wanted = []
    for group in tie_groups(old, id_column):
        wanted.append(group)
        if sum(len(g) for g in wanted) >= TOP:
            break
    got = list(new[id_column][:TOP])
    assert len(got) == min(TOP, len(old)), (got, old[id_column].tolist())
    position = 0
    for group in wanted:
        taken = got[position:position + len(group)]
        assert set(taken) <= group, (got, [sorted(g) for g in wanted])
        position += len(taken)


@pytest.mark.parametrize("words", FIXED_QUERIES)
def test_message_search_gives_the_top_hits_of_duckdbs_bm25(con, baseline_con, words):
    new = run(con, "message_search", q=words)
    old = baseline(baseline_con, "message_search_duckdb_fts.sql", "message_search", q=words)
    assert_same_top_hits(new, old, "message_id")


@pytest.mark.parametrize("words", FIXED_QUERIES)
def test_statement_search_gives_the_top_hits_of_duckdbs_bm25(con, baseline_con, words):
    new = run(con, "statement_search", q=words)
    old = baseline(baseline_con, "statement_search_duckdb_fts.sql", "statement_search", q=words)
    assert_same_top_hits(new, old, "statement_id")
    assert len(new) == len(old)


def test_search_keeps_its_columns_and_ranks_each_kind_apart(con, baseline_con):
    new = run(con, "search", q="surveillance")
    old = baseline(baseline_con, "search_duckdb_fts.sql", "search", q="surveillance")
    assert list(new.columns[:len(old.columns)]) == list(old.columns)
    assert list(new["kind"].unique()) == ["statement", "message"]
    for kind in ("statement", "message"):
        assert_same_top_hits(new[new["kind"] == kind], old[old["kind"] == kind], "id")
    assert set(run(con, "search", q="surveillance", kind="message")["kind"]) == {"message"}


def test_statement_list_context_lists_what_the_scan_of_the_window_listed(con, baseline_con):
    for weeks in (2, 8, 26):
        new = run(con, "statement_list_context", statement_id=STATEMENT, weeks=weeks)
        old = baseline(baseline_con, "statement_list_context_scan.sql", "statement_list_context",
                       statement_id=STATEMENT, weeks=weeks)
        assert new.to_dict("records") == old.to_dict("records")
    assert run(con, "statement_list_context", statement_id="no-such-statement").empty


def test_a_phrase_finds_the_words_in_that_order_only(con):
    phrase = run(con, "message_search", q='"state surveillance"')
    words = run(con, "message_search", q="surveillance state")
    assert len(phrase) and set(phrase["message_id"]) <= set(words["message_id"])
    # Of the messages holding both words, the phrase finds exactly those that hold them in order.
    found = set(phrase["message_id"])
    for row in words.itertuples():
        in_order = "state surveillance" in " ".join(
            re.sub(r"[\W_]+", " ", f"{row.subject} {row.text}".lower()).split())
        assert (row.message_id in found) == in_order, row.message_id


def test_a_prefix_finds_every_word_that_starts_so(con):
    hits = run(con, "message_search", q="zanzibar*")
    assert list(hits["date"]) == ["2013-04-22"]
    assert run(con, "message_search", q="zanzibar").empty  # a whole word, stemmed, is not


def test_filters_by_list_year_and_forum_narrow_the_hits(con):
    every = run(con, "message_search", q="surveillance")
    assert len(every) > 1
    assert run(con, "message_search", q="surveillance", list="no-such-list").empty
    in_2013 = run(con, "message_search", q="surveillance", year="2013")
    assert len(in_2013) and set(in_2013["month"].str[:4]) == {"2013"}
    assert run(con, "message_search", q="surveillance", year="1999").empty
    forum = con.execute("SELECT forum FROM forum_mentions WHERE item_type = 'message' "
                        "GROUP BY forum ORDER BY count(*) DESC LIMIT 1").fetchone()
    if forum:
        hits = run(con, "message_search", q="the statement draft session", forum=forum[0])
        mentioning = {r[0] for r in con.execute(
            "SELECT item_id FROM forum_mentions WHERE item_type = 'message' AND forum = ?",
            [forum[0]]).fetchall()}
        assert set(hits["message_id"]) <= mentioning
    assert len(run(con, "message_search", q="surveillance", limit=1)) == 1


def test_snippets_mark_the_matched_words_and_escape_the_rest(con):
    hits = run(con, "message_search", q=MADE_UP_WORD)
    assert f"<mark>{MADE_UP_WORD}</mark>" in hits["snippet"].iloc[0]
    assert "<" not in hits["snippet"].iloc[0].replace("<mark>", "").replace("</mark>", "")


def test_symbols_and_empty_searches_are_text_not_syntax(con):
    for words in ("", "   ", '"', "*", "title:x AND (", "a*", "\\", "the of and"):
        assert run(con, "message_search", q=words).empty, words


def test_an_opted_out_posters_name_and_words_are_not_in_the_index(con):
    opened = search.open_for(con)
    searcher = opened.searchers["messages"]
    for part in OPTED_OUT_NAME.lower().split():
        assert searcher.doc_freq("plain", part) == 0
        assert run(con, "message_search", q=part).empty
        assert run(con, "search", q=part).empty
    everything = searcher.search(search.tantivy.Query.all_query(), searcher.num_docs).hits
    rows = [searcher.doc(address).get_first("row").decode() for _score, address in everything]
    assert rows and not [r for r in rows if OPTED_OUT_NAME.lower() in r.lower()]
    # Their message is still counted, and still found by what others wrote in reply.
    assert searcher.num_docs == con.execute("SELECT count(*) FROM messages").fetchone()[0]


def test_no_address_is_in_the_index(con):
    searcher = search.open_for(con).searchers["messages"]
    everything = searcher.search(search.tantivy.Query.all_query(), searcher.num_docs).hits
    rows = " ".join(searcher.doc(a).get_first("row").decode().lower() for _s, a in everything)
    for local_part in TEXT_ADDRESSES:
        assert local_part not in rows
        assert run(con, "message_search", q=f'"{local_part.replace(".", " ")}"').empty
    assert "@" not in rows and "[address]" in rows


def test_the_database_names_its_own_index_and_refuses_another(words_db, tmp_path):
    con = connect(words_db)
    token = con.execute("SELECT token FROM search_index").fetchone()[0]
    con.close()
    folder = search.index_folder(words_db, token)
    marker = json.loads((folder / search.MARKER).read_text())
    assert marker["token"] == token and folder.parent.name == words_db.name + ".search"
    moved = tmp_path / "moved.duckdb"
    shutil.copy(words_db, moved)  # the database alone, without its index
    con = connect(moved)
    with pytest.raises(query.QueryError, match="rebuild"):
        run(con, "message_search", q="surveillance")
    con.close()
    shutil.copytree(folder, search.index_folder(moved, token))
    (search.index_folder(moved, token) / search.MARKER).write_text('{"token": "another"}')
    con = connect(moved)
    with pytest.raises(query.QueryError, match="is not this database's"):
        run(con, "message_search", q="surveillance")
    con.close()


def index_answers(db: Path) -> tuple[str, list]:
    con = connect(db)
    try:
        token = con.execute("SELECT token FROM search_index").fetchone()[0]
        answers = [run(con, "message_search", q=q)[["message_id", "score"]].values.tolist()
                   for q in ("agenda", "meeting report", "statement", "igf*")]
        return token, answers
    finally:
        con.close()


def test_an_incremental_build_gives_the_index_of_a_full_build(tmp_path, monkeypatch):
    monkeypatch.setenv("BESTBITS_SALT", "test-salt")
    data, db = tmp_path / "data", tmp_path / "bestbits.duckdb"
    write_months(data, ["2012-August"])
    build(data, db, progress=lambda _m: None)
    first_token = index_answers(db)[0]
    write_months(data, ["2012-September", "2012-October"])
    build(data, db, progress=lambda _m: None)  # incremental: reuses August's parsed rows
    incremental = index_answers(db)
    full_db = tmp_path / "full.duckdb"
    build(data, full_db, progress=lambda _m: None, full=True)
    assert incremental == index_answers(full_db)
    assert incremental[0] != first_token
    # The replaced database's index is gone; only the current one is beside it.
    assert [p.name for p in search.index_root(db).iterdir()] == [incremental[0]]
    build(data, db, progress=lambda _m: None)  # nothing changed: the same index, reused
    assert index_answers(db) == incremental


def test_a_failed_build_leaves_no_half_index_and_the_previous_one_in_place(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setenv("BESTBITS_SALT", "test-salt")
    data, db = tmp_path / "data", tmp_path / "bestbits.duckdb"
    write_months(data, ["2012-August"])
    build(data, db, progress=lambda _m: None)
    before = index_answers(db)
    write_months(data, ["2012-September"])

    def fail(_con):
        raise RuntimeError("killed after the index was written")

    monkeypatch.setattr(build_module, "check_provenance", fail)
    with pytest.raises(RuntimeError, match="killed"):
        build(data, db, progress=lambda _m: None)
    assert not list(search.index_root(db).glob(".partial-*"))
    assert index_answers(db) == before

    def fail_while_indexing(*_args, **_kwargs):
        raise RuntimeError("killed while indexing")

    monkeypatch.undo()
    monkeypatch.setenv("BESTBITS_SALT", "test-salt")
    from bestbits.load import search_index

    # Written from scratch (no index to reuse), and failing once the messages are written.
    monkeypatch.setattr(search_index, "_complete", lambda _folder, _token: False)
    monkeypatch.setitem(search_index.DOCUMENTS, "statements", fail_while_indexing)
    with pytest.raises(RuntimeError, match="while indexing"):
        build(data, db, progress=lambda _m: None)
    assert not list(search.index_root(db).glob(".partial-*"))
    assert index_answers(db) == before
