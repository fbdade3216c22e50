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
import functools
import html
import io
import json
import math
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bestbits import links

if TYPE_CHECKING:
    from bestbits.query import Rows

LIVE, EDITION = "live", "edition"
# Columns that hold an address (bestbits.links: each is linked through an archived version).
LINK_COLUMNS = links.LINK_COLUMNS
# Columns of dates and times: a cell of one never wraps ("2012-11-" over "03"), in either face.
NOWRAP_COLUMNS = frozenset({"start", "end", "date", "day", "start_time", "end_time", "month",
                            "sent", "sent_at", "first_month", "last_month", "archived_at"})
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

    def text_alternative(self) -> str:
        """The chart in words, for a reader who cannot see it (chart_text)."""
        return chart_text(self.figure, self.title)


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

    def region_label(self) -> str:
        """The name of the table's scroll box, for a screen reader: its columns."""
        return region_label([c.label for c in self.columns])

    @property
    def more(self) -> bool:
        """A part of the rows: the live face offers the next page."""
        return self.total is not None and len(self.rows) < self.total


def region_label(column_labels: list[str]) -> str:
    """A table's name as both faces give its scroll box: "Table: " and its first columns."""
    return ("Table: " + ", ".join(column_labels[:4])
            + (", …" if len(column_labels) > 4 else ""))


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
    # The state keys that open the hit's reading pane in the page (a value of None clears one),
    # and the address of that view for a new tab.
    opens: dict[str, str | None] | None = None
    href: str = ""
    item_kind: str = ""     # statement or message, in a list of both


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


def from_json(data: Any, kind: type | None = None) -> Any:
    """The block (or PageView, or any of their parts) that `to_json` wrote: each block names its
    class in `kind`; other parts are known by the field that holds them. Unknown kinds and
    fields raise ValueError (a file from another version is not guessed at)."""
    if kind is None or kind is Block:
        if not isinstance(data, dict) or data.get("kind") not in _BLOCK_KINDS:
            raise ValueError(f"not a block: {str(data)[:80]}")
        kind = _BLOCK_KINDS[data["kind"]]
    hints = _field_types(kind)
    given = {k: v for k, v in data.items() if k != "kind"}
    unknown = set(given) - set(hints)
    if unknown:
        raise ValueError(f"{kind.__name__} has no field {sorted(unknown)}")
    return kind(**{name: _value_of(hints[name], value) for name, value in given.items()})


