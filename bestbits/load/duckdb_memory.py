"""DuckDB's memory during a build: settings for one stage, cached blocks given back after a
write, and a statement run again with more memory when it runs out."""

from __future__ import annotations

from contextlib import contextmanager

import duckdb

from bestbits import config
from bestbits.settings import memory_bytes


@contextmanager
def duckdb_settings(con, **values):
    """DuckDB settings for a stage of the reader, restored after it."""
    before = {name: con.execute("SELECT current_setting(?)", [name]).fetchone()[0]
              for name in values}
    for name, value in values.items():
        con.execute(f"SET {name} = ?", [value])  # names from code, values bound
    try:
        yield
    finally:
        for name, value in before.items():
            con.execute(f"SET {name} = ?", [value])


def release_cached_blocks(con, limit: str | None = None) -> None:
    """Make DuckDB drop the blocks it keeps cached after a write: lowering its memory limit
    evicts them (what is pinned stays); then the limit is set to LIMIT (the build's if None)."""
    try:
        con.execute("SET memory_limit = '1MB'")
    except duckdb.Error:
        pass  # more than that is in use: the cache is emptied as far as it can be
    finally:
        con.execute("SET memory_limit = ?", [limit or config.build_memory_limit()])


# How many times the build's memory limit one statement may be given before the build stops.
MEMORY_HEADROOM = 8


def execute_with_more_memory(con, statement: str, limit: str | None = None) -> None:
    """Run one self-contained statement (an INSERT or a CREATE: a failed one leaves nothing
    behind) under LIMIT (the build's if None); when DuckDB runs out of memory, run it again
    with twice the limit, up to MEMORY_HEADROOM times LIMIT, then set LIMIT back."""
    limit = limit or config.build_memory_limit()
    allowed = memory_bytes(limit)
    try:
        while True:
            try:
                con.execute(statement)
                return
            except duckdb.OutOfMemoryException:
                allowed *= 2
                if allowed > MEMORY_HEADROOM * memory_bytes(limit):
                    raise
                con.execute("SET memory_limit = ?", [f"{allowed // 1024}KiB"])
    finally:
        con.execute("SET memory_limit = ?", [limit])
