"""One page, two faces (issue 18): every page of dashboards/pages/ is drawn by the live face
(widgets) and by the edition (static HTML) from one definition, and both show the same charts,
headings and table columns; they differ only by the blocks the definition marks live-only (the
controls, the rows behind a click, per-person tables). The edition's face imports no widget code.

The long-text fixture below is SYNTHETIC (a made-up statement written into a copy of the database).
"""

from __future__ import annotations

import html
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bestbits.search import index_root
from dashboards.data import DashboardData
from dashboards.edition.site import EditionSite
from dashboards.live.page import LivePage
from dashboards.live.plotly_chart import PlotlyChart
from dashboards.page_view import LIVE_ONLY, Chart, Heading, Table, walk
from dashboards.pages import PAGE_IDS, PAGES, definition
from dashboards.reading_text import PAGE_CHARS, html_pages, plain_pages, sanitise_for_display
from dashboards.view_state import ViewState
from support.fresh_python import run_fresh

HEADINGS = ["h1", "h2", "h3", "h4", "h5"]


# --- what each face shows --------------------------------------------------------------------

def live_parts(widget) -> list[tuple[str, str]]:
    """(what, text) of a live widget tree, in order: charts by title, headings, table columns."""
    found: list[tuple[str, str]] = []
    if isinstance(widget, PlotlyChart):
        found.append(("chart", widget.title))
    value = getattr(widget, "value", None)
    if isinstance(value, str) and "<" in value:
        found += html_parts(BeautifulSoup(value, "html.parser"))
    for child in getattr(widget, "children", ()):
        found += live_parts(child)
    return found


def html_parts(soup) -> list[tuple[str, str]]:
    found = []
    for element in soup.find_all([*HEADINGS, "table", "script"]):
        if element.name == "table":
            found.append(("columns", " | ".join(th.get_text(strip=True)
                                                for th in element.find_all("th"))))
        elif element.name == "script":
            if element.get("type") == "application/json":
                layout = json.loads(element.string).get("layout", {})
                found.append(("chart", (layout.get("title") or {}).get("text") or ""))
        else:
            found.append(("heading", element.get_text(strip=True)))
    return found


def edition_parts(page_html: str, within: str = "main") -> list[tuple[str, str]]:
    soup = BeautifulSoup(page_html, "html.parser").select_one(within)
    for hidden in soup.select(".choice-option[hidden]"):  # options other than the default
        hidden.decompose()
    return html_parts(soup)


def face_differences(blocks) -> tuple[list, list]:
    """What the live face alone draws, and what the edition draws in its place: the parts of the
    blocks the definition gives to the live face alone, and a table with a live-only column as
    each face shows it."""
    live, edition = [], []
    for block in walk(blocks):
        if isinstance(block, Table) and block.faces != LIVE_ONLY and \
                any(c.faces == LIVE_ONLY for c in block.columns):
            live.append(("columns", " | ".join(c.label for c in block.columns)))
            edition.append(("columns", " | ".join(c.label for c in block.columns
                                                  if c.faces != LIVE_ONLY)))
        if block.faces != LIVE_ONLY:
            continue
        for inner in walk([block]):
            if isinstance(inner, Chart):
                live.append(("chart", inner.title))
            elif isinstance(inner, Heading):
                live.append(("heading", inner.text))
            elif isinstance(inner, Table):
                live.append(("columns", " | ".join(c.label for c in inner.columns)))
    return live, edition


def without(parts: list, removed: list) -> list:
    left = list(parts)
    for part in removed:
        assert part in left, f"{part} is not drawn"
        left.remove(part)
    return left


def same_in_both_faces(live_widget, edition_html: str, blocks, within: str = "main") -> list:
    """The charts, headings and columns both faces draw (asserted equal), in order."""
    live_extra, edition_extra = face_differences(blocks)
    live_seen = without(live_parts(live_widget), live_extra)
    assert live_seen == without(edition_parts(edition_html, within), edition_extra)
    return live_seen


