"""Counts are said as people say them: "1 row", never "1 rows" (bestbits/wording.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bestbits.wording import counted


def test_one_is_singular_and_every_other_count_plural():
    assert counted(1, "row") == "1 row"
    assert counted(0, "row") == "0 rows"
    assert counted(8344, "message") == "8,344 messages"
    assert counted(1, "signatory", "signatories") == "1 signatory"
    assert counted(2, "statement shared", "statements shared") == "2 statements shared"


@given(st.integers(min_value=0, max_value=10**9))
def test_the_count_is_written_whole_and_the_noun_agrees(n):
    said = counted(n, "reply", "replies")
    number, noun = said.split(" ", 1)
    assert int(number.replace(",", "")) == n
    assert noun == ("reply" if n == 1 else "replies")
