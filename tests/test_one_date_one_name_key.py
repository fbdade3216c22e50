"""One partial date and one name key, whichever path read the source: the curated record and
the parsers give the same value for the same date or the same person."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bestbits.privacy.pseudonyms import salt_for
from scrapers.parse.dates import PartialDate, parse_date
from scrapers.parse.people import name_key


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_an_iso_day_is_the_same_partial_date_the_page_parser_reads(day: date) -> None:
    curated = PartialDate.from_iso(day.isoformat())
    assert curated == PartialDate(day, day.isoformat()[:7], day.year)
    assert parse_date(day.isoformat()) == curated


@given(st.integers(1900, 2100), st.integers(1, 12))
def test_an_iso_month_stays_month_precise(year: int, month: int) -> None:
    curated = PartialDate.from_iso(f"{year}-{month:02d}")
    assert (curated.day, curated.month, curated.year) == (None, f"{year}-{month:02d}", year)
    assert curated.precision == "month"


@pytest.mark.parametrize("text", ["2014-02-30", "2016-13", "April 2014", "2014", "14-04-22"])
def test_a_curated_date_that_is_not_strict_iso_or_does_not_exist_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.from_iso(text)


def test_an_empty_curated_date_is_unknown() -> None:
    assert PartialDate.from_iso("  ").precision == "none"


def test_a_name_has_one_key_however_it_is_written() -> None:
    salt = b"synthetic-salt"
    assert (name_key("Malcolm, Jeremy", salt) == name_key("jérémy  MALCOLM", salt)
            == name_key("Jeremy Malcolm", salt))
    assert name_key("Jeremy Malcolm", salt) != name_key("Jeremy Malcolmson", salt)
    # Keyed: without the data folder's salt, a name's key cannot be recomputed.
    assert name_key("Jeremy Malcolm", salt) != name_key("Jeremy Malcolm", b"another-salt")


def test_a_curated_sample_author_has_the_key_the_list_reader_gives_the_same_name(built_db
                                                                                  ) -> None:
    with duckdb.connect(str(built_db), read_only=True) as con:
        authors = con.execute("SELECT DISTINCT author_name, author_id FROM messages "
                              "WHERE method = 'curated' AND author_name <> ''").fetchall()
    assert authors, "the embedded record has a sample of the list"
    # The list reader keys a sender without an address by people.name_key (load/list_parse.py).
    salt = salt_for(built_db.parent)
    assert [(name, key) for name, key in authors if key != name_key(name, salt)] == []
