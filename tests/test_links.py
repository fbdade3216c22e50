"""A link to a source (bestbits/links.py): always an archived version, with its original
address and date, the Robust Links attributes, and nothing but http(s) ever a link."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bestbits.links import parse_memento, row_link, safe_href, source_link
from bestbits.query import Rows
from dashboards.live.html import link_html, table_html
from dashboards.page_view import source_link as page_source_link
from dashboards.pages.common import table as table_block

PAGE = "https://bestbits.net/event/best-bits-2013/?instance_id=132552"


def test_a_capture_is_an_exact_memento_labelled_with_its_day():
    link = source_link(f"https://web.archive.org/web/20140423101500/{PAGE}")
    assert (link.original_url, link.version_date, link.exact) == (PAGE, "2014-04-23", True)
    assert link.label == "archived copy, 2014-04-23"
    assert link.attributes() == {"data-originalurl": PAGE, "data-versionurl": link.href,
                                 "data-versiondate": "2014-04-23"}


def test_a_pywb_or_loopback_replay_address_is_a_memento_too():
    link = source_link(f"http://127.0.0.1:8080/coll/20131001000000/{PAGE}")
    assert link.exact and link.original_url == PAGE


def test_a_live_address_opens_the_archive_copy_nearest_its_rows_date():
    for date, digits, shown in (("2014-04-23", "20140423", "2014-04-23"),
                                ("2016-12", "201612", "2016-12"), ("2013", "2013", "2013")):
        link = source_link("https://example.org/letter", date=date)
        assert link.href == f"https://web.archive.org/web/{digits}/https://example.org/letter"
        assert (link.version_date, link.exact, link.label) == (shown, False,
                                                               "nearest archived copy")


def test_a_known_memento_wins_and_a_live_address_named_archived_is_not_taken_for_one():
    memento = "https://webarchive.unesco.org/web/20160819203250/http://www.unesco.org/x/"
    link = source_link("https://other.example/", memento, date="2013-02-25")
    assert (link.href, link.version_date, link.exact) == (memento, "2016-08-19", True)
    assert link.original_url == "http://www.unesco.org/x/"
    # search.sql names a message's live page `archived_url`: it stays a source to archive.
    link = source_link(None, "https://lists.example.org/pipermail/x/1.html", date="2014-05-02")
    assert link.href.startswith("https://web.archive.org/web/20140502/https://lists.example")


def test_addresses_that_only_look_like_mementos_are_not():
    assert parse_memento("http://lists.igcaucus.org/pipermail/bestbits/attachments/20121104/"
                         "3da6bc95/attachment.htm") is None
    assert parse_memento(f"https://web.archive.org/web/20140423id_/{PAGE}").timestamp == "20140423"
    assert parse_memento("https://web.archive.org/web/2014/http:/example.org/a").original == \
        "http://example.org/a"


def test_a_rows_link_comes_from_its_archived_columns_or_its_date():
    row = {"source_url": "https://example.org/a", "archived_url":
           "https://web.archive.org/web/20130610/https://example.org/a", "archived_at": "2013-06-10",
           "archived_match": "nearest", "date": "2013-06-10"}
    assert row_link(row).href == row["archived_url"] and not row_link(row).exact
    # The item's own page: the capture the build read, else the nearest copy for the row's date.
    row.update(url="https://bestbits.net/x/", url_archived_url=None)
    assert row_link(row, "url").href == "https://web.archive.org/web/20130610/https://bestbits.net/x/"
    series = pd.Series({"source_url": "https://example.org/b", "year": 2014.0, "date": None})
    assert row_link(series).version_date == "2014"


@pytest.mark.parametrize("value", ["javascript:alert(1)", "data:text/html,x", "/relative",
                                   "ftp://example.org/", "", None, 12,
                                   "https://example.org/\" onmouseover=\"x"])
def test_only_http_addresses_become_links(value):
    assert source_link(value) is None and safe_href(value) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_whatever_an_address_holds_a_link_is_an_archived_http_address_and_escaped(text):
    row = {"source_url": f"https://example.org/{text}", "date": "2014-01-02"}
    link = page_source_link(row)
    if link is None:
        assert source_link(row["source_url"], date=row["date"]) is None
        return
    rendered = link_html(link)
    assert link.href.startswith("https://web.archive.org/web/20140102/")
    hrefs = re.findall(r"href='([^']*)'", rendered)
    assert len(hrefs) == 1 and html.unescape(hrefs[0]) == link.href
    assert "<script" not in rendered.lower()


def test_tables_render_sources_as_robust_links_and_never_a_bare_live_address():
    frame = Rows.from_records([{"date": "2014-04-23", "title": "<b>x</b>",
                               "source_url": "https://example.org/a", "archived_url": None},
                              {"date": "2014-04-23", "title": "y",
                               "source_url": "javascript:alert(1)", "archived_url": None}],
                              ["date", "title", "source_url", "archived_url"])
    table = table_html(table_block("t", frame, ["date", "title", "source_url"], "t.csv"))
    assert "archived url" not in table  # the archived columns go into the link cell
    assert "&lt;b&gt;x&lt;/b&gt;" in table
    assert "href='https://web.archive.org/web/20140423/https://example.org/a'" in table
    assert "data-versiondate='2014-04-23'" in table and ">nearest archived copy</a>" in table
    assert "href='javascript" not in table and "javascript:alert(1)" in table


def test_a_link_in_an_archived_text_opens_the_archive_copy_as_of_the_capture():
    from dashboards.pages.statements import sanitise_for_display, text_date

    statement = {"text_source_url": f"https://web.archive.org/web/20140423101500/{PAGE}",
                 "source_url": "https://example.org/x", "date": "2014-04"}
    assert text_date(statement) == "2014-04-23"
    shown = sanitise_for_display('<p><a href="http://example.org/plan">plan</a> '
                                 '<a href="javascript:alert(1)">x</a></p>', "2014-04-23")
    assert 'href="https://web.archive.org/web/20140423/http://example.org/plan"' in shown
    assert "javascript" not in shown
