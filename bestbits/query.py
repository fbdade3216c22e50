"""Run the named queries in queries/*.sql with bound parameters, never string formatting.

Each query file starts with a header comment:

    -- One-line description of what the query returns.
    -- @param from_year: integer = 2012 | first year shown
    -- @param forum: forum =             | a forum code; empty means every forum

Parameters appear in the SQL as $name and are always passed to DuckDB as bound values. A
parameter may declare its type after a colon (text when it does not), and a value given as text
(`bestbits query --param year=2014`) is converted before it is bound. With `strict=True` (the
CLI) a value that is not of its type is refused with QueryError; otherwise (the dashboards) it
goes to DuckDB as given, as it always did, and a forum is only spelled as the forums table does:

    integer   a whole number                 year=2014
    boolean   true or false (yes/no, 1/0)    include_gaps=true
    month     a month, YYYY-MM               month=2014-04
    forum     a forum of the forums table, in any case; an unknown one is refused with the
              list of forums                 forum=netmundial -> NETmundial

A query may also declare a search of the full-text index (bestbits/search.py), whose hits the
SQL then reads as a table:

    -- @search hits = message_hits(q, list, year, forum, limit)

runs `message_hits` with those parameters' values (typed as above) and gives its rows to the
SQL as `hits`.

`rows` gives a query's result as `Rows`: plain Python values (DuckDB's fetchall), which is all
the dashboards need and keeps pandas and pyarrow (~125 MB) out of every kernel; `run` gives a
pandas DataFrame, for the CLI and the exports.
"""

from __future__ import annotations

import re
import sys
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from bestbits import config

if TYPE_CHECKING:
    import pandas as pd

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PARAM = re.compile(r"^--\s*@param\s+(\w+)\s*(?::\s*(\w+)\s*)?=\s*(.*?)\s*(?:\|\s*(.*))?$")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
TYPES = {"text": "text", "integer": "a whole number", "boolean": "true or false",
         "month": "a month, YYYY-MM", "forum": "a forum"}
_SEARCH = re.compile(r"^--\s*@search\s+(\w+)\s*=\s*(\w+)\s*\(([\w\s,]*)\)\s*$")


class QueryError(Exception):
    """A query that cannot run as asked (unknown name or parameter); the message says why."""


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str | None
    help: str
    type: str = "text"  # one of TYPES


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
            pname, ptype, default, help_text = match.groups()
            if (ptype or "text") not in TYPES:
                raise QueryError(f"{path}: parameter {pname} has an unknown type {ptype!r} "
                                 f"(known: {', '.join(TYPES)})")
            params.append(Parameter(pname, default if default != "" else None, help_text or "",
                                    ptype or "text"))
        elif search:
            relation, function, arguments = search.groups()
            searches.append(Search(relation, function,
                                   tuple(a.strip() for a in arguments.split(",") if a.strip())))
        elif not description:
            description = line.lstrip("-").strip()
    return NamedQuery(name, path, description, tuple(params), tuple(searches))


def load_sql(relative: str) -> str:
    """The text of queries/RELATIVE (e.g. "load/list_people.sql"): the one way Python reads the
    SQL that lives in queries/, the build's and the search's as well as the named queries'."""
    return (config.QUERIES_DIR / relative).read_text(encoding="utf-8")


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


def bind(query: NamedQuery, given: dict[str, object] | None = None,
         strict: bool = False) -> dict[str, object]:
    """The parameter values for a run: given values over the header's defaults, converted to
    their declared types (STRICT: QueryError for a value that is not of its type)."""
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
    return {k: _typed(declared[k], v, strict) for k, v in values.items() if k in used}


def _typed(parameter: Parameter, value: object, strict: bool) -> object:
    """VALUE as its parameter's type; text is checked and converted, other values pass as given
    (the dashboards bind numbers and booleans of their own)."""
    if value is None or not isinstance(value, str) or parameter.type in ("text", "forum"):
        return value
    text = value.strip()
    if parameter.type == "integer" and re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if parameter.type == "boolean" and text.lower() in _BOOLEANS:
        return _BOOLEANS[text.lower()]
    if parameter.type == "month" and _MONTH.fullmatch(text):
        return text
    if not strict:
        return value
    example = parameter.default or {"integer": "2014", "boolean": "true",
                                    "month": "2014-04"}[parameter.type]
    raise QueryError(f"{parameter.name}={value!r}: {parameter.name} takes {TYPES[parameter.type]} "
                     f"(for example {parameter.name}={example})")


