"""A link to a source: the archived version a person clicks, its original address and its date.

One definition for every layer (the build, the queries' tables, the dashboards, the edition),
following the Robust Links convention of the web-archiving community: a link carries the
original address (`data-originalurl`), the archived version (`data-versionurl`) and that
version's date (`data-versiondate`), so that a citation survives the live web.

- An exact memento: an archive address with a 14-digit capture time
  (`https://web.archive.org/web/20140423101500/http://bestbits.net/...`, or the replay address
  of any Wayback or pywb archive): parsed and scraped rows, and curated rows whose memento the
  curated record names. Labelled "archived copy, 2014-04-23".
- Otherwise the Wayback Machine's address for the row's own date
  (`https://web.archive.org/web/20140423/<original>`), which the archive resolves to the capture
  nearest that date. Labelled "nearest archived copy": the copy a person sees may be from
  another day, and may not exist at all.

Only http(s) addresses ever become links, and every address is attribute-escaped in HTML.
Plain functions of their input: no clock, no network, no pandas.
"""

from __future__ import annotations

import html
import numbers
import re
from dataclasses import dataclass

WAYBACK = "https://web.archive.org/web/"
EXACT, NEAREST = "exact", "nearest"

_HTTP_URL = re.compile(r"^https?://[^\s\"'<>]+$")
# <archive root>/<timestamp><optional replay modifier such as id_ or if_>/<original address>.
# The original must be an address (http://...), which keeps a path such as
# .../attachments/20121104/3da6bc95/attachment.htm from being read as a memento.
_MEMENTO = re.compile(r"^(?P<root>https?://[^\s\"'<>]+?/)(?P<timestamp>\d{4,14})"
                      r"(?:[a-z]{2}_)?/(?P<original>https?:/{1,2}[^\s\"'<>]+)$")
_DAY = re.compile(r"^(\d{4})(?:-?(\d{2}))?(?:-?(\d{2}))?")


def http_url(value: object) -> str | None:
    """The address when it is a plain http(s) address a browser may open, else None
    (javascript:, data:, relative paths and text stay text)."""
    if isinstance(value, str) and _HTTP_URL.match(value.strip()):
        return value.strip()
    return None


def safe_href(value: object) -> str | None:
    """An http(s) address, escaped for an HTML attribute; None for anything else."""
    url = http_url(value)
    return html.escape(url, quote=True) if url else None


@dataclass(frozen=True)
class Memento:
    """What an archive address says: the archive, the capture time and the original address."""

    archive: str        # the archive's root, 'https://web.archive.org/web/'
    timestamp: str      # 4 to 14 digits: 14 name one capture, fewer a date to resolve
    original: str       # the address that was archived

    @property
    def exact(self) -> bool:
        return len(self.timestamp) == 14


def parse_memento(url: object) -> Memento | None:
    """'https://web.archive.org/web/20140423101500/http://x/' -> Memento; None when the address
    is not an archive's replay address."""
    found = _MEMENTO.match(url.strip()) if isinstance(url, str) else None
    if not found:
        return None
    original = re.sub(r"^(https?):/(?!/)", r"\1://", found.group("original"))
    return Memento(found.group("root"), found.group("timestamp"), original)


def iso_date(value: object) -> str | None:
    """A date as precise as it is given: '20140423101500' or '2014-04-23' -> '2014-04-23',
    '201406' or '2014-06' -> '2014-06', '2014' -> '2014'; None when there is no year."""
    if value is None:
        return None
    found = _DAY.match(str(value).strip())
    if not found:
        return None
    return "-".join(part for part in found.groups() if part)


def archive_timestamp(date: object) -> str | None:
    """A date of any precision as the digits an archive address takes ('2014-04-23' ->
    '20140423'; '2014-06' -> '201406')."""
    day = iso_date(date)
    return day.replace("-", "") if day else None


def nearest_copy_url(original: str, date: object) -> str | None:
    """The Wayback Machine's address for ORIGINAL on DATE, which it resolves to the nearest
    capture; None without a date or an http(s) address."""
    digits = archive_timestamp(date)
    url = http_url(original)
    return f"{WAYBACK}{digits}/{url}" if digits and url else None


def archived_address(url: object, as_of: object) -> str | None:
    """An address inside an archived page (a link in a statement's text) as the web archive's
    copy nearest AS_OF, the page's own date; an archive's address stays as it is, anything
    that is not http(s) gives None."""
    address = http_url(url)
    if address is None or parse_memento(address):
        return address
    return nearest_copy_url(address, as_of) or address


