"""The fuller curated record (issue 17): its counts and dates, its checks, the statements'
summaries (searchable, shown as summaries), and the signatories merged from every source."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from bestbits import config, query
from bestbits.database import connect
from bestbits.load.build import create_schema
from bestbits.load.curated import read_curated
from bestbits.load.loader import InputError, Loader
from bestbits.load.reconcile import (
    CURATED_LIST,
    CURATED_NOTABLE,
    ListedSignatory,
    merge_signatories,
    same_signatory,
)
from support.cli import run_cli

SHARED_REFERENCE = Path("/work/shared/reference")


def run(db: Path, name: str, **params):
    with connect(db) as con:
        return query.run(con, name, params)


def test_the_build_of_the_embedded_record_reports_its_counts_and_nothing_after_2019(tmp_path):
    result = run_cli("build", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for table, rows in (("statements", 43), ("events", 25), ("messages", 91)):
        assert f"{table:<16} curated  {rows:>7}" in result.stdout, table
    with duckdb.connect(str(tmp_path / "bestbits.duckdb"), read_only=True) as con:
        latest = con.execute(
            "SELECT max(d) FROM ("
            " SELECT greatest(start_date, end_date) AS d FROM events"
            " UNION ALL SELECT CAST(start_month || '-01' AS DATE) FROM events"
            " UNION ALL SELECT date FROM statements"
            " UNION ALL SELECT CAST(date_month || '-01' AS DATE) FROM statements"
            " UNION ALL SELECT CAST(sent_at AS DATE) FROM messages"
            " UNION ALL SELECT CAST(sent_month || '-01' AS DATE) FROM messages)").fetchone()[0]
        assert latest.year <= 2019
        # The two sample messages filed in the archive's 2022-January folder carry the month
        # their neighbours show.
        assert dict(con.execute(
            "SELECT message_id, sent_month FROM messages WHERE url LIKE '%/2022-January/%'"
        ).fetchall()) == {"curated:bestbits/2022-January/001715.html": "2013-10",
                          "curated:bestbits/2022-January/008185.html": "2018-12"}


@pytest.mark.skipif(not SHARED_REFERENCE.is_dir(), reason="the shared reference record "
                    f"({SHARED_REFERENCE}) is not on this machine")
def test_the_curated_record_is_in_line_with_the_shared_reference():
    """Every row of the shared reference, as it is, plus the archived_url column, which holds
    a memento only where the row's own source already is one."""
    for shared in sorted(SHARED_REFERENCE.glob("*.csv")):
        ours = config.REFERENCE_DIR / shared.name
        with shared.open(newline="", encoding="utf-8") as a, ours.open(newline="",
                                                                       encoding="utf-8") as b:
            theirs, mine = list(csv.DictReader(a)), list(csv.DictReader(b))
        assert [{k: v for k, v in r.items() if k != "archived_url"} for r in mine] == theirs
        source = "summary_basis_url" if "summary_basis_url" in mine[0] else "source_url"
        for row in mine:
            assert row["archived_url"] in ("", row[source]), (shared.name, row)
            if row["archived_url"]:
                assert "/web/2" in row["archived_url"]


@pytest.fixture
def reference(tmp_path) -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(config.REFERENCE_DIR, folder)
    return folder


def edit(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1], lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def problems_of(reference: Path, tmp_path: Path) -> list[str]:
    con = duckdb.connect()
    create_schema(con)
    try:
        read_curated(tmp_path, Loader(con, tmp_path), reference)
    except InputError as error:
        return error.problems
    finally:
        con.close()
    return []


