"""Opt-out is a rule of the person, not of the row (issue 16): full, unchanged-incremental and
incremental-with-a-new-month builds give identical and clean tables.

The corpus is SYNTHETIC (tests/fixtures/privacy/optout-*.mbox, see the README there): Ann Lee
writes from two addresses under one name, and the first is in the opt-out file; a month before
her first message someone names her; in February she writes from her second address only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from bestbits import query
from bestbits.database import connect
from bestbits.load.build import build
from support.privacy_scan import stored_values

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "privacy"
MONTHS = {"2012-December": "optout-2012-December.mbox", "2013-January": "optout-2013-January.mbox",
          "2013-February": "optout-2013-February.mbox"}
# What must be nowhere once she is out: her names, her words, her own subject lines.
HERS = ("ann lee", "lee, ann", "annwordone", "annwordtwo", "annwordthree", "qzdraft",
        "qzmeeting", "qzfeb")
# Bookkeeping that says what an incremental build reused: differs from a full build by design.
NOT_COMPARED = {"build_inputs"}


def add_month(data: Path, month: str) -> None:
    folder = data / "raw" / "list" / "bestbits"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / MONTHS[month], folder / f"{month}.txt")


def tables(db: Path) -> dict[str, list[tuple]]:
    """Every table of the database (but NOT_COMPARED), rows sorted, values as text."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
        return {name: sorted(tuple("" if v is None else str(v) for v in row) for row in
                             con.execute(f'SELECT * FROM "{name}"').fetchall())  # noqa: S608
                for name in names if name not in NOT_COMPARED}


def leaks(db: Path) -> list[tuple[str, str, str]]:
    return [(table, column, value) for table, column, value in stored_values(db)
            if any(word in value.lower() for word in HERS)]


def run_build(data: Path, db: Path, *, full: bool):
    notes: list[str] = []
    summary = build(data, db, progress=notes.append, full=full, workers=1)
    return summary


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The four builds: full and unchanged-incremental over December and January; incremental
    after February arrives, and full over the three months."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("BESTBITS_SALT", "synthetic-opt-out-salt")
    root = tmp_path_factory.mktemp("opt-out")
    data, incremental, full = root / "data", root / "incremental.duckdb", root / "full.duckdb"
    (data / "local").mkdir(parents=True)
    (data / "local" / "opt_out.txt").write_text(
        "# synthetic: the first of her two addresses, in pipermail's form\n"
        "ann.lee at old-example.org\n"
        "nobody.qzunmatched@example.org\n", encoding="utf-8")
    add_month(data, "2012-December")
    add_month(data, "2013-January")
    first = run_build(data, incremental, full=True)
    january_full = tables(incremental)
    january_leaks = leaks(incremental)
    again = run_build(data, incremental, full=False)
    january_again = tables(incremental)
    add_month(data, "2013-February")
    grown = run_build(data, incremental, full=False)
    run_build(data, full, full=True)
    yield {"january_full": january_full, "january_again": january_again,
           "january_leaks": january_leaks, "incremental": incremental, "full": full,
           "summaries": (first, again, grown)}
    monkeypatch.undo()


def test_an_unchanged_incremental_build_gives_the_full_builds_tables(builds):
    assert builds["summaries"][1].mode == "incremental"
    assert builds["january_again"] == builds["january_full"]


def test_a_new_month_from_her_second_address_gives_the_full_builds_tables(builds):
    assert builds["summaries"][2].mode == "incremental"
    incremental, full = tables(builds["incremental"]), tables(builds["full"])
    assert incremental.keys() == full.keys()
    for name in full:
        assert incremental[name] == full[name], name


def test_her_names_words_and_subject_lines_are_in_no_table_after_any_build(builds):
    assert builds["january_leaks"] == []
    assert leaks(builds["incremental"]) == []
    assert leaks(builds["full"]) == []


def test_she_is_one_person_with_both_addresses_and_every_message_counted(builds):
    with duckdb.connect(str(builds["incremental"]), read_only=True) as con:
        assert con.execute("SELECT display_name, n_addresses, n_messages FROM people "
                           "WHERE opted_out").fetchall() == [(None, 2, 3)]
        # Her messages count in the totals, with no name, words or subject.
        assert con.execute(
            "SELECT count(*), count(m.author_name), count(m.text), count(m.subject) "
            "FROM messages m JOIN people p USING (author_id) WHERE p.opted_out").fetchone() == (
            3, 0, 0, 0)
        # The replies that repeat her subject lines lose them; other subjects stay.
        subjects = {r[0] for r in con.execute("SELECT subject FROM messages").fetchall()}
        assert "[bestbits] Venue for the workshop" in subjects
        assert "Re: [bestbits] Planning for 2013" in subjects
        # Her thread's subject is withheld in the thread table too.
        assert con.execute("SELECT count(*) FROM list_threads WHERE subject IS NULL "
                           "AND list IS NULL").fetchone()[0] == 3


def test_other_peoples_words_name_her_nowhere_but_keep_theirs(builds):
    with duckdb.connect(str(builds["full"]), read_only=True) as con:
        texts = {r[0] for r in con.execute("SELECT text FROM messages WHERE text IS NOT NULL")
                 .fetchall()}
    assert "Thanks [name withheld] for the update. I agree with the plan." in texts
    assert "Agreed with [name withheld] on this point." in texts


def test_no_working_table_keeps_her_rows_for_the_next_build(builds):
    with duckdb.connect(str(builds["full"]), read_only=True) as con:
        kept = dict(con.execute("SELECT source, rows_kept FROM list_inputs").fetchall())
        assert kept == {"raw/list/bestbits/2012-December.txt": True,
                        "raw/list/bestbits/2013-February.txt": False,
                        "raw/list/bestbits/2013-January.txt": False}
        assert con.execute("SELECT DISTINCT source FROM list_parsed").fetchall() == [
            ("raw/list/bestbits/2012-December.txt",)]


def test_a_line_that_matches_nobody_is_reported_by_number_only(builds):
    for summary in builds["summaries"]:
        text = summary.text()
        assert "line 3 of local/opt_out.txt matched nobody on the list" in text
        assert "line 2" not in text and "qzunmatched" not in text


@pytest.mark.parametrize("name", ["message_search", "search", "message_search_substring",
                                  "search_substring"])
@pytest.mark.parametrize("words", ["Ann Lee", "Lee, Ann", "annwordthree", "qzfeb"])
def test_no_search_finds_her(builds, name, words):
    con = connect(builds["full"])
    try:
        hers = {r[0] for r in con.execute(
            "SELECT message_id FROM messages JOIN people USING (author_id) WHERE opted_out")
            .fetchall()}
        results = query.run(con.cursor(), name, {"q": words})
    finally:
        con.close()
    ids = set(results["message_id"] if "message_id" in results else
              results.loc[results["kind"] == "message", "id"])
    assert not ids & hers
    text = results.astype(str).to_csv().lower()
    assert not [word for word in HERS if word in text]


def test_a_display_name_in_the_file_opts_her_out_without_an_address(tmp_path, monkeypatch):
    monkeypatch.setenv("BESTBITS_SALT", "synthetic-opt-out-salt")
    data, db = tmp_path / "data", tmp_path / "by-name.duckdb"
    (data / "local").mkdir(parents=True)
    (data / "local" / "opt_out.txt").write_text("LEE, Ann  # by name\n", encoding="utf-8")
    add_month(data, "2013-January")
    summary = run_build(data, db, full=True)
    assert "matched nobody" not in summary.text()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT n_addresses, n_messages FROM people WHERE opted_out"
                           ).fetchall() == [(2, 2)]
    assert leaks(db) == []