def edition_site(data, folder: Path) -> EditionSite:
    return EditionSite(data, folder, edition="2026-01-01-000000000000", built="2026-01-01",
                       digest="0" * 64, version="test", title="Test edition", has_wacz=False)


def compare_faces(data, page_id: str, folder: Path, query: str = "") -> list[tuple[str, str]]:
    page = definition(page_id)
    live = LivePage(page, data, ViewState(f"?page={page_id}{query}"))
    site = edition_site(data, folder)
    entry = next(p for p in PAGES if p.id == page_id)
    drawn = site.render("page.html.j2", entry.edition_file, page_title=page.title,
                        blocks=site.page_blocks(page))
    return same_in_both_faces(live.widget(), drawn, live.view.blocks)


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_each_page_shows_the_same_charts_headings_and_columns_in_both_faces(
        data, page_id, tmp_path):
    seen = compare_faces(data, page_id, tmp_path)
    assert ("heading", definition(page_id).view(data).blocks[0].text) == seen[0]
    expected_charts = {"overview": 2, "events": 1, "statements": 0, "participation": 1,
                       "sources": 2, "networks": 1}[page_id]
    assert sum(1 for what, _ in seen if what == "chart") == expected_charts


def test_the_participation_page_of_a_collected_list_matches_in_both_faces(tmp_path_factory):
    from support.list_fixture_db import build_list_fixture_db

    folder = tmp_path_factory.mktemp("faces-list")
    data = DashboardData(build_list_fixture_db(folder))
    try:
        seen = compare_faces(data, "participation", folder / "site")
        page = LivePage(definition("participation"), data, ViewState("?page=participation"))
    finally:
        data.con.close()
    charts = [text for what, text in seen if what == "chart"]
    assert "Themes over time (messages per month; keyword rules)" in charts  # now in the edition
    assert len(charts) == 6
    assert ("heading", "People with at least N messages (N: Min. messages above)") in \
        live_parts(page.widget())


@pytest.mark.parametrize(("page_id", "item_id"), [("events", "bb2014-istanbul"),
                                                 ("statements", "netmundial-draft-2014")])
def test_an_items_card_is_the_same_in_the_page_and_on_its_edition_page(data, page_id, item_id,
                                                                       tmp_path):
    page = definition(page_id)
    key = page_id[:-1]
    live = LivePage(page, data, ViewState(f"?page={page_id}&{key}={item_id}"))
    card = live.widget_of(f"{key}-{item_id}")
    site = edition_site(data, tmp_path)
    site.write_items(page, f"{page_id}.html")
    written = (tmp_path / page_id / f"{item_id}.html").read_text(encoding="utf-8")
    card_blocks = next(b for b in live.view.walk() if b.id == f"{key}-{item_id}").blocks
    live_seen = same_in_both_faces(card, written, card_blocks, "article.card")
    assert any(what == "columns" for what, _ in live_seen)
    if page_id == "statements":
        assert [t for w, t in live_seen if w == "chart"]  # the facets that hold data
        assert all(t.startswith("Signatories by ") for w, t in live_seen if w == "chart")


def test_every_default_view_is_plain_json(data):
    for page_id in PAGE_IDS:
        view = definition(page_id).view(data)
        text = json.dumps(view.to_json())
        assert json.loads(text)["page"] == page_id


def test_the_edition_imports_no_widget_code(built_db, tmp_path):
    """Publishing a whole edition, in a fresh interpreter, never imports a widget module."""
    code = (
        "import sys; from pathlib import Path; from bestbits.publish import publish\n"
        f"publish(Path({str(built_db)!r}), Path({str(tmp_path / 'site')!r}), "
        f"Path({str(tmp_path)!r}))\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'anywidget', "
        "'traitlets', 'comm', 'ipykernel') or m.startswith('dashboards.live'))\n"
        "print(bad)\n")
    assert run_fresh(code).strip().splitlines()[-1] == "[]"


