"""Run the named queries in queries/*.sql with bound parameters, never string formatting.

Each query file starts with a header comment:

    -- One-line description of what the query returns.
    -- @param from_year = 2012 | first year shown
    -- @param forum =        | a forum code; empty means every forum

Parameters appear in the SQL as $name and are always passed to DuckDB as bound values.

A query may also declare a search of the full-text index (bestbits/search.py), whose hits the
SQL then reads as a table:

    -- @search hits = message_hits(q, list, year, forum, limit)

runs `message_hits` with those parameters' values and gives its rows to the SQL as `hits`.
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
_SEARCH = re.compile(r"^--\s*@search\s+(\w+)\s*=\s*(\w+)\s*\(([\w\s,]*)\)\s*$")


class QueryError(Exception):
    """A query that cannot run as asked (unknown name or parameter); the message says why."""


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str | None
    help: str


@dataclass(frozen=True)
class Search:
    relation: str               # the name the SQL reads the hits by
    function: str               # a search of bestbits.search.SEARCHES
    arguments: tuple[str, ...]  # the query's parameters it is given, in order


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    description: str
    parameters: tuple[Parameter, ...]
    searches: tuple[Search, ...] = ()

    @property
    def sql(self) -> str:
        return self.path.read_text()


def _parse_header(name: str, path: Path) -> NamedQuery:
    description, params, searches = "", [], []
    for line in path.read_text().splitlines():
        if not line.startswith("--"):
            break
        match = _PARAM.match(line)
        search = _SEARCH.match(line)
        if match:
            pname, default, help_text = match.groups()
            params.append(Parameter(pname, default if default != "" else None, help_text or ""))
        elif search:
            relation, function, arguments = search.groups()
            searches.append(Search(relation, function,
                                   tuple(a.strip() for a in arguments.split(",") if a.strip())))
        elif not description:
            description = line.lstrip("-").strip()
    return NamedQuery(name, path, description, tuple(params), tuple(searches))


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
    values = _values(query, given)
    used = set(re.findall(r"\$(\w+)", query.sql))
    return {k: v for k, v in values.items() if k in used}


def _values(query: NamedQuery, given: dict[str, object]) -> dict[str, object]:
    values: dict[str, object] = {p.name: p.default for p in query.parameters}
    values.update({k: (None if v == "" else v) for k, v in given.items()})
    return values


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object] | None = None
        ) -> pd.DataFrame:
    """Run the named query NAME on CON (a cursor of its own: the searches' hits are registered
    on it for the query's time)."""
    query = get(name)
    bound = bind(query, params)
    if not query.searches:
        return con.execute(query.sql, bound).df()
    from bestbits import search

    values = _values(query, dict(params or {}))
    registered = []
    try:
        for declared in query.searches:
            function = search.SEARCHES.get(declared.function)
            if function is None:
                raise QueryError(f"query {query.name!r} declares an unknown search "
                                 f"{declared.function!r}")
            try:
                hits = function(con, *(values.get(a) for a in declared.arguments))
            except search.SearchIndexMissing as exc:
                raise QueryError(str(exc)) from exc
            con.register(declared.relation, hits)
            registered.append(declared.relation)
        return con.execute(query.sql, bound).df()
    finally:
        for relation in registered:
            con.unregister(relation)
