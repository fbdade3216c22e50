"""The collectors' one polite transport, against servers on loopback: pauses on 429 for every
request, backoff on errors, what counts as an answer, and both collectors going through it."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest

from bestbits import config
from scrapers.collect.archive import ArchiveFailed, open_archive
from scrapers.collect.mailing_list import _LiveClient, collect_list
from scrapers.collect.transport import (
    MIN_RATE_LIMIT_DELAY,
    GaveUp,
    Politeness,
    PoliteTransport,
    RateLimit,
    RateLimited,
    Unreachable,
    retry_after_seconds,
)
from support.archive_servers import free_port
from support.pipermail_server import LIST_NAME, write_archive
from support.scripted_server import Answer, scripted_server


class FakeClock:
    """A clock that moves only when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def transport(clock: FakeClock, **politeness) -> PoliteTransport:
    return PoliteTransport.with_user_agent(
        None, Politeness(clock=clock, sleep=clock.sleep, **politeness), timeout=10)


def test_retry_after_is_read_as_seconds_or_an_http_date() -> None:
    assert retry_after_seconds("120", 60) == 120
    assert retry_after_seconds(None, 60) == 60
    assert retry_after_seconds("soon", 60) == 60
    assert retry_after_seconds("1.5", 60) == 1.5
    past = format_datetime(datetime(2014, 5, 1, tzinfo=UTC), usegmt=True)
    assert retry_after_seconds(past, 60) == 0


@pytest.mark.network
def test_a_429_pauses_every_request_sharing_the_politeness_for_retry_after() -> None:
    clock = FakeClock()
    politeness = Politeness(clock=clock, sleep=clock.sleep, max_rate_limited=0)
    cdx = PoliteTransport.with_user_agent(None, politeness, timeout=10)
    pages = PoliteTransport.with_user_agent(None, politeness, timeout=10)
    with scripted_server() as server:
        server.script["/cdx"] = [Answer(429, {"Retry-After": "7"})]
        server.script["/page"] = [Answer(200, body=b"synthetic page")]
        with pytest.raises(RateLimited) as caught:
            cdx.get(server.base + "/cdx", "cdx")
        assert caught.value.retry_after == 7
        # Another client of the same server waits out the pause before its first request.
        answer = pages.get(server.base + "/page", "fetch")
    assert answer.status == 200 and answer.body == b"synthetic page"
    assert clock.slept == [7.0]
    assert pages.stats.paused_seconds == 7.0
    assert server.paths() == ["/cdx", "/page"]


@pytest.mark.network
def test_a_429_is_tried_again_after_the_pause_never_at_once() -> None:
    clock = FakeClock()
    client = transport(clock)
    past = format_datetime(datetime(2014, 5, 1, tzinfo=UTC), usegmt=True)
    with scripted_server() as server:
        server.script["/a"] = [Answer(429, {"Retry-After": past}), Answer(200, body=b"ok")]
        answer = client.get(server.base + "/a")
    assert answer.body == b"ok"
    assert clock.slept == [MIN_RATE_LIMIT_DELAY]  # a date already past still waits a second
    assert client.stats.rate_limited == 1 and client.stats.requests == 2


@pytest.mark.network
def test_server_errors_are_retried_with_doubling_backoff_then_given_up() -> None:
    clock = FakeClock()
    client = transport(clock, retries=2, backoff=2)
    with scripted_server() as server:
        server.script["/broken"] = [Answer(503)] * 3
        with pytest.raises(GaveUp, match="HTTP 503 after 3 tries"):
            client.get(server.base + "/broken")
    assert clock.slept == [2, 4]
    assert server.paths() == ["/broken"] * 3


@pytest.mark.network
def test_an_archived_answer_is_returned_whatever_its_status() -> None:
    clock = FakeClock()
    client = transport(clock)
    archived = {"Memento-Datetime": "Thu, 29 Jan 2015 03:49:04 GMT"}
    with scripted_server() as server:
        server.script["/web/20150129034904id_/x"] = [Answer(429, archived, b"archived 429")]
        answer = client.get(server.base + "/web/20150129034904id_/x")
    assert answer.status == 429 and answer.body == b"archived 429"
    assert clock.slept == [] and client.stats.rate_limited == 0


@pytest.mark.network
def test_a_host_that_refuses_connections_is_unreachable_after_the_retries() -> None:
    clock = FakeClock()
    client = transport(clock, retries=1, backoff=2)
    with pytest.raises(Unreachable):
        client.get(f"http://127.0.0.1:{free_port()}/nothing-listens")
    assert clock.slept == [2]


