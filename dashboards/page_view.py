"""What a page shows for one state, as plain data that either face draws: a PageView of blocks
(headings, prose, notices, charts as plotly JSON, tables as rows with labelled columns, controls,
item cards, paged texts), every value JSON-serialisable.

The page definitions (dashboards/pages/) make PageViews; the live face (dashboards/live/) turns
one into widgets and the edition (dashboards/edition/) into static HTML. Nothing here imports a
widget or a template. HTML fields (`html`, `pages`, `snippet_html`) hold markup written by the
definitions with every outside value already escaped (or sanitised, for archived HTML); every
other text field is plain text, escaped by the face that draws it.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bestbits import links

LIVE, EDITION = "live", "edition"
# Columns that hold an address (bestbits.links: each is linked through an archived version).
LINK_COLUMNS = links.LINK_COLUMNS
BOTH = (LIVE, EDITION)
LIVE_ONLY = (LIVE,)


@dataclass
class Block:
    """One thing on a page. `faces` says which faces draw it (an interaction needs the kernel)."""

    id: str

    @property
    def kind(self) -> str:
        return type(self).__name__


@dataclass
class Heading(Block):
    text: str
    level: int = 2  # 1 is the page's own title; the live face draws one level lower (h2 for 1)
    faces: tuple[str, ...] = BOTH


@dataclass
class Prose(Block):
    html: str
    faces: tuple[str, ...] = BOTH
    small: bool = False  # a footnote


@dataclass
class Notice(Block):
    html: str
    tone: str = "info"  # info, warning, empty
    faces: tuple[str, ...] = BOTH


@dataclass
class Column:
    key: str
    label: str
    faces: tuple[str, ...] = BOTH


@dataclass
class Download:
    """Rows offered as a CSV file, exactly these rows and columns."""

    filename: str
    columns: list[str]
    rows: list[dict[str, Any]]
    label: str = "Download CSV"

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in self.columns])
        return out.getvalue()


@dataclass
class Chart(Block):
    title: str
    figure: dict[str, Any]
    click: str | None = None       # the name of the page's click handler, if a click does something
    forum_traces: bool = False     # the edition's forum filter hides the other forums' traces
    year_axis: str | None = None   # the edition's year filter narrows this axis: linear or date
    faces: tuple[str, ...] = BOTH


@dataclass
class Table(Block):
    columns: list[Column]
    rows: list[dict[str, Any]]
    filename: str
    caption_html: str = ""
    css_class: str = "bb-table"
    wrapper_class: str = ""
    total: int | None = None        # rows the query has in all, when `rows` is one page of them
    more_key: str = ""              # ...and the name under which the live face asks for more
    page_rows: int = 0              # ...and how many more at a time
    csv_columns: list[str] | None = None  # None: every column of the rows
    item_link: tuple[str, str] | None = None  # (folder, id column): the title opens the item
    filterable: bool = False        # the edition filters it by forum, year and words
    faces: tuple[str, ...] = BOTH
    max_rows: int = 500

    def download(self, label: str = "Download CSV") -> Download:
        columns = self.csv_columns or (list(self.rows[0]) if self.rows else
                                       [c.key for c in self.columns])
        return Download(self.filename, columns, self.rows, label)

    @property
    def more(self) -> bool:
        """A part of the rows: the live face offers the next page."""
        return self.total is not None and len(self.rows) < self.total


@dataclass
class Caption(Block):
    """A line about a chart or a count, with the rows behind it as a CSV."""

    html: str
    download: Download | None = None
    css_class: str = ""
    faces: tuple[str, ...] = BOTH


@dataclass
class Control:
    """A filter as drawn for one state: the options offered and the value chosen."""

    key: str               # the state key (the first of two for a range)
    label: str
    type: str              # choice, multi, range, text, int, toggle
    value: Any
    options: list[list[Any]] = field(default_factory=list)   # [label, value] pairs
    low: int | None = None
    high: int | None = None
    placeholder: str = ""
    tooltip: str = ""
    width: str = ""


@dataclass
class Controls(Block):
    controls: list[Control]
    faces: tuple[str, ...] = LIVE_ONLY


@dataclass
class Link:
    """A link as both faces draw it. A source's link (source_link) opens its archived version
    and carries what a reader needs to cite it: the original address, the copy's date in the
    title, the Robust Links attributes, and the local WARC copy when the collector kept one."""

    href: str
    label: str
    css_class: str = ""
    original: str = ""                      # the archived address, shown beside the link
    title: str = ""                         # what the link opens, in words
    attributes: dict[str, str] = field(default_factory=dict)  # data-originalurl, ...
    local_copy: str = ""


def source_link(row: Any, column: str = "source_url", label: str | None = None,
                css_class: str = "bb-archived") -> Link | None:
    """The link to COLUMN of a query's ROW: its archived version, dated (bestbits.links.row_link
    is the one definition of which copy that is). None when nothing a browser may open."""
    found = links.row_link(row, column)
    if found is None:
        return None
    return Link(found.href, label or found.label, css_class, found.original_url,
                found.description, found.attributes(), found.local_copy or "")


@dataclass
class Fact:
    label: str
    text: str = ""
    links: list[Link] = field(default_factory=list)
    note: str = ""          # after the links, in brackets (the provenance method)
    code: bool = False


@dataclass
class Facts(Block):
    items: list[Fact]
    faces: tuple[str, ...] = BOTH


@dataclass
class Text(Block):
    """A long text (sanitised HTML) shown a page at a time; `page` is the one the state names."""

    pages: list[str]
    page: int = 0
    page_key: str = ""
    css_class: str = ""
    pre: bool = False       # plain text: line breaks kept
    faces: tuple[str, ...] = BOTH


@dataclass
class Hit:
    heading: str
    meta: str
    link: Link | None       # the hit's archived source (source_link)
    snippet_html: str


@dataclass
class Hits(Block):
    title: str
    hit_kind: str          # statement or message
    total: int
    hits: list[Hit]
    download: Download | None = None
    empty_text: str = ""
    faces: tuple[str, ...] = BOTH


@dataclass
class Evidence(Block):
    """The rows behind a clicked mark (a title and a table), or the hint saying what to click."""

    hint: str
    title: str = ""
    table: Table | None = None
    faces: tuple[str, ...] = LIVE_ONLY


@dataclass
class Capture:
    url: str
    timestamp: str
    preferred: bool
    lang: str | None
    link: Link | None       # the capture in the web archive (source_link of its replay_url)


@dataclass
class Captures(Block):
    captures: list[Capture]
    faces: tuple[str, ...] = BOTH


@dataclass
class Card(Block):
    """One item (an event, a statement, a message): the live face shows it in the page, the
    edition on a page of its own (`item_page` names its folder)."""

    title: str
    colour: str
    css_class: str
    blocks: list[Block]
    item_page: str = ""
    faces: tuple[str, ...] = BOTH


@dataclass
class PageView:
    page: str
    title: str              # the page's name in the navigation
    blocks: list[Block]
    query_string: str = ""

    def walk(self) -> Iterator[Block]:
        """Every block, those inside cards included, in the order shown."""
        return walk(self.blocks)

    def to_json(self) -> dict[str, Any]:
        return to_json(self)


def walk(blocks: list[Block]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, Card):
            yield from walk(block.blocks)
        elif isinstance(block, Evidence) and block.table is not None:
            yield block.table


def to_json(value: Any) -> Any:
    """A block (or a PageView) as plain JSON data; each block carries its `kind`."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, Block):
            data["kind"] = value.kind
        return data
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def safe_url(url: object) -> str | None:
    """URL if it is a plain http(s) address, else None: anything else (javascript:, data:) is
    shown as text, never as a link. Each face escapes what it writes."""
    return links.http_url(url)


