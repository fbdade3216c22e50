"""The pywb path end to end: WARC fixtures -> a pywb collection on loopback -> `collect site`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from bestbits import config
from bestbits.cli import main
from bestbits.load.captures import read_captures
from bestbits.load.loader import Loader
from scrapers.collect.archive import ArchiveFailed, Politeness, open_archive
from scrapers.collect.site import collect_site
from scrapers.raw_store.warc_store import iter_index, read_record
from support.archive_servers import pywb_server
from support.warc_fixtures import site_fixture_records, write_warc

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def pywb_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("pywb")
    records = site_fixture_records()
    # Two files, as an archive holds captures from several crawls.
    warcs = [write_warc(folder / "crawl-1.warc.gz", records[:4]),
             write_warc(folder / "crawl-2.warc.gz", records[4:])]
    with pywb_server(folder, warcs) as root:
        yield root


def test_collect_site_command_end_to_end(pywb_root: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["collect", "site", "--archive", pywb_root, "--cdx-rate", "0", "--fetch-rate", "0",
            "--no-progress", "--data-dir", str(tmp_path)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "captures listed            8" in out
    assert "fetched and stored         5" in out
    captures = {(c.url, c.timestamp): c for c in iter_index(tmp_path)}
    assert len(captures) == 8
    fr = captures[("http://bestbits.net/fr/", "20150505050505")]
    assert fr.archive == pywb_root
    assert fr.replay_url == f"{pywb_root}20150505050505/http://bestbits.net/fr/"
    headers, body = read_record(tmp_path, fr)
    assert body == "<html><body><p>Page synthétique de test.</p></body></html>".encode()
    assert headers["content-language"] == "fr"
    assert "link" not in headers and "memento-datetime" not in headers
    redirect = captures[("http://bestbits.net/old-page", "20170707070707")]
    assert (redirect.status, redirect.stored_at) == ("301", None)
    missing = captures[("http://bestbits.net/missing", "20180808080808")]
    assert (missing.status, missing.stored_at) == ("404", None)

    # A rerun fetches nothing and says so.
    assert main(argv) == 0
    assert "skipped (stored)           8" in capsys.readouterr().out


def test_requests_per_unique_capture_is_one(pywb_root: str, tmp_path: Path) -> None:
    archive = open_archive(pywb_root, cdx_rate=0, fetch_rate=0)
    summary = collect_site(tmp_path, archive, progress=False)
    # One CDX request plus one fetch per unique content; duplicates and redirects cost nothing.
    assert archive.stats.fetch_requests == summary.unique == 5
    assert archive.stats.cdx_requests == 1


def test_build_reader_loads_what_pywb_gave(pywb_root: str, tmp_path: Path) -> None:
    collect_site(tmp_path, open_archive(pywb_root, cdx_rate=0, fetch_rate=0), progress=False)
    con = duckdb.connect()
    for name in ("10_core.sql", "20_captures.sql"):
        con.execute((config.SCHEMA_DIR / name).read_text())
    read_captures(tmp_path, Loader(con, tmp_path))
    assert con.execute("SELECT count(*), count(stored_at) FROM captures").fetchone() == (8, 6)
    assert con.execute("SELECT total, loaded, rejected FROM ingest_report").fetchall() == [
        (8, 8, 0)]


def test_a_root_without_cdx_is_explained(pywb_root: str, tmp_path: Path) -> None:
    wrong = pywb_root.replace("/coll/", "/")  # the server, not a collection
    archive = open_archive(wrong, cdx_rate=0, fetch_rate=0, politeness=Politeness(retries=0))
    with pytest.raises(ArchiveFailed, match="root of a pywb collection"):
        collect_site(tmp_path, archive, progress=False)


def test_an_empty_listing_suggests_checking_the_root(pywb_root: str, tmp_path: Path) -> None:
    # pywb answers an unknown collection's CDX with an empty 200, like a site it never saw.
    wrong = pywb_root.replace("/coll/", "/no-such-collection/")
    summary = collect_site(tmp_path, open_archive(wrong, cdx_rate=0, fetch_rate=0),
                           progress=False)
    assert summary.listed == 0
    assert "check --archive" in summary.text()


def test_collect_warc_imports_into_the_same_store(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    source = write_warc(tmp_path / "export.warc.gz", site_fixture_records())
    data = tmp_path / "data"
    assert main(["collect", "warc", str(source), "--no-progress", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    # Imports take every response record (no date window); 301 and 404 are indexed only.
    assert "stored                     7" in out and "redirects/errors           2" in out
    captures = list(iter_index(data))
    assert len(captures) == 9
    assert all(c.archive == "warc:export.warc.gz" for c in captures)
    assert all(c.replay_url.startswith("https://web.archive.org/web/") for c in captures)


def test_unreachable_archive_command_message(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    # A name that cannot resolve fails at once, without retries.
    code = main(["collect", "site", "--archive", "http://archive.invalid/coll/", "--no-progress",
                 "--data-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "archive.invalid" in err and "--archive" in err
