"""Displayed HTML carries no scripts, event handlers or remote loads; search gets plain text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.parse.sanitise import plain_text, sanitise_html

PAYLOAD = """<p onclick="steal()" style="background:url(https://x.example.invalid/a.png)">Hello
<img src="https://x.example.invalid/p.gif" onerror="alert(1)">
<a href="javascript:alert(1)">bad link</a> <a href="https://example.org/">good link</a></p>
<script>alert(2)</script><style>p { color: red }</style>
<iframe src="https://x.example.invalid/frame"></iframe>
<svg onload="alert(3)"><circle r="1"/></svg>
<link rel="stylesheet" href="https://x.example.invalid/s.css">
<table><tr><th>Name</th><th>Country</th></tr><tr><td>Example Network</td><td>Chile</td></tr></table>"""


def test_no_scripts_no_handlers_no_remote_loads():
    clean = sanitise_html(PAYLOAD).lower()
    for bad in ("<script", "alert", "onclick", "onerror", "onload", "style=", "<style", "<img",
                "<iframe", "<svg", "<link", "javascript:", "x.example.invalid"):
        assert bad not in clean, bad
    assert 'href="https://example.org/"' in clean
    assert 'rel="noopener noreferrer nofollow"' in clean
    assert "<td>example network</td>" in clean


def test_plain_text_keeps_lines_and_cells():
    text = plain_text(PAYLOAD)
    assert "alert" not in text and "color: red" not in text
    assert "Name | Country |" in text.splitlines()
    assert "Example Network | Chile |" in text.splitlines()


def test_empty_input():
    assert sanitise_html(None) == "" and plain_text("") == ""


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_sanitised_output_never_contains_a_script(text):
    clean = sanitise_html("<p>" + text + "<script>x()</script><b onmouseover=y()>z</b></p>")
    assert "<script" not in clean.lower() and "onmouseover" not in clean.lower()


def test_relative_links_are_made_absolute_against_the_page():
    clean = sanitise_html('<a href="/category/statements/">s</a> <a href="javascript:x()">j</a>'
                          ' <a href="mailto:a@example.org">m</a>',
                          base_url="https://bestbits.net/es/example/")
    assert 'href="https://bestbits.net/category/statements/"' in clean
    assert "javascript" not in clean
    assert "a@example.org" not in clean and "mailto" not in clean


def test_no_email_address_survives():
    html = "<p>Write to <a href='mailto:someone@example.org'>someone@example.org</a></p>"
    assert "@" not in sanitise_html(html)
    assert plain_text(html) == "Write to [address]"
