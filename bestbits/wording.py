"""Counts as people say them ("1 row", "2 rows", "8,344 messages"): one definition for the
pages, both faces, the charts' hover text and the networks' notes."""

from __future__ import annotations


def counted(n: int, one: str, many: str | None = None) -> str:
    """N followed by ONE when N is 1, else by MANY (ONE + "s" unless given)."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
