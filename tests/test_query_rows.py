"""A named query's rows for the dashboards (bestbits.query.rows): the same rows as the CLI's
DataFrame, as plain Python values, and a process that then wants pandas still has it."""

from __future__ import annotations

import datetime as dt

from bestbits import query
from bestbits.database import connect
from bestbits.query import Rows
from support.fresh_python import run_fresh


def test_rows_hold_what_the_dataframe_holds_as_plain_values(built_db):
    con = connect(built_db, read_only=True)
    try:
        for name, params in (("events", {}), ("forum_meetings", {}),
                             ("activity_by_year_forum", {"forum": "IGF", "from_year": 2013})):
            rows = query.rows(con.cursor(), name, params)
            frame = query.run(con.cursor(), name, params)
            assert list(rows.columns) == list(frame.columns)
            assert len(rows) == len(frame) > 0
            for column in rows.columns:
                assert [None if v is None else str(v)[:10] for v in rows[column]] == \
                    [None if v is None or v != v else str(v)[:10] for v in frame[column]]
        meetings = query.rows(con.cursor(), "forum_meetings")
        assert all(isinstance(d, dt.date) for d in meetings["start_date"])
    finally:
        con.close()


def test_rows_filter_group_and_name_their_columns():
    rows = Rows(["forum", "year", "events"], [("IGF", 2013, 2), ("ITU", 2013, 1), ("IGF", 2014, 3)])
    assert rows.where(forum="IGF")["events"] == [2, 3]
    assert rows.where(lambda r: r.events > 1).where(year=2014).records() == \
        [{"forum": "IGF", "year": 2014, "events": 3}]
    assert [(forum, len(part)) for forum, part in rows.groups("forum")] == [("IGF", 2), ("ITU", 1)]
    assert rows.drop("year").rename({"events": "n"}).columns == ("forum", "n")
    assert rows.first("year") == 2013 and Rows(["a"], []).first("a", 0) == 0
    assert rows.head(0).empty and not rows.empty


def test_a_process_that_read_rows_can_still_load_pandas(built_db):
    """The lean path hides pandas and pyarrow from DuckDB while it binds; it must not keep them
    from the export or a search later in the same process."""
    code = ("import sys\nfrom pathlib import Path\nfrom bestbits import query\n"
            "from bestbits.database import connect\n"
            f"con = connect(Path({str(built_db)!r}), read_only=True)\n"
            "query.rows(con.cursor(), 'activity_by_year_forum', {'forum': 'IGF'})\n"
            "assert 'pandas' not in sys.modules and 'pyarrow' not in sys.modules\n"
            "frame = query.run(con.cursor(), 'activity_by_year_forum', {'forum': 'IGF'})\n"
            "import pyarrow\n"
            "print(type(frame).__name__, len(frame) > 0)\n")
    assert run_fresh(code, timeout=120).split() == ["DataFrame", "True"]
