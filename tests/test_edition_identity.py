"""One edition identity per database (bestbits/edition_identity.py): `bestbits publish` writes it
into the edition and the live app shows it under every page, so both faces of the same database
are cited by the same id; and the live footer that shows it escapes what a visitor typed."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
from pathlib import Path
from urllib.parse import unquote

import ipywidgets as widgets
import pytest

from bestbits import __version__
from bestbits.edition_identity import EditionIdentity, build_date, edition_identity
from bestbits.publish import publish
from dashboards import default_views
from dashboards.live.cite import absolute_permalink, bibtex, cite_html, csl_json
from dashboards.live.router import Router

# The day the database file is dated in these tests (noon UTC, so no time zone moves it).
DB_DAY = dt.datetime(2020, 5, 17, 12, tzinfo=dt.UTC)
IDENTITY = EditionIdentity("2020-05-17-0123456789ab", "2020-05-17", "0123456789ab" + "c" * 52,
                           __version__)


@pytest.fixture
def db(built_db, tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    copy = tmp_path / "db" / "bestbits.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(built_db, copy)
    os.utime(copy, (DB_DAY.timestamp(), DB_DAY.timestamp()))
    return copy


def test_publish_and_the_live_app_give_a_database_the_same_edition_id(db, tmp_path, monkeypatch):
    edition = publish(db, tmp_path / "site", tmp_path / "data")
    marker = json.loads((tmp_path / "site" / "edition.json").read_text())
    assert edition.identifier == marker["edition"]
    assert edition.identifier.startswith("2020-05-17-")  # the database's day, not today's
    # What the live app shows: computed once with the default views, read by each kernel.
    default_views.write(db)
    views = default_views.load(db)
    assert views is not None and views.identity is not None
    assert views.identity.identifier == edition.identifier
    assert views.identity.content_sha256 == edition.content_hash
    assert views.identity.built == edition.built
    assert edition_identity(db) == views.identity
    # $SOURCE_DATE_EPOCH names another day: the views' file is computed again, with that day.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    default_views.write(db)
    again = default_views.load(db)
    assert again is not None and again.identity is not None
    assert again.identity.identifier == f"2023-11-14-{edition.content_hash[:12]}"


def test_source_date_epoch_sets_the_build_date_else_the_database_files_day(db, monkeypatch):
    assert build_date(db) == "2020-05-17"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_date(db) == "2023-11-14"


def test_the_identity_survives_the_views_file():
    assert EditionIdentity.from_json(IDENTITY.to_json()) == IDENTITY
    assert EditionIdentity.from_json({"identifier": "x"}) is None
    assert EditionIdentity.from_json(None) is None


# A query string as a visitor could type it into the address bar, not as ViewState encodes it.
HOSTILE = "?page=search&q=<script>alert(1)</script>'\""


def test_the_cite_footer_names_the_edition_the_absolute_permalink_and_escapes_the_words():
    markup = cite_html(IDENTITY, "search", "Search", HOSTILE, "http://127.0.0.1:8866/",
                       accessed="2026-12-05")
    permalink = "http://127.0.0.1:8866/" + HOSTILE
    assert f"href='{html.escape(permalink)}'" in markup
    assert "Edition <span class='bb-edition'>2020-05-17-0123456789ab</span>" in markup
    assert ("How to cite this view:</b> Best Bits archive, live dashboard, edition "
            "2020-05-17-0123456789ab, “Search”, http://127.0.0.1:8866/?page=search&amp;q=") in markup
    assert "accessed 2026-12-05. Built 2020-05-17 with bestbits-archive" in markup
    assert "<script" not in markup and "'\"" not in markup


def test_the_citation_downloads_hold_the_edition_and_the_permalink():
    permalink = "http://127.0.0.1:8866/" + HOSTILE
    [item] = json.loads(csl_json(IDENTITY, "search", "Search", permalink, "2026-12-05"))
    assert item["type"] == "dataset" and item["URL"] == permalink
    assert item["version"] == IDENTITY.identifier
    assert item["issued"] == {"date-parts": [[2020, 5, 17]]}
    assert item["accessed"] == {"date-parts": [[2026, 12, 5]]}
    assert item["author"] == [{"literal": "The bestbits-archive project"}]
    entry = bibtex(IDENTITY, "search", "Search", permalink, "2026-12-05")
    assert entry.startswith("@misc{bestbits-archive-2020-05-17-0123456789ab-search,")
    assert f"url = {{{permalink}}}" in entry and "version = {2020-05-17-0123456789ab}" in entry
    markup = cite_html(IDENTITY, "search", "Search", HOSTILE, "http://127.0.0.1:8866/")
    data_url = markup.split("class='bb-cite-csl' download='bestbits-archive-2020-05-17-"
                            "0123456789ab-search.json' href='")[1].split("'")[0]
    assert json.loads(unquote(data_url.split(",", 1)[1].replace("&amp;", "&")))[0]["URL"] == permalink


def test_without_the_views_the_id_is_said_not_computed_and_the_page_address_must_be_a_web_one():
    markup = cite_html(None, "overview", "Overview", "?page=overview", "")
    assert "edition id not computed" in markup and __version__ in markup
    assert absolute_permalink("javascript:alert(1)//", "?page=overview") == "?page=overview"
    assert absolute_permalink("http://127.0.0.1:8866/", "?page=overview") == \
        "http://127.0.0.1:8866/?page=overview"


def test_the_router_cites_the_view_shown_absolutely_once_the_browser_gives_its_address():
    router = Router(lambda state: widgets.HTML(state.page), "?page=events&forum=IGF", IDENTITY)
    assert "href='?page=events&amp;forum=IGF'" in router.cite.value
    router.location.address = "http://127.0.0.1:8866/"
    assert "href='http://127.0.0.1:8866/?page=events&amp;forum=IGF'" in router.cite.value
    router.open("?page=statements")
    assert "“Statements”, http://127.0.0.1:8866/?page=statements" in router.cite.value
    assert IDENTITY.identifier in router.cite.value