def _value_of(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _value_of(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        return [_value_of(args[0], v) for v in value] if args else list(value)
    if origin is tuple:
        return tuple(_value_of(args[0], v) for v in value) if args else tuple(value)
    if dataclasses.is_dataclass(hint):
        return from_json(value, hint)
    return value


@functools.cache
def _field_types(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def safe_url(url: object) -> str | None:
    """URL if it is a plain http(s) address, else None: anything else (javascript:, data:) is
    shown as text, never as a link. Each face escapes what it writes."""
    return links.http_url(url)


# --- values from the database, as JSON ---------------------------------------------------------

def json_value(value: Any) -> Any:
    """A database value as JSON: missing values None, dates and times as the text a table shows
    (str() of the value), decimals as numbers, lists (a DuckDB LIST) item by item."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.time):  # datetime too
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)


def records(rows: Rows, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """A query's rows as JSON dicts, in order; COLUMNS limits the columns."""
    names = [c for c in (columns or list(rows.columns)) if c in rows.columns]
    indexes = [rows.columns.index(name) for name in names]
    return [{name: json_value(row[i]) for name, i in zip(names, indexes, strict=True)}
            for row in rows.data]


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


# --- a chart in words ---------------------------------------------------------------------------

CHART_TEXT_POINTS = 24   # points named per series; the rest are counted
_TAGS = re.compile(r"<[^>]*>")


def chart_text(figure: dict[str, Any], title: str = "") -> str:
    """A chart's text alternative, built from its figure's data: its title, then each series by
    name with its points (category: value, or the marks' own labels), up to CHART_TEXT_POINTS a
    series. Both faces show it beside the chart (the live face's chart widget, the first paint
    and the edition), so a reader who cannot see the chart reads what it shows."""
    layout = figure.get("layout") or {}
    title = title or _plain((layout.get("title") or {}).get("text") if isinstance(
        layout.get("title"), dict) else layout.get("title")) or "Chart"
    series = [s for s in (_series_text(t, _subplot_title(layout, t)) for t in
                          figure.get("data") or []) if s]
    if not series:
        return f"{title}: no data."
    lines = f"{len(series)} series" if len(series) > 1 else "one series"
    return f"{title} ({lines}). " + " ".join(series)


def _subplot_title(layout: dict[str, Any], trace: dict[str, Any]) -> str:
    """The title over the subplot a trace is drawn in (plotly's subplot titles are annotations
    above the subplot's x-axis domain), or "" for a chart of one plot."""
    axis = layout.get("xaxis" + str(trace.get("xaxis") or "x")[1:]) or {}
    domain = axis.get("domain")
    if not domain or list(domain) == [0, 1]:
        return ""
    for note in layout.get("annotations") or []:
        if note.get("xref") == "paper" and note.get("yanchor") == "bottom" and \
                domain[0] <= (note.get("x") or 0) <= domain[1]:
            return _plain(note.get("text"))
    return ""


def chart_marks(figure: dict[str, Any]) -> list[dict[str, Any]]:
    """Each mark the chart draws (a bar, a point) as the words name it: its trace (curve) and
    index, its x and y, and its label ("series, category: value"). The live face offers them as
    buttons under a chart a click acts on, so a keyboard reaches what a pointer does."""
    layout = figure.get("layout") or {}
    marks = []
    for curve, trace in enumerate(figure.get("data") or []):
        found = _trace_marks(trace, _subplot_title(layout, trace))
        if found is None:
            continue
        name, _kind, points = found
        xs, ys = plain_array(trace.get("x")) or [], plain_array(trace.get("y")) or []
        for index, label in points:
            marks.append({"curve": curve, "index": index,
                          "x": _clicked_value(xs[index]) if index < len(xs) else None,
                          "y": _clicked_value(ys[index]) if index < len(ys) else None,
                          "label": f"{name}, {label}"})
    return marks


def _clicked_value(value: Any) -> Any:
    """A mark's x or y as plotly.js reports it in a click: a date without its zero time."""
    value = json_value(value)
    return _value(value) if isinstance(value, str) else value


def _trace_marks(trace: dict[str, Any], subplot: str = ""
                 ) -> tuple[str, str, list[tuple[int, str]]] | None:
    """(series name, how its marks are named, [(index, label)]) of a trace, or None for a trace
    the words leave out (hidden, or a network's unnamed edges). How: "labels" (marks that carry
    their own), "bars" (zero bars left out) or "points"."""
    if trace.get("visible") is False:
        return None
    kind = trace.get("type") or "scatter"
    name = _plain(trace.get("name")) or kind
    name = f"{subplot}, {name}" if subplot else name
    if kind == "scatter" and (trace.get("mode") or "") == "lines" and not trace.get("name"):
        return None  # a network's edges: the nodes' series name the ties
    horizontal = trace.get("orientation") == "h"
    categories = plain_array(trace.get("y" if horizontal else "x")) or []
    values = plain_array(trace.get("x" if horizontal else "y")) or []
    labels = trace.get("text") if isinstance(trace.get("text"), list) else None
    template = _plain(trace.get("hovertemplate")).split("\n")[0]
    if not labels and template and "%{" not in template:  # one label for every mark
        labels = [f"{template} ({_value(c)})" for c in categories]
    if labels:  # marks that carry their own label (events on a timeline, a network's nodes)
        return name, "labels", [(i, _plain(label).split("\n")[0])
                                for i, label in enumerate(labels)]
    skipped = (0, None) if kind == "bar" else (None,)
    return name, "bars" if kind == "bar" else "points", [
        (i, f"{_value(c)}: {_value(v)}")
        for i, (c, v) in enumerate(zip(categories, values, strict=False)) if v not in skipped]


def _series_text(trace: dict[str, Any], subplot: str = "") -> str:
    found = _trace_marks(trace, subplot)
    if found is None:
        return ""
    name, how, marks = found
    points = [label for _index, label in marks]
    if not points:
        return f"{name}: none."
    shown = "; ".join(points[:CHART_TEXT_POINTS])
    more = (f"; and {len(points) - CHART_TEXT_POINTS} more"
            if len(points) > CHART_TEXT_POINTS else "")
    total = ""
    values = plain_array(trace.get("x" if trace.get("orientation") == "h" else "y")) or []
    if how == "bars" and all(isinstance(v, int | float) for v in values if v):
        total = f" (total {_value(sum(v for v in values if v))})"
    return f"{name}{total}: {shown}{more}."


def _plain(text: Any) -> str:
    """Plotly's label markup (<b>, <br>) as plain text, one line per <br>."""
    if text is None:
        return ""
    lines = re.sub(r"<br\s*/?>", "\n", str(text), flags=re.IGNORECASE)
    return html.unescape(_TAGS.sub("", lines)).strip()


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return text.removesuffix("T00:00:00").removesuffix(" 00:00:00")


# Every kind of block, by the name `to_json` writes (Block.kind).
_BLOCK_KINDS: dict[str, type] = {cls.__name__: cls for cls in (
    Heading, Prose, Notice, Chart, Table, Caption, Controls, Facts, Text, Hits, Evidence,
    Captures, Card)}
