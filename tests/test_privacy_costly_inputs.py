"""Costly inputs are bounded (issue 16): a message's stored text is cut at 1 MB and counted, a
message whose parse overruns its time budget is rejected with the reason, and an HTML-only
message is stored as the text it shows. The messages are SYNTHETIC, made here."""

from __future__ import annotations

from pathlib import Path

import duckdb

from bestbits.load import list_parse
from bestbits.load.build import build
from scrapers.parse.mbox import parse_message
from scrapers.parse.message_text import TEXT_CAP_BYTES


def _message(number: int, body: str, content_type: str = "text/plain; charset=utf-8") -> str:
    return (f"From sender{number}@example.org  Mon Jan 07 09:00:00 2013\n"
            f"From: Sender {number} <sender{number}@example.org>\n"
            f"Date: Mon, 07 Jan 2013 09:0{number}:00 +0000\n"
            f"Subject: [bestbits] Synthetic message {number}\n"
            f"Message-ID: <costly-{number}@example.org>\n"
            f"Content-Type: {content_type}\n\n{body}\n\n")


def test_a_long_text_is_cut_at_the_cap_and_counted_in_the_ingest_notes(tmp_path, monkeypatch):
    monkeypatch.setenv("BESTBITS_SALT", "synthetic-costly-salt")
    # 3 MB of the author's own words (no quotes to cut), in lines as mail writes them.
    long_body = "\n".join(f"Line {n} of a synthetic report on remote participation, é."
                          for n in range(50_000))
    folder = tmp_path / "data" / "raw" / "list" / "bestbits"
    folder.mkdir(parents=True)
    (folder / "2013-January.txt").write_text(
        _message(1, long_body) + _message(2, "A short synthetic note."), encoding="utf-8")
    db = tmp_path / "costly.duckdb"
    summary = build(tmp_path / "data", db, progress=lambda _m: None, full=True, workers=1)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT octet_length(encode(text)), text_cut FROM messages "
                           "WHERE method = 'parsed' ORDER BY sent_at").fetchall()
        notes = con.execute("SELECT source, stage, items FROM ingest_notes").fetchall()
    assert rows[0][0] <= TEXT_CAP_BYTES and rows[0][0] > TEXT_CAP_BYTES - 100 and rows[0][1]
    assert rows[1][1] is False
    assert notes == [("raw/list/bestbits/2013-January.txt", "list", 1)]
    assert "1 message texts cut at the 1,000,000-byte cap" in summary.text()


def test_a_body_is_read_only_to_four_times_the_cap():
    body = "word " * (2 * TEXT_CAP_BYTES // 5) + "\n"
    parsed = parse_message(_message(1, body * 3).encode(), "message 1")
    assert parsed.body_cut and len(parsed.body.encode()) <= 4 * TEXT_CAP_BYTES


def test_a_message_over_its_time_budget_is_rejected_with_the_reason():
    raw = _message(1, "A synthetic message that takes too long.").encode()
    list_parse.start_worker(b"synthetic-salt", parse_seconds=0.0)
    try:
        batch = list_parse.ParseBatch("raw/list/x/2013-January.txt", "list-mbox", None, None,
                                    [(1, "message 1 (byte 0)", raw)])
        rows, _mentions, rejects = list_parse.parse_batch(batch)
    finally:
        list_parse.start_worker(b"synthetic-salt")
    assert rows["position"] == []
    assert rejects["locator"] == ["message 1 (byte 0)"]
    [reason] = rejects["reason"]
    assert reason.startswith("its parse took longer than the 0 s one message may take")
    assert f"{len(raw)} bytes, left in the raw file" in reason


def test_an_html_only_message_is_stored_as_the_text_it_shows(tmp_path: Path):
    html = ("<html><head><style>p { color: red }</style></head><body><p>Synthetic <b>HTML</b> "
            "note.</p><blockquote><p>A quoted line.</p></blockquote></body></html>")
    parsed = parse_message(_message(1, html, "text/html; charset=utf-8").encode(), "m1")
    assert parsed.body == "Synthetic HTML note.\n> A quoted line."
