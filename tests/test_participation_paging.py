"""The Participation page on a parsed list (issue 10): its figures come from queries that
aggregate in SQL with the page's filters bound, and its tables are pages with "Show more"."""

from __future__ import annotations

import pytest
from test_build_incremental import write_months

from bestbits import query
from bestbits.load.build import build
from dashboards.data import DashboardData
from dashboards.live.page import LivePage
from dashboards.pages import participation
from dashboards.view_state import ViewState
from support.pipermail_server import fixture_months

LIST_NAME = "bestbits"


@pytest.fixture
def list_db(tmp_path, monkeypatch):
    monkeypatch.setenv("BESTBITS_SALT", "test-salt")
    # Under the list the page shows by default (the queries' `list` default).
    write_months(tmp_path, sorted(fixture_months()), list_name=LIST_NAME)
    db = tmp_path / "bestbits.duckdb"
    build(tmp_path, db, progress=lambda _m: None, workers=1)
    return db


def test_the_years_reach_the_queries_as_bound_parameters(list_db):
    data = DashboardData(list_db)
    every = query.run(data.con, "participation_messages_per_month", {"list": LIST_NAME})
    only_2013 = query.run(data.con, "participation_messages_per_month",
                          {"list": LIST_NAME, "from_year": 2013, "to_year": 2013})
    assert set(only_2013["month"]) == {m for m in every["month"] if m.startswith("2013")}
    assert len(only_2013) < len(every)


def test_tables_are_pages_with_a_total_and_show_more(list_db, monkeypatch):
    data = DashboardData(list_db)
    people = query.run(data.con, "participation_people",
                       {"list": LIST_NAME, "min_messages": 1, "limit": 2})
    assert len(people) == 2 and int(people["total"].iloc[0]) > 2
    rest = query.run(data.con, "participation_people",
                     {"list": LIST_NAME, "min_messages": 1, "limit": 50, "offset": 2})
    assert len(rest) == int(people["total"].iloc[0]) - 2

    monkeypatch.setattr(participation, "PAGE_ROWS", 2)
    page = LivePage(participation.PAGE, data, ViewState("?page=participation&min=1"))
    people, more = page.widget_of("people").children
    assert "2 of" in people.value
    assert more.layout.display != "none"
    more.click()
    people, more = page.widget_of("people").children
    assert page.local["people"] == 4 and "4 of" in people.value
