"""The dashboards' only way to the database: named queries from queries/, with bound parameters,
as `Rows` of plain Python values (no pandas in a kernel: bestbits/query.py)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import duckdb

from bestbits import config, query
from bestbits.database import connect
from bestbits.query import Rows


def database_path() -> Path:
    env = os.environ.get("BESTBITS_DB")
    return Path(env) if env else config.db_path()


class DashboardData:
    """A read-only connection and the named queries the pages draw from."""

    def __init__(self, db: Path | None = None):
        self.db = db or database_path()
        self.con: duckdb.DuckDBPyConnection = connect(self.db, read_only=True)

    def query(self, name: str, **params) -> Rows:
        """Run queries/NAME.sql; widget values travel only as bound parameters."""
        clean = {k: v for k, v in params.items() if v is not None}
        return query.rows(self.con.cursor(), name, clean)

    @lru_cache(maxsize=64)  # noqa: B019 - one instance per kernel, so the cache lives with it
    def cached(self, name: str, params: tuple = ()) -> Rows:
        return self.query(name, **dict(params))

    def forums(self) -> Rows:
        return self.cached("forums")
