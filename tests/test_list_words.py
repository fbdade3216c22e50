"""The list's words (issue 12), on a database built for real from a SYNTHETIC mbox
(tests/fixtures/list_words/, see its README): search, privacy, list context, posters, themes."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest

from bestbits import query
from bestbits.database import connect
from support.cli import run_cli
from support.list_words_db import (
    MADE_UP_WORD,
    OPTED_OUT_NAME,
    STATEMENT,
    TEXT_ADDRESSES,
    build_list_words_db,
)


@pytest.fixture(scope="module")
def words_db(tmp_path_factory):
    return build_list_words_db(tmp_path_factory.mktemp("list-words"))


@pytest.fixture(scope="module")
def con(words_db):
    connection = connect(words_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def exported(words_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    result = run_cli("export", "--db", str(words_db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def run(con, name, **params):
    return query.run(con.cursor(), name, params)


def every_stored_value(con) -> list[str]:
    """Every text value of every table, full-text index tables included."""
    values = []
    for schema, table, column in con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR'").fetchall():
        rows = con.execute(f'SELECT "{column}" FROM "{schema}"."{table}" '  # names from the catalog
                           f'WHERE "{column}" IS NOT NULL').fetchall()
        values += [r[0] for r in rows]
    return values


def test_the_build_has_a_full_text_index_over_messages(con):
    capabilities = run(con, "search_capabilities")
    if not capabilities["full_text_search"].iloc[0]:
        pytest.skip("the fts extension is not installed here (duckdb-extension-fts)")
    assert run(con, "search_capabilities")["message_full_text_search"].iloc[0]


@pytest.mark.parametrize("name", ["message_search", "message_search_substring"])
def test_a_word_only_quoted_in_replies_finds_the_original_message_only(con, name):
    if name == "message_search" and not run(con, "search_capabilities")[
            "message_full_text_search"].iloc[0]:
        pytest.skip("no full-text index here")
    hits = run(con, name, q=MADE_UP_WORD)
    assert list(hits["date"]) == ["2013-04-22"], hits[["date", "subject"]]
    assert hits["author_name"].iloc[0] == "Ana Example"


def test_a_message_that_is_only_a_quote_keeps_an_empty_text(con):
    texts = con.execute("SELECT text FROM messages WHERE strftime(sent_at, '%Y-%m-%d') = "
                        "'2013-04-24'").fetchall()
    assert texts == [(None,)]  # stored empty (the loader keeps '' as NULL), never the quote


@pytest.mark.parametrize("local_part", TEXT_ADDRESSES)
def test_addresses_in_signature_attribution_mailto_and_at_form_are_nowhere(
        con, exported, local_part):
    assert not [v for v in every_stored_value(con) if local_part in v.lower()]
    for path in exported.iterdir():
        assert local_part not in path.read_text(encoding="utf-8").lower(), path.name
    for name in ("search_substring", "message_search_substring"):
        assert run(con, name, q=local_part).empty
    texts = " ".join(run(con, "search_substring", q="draft")["text"].dropna())
    assert local_part not in texts and "[address]" in texts


def test_an_opted_out_poster_is_named_nowhere_search_results_included(con, exported):
    assert not [v for v in every_stored_value(con) if OPTED_OUT_NAME in v]
    for path in exported.iterdir():
        assert OPTED_OUT_NAME not in path.read_text(encoding="utf-8"), path.name
    # Her own subject line is withheld with her words (issue 16): searching it finds nothing.
    assert run(con, "search_substring", q="reading list").empty


def test_an_opted_out_posters_own_words_are_withheld_with_their_name(con):
    # A sign-off without "-- " ("Best, Olive") would otherwise name them in every search.
    withheld, kept = con.execute(
        "SELECT count(*) FILTER (WHERE m.text IS NULL), count(*) FILTER (WHERE m.text IS NOT NULL) "
        "FROM messages m JOIN people p USING (author_id) WHERE p.opted_out").fetchone()
    assert withheld >= 1 and kept == 0


def test_statement_list_context_lists_the_talk_before_it_and_not_unrelated_messages(con):
    context = run(con, "statement_list_context", statement_id=STATEMENT)
    subjects = list(context["subject"])
    assert "[bestbits] Draft HRC statement on PRISM and state surveillance" in subjects
    assert "[bestbits] Final text: impact of state surveillance, sign-on open" in subjects
    assert not any("Lunch plans" in s for s in subjects)       # same weeks, unrelated
    assert not any("After the HRC" in s for s in subjects)     # after the statement
    assert not any("early note" in s for s in subjects)        # 22 weeks before
    assert (context["score"] > 0).all()
    assert context["evidence"].str.contains("title words: ").all()
    assert "surveillance" in context["evidence"].iloc[0]
    draft = context[context["subject"].str.startswith("[bestbits] Draft")].iloc[0]
    assert draft["thread_messages"] == 3
    wider = run(con, "statement_list_context", statement_id=STATEMENT, weeks=30)
    assert any("early note" in s for s in wider["subject"])


def test_statement_list_posters_matches_organisations_and_names_with_evidence(words_db,
                                                                              tmp_path):
    copy = tmp_path / "posters.duckdb"
    copy.write_bytes(words_db.read_bytes())
    writable = duckdb.connect(str(copy))
    # Synthetic signatories and a curated-looking domain row, for this test only.
    writable.execute("INSERT INTO signatories (statement_id, name, organisation, country, kind, "
                     "source_url, method) VALUES (?, 'Ana Example', 'Example Rights Network', "
                     "NULL, 'individual', 'https://example.org/s', 'parsed'), "
                     "(?, 'Example Rights Network', NULL, NULL, 'organisation', "
                     "'https://example.org/s', 'parsed'), "
                     "(?, 'Olive Optedout', NULL, NULL, 'individual', 'https://example.org/s', "
                     "'parsed')", [STATEMENT] * 3)
    writable.execute("UPDATE domains SET organisation = 'Example Rights Network', "
                     "method = 'curated' WHERE domain = 'example.org'")
    writable.close()
    con = connect(copy)
    posters = run(con, "statement_list_posters", statement_id=STATEMENT)
    con.close()
    by_name = {r.signatory: r for r in posters.itertuples()}
    assert by_name["Ana Example"].matched_as == "individual"
    assert by_name["Ana Example"].confidence == "high"
    assert by_name["Example Rights Network"].matched_as == "organisation"
    assert "example.org" in by_name["Example Rights Network"].evidence
    assert "Olive Optedout" not in by_name
    assert not posters.astype(str).apply(lambda c: c.str.contains("@")).any().any()


def test_themes_per_month_and_the_evidence_behind_a_point(con):
    per_month = run(con, "themes_per_month")
    april = per_month[(per_month["theme"] == "surveillance") & (per_month["month"] == "2013-04")]
    assert int(april["messages"].iloc[0]) == 3
    # Every mention of a dated message or statement is counted once, in its own month.
    expected: dict[tuple, list[int]] = {}
    for item_type, item_id, theme in con.execute(
            "SELECT item_type, item_id, theme FROM theme_mentions").fetchall():
        month = con.execute(
            "SELECT sent_month FROM messages WHERE message_id = ?" if item_type == "message" else
            "SELECT coalesce(strftime(date, '%Y-%m'), date_month) FROM statements "
            "WHERE statement_id = ?", [item_id]).fetchone()
        if month and month[0]:
            expected.setdefault((theme, month[0]), [0, 0])[item_type != "message"] += 1
    assert {(r.theme, r.month): [r.messages, r.statements]
            for r in per_month.itertuples()} == expected
    evidence = run(con, "theme_evidence", theme="surveillance", month="2013-04")
    assert len(evidence) == 3
    assert evidence["evidence"].str.contains("surveillance", case=False).all()


def test_default_export_holds_no_per_person_count_between_1_and_4(exported):
    package = json.loads((exported / "datapackage.json").read_text())
    assert package["privacy"]["mode"] == "small-cells-suppressed"
    assert package["privacy"]["min_cell"] == 5
    for table, columns in {"people": ["n_messages", "n_addresses", "n_names"],
                           "person_members": ["n_messages"],
                           "domains": ["n_messages", "n_posters"]}.items():
        with (exported / f"{table}.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for column in columns:
                    assert row[column] not in {"1", "2", "3", "4"}, (table, column, row)
    with (exported / "messages.csv").open(encoding="utf-8") as handle:
        parsed = [r for r in csv.DictReader(handle) if r["method"] == "parsed"]
    per_author: dict[str, int] = {}
    for row in parsed:
        per_author[row["author_id"]] = per_author.get(row["author_id"], 0) + 1
    recomputable = {a: n for a, n in per_author.items() if a != "small-cell" and n < 5}
    assert not recomputable, recomputable


def test_full_detail_export_gives_exact_counts_and_says_so(words_db, tmp_path):
    out = tmp_path / "full"
    result = run_cli("export", "--db", str(words_db), "--out", str(out), "--full-detail")
    assert result.returncode == 0, result.stderr
    assert json.loads((out / "datapackage.json").read_text())["privacy"]["mode"] == "full-detail"
    with (out / "people.csv").open(encoding="utf-8") as handle:
        counts = {r["display_name"]: r["n_messages"] for r in csv.DictReader(handle)}
    assert counts["Ben Example"] == "2"


def test_the_raw_mbox_is_kept_for_a_rebuild(words_db):
    raw = words_db.parent / "data" / "raw" / "list"
    assert [p for p in raw.rglob("*") if p.is_file() and "words" in p.name]
