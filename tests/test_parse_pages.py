"""Every capture is classified: content pages by their cues, the rest as redirect, error or document."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapers.parse.pages import (
    PAGE_KINDS,
    categories,
    classify_capture,
    decode_body,
    page_title,
    published,
    shortcodes,
    site_address,
)
from scrapers.parse.tree import BACKENDS, read_document
from support.site_pages import CAPTURES, EXPECTED_KINDS, FIXTURES


@pytest.mark.parametrize("capture", [c for c in CAPTURES if c.file], ids=lambda c: c.file)
def test_fixture_pages_are_classified_by_their_cues(capture):
    page, doc = classify_capture(capture.url, "200", "text/html", capture.content())
    assert page.kind == EXPECTED_KINDS[capture.file], page.reason
    assert doc is not None


def test_a_post_with_an_agenda_table_is_an_event_even_outside_the_calendar():
    page, _ = classify_capture("http://bestbits.net/example-side-meeting-2015/", "200",
                               "text/html", (FIXTURES / "post_agenda.html").read_bytes())
    assert (page.kind, page.reason) == ("event", "agenda table (Time | Session)")


@pytest.mark.parametrize("status, mime, body, kind", [
    ("301", "text/html", None, "redirect"),
    ("302", None, b"<html>moved</html>", "redirect"),
    ("404", "text/html", b"<html>gone</html>", "error"),
    ("503", "text/html", b"", "error"),
    ("200", "application/pdf", b"%PDF-1.4", "document"),
    ("200", "application/msword", b"\xd0\xcf\x11\xe0", "document"),
    ("200", None, b"%PDF-1.4 no type given", "document"),
    ("200", "text/html", None, "error"),
])
def test_redirects_errors_and_files_are_not_parsed_as_content(status, mime, body, kind):
    page, doc = classify_capture("https://bestbits.net/x/", status, mime, body)
    assert page.kind == kind
    assert doc is None


def test_language_prefix_and_instance_id_are_read_from_the_address():
    address = site_address("https://bestbits.net/es/event/best-bits-2013/?instance_id=132552")
    assert (address.lang, address.path, address.instance_id) == (
        "es", "/event/best-bits-2013", "132552")
    assert site_address("https://bestbits.net/").path == ""


def test_cues_shared_by_every_kind():
    doc = read_document((FIXTURES / "statement_table.html").read_text())
    assert page_title(doc) == "Example open letter on participation"
    assert "Statements" in categories(doc)
    assert published(doc).iso() == "2017-12-12"
    older = read_document((FIXTURES / "post_agenda.html").read_text())
    # The <title> carries the site's name; the page title does not.
    assert page_title(older) == "Example side meeting on the review process"
    assert published(older).iso() == "2015-02-02"  # from the meta line '2. February, 2015 | ...'


def test_unrendered_shortcodes_with_typographic_quotes():
    text = "[participants event=”157964″] and [backgroundpapers event=\"94489\"]"
    assert shortcodes(text) == [("participants", "157964"), ("backgroundpapers", "94489")]


def test_charset_from_headers_meta_or_detection():
    assert decode_body("Señor".encode("latin-1"), "text/html; charset=ISO-8859-1") == "Señor"
    assert decode_body(b'<meta charset="windows-1252"><p>caf\xe9</p>').endswith("café</p>")
    assert decode_body("déjà".encode()) == "déjà"


@pytest.mark.parametrize("capture", [c for c in CAPTURES if c.file], ids=lambda c: c.file)
def test_both_backends_read_the_same_document(capture):
    html = capture.content().decode("utf-8")
    fast, slow = (read_document(html, name) for name in BACKENDS)
    assert fast.blocks == slow.blocks
    assert (fast.metas, fast.canonical, fast.h1, fast.meta_line, fast.tag_links) == (
        slow.metas, slow.canonical, slow.h1, slow.meta_line, slow.tag_links)


html_pieces = st.sampled_from([
    "<html>", "<body class='single category-statements'>", "<h1 class='entry-title'>", "</h1>",
    "<div class='entry-content'>", "</div>", "<table><tr><td>Time</td><td>Session</td></tr>",
    "<tr><td>09:00-10:00</td><td>Welcome</td></tr>", "</table>", "<ul><li>", "</li></ul>",
    "When:", "Where:", "Signatories", "<br>", "<p>", "</p>", "<script>alert(1)</script>",
    "<img onerror=alert(1) src=x>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#0;",
    "October 19, 2013", "<meta property='og:title' content='x'>", "<time datetime='2015'>",
    "<a rel='category tag' href='/c/'>Statements</a>", "<", ">", "\x00", "\ufeff",
])
arbitrary_html = st.one_of(st.text(max_size=300),
                           st.lists(st.one_of(html_pieces, st.text(max_size=20)),
                                    max_size=40).map("".join))
addresses = st.sampled_from([
    "https://bestbits.net/", "https://bestbits.net/event/x/?instance_id=1",
    "https://bestbits.net/es/some-post/", "https://bestbits.net/wiki/a/", "not a url",
    "https://bestbits.net/category/statements/page/2/", "http://[::1", ""])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(addresses, st.sampled_from(["200", "301", "404", None, "xyz"]),
       st.sampled_from(["text/html", "application/pdf", None, "warc/revisit"]),
       st.one_of(st.none(), arbitrary_html.map(str.encode), st.binary(max_size=200)))
def test_classification_never_crashes_on_arbitrary_input(url, status, mime, body):
    page, _doc = classify_capture(url, status, mime, body)
    assert page.kind in PAGE_KINDS
    assert page.reason