@pytest.mark.network
def test_rate_limits_space_requests_of_one_kind_only() -> None:
    clock = FakeClock()
    politeness = Politeness(clock=clock, sleep=clock.sleep)
    client = PoliteTransport.with_user_agent(
        None, politeness, {"cdx": RateLimit(0.4, politeness)}, timeout=10)
    with scripted_server() as server:
        for path in ("/c1", "/c2", "/f1", "/f2"):
            server.script[path] = [Answer(200)]
        for path, kind in (("/c1", "cdx"), ("/f1", "fetch"), ("/f2", "fetch"), ("/c2", "cdx")):
            client.get(server.base + path, kind)
    assert clock.slept == [2.5]
    assert client.stats.sent == {"cdx": 2, "fetch": 2}


@pytest.mark.network
def test_both_collectors_send_through_the_one_transport_with_our_user_agent(tmp_path: Path
                                                                               ) -> None:
    summary_sink = type("Summary", (), {"requests": 0})()
    with scripted_server() as server:
        server.script["/page"] = [Answer(200)]
        server.script["/coll/cdx"] = [Answer(200, body=b"")]
        live = _LiveClient(None, 0, summary_sink)
        live.get(server.base + "/page")
        archive = open_archive(server.base + "/coll/", cdx_rate=0, fetch_rate=0,
                               politeness=Politeness(retries=0))
        assert list(archive.list_captures("http://bestbits.net/")) == []
    assert isinstance(live.transport, PoliteTransport)
    assert isinstance(archive.transport, PoliteTransport)
    assert {a.user_agent for a in server.arrivals} == {config.USER_AGENT}
    assert summary_sink.requests == 1


@pytest.mark.network
def test_the_archive_client_reports_a_failing_archive_in_its_own_words() -> None:
    with scripted_server() as server:
        server.script["/coll/cdx"] = [Answer(502)] * 2
        archive = open_archive(server.base + "/coll/", cdx_rate=0, fetch_rate=0,
                               politeness=Politeness(retries=1, backoff=0.001))
        with pytest.raises(ArchiveFailed, match="HTTP 502 after 2 tries"):
            list(archive.list_captures("http://bestbits.net/"))


# -- the list collector over the transport ----------------------------------------------------

def collect_live(url: str, data: Path, clock: FakeClock):
    return collect_list(url, data, show_progress=False, sleep=clock.sleep, live_rate=0)


@pytest.mark.network
def test_the_list_collector_waits_out_a_429_from_the_list_server(tmp_path: Path) -> None:
    path = write_archive(tmp_path / "site")
    clock = FakeClock()
    with scripted_server(tmp_path / "site") as server:
        server.script[f"{path}2012-August.txt.gz"] = [Answer(429, {"Retry-After": "7"})]
        summary = collect_live(server.base + path, tmp_path / "data", clock)
    assert not summary.failures and summary.text_downloaded == 4, summary.text()
    # One wait: the pause Retry-After asked for, less the moment the pause took to set.
    [waited] = clock.slept
    assert 6 < waited <= 7
    assert server.paths().count(f"{path}2012-August.txt.gz") == 2


@pytest.mark.network
def test_a_list_file_that_keeps_failing_is_reported_after_three_tries(tmp_path: Path) -> None:
    path = write_archive(tmp_path / "site")
    clock = FakeClock()
    with scripted_server(tmp_path / "site") as server:
        server.script[f"{path}2012-October.txt.gz"] = [Answer(500)] * 3
        summary = collect_live(server.base + path, tmp_path / "data", clock)
    [(url, reason)] = summary.failures
    assert url.endswith("2012-October.txt.gz") and "HTTP 500 after 3 tries" in reason
    assert clock.slept == [2, 4]
    assert summary.text_downloaded == 3


@pytest.mark.network
def test_the_list_collector_follows_redirects_and_stores_what_was_gzipped_in_transit(
        tmp_path: Path) -> None:
    path = write_archive(tmp_path / "site")
    month = f"{path}2012-August.txt.gz"
    text = gzip.decompress((tmp_path / "site" / month.lstrip("/")).read_bytes())
    with scripted_server(tmp_path / "site") as server:
        server.script[month] = [Answer(301, {"Location": "/moved/2012-August.txt.gz"})]
        server.script["/moved/2012-August.txt.gz"] = [
            Answer(200, {"Content-Type": "application/x-gzip"}, text, gzip_in_transit=True)]
        summary = collect_live(server.base + path, tmp_path / "data", FakeClock())
    folder = config.raw_dir(tmp_path / "data") / "list" / LIST_NAME
    assert not summary.failures and summary.text_downloaded == 4, summary.text()
    # The client undid the transfer gzip: the bytes say it is plain text, and so does the name.
    assert (folder / "2012-August.txt").read_bytes() == text
    assert not (folder / "2012-August.txt.gz").exists()


def test_the_polite_defaults_stay_within_the_internet_archives_limits() -> None:
    from scrapers.collect import transport as polite

    # 60 CDX requests and 600 captures a minute, published; a full minute's pause on a 429.
    assert polite.DEFAULT_CDX_RATE < 1 and polite.DEFAULT_FETCH_RATE < 10
    assert polite.DEFAULT_RATE_LIMIT_DELAY == 60
