"""`bestbits query`: named queries, bound parameters, the three output formats."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bestbits import query
from bestbits.database import connect
from support.cli import run_cli

FORUMS = ["IGF", "NETmundial", "WSIS+10", "UNESCO", "ITU", "HRC", "ICANN", "other"]


def test_activity_by_year_forum_as_csv_lists_2012_to_2019_for_each_forum(built_db):
    result = run_cli("query", "activity_by_year_forum", "--db", str(built_db), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    for forum in FORUMS:
        years = [int(r["year"]) for r in rows if r["forum"] == forum]
        assert years == list(range(2012, 2020)), forum
    igf = {int(r["year"]): int(r["events"]) for r in rows if r["forum"] == "IGF"}
    assert igf[2012] == 1  # Baku 2012, the founding meeting before IGF 2012


def test_query_list_shows_every_query_with_its_description():
    result = run_cli("query", "--list")
    assert result.returncode == 0
    for name in ("activity_by_year_forum", "events", "statements", "coverage",
                 "forum_disagreements"):
        assert name in result.stdout
    assert "zero-filled" in result.stdout


def test_every_named_query_has_a_description_and_runs(built_db):
    con = connect(built_db)
    for named in query.available().values():
        assert named.description, f"{named.name} has no description line"
        query.run(con.cursor(), named.name)


def test_parameters_are_bound_so_sql_in_a_value_is_only_text(built_db):
    con = connect(built_db)
    frame = query.run(con, "statement_search_substring", {"q": "x' OR 1=1 --"})
    assert frame.empty
    assert len(query.run(con, "events", {"forum": "IGF"})) >= 5
    with pytest.raises(query.QueryError, match="not a forum"):
        query.run(con, "events", {"forum": "IGF' OR 1=1 --"}, strict=True)
    # The dashboards' way: what is not a forum is bound as text, and matches nothing.
    assert query.run(con, "events", {"forum": "IGF' OR 1=1 --"}).empty
    assert len(query.run(con, "events", {"forum": "igf"})) >= 5


def test_unknown_parameters_and_names_are_clear_errors(built_db):
    result = run_cli("query", "events", "--db", str(built_db), "--param", "colour=red")
    assert result.returncode == 2 and "has no parameter colour" in result.stderr
    result = run_cli("query", "../etc/passwd", "--db", str(built_db))
    assert result.returncode == 2 and "not a query name" in result.stderr


def test_json_output_and_missing_database(built_db, tmp_path):
    result = run_cli("query", "statements", "--db", str(built_db), "--format", "json",
                     "--param", "year=2014")
    rows = json.loads(result.stdout)
    assert rows and all(r["year"] == 2014 for r in rows)
    result = run_cli("query", "events", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2 and "bestbits build" in result.stderr


@pytest.mark.parametrize("command", [[], ["build"], ["query"], ["serve"], ["export"],
                                     ["collect"], ["collect", "site"], ["collect", "warc"],
                                     ["collect", "list"], ["collect", "mbox"]])
def test_every_command_has_help(command):
    result = run_cli(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: bestbits" in result.stdout
