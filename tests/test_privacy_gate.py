"""The privacy gate (bestbits/privacy/addresses.py): every written form of an address is found
and replaced, ordinary prose with "at" and "dot" is kept, and the after-build sweep's RE2
prefilter lets no address past. Addresses and prose here are SYNTHETIC (example domains)."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import quote

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bestbits.privacy import (
    REDACTED,
    contains_address,
    find_addresses,
    import_label,
    redact,
    redact_html,
    redact_url,
    safe_file_name,
)
from bestbits.privacy.sweep import ADDRESS_PREFILTER, NFKC_MARKERS
from scrapers.parse.sanitise import sanitise_html
from support.privacy_scan import addresses_in

# The forms of issue 16, each with the local part that must not survive.
FORMS = [
    ("jo@example.org", "jo"),
    ("name @ domain . org", "name"),
    ("name[at]domain.org", "name"),
    ("user(at)host.org", "user"),
    ("x (at) y (dot) org", "x (at)"),
    ("JOANNA AT EXAMPLE DOT ORG", "JOANNA"),
    ("info at example.org", "info"),
    ("joanna＠example.org", "joanna"),
    ("joanna%40example.org", "joanna"),
    ("joanna%2540example.org", "joanna"),
    ("joanna&#64;example.org", "joanna"),
    ("joanna&#x40;example.org", "joanna"),
    ("joanna&amp;#64;example.org", "joanna"),
    ("joanna&commat;example&period;org", "joanna"),
    ('"joanna smith"@example.org', "joanna smith"),
    ("joanna@[192.0.2.1]", "joanna"),
    ("josé@exämple.de", "josé"),
    ("joanna@пример.рф", "joanna"),
    ("joanna@xn--e1afmkfd.xn--p1ai", "joanna"),
    ("mailto:joanna@example.org?subject=hi", "joanna"),
    ("mailto:joanna at example.org", "joanna"),
    ("ｊｏａｎｎａ＠ｅｘａｍｐｌｅ．ｏｒｇ", "ｊｏａｎｎａ"),
    ("joanna {at} example {dot} org", "joanna"),
    ("joanna <at> example <dot> org", "joanna"),
    ("joanna [ at ] example [ dot ] org", "joanna"),
    ("jose\u0301@example.org", "jose"),
]
PROSE = [
    "we met at the hotel",
    "the dot matrix printer",
    "the list at lists.example.org/info keeps the archive",
    "the meeting at 10.30 in room 4",
    "I arrived at Geneva. Then we went on",
    "follow @ISOC for news",
    "see you @ home",
    "look at https://example.org/info for the agenda",
    "R&D at 50% of the budget",
    "at the end of the day, dot the i's",
]


@pytest.mark.parametrize(("written", "local"), FORMS)
def test_every_form_of_issue_16_is_found_and_replaced(written, local):
    text = redact(f"Write to {written} today.")
    assert text == f"Write to {REDACTED} today.", text
    assert local not in text and contains_address(written)


@pytest.mark.parametrize("text", PROSE)
def test_ordinary_prose_with_at_and_dot_is_kept(text):
    assert redact(text) == text and not contains_address(text)


def test_the_rest_of_the_text_is_kept_exactly_around_an_encoded_address():
    text = "Café — write to jo&#64;example.org (or ｊｏ＠ｅｘａｍｐｌｅ．ｏｒｇ), ½ price."
    assert redact(text) == f"Café — write to {REDACTED} (or {REDACTED}), ½ price."


def test_find_addresses_reads_obfuscated_forms_as_plain_addresses():
    assert find_addresses("Jo at Example.ORG") == ["jo@example.org"]
    assert find_addresses("jo (at) example (dot) org, x%40y.org") == ["jo@example.org", "x@y.org"]


def test_html_loses_addresses_in_text_attributes_links_and_across_tags():
    page = ('<p>Write to jo@<span>example.org</span>, <a href="mailto:ann@example.org" '
            'title="bo&#64;example.org">us</a> or <a href="https://example.org/?to=cy%40example.org">'
            'the form</a>.</p>')
    clean = sanitise_html(page)
    assert not addresses_in(clean) and "mailto" not in clean
    assert clean.count(REDACTED) == 3 and "<span>" not in clean.split(REDACTED)[0][-10:]
    assert redact_html("<p>jo@<b>example.org</b></p>").count(REDACTED) == 1


def test_addresses_of_pages_stay_addresses():
    assert redact_url("https://bestbits.net/?s=someone@example.org") == \
        "https://bestbits.net/?s=address-removed"
    assert redact_url("https://web.archive.org/web/2014/https://bestbits.net/author/"
                      "someone%40example.org/") == \
        "https://web.archive.org/web/2014/https://bestbits.net/author/address-removed/"
    assert redact_url("https://user:pw@bestbits.net/a") == "https://bestbits.net/a"
    assert redact_url("https://bestbits.net/statements/") == "https://bestbits.net/statements/"


def test_imported_files_are_named_by_content_and_a_safe_name():
    assert safe_file_name("/home/jo/jo@example.org.mbox.gz") == "address-removed.mbox.gz"
    assert safe_file_name("Best Bits 2013.mbox") == "Best_Bits_2013.mbox"
    assert import_label("ab" * 32, "C:\\Users\\jo\\jo.doe@example.org.warc.gz") == \
        "import:abababababab/address-removed.warc.gz"


# -- properties ---------------------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
locals_ = st.text(_LETTERS + "0123456789", min_size=2, max_size=12).map(lambda s: "q" + s)
labels = st.text(_LETTERS + "0123456789-", min_size=1, max_size=10).filter(
    lambda s: s[0] != "-" and s[-1] != "-")
tlds = st.sampled_from(["org", "net", "com", "info", "de", "br", "ke", "co.uk"])
ats = st.sampled_from(["@", " @ ", "(at)", " (at) ", "[at]", " [at] ", "{at}", "＠", " at ",
                       " AT "])
dots = st.sampled_from([".", " (dot) ", "[dot]", " dot ", " DOT "])
encodings = st.sampled_from(["plain", "entity", "hex-entity", "percent", "double-percent",
                             "nfkc", "escaped-entity"])
wrappers = st.sampled_from(["{}", "<{}>", "({})", "[{}]", '"{}"', "mailto:{}", "{},", "{}.",
                            "Contact: {}!", "<mailto:{}?subject=x>", "{}\n", "\t{}\t"])


def _encoded(address: str, how: str) -> str:
    at = "@"
    if how == "entity":
        return address.replace(at, "&#64;")
    if how == "hex-entity":
        return address.replace(at, "&#x40;")
    if how == "escaped-entity":
        return address.replace(at, "&amp;#64;")
    if how == "percent":
        return quote(address, safe="")
    if how == "double-percent":
        return quote(quote(address, safe=""), safe="")
    if how == "nfkc":
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in address)
    return address


@st.composite
def written_addresses(draw):
    local, tld = draw(locals_), draw(tlds)
    host = draw(st.lists(labels, min_size=1, max_size=2))
    at = draw(ats)
    dot = draw(dots)
    if at.strip().lower() == "at":
        dot = draw(st.sampled_from([".", " dot "]))  # the bare word needs a tight host
    address = local + at + dot.join(host + tld.split("."))
    if "@" in at and at.strip() == "@":
        address = _encoded(address, draw(encodings))
    return local, draw(wrappers).format(address)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_addresses(), st.text(_LETTERS + " ,.", max_size=30), st.text(_LETTERS + " ", max_size=30))
def test_a_generated_address_in_any_wrapper_and_encoding_never_survives(address, before, after):
    local, written = address
    text = f"{before} {written} {after}"
    redacted = redact(text)
    assert contains_address(text)
    assert not contains_address(redacted)
    assert not addresses_in(redacted), redacted
    assert local not in unicodedata.normalize("NFKC", html.unescape(redacted)).lower()


prose_words = st.sampled_from(
    ["we", "met", "at", "the", "hotel", "dot", "matrix", "printer", "list", "meeting", "Geneva",
     "agenda", "draft", "at", "dot", "session", "look", "AT", "Dot", "10.30", "noon", "room",
     "lists.example.org/info", "https://example.org/a", "p.m.", "e.g.", "i.e."])


@settings(max_examples=300, deadline=None)
@given(st.lists(prose_words, min_size=1, max_size=25),
       st.sampled_from([" ", "\n", ", ", ". "]))
def test_generated_prose_with_at_and_dot_survives(words, separator):
    text = separator.join(words)
    assert redact(text) == text


@settings(max_examples=300, deadline=None)
@given(written_addresses())
def test_the_sweeps_prefilter_lets_no_generated_address_past(address):
    _local, written = address
    with duckdb.connect() as con:
        assert con.execute("SELECT regexp_matches(?, ?)", [written, ADDRESS_PREFILTER]
                           ).fetchone()[0], written


def test_the_prefilter_knows_every_character_nfkc_folds_into_an_at_sign_or_at_word():
    wanted = set("@%&([{<aAtT")
    folded = {c for c in range(0x80, 0x110000) if not 0xD800 <= c <= 0xDFFF
              and set(unicodedata.normalize("NFKC", chr(c))) & wanted}
    ranges = re.findall(r"\\x\{([0-9A-F]+)\}(?:-\\x\{([0-9A-F]+)\})?", NFKC_MARKERS)
    listed = {c for low, high in ranges for c in range(int(low, 16), int(high or low, 16) + 1)}
    assert folded <= listed
