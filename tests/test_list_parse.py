"""The list parsers: mbox messages, pipermail HTML, threads, people and domains (no network)."""

from __future__ import annotations

import gzip
import io
import mailbox
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bestbits.privacy import redact
from scrapers.parse import affiliation, people, threads
from scrapers.parse.mbox import (
    ParsedMessage,
    Reject,
    base_subject,
    decode_bytes,
    decode_header_text,
    iter_mbox,
    iter_mbox_file,
    parse_author,
    parse_date_header,
    parse_message,
    split_mbox,
    split_mbox_stream,
)
from scrapers.parse.pipermail_html import parse_date_page, parse_index, parse_message_page
from support.list_privacy import addresses_in
from support.peer_data import peer_data_dir
from support.pipermail_server import FIXTURE_DIR, archive_files

PERCEVAL = (peer_data_dir() or Path("/nonexistent/peer-data")) / "perceval"


def august() -> list[ParsedMessage | Reject]:
    return list(iter_mbox((FIXTURE_DIR / "2012-August.mbox").read_bytes()))


def by_subject(items, words: str) -> ParsedMessage:
    return next(m for m in items if isinstance(m, ParsedMessage) and words in (m.subject or ""))


def test_split_counts_what_the_stdlib_mailbox_counts(tmp_path):
    for path in sorted(FIXTURE_DIR.glob("*.mbox")):
        assert len(list(split_mbox(path.read_bytes()))) == len(mailbox.mbox(str(path)))


def test_rfc2047_name_in_pipermail_obfuscated_from():
    first = august()[0]
    assert first.author_name == "Alïce Examplé"
    assert first.address == "alice@example.org"
    assert first.subject == "[testlist] Plans for the IGF in Baku"


def test_windows_1252_body_without_charset_is_decoded():
    reply = by_subject(august(), "Re: [testlist] Plans")
    assert "“Human Rights Council”" in reply.body
    assert "café" in reply.body and "Alice –" in reply.body


def test_scrubbed_attachment_footer_and_from_escape_are_undone():
    first = august()[0]
    assert first.attachments_scrubbed == 1
    assert "scrubbed" not in first.body and "next part" not in first.body
    assert "\nFrom the notes of our last call" in first.body
    assert ">From" not in first.body


def test_date_fallbacks_record_their_source():
    items = august()
    assert august()[0].sent_at == datetime(2012, 8, 16, 9, 52, 54)  # -0400 -> UTC
    assert by_subject(items, "Agenda draft").date_source == "mbox-from-line"
    assert by_subject(items, "Travel").date_source == "mbox-from-line"  # garbage Date
    iso = by_subject(items, "An ISO date")
    assert iso.date_source == "date-header-lenient"
    assert iso.sent_at == datetime(2012, 8, 20, 12, 15)


def test_missing_message_id_gets_a_stable_derived_id():
    one = by_subject(august(), "No Message-ID")
    two = by_subject(august(), "No Message-ID")
    assert one.message_id_derived and one.message_id.startswith("derived:")
    assert one.message_id == two.message_id


def test_message_ids_are_pseudonymous_keys_not_addresses():
    for item in august():
        if isinstance(item, ParsedMessage):
            assert "@" not in item.message_id
            assert item.in_reply_to is None or "@" not in item.in_reply_to


def test_message_without_sender_is_rejected_with_a_reason():
    rejects = [m for m in august() if isinstance(m, Reject)]
    assert len(rejects) == 1
    assert "no sender" in rejects[0].reason and rejects[0].locator.startswith("message 7")


def test_unescaped_from_line_in_a_body_becomes_a_reject_not_a_crash():
    data = (b"From a at example.org  Mon Aug 20 08:00:00 2012\nFrom: a at example.org (A B)\n"
            b"Date: Mon, 20 Aug 2012 08:00:00 +0000\nSubject: x\n\nbody\n"
            b"From here on, a body line that pipermail did not escape\n\n")
    items = list(iter_mbox(data))
    assert len(items) == 2 and isinstance(items[0], ParsedMessage)
    assert isinstance(items[1], Reject) and "From " in items[1].reason


