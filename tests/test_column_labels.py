"""Every column a table shows, in either face, has a label written for people: no database name
(statement_id, source_url, archived_url) shows through, in any page's default view, a search
over statements and messages, or an item's card."""

from __future__ import annotations

import csv
import io
import re

from bs4 import BeautifulSoup
from test_page_faces import edition_site

from dashboards.live.html import table_html
from dashboards.page_view import Evidence, Hits, Table
from dashboards.pages import PAGE_IDS, PAGES, definition

RAW_NAME = re.compile(r"^[a-z]+(_[a-z]+)+$|_")


def views(data):
    for page_id in PAGE_IDS:
        page = definition(page_id)
        yield page_id, page.view(data)
        if page.items is not None:
            ctx = page.context(data, {})
            for item_id in page.items.ids(ctx)[:3]:
                yield f"{page_id}/{item_id}", page.view(data, {page.items.folder.rstrip("s"):
                                                               item_id})
    statements = definition("statements")
    for mode in ("statements", "messages", "all"):
        yield f"search {mode}", statements.view(data, {"in": mode, "q": "internet"})


def shown_columns(view):
    for block in view.walk():
        table = block.table if isinstance(block, Evidence) else block
        if isinstance(table, Table):
            yield from table.columns


def test_every_column_shown_has_a_label_for_people(data):
    raw = {}
    for name, view in views(data):
        for column in shown_columns(view):
            if RAW_NAME.search(column.label) or column.label == column.key and "_" in column.key:
                raw.setdefault(column.label, name)
    assert raw == {}
    labels = {c.label for _name, view in views(data) for c in shown_columns(view)}
    assert not labels & {"statement_id", "source_url", "archived_url", "source url",
                         "archived url", "statement id"}


def test_a_search_of_both_kinds_is_one_list_with_one_csv_of_its_rows(data):
    view = definition("statements").view(data, {"in": "all", "q": "internet"})
    lists = [b for b in view.walk() if isinstance(b, Hits)]
    assert len(lists) == 1 and not [b for b in view.walk() if isinstance(b, Table)]
    found = lists[0]
    assert {h.item_kind for h in found.hits} == {"statement", "message"}
    assert all(h.meta.startswith(("Statement · ", "List message · ")) for h in found.hits)
    rows = list(csv.DictReader(io.StringIO(found.download.csv_text())))
    assert len(rows) == found.total
    assert [r["title"] for r in rows[:len(found.hits)]] == [h.heading for h in found.hits]
    assert {r["kind"] for r in rows} == {"statement", "message"}
    assert "text" not in rows[0]
    assert len([b for b in view.walk() if getattr(b, "download", None)]) == 1


def test_dates_do_not_wrap_in_either_face(data, tmp_path):
    page = definition("events")
    site = edition_site(data, tmp_path)
    entry = next(p for p in PAGES if p.id == "events")
    drawn = BeautifulSoup(site.render("page.html.j2", entry.edition_file, page_title=page.title,
                                      blocks=site.page_blocks(page)), "html.parser")
    table = next(b for b in page.view(data).walk() if isinstance(b, Table))
    live = BeautifulSoup(table_html(table), "html.parser")
    for face, soup, marked in (("edition", drawn, "nowrap"), ("live", live, "bb-nowrap")):
        heads = [th.get_text(strip=True) for th in soup.find("table").find_all("th")]
        start = heads.index("start")
        cells = [tr.find_all("td")[start] for tr in soup.find("table").find("tbody").find_all("tr")]
        assert cells and all(marked in (td.get("class") or []) for td in cells), face
