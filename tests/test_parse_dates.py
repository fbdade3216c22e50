"""The date parser reads the forms bestbits.net printed, in four languages, and never invents a day."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.parse.dates import MONTHS, parse_clock, parse_date, parse_date_range, parse_time_range


@pytest.mark.parametrize("text, start, end", [
    ("October 19, 2013 @ 9:00 am – October 20, 2013 @ 5:00 pm", "2013-10-19", "2013-10-20"),
    ("12. December, 2017", "2017-12-12", None),
    ("Monday, March 2, 2015", "2015-03-02", None),
    ("3-4 March 2015", "2015-03-03", "2015-03-04"),
    ("octubre 19, 2013", "2013-10-19", None),
    ("19 de octubre de 2013", "2013-10-19", None),
    ("lundi 2 mars 2015", "2015-03-02", None),
    ("1er février 2016", "2016-02-01", None),
    ("terça-feira, 22 de abril de 2014", "2014-04-22", None),
    ("3 a 5 de março de 2015", "2015-03-03", "2015-03-05"),
    ("du 3 au 4 mars 2015", "2015-03-03", "2015-03-04"),
    ("October 19-20, 2013", "2013-10-19", "2013-10-20"),
    ("30 December - 2 January 2014", "2013-12-30", "2014-01-02"),
    ("Sept. 5, 2014", "2014-09-05", None),
    ("2015-03-02T10:00:00+00:00", "2015-03-02", None),
    ("October 19, 2013 (all-day)", "2013-10-19", None),
])
def test_reads_the_forms_the_site_used(text, start, end):
    found = parse_date_range(text)
    assert found is not None
    assert found.start.iso() == start
    assert (found.end.iso() if found.end else None) == end


def test_event_calendar_times_are_kept():
    found = parse_date_range("October 19, 2013 @ 9:00 am – October 20, 2013 @ 5:00 pm")
    assert (found.start.time, found.end.time) == ("09:00", "17:00")
    same_day = parse_date_range("October 19, 2013 @ 9:00 am – 5:00 pm")
    assert same_day.end.day == date(2013, 10, 19) and same_day.end.time == "17:00"


@pytest.mark.parametrize("text, month", [("March 2015", "2015-03"), ("diciembre de 2016", "2016-12"),
                                         ("juin 2018", "2018-06")])
def test_month_only_text_gives_month_precision(text, month):
    found = parse_date(text)
    assert found.day is None and found.month == month and found.precision == "month"


@pytest.mark.parametrize("text", ["February 30, 2015", "no date here", "March 3", "", None,
                                  "We met on Monday and talked for hours about many things"])
def test_gives_nothing_rather_than_a_guess(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("text, expected", [
    ("09:00-12:00", ("09:00", "12:00")), ("9:30 - 11 am", ("09:30", "11:00")),
    ("1:00 - 2:30 pm", ("13:00", "14:30")), ("17h00 - 18h30", ("17:00", "18:30")),
    ("9.00-10.30", ("09:00", "10:30")), ("9:00 am", ("09:00", None)), ("Lunch", None),
])
def test_time_ranges(text, expected):
    assert parse_time_range(text) == expected


def test_clock():
    assert parse_clock("12:00 am") == "00:00"
    assert parse_clock("12 pm") == "12:00"
    assert parse_clock("25:00") is None


words = st.sampled_from(sorted(MONTHS) + ["de", "of", "@", "am", "pm", "-", "–", ",", ".",
                                          "to", "au", "monday", "lundi", "all-day", "h"])
tokens = st.one_of(words, st.integers(0, 3000).map(str), st.text(max_size=6))


@settings(max_examples=300, deadline=None)
@given(st.lists(tokens, max_size=12).map(" ".join))
def test_never_crashes_and_never_invents_a_day(text):
    found = parse_date_range(text)
    if found is None:
        return
    for part in (found.start, found.end):
        if part is None:
            continue
        if part.day:
            # A day is only given when a day number stood in the text.
            assert any(ch.isdigit() for ch in text)
            assert part.month == part.day.strftime("%Y-%m")
        if part.month:
            assert part.year == int(part.month[:4])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_time_range_never_crashes(text):
    found = parse_time_range(text)
    assert found is None or (found[0] is not None and len(found[0]) == 5)
