"""The readers the build runs, in order. A new source plugs in here with one line.

A reader is `read(data_dir: Path, load: Loader) -> None`. It reads only files on disk
(the curated record, or what collectors stored under DATA_DIR/raw/), never the network.
It writes rows with `load.insert`, and accounts for every input with `load.report`
(loaded + rejected = total) and `load.reject` (one reason per item left out).
A missing raw folder is not an error: the reader simply reports nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from bestbits import config
from bestbits.load import (
    archived_links,
    captures,
    curated,
    forums,
    messages,
    search_index,
    site_pages,
    themes,
)
from bestbits.load.loader import Loader
from bestbits.query import load_sql
from scrapers.raw_store import list_store

Reader = Callable[[Path, Loader], None]

READERS: list[tuple[str, Reader]] = [
    ("curated record (data/reference/)", curated.read_curated),
    ("site captures (raw/site/)", captures.read_captures),
    ("site pages (raw/site/)", site_pages.read_site_pages),
    ("mailing list (raw/list/)", messages.read_messages),
]

# Steps that run after every reader, on what the readers loaded (forum rules, merges).
# Each is `step(load: Loader) -> None`.
POST_STEPS: list[tuple[str, Callable[[Loader], None]]] = [
    ("links to archived copies", archived_links.record_archived_links),
    ("forum rules", forums.record_forum_mentions),
    ("theme rules", themes.record_theme_mentions),
    ("search indexes (statements, messages)", search_index.create_statement_search_index),
    ("list participation tables", messages.precompute_participation),
]


# Raw inputs besides the list's months and mbox files (which the list reader records itself,
# since it reuses their parsed rows): WARCs and whatever else collectors stored.
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def _kind(path: Path) -> str:
    return "warc" if path.name.endswith(WARC_SUFFIXES) else "other"


def record_raw_inputs(data_dir: Path, load: Loader) -> None:
    """Record a content hash for every file under DATA_DIR/raw/ that no reader recorded.

    The site readers (captures.py, site_pages.py) read their WARCs anew on every build: an
    incremental build says which WARCs changed (build_inputs.changed) but does not yet skip
    the unchanged ones, since the rows a WARC gives are spread over tables the curated record
    also fills.
    """
    raw = config.raw_dir(data_dir)
    if not raw.is_dir():
        return
    known = {r[0] for r in load.con.execute("SELECT path FROM build_inputs").fetchall()}
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        rel = path.relative_to(data_dir).as_posix()
        inside_list = list_store.in_list_folders(path, data_dir)
        if rel in known or (inside_list and _kind(path) != "warc") or path.name.endswith(".part"):
            continue
        digest, size = hashlib.sha256(), 0
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
                size += len(block)
        load.record_input(rel, _kind(path), size, digest.hexdigest(), False)
    try:
        if not load.previous:
            raise LookupError("no previous build")
        load.con.execute(load_sql("load/build_inputs_changed.sql"))
    except Exception:  # no previous database, or one older than build_inputs: all are new
        load.con.execute("UPDATE build_inputs SET changed = true")
