"""The Wayback Machine path, against a real loopback look-alike reached through `wayback`'s session.

The look-alike (tests/support/archive_servers.IAServer) speaks IA's CDX JSON with a header row
and resumeKey paging, and `/web/<ts>id_/<url>` replay; `LoopbackAdapter` is mounted on the
`wayback` session, so the client sends its usual https://web.archive.org/... requests.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scrapers.collect.archive import (
    ArchiveUnreachable,
    Politeness,
    RateLimited,
    open_archive,
)
from scrapers.collect.site import collect_site
from scrapers.raw_store.warc_store import INDEX_NAME, iter_index, read_record
from support.archive_servers import Fault, IAServer, LoopbackAdapter, ServedCapture, free_port
from support.warc_fixtures import SITE_FIXTURE

pytestmark = pytest.mark.network
REPO = Path(__file__).resolve().parents[1]


def fixture_captures() -> list[ServedCapture]:
    return [ServedCapture(c["url"], c["timestamp"], c["status"], c["headers"],
                          c["body"].encode("utf-8"))
            for c in json.loads(SITE_FIXTURE.read_text(encoding="utf-8"))]


def archive_for(server: IAServer, **politeness: float):
    settings = {"retries": 4, "backoff": 0.01, **politeness}
    return open_archive("web.archive.org", cdx_rate=0, fetch_rate=0,
                        politeness=Politeness(**settings),
                        transport_adapter=LoopbackAdapter(server.port))


def test_collects_every_capture_in_the_window_through_paged_cdx(tmp_path: Path) -> None:
    with IAServer(fixture_captures(), page_size=3) as server:
        summary = collect_site(tmp_path, archive_for(server), progress=False)
        cdx = server.requests_for("/cdx/search/cdx")
    assert len(cdx) == 3  # 8 lines in pages of 3, chained by resumeKey
    assert "output=json" in cdx[0].path and "resumeKey=3" in cdx[1].path
    assert (summary.listed, summary.unique, summary.fetched, summary.duplicates,
            summary.not_content, sum(summary.failed.values())) == (8, 5, 5, 1, 2, 0)
    captures = {(c.url, c.timestamp): c for c in iter_index(tmp_path)}
    assert len(captures) == 8
    assert ("http://bestbits.net/later", "20210101000000") not in captures
    es = captures[("http://bestbits.net/es/", "20140210120000")]
    headers, body = read_record(tmp_path, es)
    assert body.decode() == "<html><body><p>Página sintética de prueba.</p></body></html>"
    assert headers["content-language"] == "es"   # from X-Archive-Orig-Content-Language
    assert "x-archive-src" not in headers and "memento-datetime" not in headers
    assert es.archive == "https://web.archive.org/web/"
    assert es.replay_url == "https://web.archive.org/web/20140210120000/http://bestbits.net/es/"
    www = captures[("http://www.bestbits.net/", "20130920080000")]
    assert www.stored_at == captures[("http://bestbits.net/", "20130315101500")].stored_at
    assert captures[("http://bestbits.net/old-page", "20170707070707")].stored_at is None


def test_sends_the_project_user_agent(tmp_path: Path) -> None:
    seen: list[str] = []

    class Recording(LoopbackAdapter):
        def send(self, request, **kwargs):
            seen.append(request.headers["User-Agent"])
            return super().send(request, **kwargs)

    with IAServer(fixture_captures()[:1]) as server:
        archive = open_archive(cdx_rate=0, fetch_rate=0, transport_adapter=Recording(server.port))
        collect_site(tmp_path, archive, progress=False)
    assert seen and all(agent.startswith("bestbits-archive/") for agent in seen)


def test_rerun_fetches_nothing_already_stored(tmp_path: Path) -> None:
    with IAServer(fixture_captures()) as server:
        collect_site(tmp_path, archive_for(server), progress=False)
        server.log.clear()
        again = collect_site(tmp_path, archive_for(server), progress=False)
        assert server.requests_for("/web/") == []
    assert (again.skipped, again.fetched) == (8, 0)
    assert len(list(iter_index(tmp_path))) == 8


def test_429_pauses_every_request_for_retry_after(tmp_path: Path) -> None:
    faults = [Fault("429", "/web/", times=1, retry_after=1)]
    with IAServer(fixture_captures(), faults=faults) as server:
        summary = collect_site(tmp_path, archive_for(server), progress=False)
        log = list(server.log)
    [limited] = [r for r in log if r.answered == 429]
    later = [r for r in log if r.at > limited.at]
    assert later, "the run went on after the pause"
    assert min(r.at for r in later) - limited.at >= 1.0
    assert summary.fetched == 5 and summary.rate_limited == 1


def test_429_without_retry_after_waits_a_minute_on_the_injected_clock(tmp_path: Path) -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    faults = [Fault("429", "cdx", times=1, retry_after=None)]
    with IAServer(fixture_captures(), faults=faults) as server:
        archive = open_archive(cdx_rate=0, fetch_rate=0,
                               politeness=Politeness(clock=lambda: now[0], sleep=sleep),
                               transport_adapter=LoopbackAdapter(server.port))
        summary = collect_site(tmp_path, archive, progress=False)
    assert slept == [60.0]
    assert summary.fetched == 5


def test_repeated_429s_stop_the_run_with_advice(tmp_path: Path) -> None:
    faults = [Fault("429", "cdx", times=10, retry_after=1)]
    with IAServer(fixture_captures(), faults=faults) as server:
        with pytest.raises(RateLimited, match="rerun") as caught:
            collect_site(tmp_path, archive_for(server, max_rate_limited=1), progress=False)
        # One request, then one more after the pause: never one at once.
        first, second = server.requests_for("cdx")
    assert second.at - first.at >= 1.0
    assert caught.value.retry_after == 1


def test_503_bursts_and_resets_mid_body_are_retried(tmp_path: Path) -> None:
    faults = [Fault("503", "cdx", times=2), Fault("503", "/es/", times=3),
              Fault("reset", "/fr/", times=2)]
    with IAServer(fixture_captures(), faults=faults) as server:
        summary = collect_site(tmp_path, archive_for(server), progress=False)
        assert len(server.requests_for("/fr/")) == 3
    assert summary.fetched == 5 and not summary.failed
    assert summary.retries == 7
    fr = next(c for c in iter_index(tmp_path) if c.url.endswith("/fr/"))
    expected = "<html><body><p>Page synthétique de test.</p></body></html>".encode()
    assert read_record(tmp_path, fr)[1] == expected


def test_a_truncated_gzip_body_is_rejected_not_stored(tmp_path: Path) -> None:
    faults = [Fault("truncated-gzip", "/events/", times=1)]
    with IAServer(fixture_captures(), faults=faults) as server:
        summary = collect_site(tmp_path, archive_for(server), progress=False)
    assert summary.failed == {"truncated gzip body": 1}
    assert summary.fetched == 4
    assert not any("/events/" in c.url for c in iter_index(tmp_path))
    # A rerun tries it again (the fault is gone) and stores it once.
    with IAServer(fixture_captures()) as server:
        again = collect_site(tmp_path, archive_for(server), progress=False)
        assert len(server.requests_for("/web/")) == 1
    assert again.fetched == 1
    assert sum("/events/" in c.url for c in iter_index(tmp_path)) == 1


def test_malformed_cdx_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    broken = ['["net,bestbits)/x", "notatime", "http://bestbits.net/x", "text/html", "200"]',
              '{"not": "a row"}', '["net,bestbits)/y", "2014']
    with IAServer(fixture_captures(), extra_cdx_rows=broken, page_size=50) as server:
        summary = collect_site(tmp_path, archive_for(server), progress=False)
    assert summary.malformed_cdx_lines == 3
    assert summary.listed == 8
    assert "3 malformed CDX lines skipped" in summary.text()


def test_an_unreachable_archive_names_the_address_and_suggests_archive(tmp_path: Path) -> None:
    archive = open_archive("web.archive.org", cdx_rate=0, fetch_rate=0,
                           politeness=Politeness(retries=1, backoff=0.01),
                           transport_adapter=LoopbackAdapter(free_port()))
    with pytest.raises(ArchiveUnreachable) as caught:
        collect_site(tmp_path, archive, progress=False)
    message = str(caught.value)
    assert "web.archive.org/cdx/search/cdx" in message and "--archive" in message


def test_a_killed_collector_resumes_without_refetching(tmp_path: Path) -> None:
    captures = [ServedCapture(f"http://bestbits.net/page/{n}", f"2014010112{n:04d}", 200,
                              {"Content-Type": "text/html"}, f"<p>synthetic {n}</p>".encode())
                for n in range(40)]
    index = tmp_path / "raw" / "site" / INDEX_NAME
    with IAServer(captures, page_size=50, delay=0.05) as server:
        child = subprocess.Popen(
            [sys.executable, str(REPO / "tests" / "support" / "archive_servers.py"),
             str(server.port), str(tmp_path), "0"],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if index.exists() and index.read_bytes().count(b"\n") >= 8:
                    break
                assert child.poll() is None, child.stderr.read().decode()
                time.sleep(0.01)
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.wait(timeout=10)
            child.stderr.close()
        assert child.returncode == -signal.SIGKILL
        before = {(c.url, c.timestamp) for c in iter_index(tmp_path)}
        assert 8 <= len(before) < 40, "the kill came mid-run"
        server.log.clear()
        summary = collect_site(tmp_path, archive_for(server), progress=False)
        refetched = [r.path for r in server.requests_for("/web/")
                     if any(r.path.endswith(f"{ts}id_/{url}") for url, ts in before)]
    assert refetched == []
    assert summary.skipped == len(before) and summary.fetched == 40 - len(before)
    stored = list(iter_index(tmp_path))
    assert len(stored) == 40 == len({(c.url, c.timestamp) for c in stored})
    assert len({c.stored_at for c in stored}) == 40
    # Every record in the files is indexed: no half-written or orphan copy survived the kill.
    from warcio.archiveiterator import ArchiveIterator

    with open(tmp_path / "raw" / "site" / "site-00001.warc.gz", "rb") as handle:
        offsets = [f"raw/site/site-00001.warc.gz#{record_offset}"
                   for record_offset in _offsets(ArchiveIterator(handle))]
    assert sorted(offsets) == sorted(c.stored_at for c in stored)
    assert {read_record(tmp_path, c)[1] for c in stored} == {
        f"<p>synthetic {n}</p>".encode() for n in range(40)}


def _offsets(iterator) -> list[int]:
    offsets = []
    for _record in iterator:
        offsets.append(iterator.get_record_offset())
    return offsets


def test_failures_and_a_stop_mid_run_are_summarised(tmp_path: Path) -> None:
    faults = [Fault("503", "/es/", times=99)]
    with IAServer(fixture_captures(), faults=faults) as server:
        archive = archive_for(server, retries=1)
        summary = collect_site(tmp_path, archive, progress=False)
    assert summary.failed == {"HTTP 503 after 2 tries": 1}
    assert summary.fetched == 4
    # An archive that keeps answering 429 while fetching stops the run, with a summary.
    with IAServer(fixture_captures(), faults=[Fault("429", "/web/", times=99)]) as server:
        summary = collect_site(tmp_path, archive_for(server, max_rate_limited=0),
                               progress=False)
    assert summary.stopped and "429" in summary.stopped
    assert "Stopped early" in summary.text()
