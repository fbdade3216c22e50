"""The edition's face: every page of dashboards/pages/ in its default state, and a page per item
(an event, a statement), written as static HTML with Jinja (autoescaped), charts as plotly JSON
in the page, nothing that needs a kernel or a server.

It draws the JSON form of each PageView (what a precomputed view would be), so anything drawn
here can be drawn from a stored view too. It imports no widget code (ipywidgets, anywidget,
dashboards.live): tests/test_page_faces.py checks it.
"""

from __future__ import annotations

import base64
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import plotly
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from bestbits import config
from bestbits.edition_metadata import CITE_FACTS
from bestbits.wording import counted
from dashboards.page import Page
from dashboards.page_view import (
    EDITION,
    LINK_COLUMNS,
    NOWRAP_COLUMNS,
    Block,
    Controls,
    chart_text,
    region_label,
    safe_url,
    source_link,
    to_json,
)
from dashboards.pages import PAGES, definition
from dashboards.pages.common import FIRST_YEAR, LAST_YEAR

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# The partial bundle the dashboards' Voila template serves (its static/README.md says where it
# comes from): the same plotly.js version as the plotly package's, a quarter of the size, so the
# first chart comes several times sooner. It draws these trace types only; any other means the
# full bundle.
BASIC_BUNDLE = (config.DASHBOARDS_DIR / "jupyter" / "voila" / "templates" / "bestbits" / "static"
                / "plotly-basic-4.1.1.min.js")
BASIC_TRACE_TYPES = frozenset({"scatter", "bar", "pie"})
_BUNDLE_VERSION = re.compile(r"plotly\.js[^\n]*? v(\d+\.\d+\.\d+)")


def figure_json(figure: Any) -> str:
    """A plotly Figure or a figure dict as JSON that is safe inside a <script> element."""
    import plotly.io as pio

    if not isinstance(figure, dict):
        figure = figure.to_plotly_json()
    text = pio.to_json(figure, validate=False)
    # "<" only occurs inside JSON strings, where \u003c means the same: no "</script>" can end
    # the element early, whatever an archived title holds.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_id(value: object) -> str | None:
    """An event or statement id usable as a file name (ids are curated; anything else is skipped)."""
    return value if isinstance(value, str) and _SAFE_ID.match(value) else None


def bundle_version(path: Path) -> str | None:
    """The plotly.js version a bundle's header comment names."""
    with path.open(encoding="utf-8") as handle:
        match = _BUNDLE_VERSION.search(handle.read(400))
    return match.group(1) if match else None


def plotly_bundle(trace_types: Iterable[str] = ()) -> Path:
    """plotly.js for the pages: the basic partial bundle when it draws every trace type used and
    is the plotly package's version of plotly.js; else the full bundle the plotly package ships."""
    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not set(trace_types) <= BASIC_TRACE_TYPES:
        return full
    if BASIC_BUNDLE.is_file() and bundle_version(BASIC_BUNDLE) == bundle_version(full):
        return BASIC_BUNDLE
    return full


def csv_data_url(download: dict[str, Any]) -> str:
    """A download's rows as a data: address (a chart's data has no table in the page to read)."""
    from dashboards.page_view import Download

    text = Download(**download).csv_text()
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(text.encode()).decode()


