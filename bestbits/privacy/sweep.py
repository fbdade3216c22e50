"""Rewrite text columns of the database being built: the after-build address sweep, and the
opt-out's names.

Every text the build stores has passed the gate (addresses.py) on its way in; the sweep is the
defence in depth behind it. Once the build is done, it reads every text column of every table
(DuckDB's RE2 picks the values that could hold an address, the gate decides), redacts what
survived, and counts it, so that a gate that missed a route shows in the build summary rather
than in a published edition. On a corpus the gate covers, it finds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from bestbits.privacy.addresses import contains_address
from bestbits.privacy.gate import Gate, is_url_column
from bestbits.query import load_sql

# Whitespace as Unicode writes it (RE2's \s is ASCII only): a no-break space around an 'at'.
_SPACE = r"[\s\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
# Characters whose NFKC form holds an '@', '%', '&', a bracket or the letters of 'at'
# (full-width forms, mathematical letters, small forms...): tests/test_privacy_gate.py checks
# this list against Unicode.
NFKC_MARKERS = (
    r"\x{AA}\x{1D2C}\x{1D40}\x{1D43}\x{1D57}\x{1E9A}\x{207D}\x{208D}\x{2090}\x{209C}"
    r"\x{2100}-\x{2101}\x{2121}-\x{2122}\x{213B}\x{2474}-\x{2487}\x{249C}-\x{24B6}\x{24C9}"
    r"\x{24D0}\x{24E3}\x{3200}-\x{321E}\x{3220}-\x{3243}\x{3250}\x{32CF}\x{3371}-\x{3374}"
    r"\x{3380}-\x{3384}\x{3388}-\x{3389}\x{3394}\x{33A9}-\x{33AF}\x{33C2}\x{33CA}\x{33CF}"
    r"\x{33DF}\x{33FF}\x{FB05}-\x{FB06}\x{FE35}\x{FE37}\x{FE47}\x{FE59}\x{FE5B}\x{FE60}\x{FE64}"
    r"\x{FE6A}-\x{FE6B}\x{FF05}-\x{FF06}\x{FF08}\x{FF1C}\x{FF20}-\x{FF21}\x{FF34}\x{FF3B}"
    r"\x{FF41}\x{FF54}\x{FF5B}\x{1D400}-\x{1D6A3}\x{1F110}-\x{1F129}\x{1F130}\x{1F143}")
# A superset of what the gate finds, in RE2 (no Unicode classes: \pL made each query 10x
# slower to compile): an at-sign, an escape (%xx, &...;), a bracketed or
# bare at-word before a host and a dot, mailto:, a character NFKC folds into one of these, or a
# local path.
ADDRESS_PREFILTER = (
    r"(?i)@|%[0-9a-f]{2}|&#?[a-z0-9]+;?|mailto:|file:|"
    r"[\[({<]" + _SPACE + r"*at" + _SPACE + r"*[\])}>]|"
    r"at" + _SPACE + r"+[^\s.\[({<]+" + _SPACE + r"*(?:\.|[\[({<]|dot" + _SPACE + r")|"
    r"[" + NFKC_MARKERS + r"]")



def text_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(table, column) of every text column of every table of the connection's database."""
    return [tuple(row) for row in con.execute(load_sql("load/privacy_text_columns.sql")).fetchall()]


def rewrite_text_columns(con: duckdb.DuckDBPyConnection, prefilter: str,
                         rewrite: Callable[[str, str, str], str],
                         columns: list[tuple[str, str]] | None = None
                         ) -> dict[tuple[str, str], int]:
    """For each (table, column), the values PREFILTER (RE2) finds are given to
    REWRITE(table, column, value); those it changes are written back. Returns how many values
    changed per column (columns with none left out). One query per table reads them all."""
    by_table: dict[str, list[str]] = {}
    for table, column in columns if columns is not None else text_columns(con):
        by_table.setdefault(table, []).append(column)
    changed: dict[tuple[str, str], int] = {}
    for table, names in by_table.items():
        # Table and column names come from the database's own catalogue, quoted; the pattern is
        # a bound parameter.
        quoted = [_quoted(name) for name in names]
        rows = con.execute(_filled(load_sql("load/privacy_candidates.sql"), {
            "{table}": _quoted(table), "{columns}": ", ".join(quoted),
            "{matches}": " OR ".join(f"regexp_matches({q}, $1)" for q in quoted)}),
            [prefilter]).fetchall()
        for index, column in enumerate(names, start=1):
            updates = [(row[0], new) for row in rows if (value := row[index]) is not None
                       and (new := rewrite(table, column, value)) != value]
            if updates:
                _write_back(con, table, column, updates)
                changed[(table, column)] = len(updates)
    return changed


def _write_back(con: duckdb.DuckDBPyConnection, table: str, column: str,
                updates: list[tuple[int, str]]) -> None:
    import pandas as pd

    con.register("privacy_rewrites", pd.DataFrame(updates, columns=["row_id", "value"]))
    try:
        con.execute(_filled(load_sql("load/privacy_rewrite.sql"),
                            {"{table}": _quoted(table), "{column}": _quoted(column)}))
    finally:
        con.unregister("privacy_rewrites")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _filled(sql: str, names: dict[str, str]) -> str:
    for placeholder, name in names.items():
        sql = sql.replace(placeholder, name)
    return sql


def sweep_addresses(con: duckdb.DuckDBPyConnection, data_dir: Path) -> dict[tuple[str, str], int]:
    """Redact every address (and local path) left in any text column; returns what was changed,
    per column, and records it in ingest_notes."""
    gate = Gate(data_dir)

    def redacted(_table: str, column: str, value: str) -> str:
        return gate.url(value) if is_url_column(column) else gate.text(value)

    changed = rewrite_text_columns(con, ADDRESS_PREFILTER, redacted)
    if changed:
        con.executemany(load_sql("load/privacy_note.sql"), [
            [f"{table}.{column}", "privacy sweep",
             "values that still held an address or a local path after the build: redacted", n]
            for (table, column), n in sorted(changed.items())])
    return changed


def survivors(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(table, column) of every text column where the gate's detector still finds an address:
    what tests assert is empty."""
    found: set[tuple[str, str]] = set()

    def check(table: str, column: str, value: str) -> str:
        if contains_address(value):
            found.add((table, column))
        return value

    rewrite_text_columns(con, ADDRESS_PREFILTER, check)
    return sorted(found)


__all__ = ["ADDRESS_PREFILTER", "rewrite_text_columns", "survivors", "sweep_addresses",
           "text_columns"]
