"""Every page's default view is computed once per database (dashboards/default_views.py) and a
visitor's kernel draws it without a query; a filter still runs its queries in the kernel. The
views follow the database: a rebuilt database or changed code makes them stale, and a file of
someone else's at their place is never overwritten."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from bestbits import serve
from dashboards import default_views
from dashboards.data import DashboardData
from dashboards.live import app
from dashboards.live.page import LivePage
from dashboards.pages import PAGE_IDS, definition
from dashboards.view_state import ViewState
from support.fresh_python import run_fresh


class CountingData(DashboardData):
    """The dashboards' data, counting the queries a page runs."""

    def __init__(self, db: Path):
        super().__init__(db)
        self.queries: list[str] = []

    def query(self, name: str, **params):
        self.queries.append(name)
        return super().query(name, **params)


@pytest.fixture(scope="module")
def db(built_db, tmp_path_factory) -> Path:
    """A copy of the built database in a folder of its own (the views are written beside it)."""
    copy = tmp_path_factory.mktemp("views") / "bestbits.duckdb"
    shutil.copy(built_db, copy)
    return copy


@pytest.fixture(scope="module")
def views(db) -> default_views.DefaultViews:
    written = default_views.write(db)
    assert written == default_views.views_path(db)
    loaded = default_views.load(db)
    assert loaded is not None
    return loaded


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_the_views_computed_once_are_the_views_a_kernel_would_build(db, views, page_id):
    data = DashboardData(db)
    state = ViewState(f"?page={page_id}").values
    _view, built = definition(page_id).build(data, state, {})
    loaded = views.sections(page_id, state)
    assert list(loaded) == list(built)
    for section_id, result in built.items():
        assert loaded[section_id].blocks == result.blocks, section_id
        assert loaded[section_id].reads == result.reads, section_id


def test_a_visit_draws_every_default_page_without_a_query_and_a_filter_queries(db, views):
    data = CountingData(db)
    for page_id in PAGE_IDS:
        app.page_widget(data, ViewState(f"?page={page_id}"), views)
    assert data.queries == []
    state = ViewState("?page=overview")
    page = LivePage(definition("overview"), data, state, views.sections("overview", state.values))
    activity = page.widget_of("activity")
    page.widget_of("control:forum").value = "NETmundial"
    assert data.queries, "a filter runs the page's queries in the kernel"
    assert page.widget_of("activity") is activity
    assert {t["name"] for t in activity.traces} == {"NETmundial"}


def test_a_filtered_address_is_built_by_its_kernel(db, views):
    data = CountingData(db)
    app.page_widget(data, ViewState("?page=overview&forum=NETmundial"), views)
    assert data.queries


def test_the_views_go_stale_when_the_database_changes(db, views, tmp_path):
    copy = tmp_path / "bestbits.duckdb"
    shutil.copy(db, copy)
    default_views.write(copy)
    assert default_views.load(copy) is not None
    stamp = copy.stat()
    os.utime(copy, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000_000))
    assert default_views.load(copy) is None


def test_the_views_go_stale_when_the_code_changes(db, views, monkeypatch):
    monkeypatch.setattr(default_views, "code_fingerprint", lambda: "another version")
    assert default_views.load(db) is None


def test_a_file_of_someone_elses_at_the_views_place_is_left_alone(db, tmp_path, monkeypatch):
    copy = tmp_path / "bestbits.duckdb"
    shutil.copy(db, copy)
    theirs = default_views.views_path(copy)
    theirs.write_text('{"my": "notes"}')
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    written = default_views.write(copy)
    assert theirs.read_text() == '{"my": "notes"}'
    assert written == default_views.cache_path(copy)
    assert written.is_relative_to(tmp_path / "cache")
    assert default_views.load(copy) is not None


def test_serve_computes_the_views_in_a_child_and_says_where(db, tmp_path, capsys):
    copy = tmp_path / "bestbits.duckdb"
    shutil.copy(db, copy)
    written = serve.compute_default_views(copy, serve.voila_environment(copy))
    assert written == default_views.views_path(copy.resolve())
    document = json.loads(written.read_text())
    assert set(document["pages"]) == set(PAGE_IDS)
    assert str(written) in capsys.readouterr().err


def test_serve_goes_on_without_views_when_they_cannot_be_computed(tmp_path, capsys):
    broken = tmp_path / "bestbits.duckdb"
    broken.write_bytes(b"not a database")
    assert serve.compute_default_views(broken, serve.voila_environment(broken)) is None
    assert "draws its page itself" in capsys.readouterr().err
    assert not default_views.views_path(broken).exists()


def test_a_kernel_that_draws_from_the_views_loads_neither_pandas_nor_pyarrow(db, views):
    """As a preheated kernel runs the notebook: warm up, paint first, then a visit of every page
    (in a fresh interpreter: a module this process imported would hide one the kernel loads)."""
    code = (
        "import sys\n"
        "from dashboards.live.app import build_app, paint_first, warm_up\n"
        "from dashboards.pages import PAGE_IDS\n"
        "prepared = warm_up()\n"
        "assert prepared is not None and prepared.views is not None, 'no views loaded'\n"
        "paint_first(prepared)\n"
        "for page_id in PAGE_IDS:\n"
        "    build_app(f'?page={page_id}', prepared)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'pyarrow'}))\n")
    environment = {**os.environ, "BESTBITS_DB": str(db)}
    environment.pop(default_views.VIEWS_ENV, None)
    assert run_fresh(code, env=environment).strip().splitlines()[-1] == "[]"