@dataclass(frozen=True)
class SourceLink:
    """Everything a face needs to show a link to a source."""

    original_url: str           # the address that was archived
    version_url: str            # the archived version: what a person clicks
    version_date: str | None    # the capture's day, or the date asked of the archive
    exact: bool                 # an exact memento (True), or the archive's nearest copy
    local_copy: str | None = None   # where the capture is kept in a local WARC, when it is

    @property
    def href(self) -> str:
        return self.version_url

    @property
    def match(self) -> str:
        """'exact' or 'nearest': the value of the tables' archived_match column."""
        return EXACT if self.exact else NEAREST

    @property
    def label(self) -> str:
        if self.exact:
            return f"archived copy, {self.version_date}" if self.version_date else "archived copy"
        return "nearest archived copy"

    @property
    def description(self) -> str:
        """What the link opens, in words (a title or a caption beside it)."""
        if self.exact:
            return f"The archived copy of {self.original_url} captured {self.version_date}."
        return (f"The web archive's copy of {self.original_url} nearest {self.version_date} "
                "(it may be from another day, or missing).")

    def attributes(self) -> dict[str, str]:
        """The Robust Links attributes of the <a> element (values not yet escaped)."""
        found = {"data-originalurl": self.original_url, "data-versionurl": self.version_url}
        if self.version_date:
            found["data-versiondate"] = self.version_date
        return found


def source_link(source_url: object, archived_url: object = None, archived_at: object = None,
                date: object = None, match: object = None,
                local_copy: object = None) -> SourceLink | None:
    """The link to show for a row's source.

    `archived_url`/`archived_at`/`match` are the row's archived_* columns when it has them (the
    build fills them: see bestbits/load/archived_links.py); `date` is the row's own date, used
    when they are missing. None when there is nothing a browser may open.
    """
    source = http_url(source_url)
    archived = http_url(archived_url)
    local = local_copy if isinstance(local_copy, str) and local_copy else None
    memento = parse_memento(archived)
    if archived and memento is None:
        # Not an archive's address (a query that names a live page so): it is the source.
        source, archived = source or archived, None
    if archived and memento:
        when = iso_date(archived_at) or iso_date(memento.timestamp)
        given = match if isinstance(match, str) and match in (EXACT, NEAREST) else None
        is_exact = given == EXACT if given else memento.exact
        return SourceLink(memento.original, archived, when, is_exact, local)
    memento = parse_memento(source)
    if memento:
        return SourceLink(memento.original, source, iso_date(memento.timestamp),
                          memento.exact, local)
    nearest = nearest_copy_url(source, date) if source else None
    if nearest:
        return SourceLink(source, nearest, iso_date(date), False, local)
    if source:
        # No date to ask for: the archive's latest capture (the build dates every row, so a
        # table row never lands here).
        return SourceLink(source, f"{WAYBACK}{source}", None, False, local)
    return None


# The columns of a query's row that name an address to link, and the columns that hold what
# the build found for each: source_url -> archived_*, url (an item's own page) -> the capture of
# it the build read, replay_url (a capture) -> itself.
LINK_COLUMNS = ("source_url", "url", "replay_url", "summary_basis_url", "first_url")
ARCHIVED_COLUMNS = ("archived_url", "archived_at", "archived_match", "archived_local")
_LINK_FIELDS = {
    "source_url": ("archived_url", "archived_at", "archived_match", "archived_local"),
    "url": ("url_archived_url", None, None, None),
    "summary_basis_url": ("summary_archived_url", "summary_archived_at",
                          "summary_archived_match", None),
}
# Where a row's own date is, for a nearest copy when it has no archived_* columns; last, the
# date the build linked its source as of (an undated row's: the day it was linked).
DATE_COLUMNS = ("date", "start", "start_date", "sent", "sent_at", "first_message", "month",
                "year", "archived_at")


def _value(row: object, name: str | None) -> str | None:
    """A row's value as text, None when it is missing (None, NaN, NaT: whatever the row holds)."""
    if name is None:
        return None
    getter = getattr(row, "get", None)
    value = getter(name) if getter else getattr(row, name, None)
    if isinstance(value, str):
        return value or None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, numbers.Real) and value == value:  # a year read as a float
        return str(int(value))
    isoformat = getattr(value, "isoformat", None)  # a date or a timestamp (never NaT: below)
    if isoformat and value == value:
        return isoformat()
    return None


def row_link(row: object, column: str = "source_url") -> SourceLink | None:
    """The link for COLUMN of a query's row (a mapping, or a named tuple): what the build
    stored beside it when the query carries it, else the nearest copy for the row's date."""
    archived, at, match, local = _LINK_FIELDS.get(column, (None, None, None, None))
    date = next((d for d in (iso_date(_value(row, c)) for c in DATE_COLUMNS) if d), None)
    return source_link(_value(row, column), _value(row, archived), _value(row, at), date,
                       _value(row, match), _value(row, local))


__all__ = ["ARCHIVED_COLUMNS", "DATE_COLUMNS", "EXACT", "LINK_COLUMNS", "NEAREST", "WAYBACK",
           "Memento", "SourceLink", "archive_timestamp", "archived_address", "http_url", "iso_date",
           "nearest_copy_url", "parse_memento", "row_link", "safe_href", "source_link"]
