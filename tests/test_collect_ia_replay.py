"""The Internet Archive backend against the IA's real, recorded answers, through the CLI.

tests/support/ia_replay_server.py replays EDGI's VCR cassettes of web.archive.org (read in place
from ../shared/peer-data/edgi-wayback/ and edgi-web-monitoring-processing/) on 127.0.0.1, and
`bestbits collect site --archive wayback+http://127.0.0.1:PORT/` runs against it as a separate
process, as a user runs it. The tests skip when the peer data is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrapers.collect.archive import CdxRecord, Politeness, open_archive
from scrapers.raw_store.warc_store import INDEX_NAME
from support.cli import run_cli
from support.ia_replay_server import IAReplayServer

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def replay() -> IAReplayServer:
    from support.peer_data import peer_folder

    edgi = peer_folder("edgi-wayback")
    processing = peer_folder("edgi-web-monitoring-processing")
    cassettes = sorted((edgi / "cassettes").glob("*.yaml")) + sorted(processing.glob("*.yaml"))
    cdx_files = {"epa.gov": edgi / "test_files" / "malformed_cdx.txt",
                 "www.usatoday.com/2000/century/tech/004.htm":
                     edgi / "test_files" / "bad_timestamp_cdx.txt"}
    with IAReplayServer(cassettes, cdx_files=cdx_files) as server:
        yield server


def collect(replay: IAReplayServer, data: Path, site: str, start: str, end: str):
    return run_cli("collect", "site", "--archive", replay.root, "--site", site, "--from", start,
                   "--to", end, "--cdx-rate", "0", "--fetch-rate", "0", "--no-progress",
                   "--data-dir", str(data))


def index(data: Path) -> list[dict]:
    path = data / "raw" / "site" / INDEX_NAME
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_blocked_site_gives_a_clear_error_and_exit_status_2(replay: IAReplayServer,
                                                              tmp_path: Path) -> None:
    result = collect(replay, tmp_path, "https://nationalpost.com/health", "20191001000000",
                     "20191002000000")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "will not list captures of https://nationalpost.com/health" in result.stderr
    assert "Blocked Site Error" in result.stderr
    assert index(tmp_path) == []


def test_an_archived_429_is_a_capture_and_never_a_live_rate_limit(replay: IAReplayServer,
                                                                  tmp_path: Path) -> None:
    result = collect(replay, tmp_path, "http://www.reddit.com/r/PokemonGiveaway", "2015", "2015")
    assert result.returncode == 0, result.stderr
    assert "429 pauses 0" in result.stdout
    [capture] = index(tmp_path)
    assert (capture["timestamp"], capture["status"]) == ("20150129034904", "429")
    assert capture["replay_url"].endswith("/web/20150129034904/http://www.reddit.com/r/"
                                          "PokemonGiveaway")


def test_fetching_an_archived_429_returns_it_without_pausing(replay: IAReplayServer) -> None:
    # A revisit line ('-') makes the collector fetch it: the 429 comes back as the capture.
    politeness = Politeness(default_retry_after=3600, retries=0)
    archive = open_archive(replay.root, cdx_rate=0, fetch_rate=0, politeness=politeness)
    record = CdxRecord("com,reddit)/r/pokemongiveaway", "20150129034904",
                       "http://www.reddit.com/r/PokemonGiveaway", "warc/revisit", None, None, None)
    capture = archive.fetch(record)
    assert capture.status == 429
    assert b"Too Many Requests" in capture.body
    assert ("retry-after", "6") in [(n.lower(), v) for n, v in capture.headers]
    assert archive.stats.rate_limited == 0 and archive.stats.paused_seconds == 0


def test_a_revisit_of_a_redirect_resolves_to_its_original_and_records_the_target(
        replay: IAReplayServer, tmp_path: Path) -> None:
    # CDX: one warc/revisit line with status '-'; the memento is an archived 301, then the
    # IA's own 302 to the nearest capture, then a 200.
    result = collect(replay, tmp_path, "https://www.epa.gov/ghgreporting/san5779-factsheet",
                     "20180808094144", "20180808094145")
    assert result.returncode == 0, result.stdout + result.stderr
    [capture] = index(tmp_path)
    target = ("https://www.epa.gov/ghgreporting/proposed-rule-fact-sheet-greenhouse-gas-"
              "reporting-program-addition-global-warming")
    assert capture["status"] == "301"
    assert capture["redirect_to"] == target
    assert (capture["redirect_end_url"], capture["redirect_end_timestamp"]) == (
        target, "20180808104500")
    assert capture["redirect_problem"] is None


@pytest.mark.parametrize(("site", "stamp", "target", "end"), [
    # Location written without a scheme: //web.archive.org/web/...
    ("https://www.census.gov/geography/gss-initiative.html", "2020",
     "https://www.census.gov/geo/gssi/", ("https://www.census.gov/geo/gssi/", "20201102233026")),
    # Location written as a path: /web/...
    ("https://www.whitehouse.gov/administration/eop/ostp/about/student/faqs", "2020",
     "https://www.whitehouse.gov/ostp/about/student/faqs",
     ("https://www.whitehouse.gov/ostp/about/student/faqs", "20201027220743")),
    # 301 -> IA 302 -> 200, a historical redirect of epa.gov (2020)
    ("https://www.epa.gov/climatechange", "2020",
     "https://www.epa.gov/sites/production/files/signpost/cc.html",
     ("https://www.epa.gov/sites/production/files/signpost/cc.html", "20200201024405")),
])
def test_redirects_are_recorded_with_their_target_whatever_the_location_form(
        replay: IAReplayServer, tmp_path: Path, site: str, stamp: str, target: str,
        end: tuple[str, str]) -> None:
    result = collect(replay, tmp_path, site, stamp, stamp)
    assert result.returncode == 0, result.stdout + result.stderr
    redirects = [c for c in index(tmp_path) if (c["status"] or "").startswith("3")]
    assert redirects, index(tmp_path)
    [capture] = redirects
    assert capture["redirect_to"] == target
    assert (capture["redirect_end_url"], capture["redirect_end_timestamp"]) == end


def test_a_redirect_loop_stops_and_is_recorded(replay: IAReplayServer, tmp_path: Path) -> None:
    result = collect(replay, tmp_path, "https://link.springer.com/article/10.1007/"
                     "s00382-012-1331-2", "2020", "2020")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "redirect stopped: 1 x redirect loop" in result.stdout
    [capture] = index(tmp_path)
    assert capture["redirect_to"].startswith("https://idp.springer.com/authorize?")
    assert capture["redirect_problem"].startswith("redirect loop: back to https://link.springer")
    hops = replay.requests_for("s00382-012-1331-2")
    assert len(hops) < 20   # it stopped, it did not go round


def test_malformed_cdx_lines_are_counted_not_fatal(replay: IAReplayServer, tmp_path: Path) -> None:
    result = collect(replay, tmp_path, "epa.gov", "2020", "2020")
    assert "Traceback" not in result.stderr
    # malformed_cdx.txt: 2 playable lines of 5 (a mailto: host, a data: URL key, a non-URL).
    assert "captures listed            2  (3 malformed CDX lines skipped)" in result.stdout
    # Their mementos were not recorded: the replay answers IA's "not archived" 404.
    assert "2 x the archive answered HTTP 404" in result.stdout
    assert result.returncode == 1


def test_cdx_pages_chain_by_resume_key_and_keep_revisits(replay: IAReplayServer) -> None:
    archive = open_archive(replay.root, cdx_rate=0, fetch_rate=0,
                           politeness=Politeness(retries=0))
    pages = list(archive.list_captures("cnn.com", match_type="exact", from_="20010410000000",
                                       to="20010510000000"))
    # 15 recorded pages of 25 lines, resume keys such as 2001041400593%3A included.
    assert archive.stats.cdx_requests == 15
    assert archive.stats.malformed_cdx_lines == 0
    # 350 lines recorded, 96 distinct: IA repeats lines, which are listed once.
    assert len(pages) == len(set(pages)) == 96
    assert any(r.status == "302" for r in pages)
    dw = list(archive.list_captures("dw.com", match_type="exact", from_="20191001000000",
                                    to="20200301000000"))
    revisits = [r for r in dw if r.mime == "warc/revisit"]
    assert revisits and all(r.status is None for r in revisits)


def test_month_00_timestamps_are_mended_as_the_wayback_team_explained(
        replay: IAReplayServer) -> None:
    archive = open_archive(replay.root, cdx_rate=0, fetch_rate=0)
    stamps = [r.timestamp for r in archive.list_captures(
        "www.usatoday.com/2000/century/tech/004.htm", match_type="exact")]
    assert "20001217044900" in stamps and "20000824162300" in stamps
    assert archive.stats.malformed_cdx_lines == 0


@pytest.mark.parametrize(("stamp", "url", "reason"), [
    # IA's exclusion notice: a 200 page of its own, without Memento-Datetime.
    ("20170929002712", "https://nationalpost.com/health/", "served a page of its own"),
    # "Hrm. The Wayback Machine has not archived that URL."
    ("20170929002712", "https://this-is-not-real-url.whatever/", "answered HTTP 404"),
    # A 302 to a different, earlier capture: not this capture.
    ("20150509080314", "https://www.fws.gov/birds/", "redirected to another capture"),
])
def test_answers_that_are_not_the_capture_are_never_stored(replay: IAReplayServer, stamp: str,
                                                           url: str, reason: str) -> None:
    from scrapers.collect.archive import CaptureUnavailable

    archive = open_archive(replay.root, cdx_rate=0, fetch_rate=0)
    record = CdxRecord("", stamp, url, "text/html", "200", None, None)
    with pytest.raises(CaptureUnavailable, match=reason):
        archive.fetch(record)


def test_a_memento_keeps_the_sites_own_headers_and_body(replay: IAReplayServer) -> None:
    archive = open_archive(replay.root, cdx_rate=0, fetch_rate=0)
    capture = archive.fetch(CdxRecord("gov,fws)/birds", "20171124151315",
                                      "https://www.fws.gov/birds/", "text/html", "200", None, None))
    names = {name.lower() for name, _ in capture.headers}
    assert capture.status == 200 and b"<html" in capture.body.lower()
    assert "memento-datetime" not in names and "link" not in names


def test_archived_403_pages_are_indexed_as_errors_and_the_200_is_stored(
        replay: IAReplayServer, tmp_path: Path) -> None:
    # web-monitoring-processing's 2026 recording: 8 captures, 7 archived Akamai 403 pages.
    result = collect(replay, tmp_path, "https://highways.dot.gov/safety/data-analysis-tools/"
                     "rsdp/rsdp-tools/highway-performance-monitoring-system-hpms", "20260416",
                     "20260416")
    assert result.returncode == 0, result.stdout + result.stderr
    statuses = sorted(c["status"] for c in index(tmp_path))
    assert statuses == ["200"] + ["403"] * 7
    assert [c["status"] for c in index(tmp_path) if c["stored_at"]] == ["200"]


def test_revisit_lines_resolve_to_the_capture_they_repeat_without_a_request(
        replay: IAReplayServer, tmp_path: Path) -> None:
    # dw.com, 3 recorded CDX pages: 1624 x 301, 572 x 302 and 49 revisits ('-', warc/revisit).
    result = run_cli("collect", "site", "--archive", replay.root, "--site", "dw.com",
                     "--from", "20191001000000", "--to", "20200301000000", "--cdx-rate", "0",
                     "--fetch-rate", "0", "--no-follow-redirects", "--no-progress",
                     "--data-dir", str(tmp_path))
    assert "Traceback" not in result.stderr
    # 45 revisits repeat an earlier redirect of the same address: indexed as that redirect,
    # without a request. The 2 listed first repeat captures from before the window: they are
    # fetched, and the recording has no such memento (IA's 404), so they are not indexed.
    assert "duplicates indexed        45" in result.stdout
    assert "2 x the archive answered HTTP 404" in result.stdout
    assert sorted(path for path, _ in replay.requests_for("/web/") if "dw.com/" in path) == [
        "/web/20191001012455id_/http://www.dw.com/", "/web/20191001012455id_/https://www.dw.com/"]
    captures = index(tmp_path)
    assert len(captures) == 2205 - 2
    assert all(c["status"] in ("301", "302") for c in captures)


def test_a_fetched_archived_429_is_stored_with_its_status(replay: IAReplayServer,
                                                         tmp_path: Path) -> None:
    from scrapers.collect.site import collect_site
    from scrapers.raw_store.warc_store import iter_index, read_record

    class RevisitListing:
        """The recorded memento, listed as IA lists a revisit ('-'), so that it is fetched."""

        def __init__(self, archive):
            self.archive, self.root, self.stats = archive, archive.root, archive.stats

        def list_captures(self, url, **_):
            yield CdxRecord("com,reddit)/r/pokemongiveaway", "20150129034904",
                            "http://www.reddit.com/r/PokemonGiveaway", "warc/revisit", None,
                            "X", None)

        def fetch(self, record):
            return self.archive.fetch(record)

        def follow_redirect(self, record, first=None):
            return self.archive.follow_redirect(record, first)

    archive = open_archive(replay.root, cdx_rate=0, fetch_rate=0,
                           politeness=Politeness(default_retry_after=3600, retries=0))
    summary = collect_site(tmp_path, RevisitListing(archive), site="www.reddit.com/r/",
                           from_=None, to=None, progress=False)
    assert (summary.fetched, summary.rate_limited, summary.stopped) == (1, 0, None)
    [capture] = list(iter_index(tmp_path))
    assert capture.status == "429" and capture.stored_at
    _headers, body = read_record(tmp_path, capture)
    assert b"Too Many Requests" in body
