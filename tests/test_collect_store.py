"""The raw WARC store: write then index, read back, survive a kill, and load into `captures`."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pytest

from bestbits import config
from bestbits.load.captures import read_captures
from bestbits.load.loader import Loader
from scrapers.collect.site import import_warcs
from scrapers.raw_store.warc_store import (
    INDEX_NAME,
    CaptureMeta,
    StoreBusy,
    StoreError,
    WarcStore,
    iter_index,
    read_record,
    replay_url,
)
from support.warc_fixtures import write_warc

ROOT = "http://127.0.0.1:9/coll/"


def meta(url: str = "http://bestbits.net/", timestamp: str = "20140101120000",
         digest: str = "D1", status: str = "200") -> CaptureMeta:
    return CaptureMeta(url=url, timestamp=timestamp, status=status, mime="text/html",
                       digest=digest, archive=ROOT, urlkey="net,bestbits)/")


def test_stored_capture_reads_back_with_headers_and_body(tmp_path: Path) -> None:
    with WarcStore(tmp_path) as store:
        stored = store.store(meta(), [("Content-Type", "text/html; charset=utf-8"),
                                      ("Content-Encoding", "gzip")], "café".encode())
    [indexed] = list(iter_index(tmp_path))
    assert indexed == stored
    assert stored.stored_at == "raw/site/site-00001.warc.gz#0"
    assert stored.replay_url == f"{ROOT}20140101120000/http://bestbits.net/"
    headers, body = read_record(tmp_path, indexed)
    assert body == "café".encode()
    assert headers["content-type"] == "text/html; charset=utf-8"
    # The body is kept decoded, so the transfer encoding header must not claim otherwise.
    assert "content-encoding" not in headers
    assert headers["content-length"] == str(len(body))


def test_index_only_entries_have_no_body(tmp_path: Path) -> None:
    with WarcStore(tmp_path) as store:
        redirect = store.index_only(meta(status="301", digest="R"))
    assert redirect.stored_at is None
    with pytest.raises(StoreError, match="no stored body"):
        read_record(tmp_path, redirect)


def test_duplicates_are_found_by_url_key_and_digest(tmp_path: Path) -> None:
    with WarcStore(tmp_path) as store:
        first = store.store(meta(), {}, b"same")
    with WarcStore(tmp_path) as store:  # a later run sees it from the index
        assert store.has("http://bestbits.net/", "20140101120000")
        assert store.stored_copy("net,bestbits)/", "http://www.bestbits.net/", "D1") == first
        assert store.stored_copy("net,bestbits)/", "http://bestbits.net/", "D2") is None


def test_kill_leftovers_are_cut_off_and_do_not_count(tmp_path: Path) -> None:
    with WarcStore(tmp_path) as store:
        store.store(meta(), {}, b"kept")
    folder = tmp_path / "raw" / "site"
    warc = folder / "site-00001.warc.gz"
    committed = warc.stat().st_size
    # A run killed after writing half a record, and another killed mid index line.
    with open(warc, "ab") as handle:
        handle.write(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n")[:20])
    with open(folder / INDEX_NAME, "ab") as handle:
        handle.write(b'{"url": "http://bestbits.net/x", "timest')
    assert len(list(iter_index(tmp_path))) == 1
    with WarcStore(tmp_path) as store:
        assert warc.stat().st_size == committed
        assert (folder / INDEX_NAME).read_bytes().endswith(b"}\n")
        second = store.store(meta(timestamp="20150101000000", digest="D2"), {}, b"next")
    assert second.stored_at == f"raw/site/site-00001.warc.gz#{committed}"
    assert [read_record(tmp_path, c)[1] for c in iter_index(tmp_path)] == [b"kept", b"next"]


def test_files_roll_over_at_the_size_limit(tmp_path: Path) -> None:
    with WarcStore(tmp_path, max_file_bytes=1) as store:
        a = store.store(meta(), {}, b"a")
        b = store.store(meta(timestamp="20150101000000", digest="D2"), {}, b"b")
    assert a.stored_at.startswith("raw/site/site-00001.warc.gz#")
    assert b.stored_at == "raw/site/site-00002.warc.gz#0"
    assert read_record(tmp_path, b)[1] == b"b"


def test_a_second_writer_is_told_the_store_is_busy(tmp_path: Path) -> None:
    with WarcStore(tmp_path), pytest.raises(StoreBusy, match="Another collector"):
        WarcStore(tmp_path).open()


def test_subdir_keeps_list_files_apart(tmp_path: Path) -> None:
    with WarcStore(tmp_path, subdir="list/wayback") as store:
        stored = store.store(meta(url="http://lists.example.invalid/2014-May.txt"), {}, b"x")
    assert stored.stored_at == "raw/list/wayback/list-wayback-00001.warc.gz#0"
    assert list(iter_index(tmp_path)) == []
    assert list(iter_index(tmp_path, subdir="list/wayback")) == [stored]


def test_replay_url_joins_root_timestamp_and_url() -> None:
    assert replay_url("https://web.archive.org/web/", "20130101000000", "http://bestbits.net/") \
        == "https://web.archive.org/web/20130101000000/http://bestbits.net/"
    assert replay_url("http://h:1/coll", "2013", "http://x/") == "http://h:1/coll/2013/http://x/"


def test_import_warc_stores_responses_once(tmp_path: Path) -> None:
    source = write_warc(tmp_path / "in" / "export.warc.gz", [
        ("http://bestbits.net/", "20130101000000", 200, {}, b"<p>one</p>"),
        ("http://bestbits.net/a", "20130101000001", 302, {"Location": "/"}, b""),
        ("http://bestbits.net/b", "20130101000002", 200, {}, b"<p>one</p>"),
    ])
    first = import_warcs(tmp_path, [source], progress=False)
    again = import_warcs(tmp_path, [source], progress=False)
    assert (first.records, first.stored, first.not_content) == (3, 2, 1)
    assert (again.stored, again.skipped) == (0, 3)
    captures = list(iter_index(tmp_path))
    assert len(captures) == 3
    assert {c.archive for c in captures} == {"warc:export.warc.gz"}
    assert read_record(tmp_path, captures[0])[1] == b"<p>one</p>"


def _loader(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Loader]:
    con = duckdb.connect()
    for name in ("10_core.sql", "20_captures.sql"):
        con.execute((config.SCHEMA_DIR / name).read_text())
    return con, Loader(con, tmp_path)


def test_build_reader_loads_the_index_and_rejects_bad_lines(tmp_path: Path) -> None:
    with WarcStore(tmp_path) as store:
        store.store(meta(), {}, b"body")
        store.index_only(meta(url="http://bestbits.net/r", status="301", digest="R"))
    index = tmp_path / "raw" / "site" / INDEX_NAME
    with open(index, "a") as handle:
        handle.write("not json\n")
        handle.write(json.dumps({"url": "http://bestbits.net/z", "timestamp": "2014",
                                 "archive": ROOT}) + "\n")
        handle.write('{"url": "cut off')
    con, load = _loader(tmp_path)
    read_captures(tmp_path, load)
    assert con.execute("SELECT count(*), count(stored_at), count(replay_url) FROM captures"
                       ).fetchone() == (2, 1, 2)
    assert con.execute("SELECT * FROM ingest_report").fetchall() == [
        ("raw/site/captures.jsonl", "captures", 5, 2, 3)]
    reasons = [r[0] for r in con.execute("SELECT reason FROM rejects").fetchall()]
    assert any("not a capture index line" in r for r in reasons)
    assert any("not 14 digits" in r for r in reasons)
    assert any("unfinished last line" in r for r in reasons)


def test_build_reader_without_raw_folder_reports_nothing(tmp_path: Path) -> None:
    con, load = _loader(tmp_path)
    read_captures(tmp_path, load)
    assert con.execute("SELECT count(*) FROM ingest_report").fetchone() == (0,)


def test_warc_record_says_where_and_when_it_was_archived(tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    with WarcStore(tmp_path) as store:
        stored = store.store(
            CaptureMeta(url="http://bestbits.net/es/", timestamp="20140210120000", status="200",
                        mime="text/html", digest="ABC", archive=ROOT,
                        source_uri=f"{ROOT}20140210120000id_/http://bestbits.net/es/"),
            {"Content-Type": "text/html"}, b"<p>x</p>")
    path = tmp_path / stored.stored_at.split("#")[0]
    with open(path, "rb") as handle:
        [record] = list(ArchiveIterator(handle))
    headers = record.rec_headers
    assert record.rec_type == "response"
    assert headers.get_header("WARC-Target-URI") == "http://bestbits.net/es/"
    assert headers.get_header("WARC-Date") == "2014-02-10T12:00:00Z"
    assert headers.get_header("X-Archive-Root") == ROOT
    assert headers.get_header("X-CDX-Digest") == "ABC"
    assert headers.get_header("WARC-Source-URI").endswith("id_/http://bestbits.net/es/")
    assert record.http_headers.get_statuscode() == "200"


def test_import_reads_warcs_inside_a_wacz_and_counts_unreadable_files(tmp_path: Path) -> None:
    import zipfile

    inner = write_warc(tmp_path / "data.warc.gz",
                       [("http://bestbits.net/w", "20160101000000", 200, {}, b"<p>w</p>")])
    wacz = tmp_path / "capture.wacz"
    with zipfile.ZipFile(wacz, "w") as bundle:
        bundle.write(inner, "archive/data.warc.gz")
        bundle.writestr("datapackage.json", "{}")
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(b"this is not a WARC file")
    summary = import_warcs(tmp_path / "data", [wacz, broken], progress=False)
    assert summary.stored == 1
    assert [c.archive for c in iter_index(tmp_path / "data")] == [
        "warc:capture.wacz!archive/data.warc.gz"]
    assert list(summary.failed) == ["broken.warc.gz: not a WARC file (nor gzipped WARC, ARC)"]