@pytest.mark.parametrize("header, name, address", [
    ("goran at domain.com (=?ISO-8859-1?Q?G=F6ran_Lastname?=)", "Göran Lastname",
     "goran@domain.com"),
    ('"Bob Example" <bob at example.net>', "Bob Example", "bob@example.net"),
    ("Carol <carol@example.com>", "Carol", "carol@example.com"),
    ("dave at example.org", None, "dave@example.org"),
    ("Just A Name", "Just A Name", None),
    ("", None, None),
])
def test_parse_author(header, name, address):
    assert parse_author(decode_header_text(header)) == (name, address)


def test_addresses_are_scrubbed_from_stored_text():
    assert redact("mail jo@example.org or jo at example.org") == "mail [address] or [address]"


def test_mislabelled_utf8_and_unknown_charsets():
    assert decode_bytes("Göran".encode(), "iso-8859-1") == "Göran"
    assert decode_bytes(b"Luc\xeda", "utf-8") == "Lucía"
    assert decode_bytes(b"caf\xe9", "x-unknown-charset") == "café"


def test_pipermail_date_line_and_broken_dates():
    assert parse_date_header("Thu Aug 16 05:52:54 EDT 2012") == (
        datetime(2012, 8, 16, 9, 52, 54), "date-header")
    assert parse_date_header("not a date") == (None, None)
    assert parse_date_header("Mon, 01 Jan 1970 00:00:00 +0000") == (None, None)


def test_base_subject_removes_reply_marks_and_list_tags():
    assert base_subject("Re: [bestbits] RE: Fwd:  Statement  draft") == "statement draft"


# -- pipermail HTML --------------------------------------------------------------------

def test_index_page_lists_months_and_text_archives():
    files = archive_files()
    months = parse_index(files[""], "http://lists.example.org/pipermail/testlist/")
    labels = [m.label for m in months]
    assert labels == ["2022-January", "2012-September", "2012-October", "2012-August"]
    assert months[-1].text_url == "http://lists.example.org/pipermail/testlist/2012-August.txt.gz"
    assert months[-1].month == "2012-08"


def test_date_page_and_message_page():
    files = archive_files()
    links = parse_date_page(files["2012-August/date.html"],
                            "http://lists.example.org/pipermail/testlist/2012-August/date.html")
    assert [link.number for link in links] == list(range(1, 10))
    page = parse_message_page(files["2012-August/000001.html"], links[0].url)
    assert isinstance(page, ParsedMessage)
    from_mbox = august()[0]
    assert page.message_id == from_mbox.message_id  # the reply link carries the Message-ID
    assert page.author_name == "Alïce Examplé" and page.address == "alice@example.org"
    assert page.date_source == "html-page" and page.sent_at == from_mbox.sent_at
    assert page.url == links[0].url and "scrubbed" not in page.body


def test_peer_pipermail_index_pages():
    if not PERCEVAL.is_dir():
        pytest.skip(f"{PERCEVAL} is absent")
    months = parse_index((PERCEVAL / "pipermail_index.html").read_bytes(), "http://x.example/")
    assert {m.label for m in months} >= {"2016-April", "2016-March", "2015-November"}
    assert parse_index((PERCEVAL / "pipermail_index_empty.html").read_bytes(),
                       "http://x.example/") == []


# -- threads, people, domains -----------------------------------------------------------

def test_threads_from_headers_and_subject_fallback():
    t = datetime(2012, 8, 1)
    links = threads.build_threads([
        threads.ThreadInput("a", None, [], "[l] Topic", t.replace(day=1)),
        threads.ThreadInput("b", "a", [], "Re: [l] Topic", t.replace(day=2)),
        threads.ThreadInput("c", None, [], "RE: [l] topic", t.replace(day=3)),
        threads.ThreadInput("d", None, ["a", "c"], "Re: other", t.replace(day=4)),
        threads.ThreadInput("e", "missing", ["root-missing", "missing"], "Re: x", t),
        threads.ThreadInput("f", "missing", [], "Re: x", t),
    ])
    assert links["b"].reply_source == "in-reply-to" and links["b"].parent_id == "a"
    assert links["c"].reply_source == "subject" and links["c"].parent_id == "b"
    assert links["d"].reply_source == "references" and links["d"].parent_id == "c"
    assert {links[k].thread_id for k in "abcd"} == {"a"}
    assert links["e"].thread_id == "root-missing" and links["f"].thread_id == "missing"


