"""Every real WARC and ARC file from other projects' test suites, through the CLI as a user runs it.

The files are read in place from ../shared/peer-data/{warcio,pywb,aut,resiliparse-fastwarc}
(see each folder's README for what each file exercises); the tests skip when that is absent.
"""

from __future__ import annotations

import json
from hashlib import sha256
from pathlib import Path

import duckdb
import pytest

from bestbits.privacy import import_label
from scrapers.collect.warc_import import import_warcs
from scrapers.raw_store.warc_store import iter_index, read_record
from support.cli import run_cli
from support.peer_data import peer_folder

PEER_FOLDERS = ("warcio", "pywb", "aut", "resiliparse-fastwarc")


def peer_archive_files() -> list[Path]:
    files = []
    for name in PEER_FOLDERS:
        folder = peer_folder(name)
        files += sorted(p for p in folder.rglob("*") if p.is_file()
                        and (".warc" in p.name or ".arc" in p.name))
    return files


@pytest.fixture(scope="module")
def peer_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """`bestbits collect warc` over every peer file, then `bestbits build`, once for the module."""
    files = peer_archive_files()
    data = tmp_path_factory.mktemp("peer") / "data"
    collect = run_cli("collect", "warc", "--no-progress", "--data-dir", str(data),
                      *map(str, files))
    db = data / "bestbits.duckdb"
    build = run_cli("build", "--data-dir", str(data), "--db", str(db))
    log = [json.loads(line) for line in
           (data / "raw" / "site" / "imports.jsonl").read_text().splitlines()]
    return {"files": files, "data": data, "db": db, "collect": collect, "build": build,
            "log": {Path(entry["path"]).name if "!" not in entry["path"] else entry["path"]:
                    entry for entry in log},
            "log_lines": log}


def test_collect_warc_reads_every_peer_file_without_a_traceback(peer_run: dict) -> None:
    collect = peer_run["collect"]
    assert "Traceback" not in collect.stderr + collect.stdout
    assert collect.returncode == 1   # some records are rejected, and the command says so
    assert f"Imported {len(peer_run['files'])} files" in collect.stdout
    assert len(peer_run["log_lines"]) == len(peer_run["files"])


def test_every_record_of_every_file_is_accounted_for(peer_run: dict) -> None:
    for entry in peer_run["log_lines"]:
        outcomes = entry["outcomes"]
        assert sum(outcomes.values()) == entry["records"], entry["file"]
        not_indexed = outcomes.get("other type", 0) + outcomes.get("rejected", 0)
        assert len(entry["left_out"]) == not_indexed, entry["file"]
        assert all(reason for _offset, reason in entry["left_out"]), entry["file"]


def test_build_reports_loaded_plus_rejected_for_every_input_file(peer_run: dict) -> None:
    build = peer_run["build"]
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    with duckdb.connect(str(peer_run["db"]), read_only=True) as con:
        rows = con.execute("SELECT source, total, loaded, rejected FROM ingest_report "
                           "WHERE stage = 'warc import' AND source LIKE 'warc:%'").fetchall()
        reasons = dict(con.execute("SELECT source, count(*) FROM rejects "
                                   "WHERE stage = 'warc import' GROUP BY source").fetchall())
    by_path = {source.removeprefix("warc:"): (total, loaded, rejected)
               for source, total, loaded, rejected in rows}
    # Each file is cited by its content and name, never by the folder it was imported from.
    assert set(by_path) == {import_label(sha256(p.read_bytes()).hexdigest(), p.name)
                            for p in peer_run["files"]}
    for entry in peer_run["log_lines"]:
        total, loaded, rejected = by_path[entry["path"]]
        assert loaded + rejected == total
        assert total == entry["records"] + (1 if entry["damage"] else 0), entry["file"]
        assert reasons.get(f"warc:{entry['path']}", 0) == rejected


def test_heritrix_arc_records_import_as_warcio_converts_them(peer_run: dict) -> None:
    # aut/example.arc.gz: filedesc + 299 records (261 HTTP, 38 DNS) of a 2008 IA crawl.
    aut = peer_folder("aut") / "example.arc.gz"
    label = import_label(sha256(aut.read_bytes()).hexdigest(), aut.name)
    arc = next(e for e in peer_run["log_lines"] if e["path"] == label)
    assert arc["records"] == 300
    assert arc["damage"] is None
    outcomes = arc["outcomes"]
    assert outcomes.get("rejected", 0) == 0
    assert (outcomes.get("stored", 0) + outcomes.get("duplicate", 0)
            + outcomes.get("redirect/error", 0) + outcomes.get("already stored", 0)) == 261
    assert [0, "warcinfo record (not a capture)"] in arc["left_out"]  # the filedesc header
    assert sum(reason == "DNS lookup record (not a capture)"
               for _offset, reason in arc["left_out"]) == 38


def test_single_stream_gzip_is_recompressed_and_said_in_the_summary(peer_run: dict) -> None:
    entry = next(e for e in peer_run["log_lines"]
                 if e["file"] == "example-bad-non-chunked.warc.gz")
    assert entry["single_stream"] and entry["recompressed"] and entry["damage"] is None
    assert entry["outcomes"].get("stored", 0) + entry["outcomes"].get("already stored", 0) >= 1
    assert ("example-bad-non-chunked.warc.gz: one gzip stream, not one per record; recompressed "
            "on import") in peer_run["collect"].stdout


def test_damaged_files_are_read_up_to_the_damage_and_the_rest_reported_with_offset(
        peer_run: dict) -> None:
    chunks = next(e for e in peer_run["log_lines"] if e["file"] == "example-wrong-chunks.warc.gz")
    assert chunks["records"] == 1 and chunks["damaged_at"] == 516
    assert "example-wrong-chunks.warc.gz: damaged at byte 516 after 1 records" in \
        peer_run["collect"].stdout
    clipped = next(e for e in peer_run["log_lines"] if e["file"] == "clipped.warc.gz")
    assert clipped["outcomes"] == {"rejected": 1}
    assert "record cut short" in clipped["left_out"][0][1]


def test_impossible_warc_dates_are_rejected_with_the_date(peer_run: dict) -> None:
    quirk = next(e for e in peer_run["log_lines"] if e["file"] == "clueweb-quirk.warc.gz")
    reasons = {reason for _offset, reason in quirk["left_out"]}
    assert "WARC-Date '2008-10-294T05:21:46-0700' is not a valid date" in reasons


def test_revisits_point_at_their_stored_original(tmp_path: Path) -> None:
    pywb = peer_folder("pywb")
    summary = import_warcs(tmp_path, [pywb / "warcs" / "example-extra.warc"], progress=False)
    # The file holds the response and its revisit (no HTTP headers) twice each.
    assert (summary.stored, summary.duplicates, summary.skipped) == (1, 1, 2)
    captures = list(iter_index(tmp_path))
    originals = {c.stored_at for c in captures}
    assert len(originals) == 1
    _headers, body = read_record(tmp_path, captures[-1])
    assert b"Example Domain" in body


def test_a_second_import_of_the_same_files_stores_nothing_new(tmp_path: Path) -> None:
    warcio = peer_folder("warcio")
    files = [warcio / "example.warc.gz", warcio / "example.arc"]
    first = import_warcs(tmp_path, files, progress=False)
    again = import_warcs(tmp_path, files, progress=False)
    assert first.stored >= 1 and again.stored == 0
    assert again.skipped == first.stored + first.duplicates + first.not_content
