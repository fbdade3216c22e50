"""Post-build step: a BM25 full-text index over statements, when the fts extension loads offline."""

from __future__ import annotations

from bestbits import config
from bestbits.database import load_fts


def create_statement_search_index(load) -> None:
    """Index titles, addressees and text; record whether full-text search is available.

    `INSTALL fts` needs the internet, so the extension comes from the duckdb-extension-fts
    package; without it the Statements page falls back to substring search and says so.
    """
    available = load_fts(load.con)
    if available:
        load.con.execute((config.QUERIES_DIR / "load" / "statement_search_index.sql").read_text())
    load.con.execute("INSERT INTO search_capabilities VALUES (?)", [available])