# --- values from the database, as JSON ---------------------------------------------------------

def json_value(value: Any) -> Any:
    """A database value as JSON: missing values None, dates and times as the text a table shows
    (str() of the value, as pandas prints it), numpy scalars and arrays as Python values."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.time):  # datetime and pandas' Timestamp too
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    item = getattr(value, "item", None)  # a numpy scalar
    if callable(item) and getattr(value, "ndim", 1) == 0:
        return json_value(item())
    tolist = getattr(value, "tolist", None)  # a numpy array (a DuckDB LIST through pandas)
    if callable(tolist):
        return json_value(tolist())
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    return str(value)


def records(frame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """A query's rows (a DataFrame) as JSON dicts, in order; COLUMNS limits the columns."""
    names = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    return [{name: json_value(value) for name, value in zip(names, row, strict=True)}
            for row in frame[names].itertuples(index=False, name=None)]


def figure_dict(figure: Any) -> dict[str, Any]:
    """A plotly Figure as JSON data, as plotly.js takes it (numeric arrays may travel as typed
    arrays, {dtype, bdata}: `plain_array` reads one back)."""
    import plotly.io as pio

    if isinstance(figure, dict):
        return figure
    # The figures were validated when built; validating again only costs time.
    return json.loads(pio.to_json(figure, validate=False))


def plain_array(value: Any) -> Any:
    """A figure's array as a Python list, whether plain or a typed array ({dtype, bdata, shape})."""
    if isinstance(value, dict) and "bdata" in value:
        import base64

        import numpy as np

        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        if shape:
            array = array.reshape([int(n) for n in str(shape).split(",")])
        return array.tolist()
    return value