class EditionSite:
    """The pages of one edition: page definitions in, HTML files out (`write_pages`)."""

    def __init__(self, data, folder: Path, **context: Any):
        self.data, self.folder = data, Path(folder)
        self.context = context  # edition, built, digest, version, title, has_wacz
        self.env = Environment(loader=FileSystemLoader(TEMPLATES_DIR),
                               autoescape=select_autoescape(["html.j2"]),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(href=safe_url, page_id=page_id, csv_data_url=csv_data_url,
                                counted=counted,
                                cell_link=lambda row, column: to_json(source_link(row, column)),
                                chart_json=lambda figure: Markup(self._chart(figure)),
                                chart_text=lambda chart: chart_text(chart["figure"],
                                                                    chart["title"]),
                                region_label=lambda table: region_label(
                                    [c["label"] for c in table["columns"]]))
        self.env.globals.update(
            cite_facts=CITE_FACTS,
            link_columns=LINK_COLUMNS,
            nowrap_columns=NOWRAP_COLUMNS,
            years=list(range(FIRST_YEAR, LAST_YEAR + 1)),
            navigation=[(p.edition_file, p.title) for p in PAGES])
        self.forums = [str(f) for f in data.cached("forums", ())["forum"]]
        self.pages: list[str] = []
        self.trace_types: set[str] = set()

    # --- rendering ----------------------------------------------------------------------------

    def render(self, template: str, path: str, **context: Any) -> str:
        """TEMPLATE rendered for the file PATH of the edition (links are relative to it)."""
        return self.env.get_template(template).render(
            root="../" * path.count("/"), path=path, forums=self.forums,
            **self.context, **context)

    def _chart(self, figure: dict[str, Any]) -> str:
        self.trace_types.update(t.get("type", "scatter") for t in figure.get("data", []))
        return figure_json(figure)

    def write(self, template: str, path: str, **context: Any) -> None:
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.render(template, path, **context), encoding="utf-8")
        self.pages.append(path)

    def write_pages(self) -> list[str]:
        """Every page in its default state, every item page, then the assets."""
        for entry in PAGES:
            page = definition(entry.id)
            self.write("page.html.j2", entry.edition_file, page_title=page.title,
                       blocks=self.page_blocks(page))
            if page.items:
                self.write_items(page, entry.edition_file)
        self.write_assets()  # last: the plotly.js bundle depends on the trace types drawn
        return self.pages

    def page_blocks(self, page: Page) -> list[dict[str, Any]]:
        """The default view of PAGE as the edition draws it (JSON blocks): the blocks of the
        edition's face; the sections an `each` control feeds drawn once per option, one shown
        at a time; the browser's filter form where the page's first controls are."""
        view, results = page.build(self.data, {})
        each = [spec for spec in page.controls.values() if spec.edition == "each"]
        filterable = any(_filterable(b) for b in view.walk())
        drawn: list[dict[str, Any]] = []
        form_placed = False
        for section in page.sections:
            result = results[section.id]
            spec = next((s for s in each if set(s.state_keys) & result.reads), None)
            if spec is not None:
                options = page.context(self.data, {}).options(spec.key)
                # Sections fed by one control follow one select: the first draws it.
                first = not any(b.get("kind") == "Choice" and b["id"] == f"choice-{spec.key}"
                                for b in drawn)
                drawn.append({"kind": "Choice", "id": f"choice-{spec.key}", "label": spec.label,
                              "select": first,
                              "options": [
                                  {"label": label, "blocks": self._edition_blocks(
                                      page.build_section(section, self.data,
                                                         {spec.key: value}).blocks)}
                                  for label, value in options]})
                continue
            for block in result.blocks:
                if isinstance(block, Controls) and filterable and not form_placed:
                    drawn.append({"kind": "Filters", "id": "filters"})
                    form_placed = True
            drawn.extend(self._edition_blocks(result.blocks))
        return drawn

    @staticmethod
    def page_list() -> list[tuple[str, str, str, str]]:
        """(file, title, summary, item folder) of every page, for the edition's README."""
        return [(p.edition_file, p.title, p.summary,
                 definition(p.id).items.folder if definition(p.id).items else "") for p in PAGES]

    @staticmethod
    def _edition_blocks(blocks: list[Block]) -> list[dict[str, Any]]:
        return [_edition_json(to_json(b)) for b in blocks if EDITION in b.faces]

    def write_items(self, page: Page, list_file: str) -> None:
        ctx = page.context(self.data, {})
        for item_id in page.items.ids(ctx):
            safe = page_id(item_id)
            if not safe:
                continue
            card = page.items.card(page.context(self.data, {}), safe)
            if card is None:
                continue
            self.write("item.html.j2", f"{page.items.folder}/{safe}.html", page_title=card.title,
                       card=to_json(card), blocks=self._edition_blocks(card.blocks),
                       back=(list_file, page.items.back_label))

    def write_assets(self) -> None:
        assets = self.folder / "assets"
        assets.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(plotly_bundle(self.trace_types), assets / "plotly.min.js")
        # plotly.js is MIT-licensed: its licence travels with the copy.
        shutil.copyfile(BASIC_BUNDLE.with_name("LICENSE-plotly.js.txt"), assets / "plotly.js.LICENSE")
        for name in ("edition.js", "edition.css", "favicon.svg", "edition-search.js",
                     "edition-search.css"):
            shutil.copyfile(STATIC_DIR / name, assets / name)


def _edition_json(block: dict[str, Any]) -> dict[str, Any]:
    """A block's JSON less what the edition does not show (live-only blocks and columns)."""
    if block.get("kind") == "Table":
        block["columns"] = [c for c in block["columns"] if EDITION in c["faces"]]
    if block.get("kind") == "Card":
        block["blocks"] = [_edition_json(b) for b in block["blocks"] if EDITION in b["faces"]]
    return block


def _filterable(block: Block) -> bool:
    return bool(getattr(block, "filterable", False) or getattr(block, "forum_traces", False))