# --- long texts, a page at a time (issue 16 point 5) ------------------------------------------

@pytest.fixture(scope="module")
def long_statement_db(built_db, tmp_path_factory):
    """A copy of the database with a SYNTHETIC statement of about 50,000 characters."""
    db = tmp_path_factory.mktemp("long-text") / "long.duckdb"
    shutil.copyfile(built_db, db)
    # The database's full-text index lives beside it; the statement card's list context reads it.
    shutil.copytree(index_root(built_db), index_root(db))
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE statements SET text_html = ? WHERE statement_id = "
                    "'netmundial-draft-2014'", [LONG_TEXT])
    return db


LONG_TEXT = "".join(f"<p>Paragraph {n}: " + "synthetic words of a long letter " * 20 + "</p>"
                    for n in range(80))


def test_a_long_statement_is_read_a_page_at_a_time_in_both_faces(long_statement_db, tmp_path):
    count = len(html_pages(sanitise_for_display(LONG_TEXT)))
    assert count > 2  # about 54,000 characters
    data = DashboardData(long_statement_db)
    try:
        state = ViewState("?page=statements&statement=netmundial-draft-2014")
        live = LivePage(definition("statements"), data, state)
        text_box = live.widget_of("statement-netmundial-draft-2014-text")
        body, pager = text_box.children
        assert "Paragraph 0:" in body.value and "Paragraph 79:" not in body.value
        earlier, where, later = pager.children
        assert f"Page 1 of {count}" in where.value and earlier.disabled
        later.click()
        body, pager = live.widget_of("statement-netmundial-draft-2014-text").children
        assert f"Page 2 of {count}" in pager.children[1].value and "Paragraph 0:" not in body.value
        assert "tpage=2" in state.query_string()
        reopened = LivePage(definition("statements"), data, ViewState(state.query_string()))
        assert reopened.widget_of("statement-netmundial-draft-2014-text").children[0].value == \
            body.value

        site = edition_site(data, tmp_path)
        site.write_items(definition("statements"), "statements.html")
        page = (tmp_path / "statements" / "netmundial-draft-2014.html").read_text()
    finally:
        data.con.close()
    soup = BeautifulSoup(page, "html.parser")
    pages = soup.select(".text-page")
    assert len(pages) == count
    assert [p.has_attr("hidden") for p in pages] == [False] + [True] * (count - 1)
    assert all(len(p.get_text()) <= PAGE_CHARS for p in pages)
    assert "Paragraph 79:" in pages[-1].get_text()


_TAGS = st.sampled_from(["p", "b", "i", "li", "blockquote", "a href='https://example.org/'"])
_WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                 max_size=40)


@st.composite
def fragments(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 30))):
        tag = draw(_TAGS)
        name = tag.split()[0]
        parts.append(f"<{tag}>" + " ".join(draw(st.lists(_WORDS, max_size=8))) + f"</{name}>")
        if draw(st.booleans()):
            parts.append(html.escape(draw(_WORDS)) + "<br>")
    return sanitise_for_display("".join(parts))


class _TextOf(HTMLParser):
    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.feed(markup)
        self.close()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@settings(max_examples=150, deadline=None)
@given(fragments(), st.integers(min_value=5, max_value=200))
def test_html_pages_keep_every_character_and_stay_whole_html(fragment, size):
    pages = html_pages(fragment, size)
    assert "".join(_TextOf(p).text for p in pages) == _TextOf(fragment).text
    for page in pages:
        assert len(_TextOf(page).text) <= size
        # Whole HTML: cleaning it again changes nothing (every element closed where it opened).
        assert sanitise_for_display(page) == page


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000), st.integers(min_value=1, max_value=300))
@example("\n\nab", 1)  # a break at the very start once cut an empty page, for ever
def test_plain_pages_keep_every_character(text, size):
    pages = plain_pages(text, size)
    assert "".join(pages) == text
    assert all(len(p) <= size for p in pages)
    assert all(pages[:-1])