@pytest.mark.parametrize("file, line, old, new, problem", [
    ("statement_summaries.csv", 2, "wcit-baku-2012,", "wcit-baku-2021,",
     "statement_id 'wcit-baku-2021' is not in statements.csv"),
    ("statement_summaries.csv", 2, ",4,", ",6,", "max_shared_run 6: a summary may share at most 5"),
    ("statement_summaries.csv", 2, "Submission to", "Write to jo@example.org about",
     "summary holds an e-mail address"),
    ("statement_summaries.csv", 3, "post-wcit-2012,", "wcit-baku-2012,",
     "statement_id appears twice"),
    ("statement_signatories.csv", 2, ",organisation,", ",org,", "kind 'org' is not one of"),
    ("statement_signatories.csv", 2, "cs-unity-wcit-2012,1,", "cs-unity-wcit-2012,first,",
     "position 'first' is not a whole number"),
    ("statement_signatories.csv", 3, "cs-unity-wcit-2012,2,", "cs-unity-wcit-2012,1,",
     "position 1 of this statement's list at this source_url appears twice"),
    ("list_messages.csv", 61, ",2013-10,", ",2022-01,",
     "month 2022-01 is outside the bestbits archive's span (2012-08 to 2019-05"),
    ("list_messages.csv", 2, ",2012-08,", ",2012-09,", "month 2012-09 but date_line says 2012-08"),
    ("milestones.csv", 2, ",\n", ",https://example.org/copy\n",
     "archived_url 'https://example.org/copy' is not a web archive's address"),
    ("agenda_items.csv", 2, "bb2012-baku,", "bb2021-baku,",
     "event_id 'bb2021-baku' is not in events.csv"),
])
def test_bad_curated_rows_are_named_with_file_line_and_problem(reference, tmp_path, file, line,
                                                               old, new, problem):
    edit(reference / file, line, old, new)
    found = problems_of(reference, tmp_path)
    assert any(p.startswith(f"{reference / file}, line {line}: ") and problem in p
               for p in found), found


def test_the_curated_record_passes_its_own_checks(tmp_path):
    assert problems_of(config.REFERENCE_DIR, tmp_path) == []


# -- signatories ----------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("EFF", "Electronic Frontier Foundation (EFF)"),
    ("CDT", "Center for Democracy & Technology"),
    ("Access", "Access (Brett Example)"),
    ("The Centre for Internet & Society", "Centre for Internet and Society"),
    ("APC", "Association For Progressive Communications"),
    ("ARTICLE 19", "Article 19"),
    ("CTS/FGV", "Center for Technology and Society (CTS/FGV)"),
])
def test_two_listings_of_one_signatory_are_one(a, b):
    assert same_signatory(a, b) and same_signatory(b, a)


@pytest.mark.parametrize("a, b", [
    ("Access", "Access Now"),
    ("OpenMedia (Canada)", "OpenMedia (International)"),
    ("Jane Example", "Jane Sample"),
    ("", "Access"),
])
def test_two_signatories_stay_two(a, b):
    assert not same_signatory(a, b)


def test_listings_merge_into_one_row_per_signatory_with_every_source():
    page, notable, other = "https://a.example/list", "https://b.example/", "https://c.example/"
    rows = merge_signatories([
        ListedSignatory("s1", "OpenMedia (Canada)", CURATED_LIST, page, 1, "organisation",
                        country="Canada"),
        ListedSignatory("s1", "OpenMedia (International)", CURATED_LIST, page, 2,
                        "organisation"),
        ListedSignatory("s1", "OpenMedia", CURATED_NOTABLE, notable),
        ListedSignatory("s1", "Jane Example", CURATED_NOTABLE, notable),
        ListedSignatory("s1", "EFF", CURATED_LIST, other, 1, "organisation"),
        ListedSignatory("s2", "EFF", CURATED_NOTABLE, notable),
        ListedSignatory("s1", "Electronic Frontier Foundation (EFF)", CURATED_LIST, page, 3),
    ])
    by_name = {(r["statement_id"], r["name"]): r for r in rows}
    assert list(by_name) == [("s1", "OpenMedia (Canada)"), ("s1", "OpenMedia (International)"),
                             ("s1", "EFF"), ("s1", "Jane Example"), ("s2", "EFF")]
    canada = by_name[("s1", "OpenMedia (Canada)")]
    assert (canada["listed_by"], canada["other_source_urls"], canada["position"],
            canada["country"]) == (f"{CURATED_LIST}; {CURATED_NOTABLE}", notable, 1, "Canada")
    assert by_name[("s1", "OpenMedia (International)")]["listed_by"].endswith(CURATED_NOTABLE)
    eff = by_name[("s1", "EFF")]
    assert (eff["source_url"], eff["other_source_urls"], eff["kind_basis"]) == (
        other, page, CURATED_LIST)
    jane = by_name[("s1", "Jane Example")]
    assert (jane["listed_by"], jane["kind"], jane["position"]) == (CURATED_NOTABLE, None, None)
    assert all(r["method"] == "curated" for r in rows)