def test_people_merge_by_name_and_overrides_explain_every_merge():
    senders = [("addr:1", "Alïce Examplé"), ("addr:2", "Example, Alice"), ("addr:3", "sam"),
               ("addr:4", "sam"), ("addr:5", "Sam Other"), ("addr:6", "Pat Same"),
               ("addr:7", "Pat Same")]
    overrides = [people.Override("merge", "Sam Other", "sam", "same signature", 2),
                 people.Override("keep_apart", "Pat Same", "", "two people", 3)]
    author_of, persons, merges = people.merge_people(senders, overrides)
    assert author_of["addr:1"] == author_of["addr:2"]
    assert author_of["addr:3"] == author_of["addr:4"] == author_of["addr:5"]
    assert author_of["addr:6"] != author_of["addr:7"]
    assert len(persons) == 4
    rules = {(m.rule, m.author_id) for m in merges}
    assert ("same name", author_of["addr:1"]) in rules
    assert ("override", author_of["addr:3"]) in rules
    assert all("line 2" in m.evidence for m in merges if m.rule == "override")


def test_overrides_file_errors_name_the_line(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("action,name,other_name,reason\nmerge,A B,C D,ok\nfuse,A,B,bad\n")
    with pytest.raises(people.OverridesError, match="line 3"):
        people.load_overrides(path)
    assert people.load_overrides(people.OVERRIDES_FILE) == []  # the committed file is empty


def test_registrable_domain_offline_and_the_curated_map():
    assert affiliation.registrable_domain("lists.apc.org") == "apc.org"
    assert affiliation.registrable_domain("mail.example.co.uk") == "example.co.uk"
    assert affiliation.registrable_domain("localhost") is None
    mapping = affiliation.load_domain_map()
    assert affiliation.affiliation("apc.org", mapping)[0] == (
        "Association for Progressive Communications")
    assert affiliation.affiliation("unknown.example", mapping) == ("unknown.example", None)
    assert all(o.source_url.startswith("https://") for o in mapping.values())


# -- property tests: bad input never crashes the parser ---------------------------------

@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_message_parser(data):
    result = parse_message(b"From x  Mon Aug 20 08:00:00 2012\n" + data, "message 1")
    assert isinstance(result, ParsedMessage | Reject)
    if isinstance(result, ParsedMessage):
        assert result.sent_at is None or 1990 <= result.sent_at.year < 2040


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_date_headers_never_crash(text):
    moment, source = parse_date_header(text)
    assert (moment is None) == (source is None)
    assert moment is None or moment.tzinfo is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_from_headers_never_crash_nor_leak_an_address_into_the_name(text):
    name, _address = parse_author(decode_header_text(text))
    assert addresses_in(name) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"From: ", b"Date: ", b"Subject: =?utf-8?q?", b"\n", b"From ",
                                 b">From ", b"Message-ID: <", b"\xff\xfe", b"=?", b"?=", b" at ",
                                 b"x", b"\r\n", b"Content-Type: multipart/mixed; boundary=b\n",
                                 b"--b\n"]), max_size=60))
def test_mbox_shaped_noise_is_accounted_for(chunks):
    data = b"".join(chunks)
    items = list(iter_mbox(data))
    assert len(items) == len(list(split_mbox(data)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"From ", b"From x\n", b"\n", b"x", b"\r\n", b"From: y\n"]),
                max_size=50), st.integers(min_value=1, max_value=40))
def test_reading_in_chunks_splits_exactly_like_reading_whole(chunks, size):
    data = b"".join(chunks)
    assert list(split_mbox_stream(io.BytesIO(data), size)) == list(split_mbox(data))


def test_a_cut_gzip_file_yields_what_it_can_then_a_reject(tmp_path):
    raw = (FIXTURE_DIR / "2012-August.mbox").read_bytes()
    packed = gzip.compress(raw * 1500)  # about 4 MB: several chunks
    path = tmp_path / "2012-August.txt.gz"
    path.write_bytes(packed[: len(packed) // 2])
    items = list(iter_mbox_file(path))
    assert isinstance(items[-1], Reject) and "damaged" in items[-1].reason
    assert any(isinstance(i, ParsedMessage) for i in items)