_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _forums_named(con: duckdb.DuckDBPyConnection, values: dict[str, object],
                  query: NamedQuery, strict: bool) -> dict[str, object]:
    """Forum values in the forums table's own spelling, whatever their case; a value that is
    none of them is refused (STRICT: QueryError naming the forums) or left as it is."""
    asked = {p.name for p in query.parameters if p.type == "forum"} & set(values)
    asked = {name for name in asked if isinstance(values[name], str)}
    if not asked:
        return values
    forums = [row[0] for row in con.execute(get("forums").sql).fetchall()]
    spelled = {forum.casefold(): forum for forum in forums}
    named = dict(values)
    for name in asked:
        forum = spelled.get(str(values[name]).strip().casefold())
        if forum is None and not strict:
            continue
        if forum is None:
            raise QueryError(f"{name}={values[name]!r} is not a forum of the record; the forums "
                             f"are: {', '.join(forums)}")
        named[name] = forum
    return named


def _values(query: NamedQuery, given: dict[str, object]) -> dict[str, object]:
    values: dict[str, object] = {p.name: p.default for p in query.parameters}
    values.update({k: (None if v == "" else v) for k, v in given.items()})
    return values


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object] | None = None,
        strict: bool = False) -> pd.DataFrame:
    """The rows of query NAME on CON with PARAMS bound, as a DataFrame (the CLI and the exports);
    STRICT refuses values not of their type. (CON: a cursor of its own, since the searches' hits
    are registered on it for the query's time.)"""
    return _executed(con, name, params, strict, lambda result: result.df())


def rows(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object] | None = None,
         strict: bool = False) -> Rows:
    """The rows of query NAME as `Rows` of plain Python values (the dashboards): as `run`,
    without pandas."""
    return _executed(con, name, params, strict, Rows.fetched, lean=True)


def _executed(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object] | None,
              strict: bool, fetch: Callable[[duckdb.DuckDBPyConnection], Any],
              lean: bool = False) -> Any:
    """Query NAME run and fetched; LEAN: without loading pandas or pyarrow to do so (unless
    it searches the full-text index)."""
    query = get(name)
    bound = _forums_named(con, bind(query, params, strict), query, strict)
    if not query.searches:
        with _unseen(*(("pandas", "pyarrow") if lean else ())):
            return fetch(con.execute(query.sql, bound))
    declared_params = {p.name: p for p in query.parameters}
    values = _forums_named(con, {k: _typed(declared_params[k], v, strict) for k, v in
                                 _values(query, dict(params or {})).items()}, query, strict)
    registered: list[str] = []
    # Not lean: the searches' hits are Arrow tables (bestbits/search.py), and pyarrow converts
    # through pandas when it can.
    try:
        return _searched(con, query, bound, values, registered, fetch)
    finally:
        for relation in registered:
            con.unregister(relation)


def _searched(con: duckdb.DuckDBPyConnection, query: NamedQuery, bound: dict[str, object],
              values: dict[str, object], registered: list[str],
              fetch: Callable[[duckdb.DuckDBPyConnection], Any]) -> Any:
    """The query run over the hits of its searches, each registered under its relation's name
    (and listed in REGISTERED, for the caller to unregister)."""
    from bestbits import search

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
    return fetch(con.execute(query.sql, bound))


@contextmanager
def _unseen(*modules: str) -> Iterator[None]:
    """MODULES, those not loaded yet, seen as not installed for the time of the block.

    DuckDB's Python client (1.5) imports pandas and pyarrow, when they are installed, each time
    it binds a parameter (to tell their types from plain ones): about 125 MB in every kernel that
    runs one query. It binds plain values the same without them. A process that has loaded them
    (the CLI, the export, a kernel that searched) is left as it is.
    """
    hidden = [m for m in modules if m not in sys.modules]
    for module in hidden:
        sys.modules[module] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        yield
    finally:
        for module in hidden:
            if sys.modules.get(module, "") is None:
                del sys.modules[module]