def test_each_statement_lists_each_signatory_once_with_its_sources(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        rows = con.execute("SELECT statement_id, name, listed_by, position, source_url, kind, "
                           "kind_basis FROM signatories").fetchall()
        listed = con.execute("SELECT count(*) FROM signatories WHERE listed_by LIKE "
                             "'%curated list%'").fetchone()[0]
    by_statement: dict[str, list[tuple]] = {}
    for row in rows:
        by_statement.setdefault(row[0], []).append(row)
    for statement, signatories in by_statement.items():
        for i, a in enumerate(signatories):
            for b in signatories[i + 1:]:
                # Only two entries of one list may resemble each other (two chapters).
                assert not same_signatory(a[1], b[1]) or (a[4] == b[4] and a[3] != b[3]), (
                    statement, a[1], b[1])
    assert {r[1] for r in by_statement["cs-unity-wcit-2012"]} >= {
        "Electronic Frontier Foundation (EFF)", "Thai Netizen Network"}
    assert len(by_statement["cs-unity-wcit-2012"]) == 16  # 16 listed; the 15 notable among them
    assert all(r[2] for r in rows)
    # 73 listings of 20 statements in the curated list, some naming one signatory twice.
    assert 60 <= listed <= 73
    assert all(r[5] for r in rows)  # every signatory has a kind, and says what told it
    curated_list_kinds = {r[6] for r in rows if r[2].startswith(CURATED_LIST)}
    assert curated_list_kinds == {CURATED_LIST}


def test_signatories_listed_are_said_against_the_count_the_source_states(built_db):
    counts = run(built_db, "statement_signatory_counts").set_index("statement_id")
    hrc = counts.loc["hrc-surveillance-2013"]
    assert (hrc["stated"], hrc["stated_number"], hrc["listed"]) == (">90", 90, 8)
    assert hrc["listed_against_stated"] == (
        "8 of more than 90 signatories the source states are listed: the list is partial.")
    assert counts.loc["amazon-2017", "listed_against_stated"] == (
        "No signatory is listed, and the source states no count.")
    assert counts.loc["wcit-baku-2012", "listed_against_stated"] == (
        "11 signatories are listed; the source states 10.")
    assert len(counts) == 43


def test_a_signatory_chart_has_data_behind_it_or_is_not_drawn(built_db):
    summary = run(built_db, "statement_signatory_summary", statement_id="hrc-surveillance-2013")
    assert "not stated" not in set(summary["value"])
    countries = summary[summary["facet"] == "country"]
    assert set(countries["value"]) == {"Brazil", "Pakistan"}
    assert set(countries["stated"]) == {2} and set(countries["listed"]) == {8}
    # A statement none of whose signatories has a country: no country facet at all.
    none = run(built_db, "statement_signatory_summary", statement_id="netmundial-closing-2014")
    assert set(none["facet"]) == {"kind"}


# -- summaries --------------------------------------------------------------------------------

def test_a_statement_is_found_by_a_word_of_its_summary_or_a_topic(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        expected = {r[0] for r in con.execute(
            "SELECT statement_id FROM statement_summaries WHERE contains(lower(summary), "
            "'surveillance') OR contains(topics, 'surveillance')").fetchall()}
        full_text = con.execute("SELECT full_text_search FROM search_capabilities"
                                ).fetchone()[0]
    assert {"us-congress-2013", "hrc-surveillance-2013"} <= expected
    names = ["statement_search_substring"] + (["statement_search"] if full_text else [])
    for name in names:
        found = set(run(built_db, name, q="surveillance")["statement_id"])
        assert expected <= found, name
        # A topic alone: "net neutrality" is a topic of statements whose titles do not say it.
        by_topic = set(run(built_db, name, q="neutrality")["statement_id"])
        assert "facebook-freebasics-2016" in by_topic, name


def test_the_summary_is_shown_with_its_basis_page(built_db):
    detail = run(built_db, "statement_detail", statement_id="us-congress-2013").iloc[0]
    assert detail["summary"].startswith("Letter from an international civil society")
    assert detail["summary_basis_url"].startswith("https://internetdemocracy.in/")
    assert detail["summary_archived_url"] == (
        "https://web.archive.org/web/201306/" + detail["summary_basis_url"])
    assert detail["summary_archived_match"] == "nearest"


def test_a_semicolon_inside_parentheses_does_not_split_a_notable_signatory(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT name FROM signatories WHERE statement_id = "
                                           "'ep-igf-resolution-2015'").fetchall()]
    assert "Computer & Communications Industry Association (CCIA; drafter)" in names
    assert not any(n.endswith(")") and "(" not in n for n in names)
