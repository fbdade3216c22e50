"""Post-build step: BM25 full-text indexes over statements and messages, when the fts extension
loads offline."""

from __future__ import annotations

from bestbits import config
from bestbits.database import load_fts


def create_statement_search_index(load) -> None:
    """Index statements (titles, addressees, text, notes) and messages (subjects, own words);
    record whether full-text search is available.

    `INSTALL fts` needs the internet, so the extension comes from the duckdb-extension-fts
    package; without it the Search page falls back to literal search and says so.
    """
    available = load_fts(load.con)
    has_messages = False
    if available:
        load.con.execute((config.QUERIES_DIR / "load" / "statement_search_index.sql").read_text())
        # An index over an empty table fails in the fts extension: no messages, no index.
        has_messages = load.con.execute("SELECT count(*) FROM messages").fetchone()[0] > 0
        if has_messages:
            load.con.execute(
                (config.QUERIES_DIR / "load" / "message_search_index.sql").read_text())
    load.con.execute(
        "INSERT INTO search_capabilities (full_text_search, message_full_text_search) "
        "VALUES (?, ?)", [available, available and has_messages])