class Rows:
    """A query's result as plain Python values: its column names and its rows as tuples, in
    order, never changed once made (the dashboards share cached results between sections).

    Iterating gives each row as a named tuple (`row.title`); `rows["title"]` is a column as a
    list. Values are as DuckDB's fetchall gives them: None for NULL, datetime.date for a DATE,
    Decimal for a DECIMAL, a list for a LIST.
    """

    __slots__ = ("columns", "data", "_record")

    def __init__(self, columns: tuple[str, ...] | list[str], data: tuple[tuple, ...] | list):
        self.columns: tuple[str, ...] = tuple(columns)
        self.data: tuple[tuple, ...] = tuple(tuple(row) for row in data)
        # rename: a column named like a keyword or twice still reads by position
        self._record = namedtuple("Row", self.columns, rename=True)

    @classmethod
    def fetched(cls, result: duckdb.DuckDBPyConnection) -> Rows:
        return cls([d[0] for d in result.description], result.fetchall())

    @classmethod
    def from_records(cls, records: list[dict[str, Any]], columns: list[str]) -> Rows:
        """Rows of RECORDS (dicts) in COLUMNS' order; a key a record lacks is None."""
        return cls(columns, [tuple(r.get(c) for c in columns) for r in records])

    def __len__(self) -> int:
        return len(self.data)

    @property
    def empty(self) -> bool:
        return not self.data

    def __iter__(self) -> Iterator[Any]:
        return (self._record._make(row) for row in self.data)

    def __getitem__(self, column: str) -> list[Any]:
        """The column's values, in row order."""
        index = self._index(column)
        return [row[index] for row in self.data]

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows: {', '.join(self.columns)})"

    def _index(self, column: str) -> int:
        try:
            return self.columns.index(column)
        except ValueError:
            raise KeyError(column) from None

    def first(self, column: str, default: Any = None) -> Any:
        """The first row's value of COLUMN (DEFAULT when there is no row)."""
        return self.data[0][self._index(column)] if self.data else default

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.data]

    def where(self, predicate: Callable[[Any], bool] | None = None, **equal: Any) -> Rows:
        """The rows (in order) for which PREDICATE(row) is true and each column named in EQUAL
        holds the given value."""
        indexes = [(self._index(c), v) for c, v in equal.items()]
        return Rows(self.columns, [
            row for row in self.data if all(row[i] == v for i, v in indexes)
            and (predicate is None or predicate(self._record._make(row)))])

    def head(self, n: int) -> Rows:
        return Rows(self.columns, self.data[:n])

    def drop(self, *columns: str) -> Rows:
        kept = [i for i, c in enumerate(self.columns) if c not in columns]
        return Rows([self.columns[i] for i in kept], [tuple(row[i] for i in kept)
                                                      for row in self.data])

    def rename(self, names: dict[str, str]) -> Rows:
        return Rows([names.get(c, c) for c in self.columns], self.data)

    def with_column(self, column: str, values: list[Any]) -> Rows:
        """These rows with COLUMN set to VALUES (replaced in place, or added last)."""
        if column in self.columns:
            index = self.columns.index(column)
            return Rows(self.columns, [row[:index] + (value,) + row[index + 1:]
                                       for row, value in zip(self.data, values, strict=True)])
        return Rows((*self.columns, column), [(*row, value) for row, value in
                                              zip(self.data, values, strict=True)])

    def groups(self, column: str, sort: bool = True) -> list[tuple[Any, Rows]]:
        """The rows split by COLUMN's value, each group in row order; the groups sorted by value
        (SORT; None last) or in the order each value first appears."""
        found: dict[Any, list[tuple]] = {}
        index = self._index(column)
        for row in self.data:
            found.setdefault(row[index], []).append(row)
        keys = sorted(found, key=lambda k: (k is None, k)) if sort else list(found)
        return [(key, Rows(self.columns, found[key])) for key in keys]
