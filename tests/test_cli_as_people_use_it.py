"""The CLI as people use it: output piped into `head`, values mistyped, files that are not what
they should be, forums in lower case, a port already taken. Each case runs the real command in
its own process: one line and status 2 for what the user can fix, never a traceback."""

from __future__ import annotations

import csv
import io
import os
import shlex
import socket
import subprocess
import sys

import pytest

from bestbits import config
from bestbits.serve import voila_command
from support.cli import run_cli

# `| head` closes the pipe while the command may still be writing: whether the command is
# writing, flushing at exit or done when that happens varies from run to run (before the fix,
# 5 to 10 runs of 10 ended in a BrokenPipeError traceback), so each case runs several times.
HEAD_RUNS = 5


def through_head(args: list[str], tmp_path) -> tuple[int, str]:
    """Run `bestbits ARGS | head -1` in a shell: bestbits' own status and stderr."""
    errors = tmp_path / "stderr.txt"
    command = shlex.join([sys.executable, "-m", "bestbits.cli", *args])
    result = subprocess.run(
        ["bash", "-c", f'{command} 2>"$ERRORS" | head -1 >/dev/null; exit "${{PIPESTATUS[0]}}"'],
        cwd=config.REPO_ROOT, env={**os.environ, "ERRORS": str(errors)}, timeout=120)
    return result.returncode, errors.read_text()


def assert_one_line(result, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout[-500:], result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.mark.parametrize("args", [
    pytest.param(["query", "events", "--format", "csv"], id="csv"),
    pytest.param(["query", "--list"], id="list"),
    pytest.param(["query", "events", "--format", "json"], id="json"),
    pytest.param(["query", "events"], id="table"),
])
def test_a_reader_that_stops_reading_ends_the_command_quietly_with_status_0(built_db, tmp_path,
                                                                           args):
    for _ in range(HEAD_RUNS):
        status, errors = through_head([*args, "--db", str(built_db)], tmp_path)
        assert (status, errors) == (0, "")


def test_forum_values_are_matched_in_any_case(built_db):
    result = run_cli("query", "events", "--db", str(built_db), "--param", "forum=netmundial",
                     "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {row["forum"] for row in rows} == {"NETmundial"}
    exact = run_cli("query", "events", "--db", str(built_db), "--param", "forum=NETmundial",
                    "--format", "csv")
    assert exact.stdout == result.stdout


def test_an_unknown_forum_lists_the_forums(built_db):
    result = run_cli("query", "events", "--db", str(built_db), "--param", "forum=Atlantis")
    assert_one_line(result, "Atlantis", "IGF", "NETmundial", "WSIS+10")


@pytest.mark.parametrize("param, words", [
    ("year=abc", ["year", "whole number"]),
    ("year=2014.5", ["year", "whole number"]),
    ("from_year=twenty", ["from_year", "whole number"]),
    ("colour=red", ["no parameter colour"]),
    ("year", ["key=value"]),
])
def test_a_mistyped_value_is_one_line_and_status_2(built_db, param, words):
    name = "activity_by_year_forum" if param.startswith("from_year") else "statements"
    result = run_cli("query", name, "--db", str(built_db), "--param", param)
    assert_one_line(result, *words)


def test_a_month_and_a_true_or_false_are_checked_too(built_db):
    result = run_cli("query", "sources_list_month_messages", "--db", str(built_db),
                     "--param", "month=2014-13")
    assert_one_line(result, "YYYY-MM")
    result = run_cli("query", "parse_disagreements", "--db", str(built_db),
                     "--param", "include_gaps=perhaps")
    assert_one_line(result, "true or false")
    result = run_cli("query", "parse_disagreements", "--db", str(built_db),
                     "--param", "include_gaps=yes")
    assert result.returncode == 0, result.stderr


def test_query_list_names_each_parameters_type():
    result = run_cli("query", "--list")
    assert "--param year=... [a whole number]" in result.stdout
    assert "--param forum=... [a forum]" in result.stdout


@pytest.fixture
def not_a_database(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("these are my notes, not a database\n")
    return path


@pytest.mark.parametrize("command", [
    ["query", "events"], ["export", "--out", "{tmp}/out"], ["publish", "--out", "{tmp}/site"],
    ["serve", "--port", "1"]], ids=["query", "export", "publish", "serve"])
def test_a_db_that_is_not_a_database_is_one_line_and_status_2(not_a_database, tmp_path, command):
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    result = run_cli(*args, "--db", str(not_a_database))
    assert_one_line(result, str(not_a_database), "cannot be opened as a database")
    assert not (tmp_path / "out").exists() and not (tmp_path / "site").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["notes.duckdb"]


def test_a_folder_given_as_db_is_one_line_and_status_2(tmp_path):
    result = run_cli("query", "events", "--db", str(tmp_path))
    assert_one_line(result, "cannot be opened as a database")


def test_export_onto_an_existing_file_is_one_line_and_status_2(built_db, tmp_path):
    target = tmp_path / "events.csv"
    target.write_text("my own table\n")
    result = run_cli("export", "--db", str(built_db), "--out", str(target))
    assert_one_line(result, "is not a folder")
    assert target.read_text() == "my own table\n"


def test_build_never_replaces_a_db_that_is_not_a_database(not_a_database, tmp_path):
    before = not_a_database.read_bytes()
    result = run_cli("build", "--data-dir", str(tmp_path), "--db", str(not_a_database))
    assert_one_line(result, "is not a DuckDB database")
    assert not_a_database.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.duckdb"]


def test_build_refuses_zero_workers(tmp_path):
    result = run_cli("build", "--data-dir", str(tmp_path), "--workers", "0")
    assert_one_line(result, "--workers 0")
    assert not (tmp_path / "bestbits.duckdb").exists()


# -- serve's port --------------------------------------------------------------------------

def test_serve_on_a_busy_port_says_so_in_one_line(built_db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--db", str(built_db), "--port", str(port), timeout=60)
    assert_one_line(result, f"port {port}", "in use", "--port")


@pytest.mark.parametrize("host, port, words", [("127.0.0.1", "70000", ["--port 70000"]),
                                               ("10.255.255.254", "8866", ["not an address"])])
def test_serve_on_an_impossible_port_or_host_says_so_in_one_line(built_db, host, port, words):
    result = run_cli("serve", "--db", str(built_db), "--host", host, "--port", port, timeout=60)
    assert_one_line(result, *words)


def test_voila_never_moves_to_another_port_than_the_one_announced(built_db):
    command = voila_command(built_db, "127.0.0.1", 8866)
    assert "--port=8866" in command and "--Voila.port_retries=0" in command
