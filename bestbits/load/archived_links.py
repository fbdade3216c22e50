"""Post-build step: give every fact row the archived version of its source (bestbits/links.py).

Each row gets `archived_url` (what a person clicks), `archived_at` (the version's date),
`archived_match` ('exact' for a memento of known capture time, 'nearest' for the Wayback
Machine's address for the row's date) and `archived_local` (where the capture is kept in this
data folder's WARC files, when it is). A row keeps a memento it already has (a parsed row's
capture, a curated row's archived_url); others are dated by their own date, an agenda item by
its event and a signatory or a summary by its statement. A row with no date at all is linked
as of the build's day: Robust Links dates a link by when it was made, and no date is invented
for the row itself. Each distinct source, memento and date is linked once.
"""

from __future__ import annotations

import pandas as pd

from bestbits import config, links
from bestbits.load.loader import Loader
from bestbits.query import load_sql


def row_link(source_url: str | None, page_url: str | None, archived_url: str | None,
             row_date: str | None, linking_date: str) -> links.SourceLink | None:
    """A row's link: its memento when it has one (archived_url, or a source_url that is an
    archive address); else the nearest copy of its own page (a message's) or of its source."""
    when = row_date or linking_date
    link = links.source_link(source_url, archived_url, date=when)
    if (link is None or not link.exact) and not archived_url and links.http_url(page_url):
        link = links.source_link(page_url, date=when)
    return link


def record_archived_links(load: Loader) -> None:
    """Fill the archived_* columns of every fact table; see the module docstring."""
    linking_date = config.build_date()
    load.con.execute(load_sql("load/archived_link_rows.sql"))
    found = []
    for source_url, page_url, archived_url, row_date in load.con.execute(
            load_sql("load/archived_link_inputs.sql")).fetchall():
        link = row_link(source_url, page_url, archived_url, row_date, linking_date)
        if link is None:
            continue
        memento = links.parse_memento(link.version_url) if link.exact else None
        found.append({
            "source_url": source_url, "page_url": page_url, "archived_url": archived_url,
            "row_date": row_date, "link_url": link.version_url, "link_at": link.version_date,
            "link_match": link.match,
            "memento_url": memento.original if memento else None,
            "memento_timestamp": memento.timestamp if memento else None})
    columns = ["source_url", "page_url", "archived_url", "row_date", "link_url", "link_at",
               "link_match", "memento_url", "memento_timestamp"]
    load.con.register("archived_links", pd.DataFrame(found, columns=columns, dtype=object))
    try:
        load.con.execute(load_sql("load/archived_link_apply.sql"))
    finally:
        load.con.unregister("archived_links")


__all__ = ["record_archived_links", "row_link"]
