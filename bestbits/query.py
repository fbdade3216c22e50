"""Run the named queries in queries/*.sql with bound parameters, never string formatting.

Each query file starts with a header comment:

    -- One-line description of what the query returns.
    -- @param from_year = 2012 | first year shown
    -- @param forum =        | a forum code; empty means every forum

Parameters appear in the SQL as $name and are always passed to DuckDB as bound values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from bestbits import config

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PARAM = re.compile(r"^--\s*@param\s+(\w+)\s*=\s*(.*?)\s*(?:\|\s*(.*))?$")


class QueryError(Exception):
    """A query that cannot run as asked (unknown name or parameter); the message says why."""


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str | None
    help: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    description: str
    parameters: tuple[Parameter, ...]

    @property
    def sql(self) -> str:
        return self.path.read_text()


def _parse_header(name: str, path: Path) -> NamedQuery:
    description, params = "", []
    for line in path.read_text().splitlines():
        if not line.startswith("--"):
            break
        match = _PARAM.match(line)
        if match:
            pname, default, help_text = match.groups()
            params.append(Parameter(pname, default if default != "" else None, help_text or ""))
        elif not description:
            description = line.lstrip("-").strip()
    return NamedQuery(name, path, description, tuple(params))


def available(queries_dir: Path = config.QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query: the .sql files directly in queries/ (schema/ and load/ are the build's)."""
    return {p.stem: _parse_header(p.stem, p) for p in sorted(queries_dir.glob("*.sql"))}


def get(name: str) -> NamedQuery:
    if not _NAME.fullmatch(name):
        raise QueryError(f"{name!r} is not a query name (letters, digits and _ only)")
    # Only the one file: parsing every header for each run cost 20 ms (benchmarks/bench_search.py).
    path = config.QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"no query named {name!r}; see: bestbits query --list")
    return _parse_header(name, path)


def bind(query: NamedQuery, given: dict[str, object] | None = None) -> dict[str, object]:
    """The parameter values for a run: given values over the header's defaults."""
    given = dict(given or {})
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(unknown)}; it takes: "
            + (", ".join(declared) or "none")
        )
    values = {name: p.default for name, p in declared.items()}
    values.update({k: (None if v == "" else v) for k, v in given.items()})
    used = set(re.findall(r"\$(\w+)", query.sql))
    return {k: v for k, v in values.items() if k in used}


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object] | None = None
        ) -> pd.DataFrame:
    query = get(name)
    return con.execute(query.sql, bind(query, params)).df()
