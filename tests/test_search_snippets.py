"""Snippets around the searched words: escaped archived text, the words marked, nothing else."""

from __future__ import annotations

from bestbits.query import Rows
from dashboards.live.html import block_html
from dashboards.page_view import walk
from dashboards.pages.statements import list_context_card
from dashboards.search_snippets import snippet_html


def test_a_snippet_marks_the_words_and_escapes_the_text():
    text = "Intro. " + "filler " * 40 + "<script>x</script> state Surveillance programmes " \
           + "filler " * 40
    html = snippet_html(text, "surveillance")
    assert "<mark>Surveillance</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.startswith("…") and html.endswith("…")


def test_a_text_without_the_words_gives_its_beginning_and_empty_text_nothing():
    assert snippet_html("Lunch on Tuesday.", "surveillance") == "Lunch on Tuesday."
    assert snippet_html(None, "x") == "" and snippet_html("  ", "x") == ""


def test_signatories_on_the_list_show_small_counts_as_below_k():
    columns = ["signatory", "matched_as", "on_list", "messages", "posters", "first_month",
               "last_month", "evidence", "confidence"]
    posters = Rows.from_records([{"signatory": "Ana", "matched_as": "individual", "on_list": "Ana",
                             "messages": 3, "posters": None, "first_month": "2013-04",
                             "last_month": "2013-06", "evidence": "name", "confidence": "medium"},
                            {"signatory": "Org", "matched_as": "organisation", "on_list": "Org",
                             "messages": 12, "posters": 2, "first_month": "2013-04",
                             "last_month": "2013-06", "evidence": "domain",
                             "confidence": "high"}], columns)
    card = list_context_card("s", Rows([], []), posters, 8, 5)
    html = "".join(block_html(b) for b in walk(card.blocks))
    assert "&lt;5" in html and ">12<" in html and ">3<" not in html
