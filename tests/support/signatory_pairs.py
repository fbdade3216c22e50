"""Two organisations that signed exactly two statements together, found from the signatories as
stored (not through the network's queries), for the network tests to check the network against."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import duckdb
import pytest


def organisations_sharing_two_statements(db: Path) -> tuple[str, str, list[str]]:
    """(A, B, the two statement ids), A before B; skips the test when the record has none."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT DISTINCT statement_id, name FROM signatories "
                           "WHERE kind = 'organisation'").fetchall()
    signed: dict[str, set[str]] = {}
    for statement_id, name in rows:
        signed.setdefault(name, set()).add(statement_id)
    for a, b in combinations(sorted(signed), 2):
        shared = signed[a] & signed[b]
        if len(shared) == 2:
            return a, b, sorted(shared)
    pytest.skip("the record has no two organisations that signed the same two statements")
