"""The readers the build runs, in order. A new source plugs in here with one line.

A reader is `read(data_dir: Path, load: Loader) -> None`. It reads only files on disk
(the curated record, or what collectors stored under DATA_DIR/raw/), never the network.
It writes rows with `load.insert`, and accounts for every input with `load.report`
(loaded + rejected = total) and `load.reject` (one reason per item left out).
A missing raw folder is not an error: the reader simply reports nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bestbits.load import captures, curated, forums, messages, search_index, site_pages, themes
from bestbits.load.loader import Loader

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
    ("forum rules", forums.record_forum_mentions),
    ("theme rules", themes.record_theme_mentions),
    ("search indexes (statements, messages)", search_index.create_statement_search_index),
]
