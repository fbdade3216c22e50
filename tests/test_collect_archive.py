"""The archive client's politeness and body checks: pauses, backoff, rate limits, damaged bodies."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import requests

from scrapers.collect.archive import (
    CorruptCapture,
    Politeness,
    decode_body,
    is_wayback,
    open_archive,
)
from scrapers.collect.site import collect_site
from support.archive_servers import Fault, IAServer, LoopbackAdapter, ServedCapture


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


def captures(count: int = 3) -> list[ServedCapture]:
    return [ServedCapture(f"http://bestbits.net/p{n}", f"201401010000{n:02d}", 200,
                          {"Content-Type": "text/html"}, f"<p>synthetic {n}</p>".encode())
            for n in range(count)]


def test_a_complete_gzip_body_is_decoded() -> None:
    assert decode_body(gzip.compress(b"hello"), "gzip", "x") == (b"hello", True)
    assert decode_body(b"plain", None, "x") == (b"plain", True)


def test_a_cut_off_gzip_body_is_refused() -> None:
    with pytest.raises(CorruptCapture, match="truncated gzip body"):
        decode_body(gzip.compress(b"hello" * 100)[:-10], "gzip", "http://a/")


def test_an_unknown_encoding_is_kept_as_sent() -> None:
    assert decode_body(b"\x00br", "br", "x") == (b"\x00br", False)


def test_pause_holds_until_it_ends_and_backoff_doubles() -> None:
    clock = FakeClock()
    politeness = Politeness(backoff=2, clock=clock, sleep=clock.sleep)
    politeness.pause(30)
    politeness.pause(5)  # a shorter pause never shortens the one in force
    assert politeness.wait_if_paused() == 30
    assert politeness.wait_if_paused() == 0
    assert [politeness.backoff_delay(n) for n in (1, 2, 3, 4, 5)] == [2, 4, 8, 16, 32]


def test_archive_names() -> None:
    for name in ("web.archive.org", "https://web.archive.org/", "http://web.archive.org/web/"):
        assert is_wayback(name)
    assert not is_wayback("http://127.0.0.1:8080/coll/")
    with pytest.raises(ValueError, match="full root address"):
        open_archive("my-archive")


@pytest.mark.network
def test_plain_session_429_pauses_on_the_injected_clock(tmp_path: Path) -> None:
    """A caller's own requests.Session gets the same politeness as wayback's session."""
    clock = FakeClock()
    faults = [Fault("429", "/web/", times=1, retry_after=7)]
    with IAServer(captures(), faults=faults) as server:
        archive = open_archive(session=requests.Session(), cdx_rate=0, fetch_rate=0,
                               politeness=Politeness(clock=clock, sleep=clock.sleep),
                               transport_adapter=LoopbackAdapter(server.port))
        summary = collect_site(tmp_path, archive, progress=False, from_=None, to=None)
        fetches = [r for r in server.log if "/web/" in r.path]
    assert clock.slept == [7.0]
    assert [r.answered for r in fetches] == [429, 200, 200, 200]
    assert fetches[0].path == fetches[1].path
    assert summary.fetched == 3


@pytest.mark.network
def test_plain_session_rate_limits_space_requests(tmp_path: Path) -> None:
    clock = FakeClock()
    with IAServer(captures(4), page_size=2) as server:
        archive = open_archive(session=requests.Session(), cdx_rate=0.4, fetch_rate=8,
                               politeness=Politeness(clock=clock, sleep=clock.sleep),
                               transport_adapter=LoopbackAdapter(server.port))
        collect_site(tmp_path, archive, progress=False, from_=None, to=None)
    # 2 CDX pages: one wait of 2.5 s; 4 captures: three waits of 0.125 s.
    assert sorted(clock.slept) == [0.125, 0.125, 0.125, 2.5]


@pytest.mark.network
def test_wayback_session_rate_limits_space_requests(tmp_path: Path) -> None:
    with IAServer(captures(2), page_size=1) as server:
        archive = open_archive(cdx_rate=5, fetch_rate=10,
                               politeness=Politeness(retries=0),
                               transport_adapter=LoopbackAdapter(server.port))
        collect_site(tmp_path, archive, progress=False, from_=None, to=None)
        cdx = [r.at for r in server.log if "cdx" in r.path]
        fetches = [r.at for r in server.log if "/web/" in r.path]
    # The limiter spaces the requests as sent (0.2 s and 0.1 s); the server sees them arrive
    # with the scheduling jitter of a loaded machine, so the bounds leave a margin: without a
    # limiter the two would arrive milliseconds apart.
    assert len(cdx) == 2 and cdx[1] - cdx[0] >= 0.15
    assert len(fetches) == 2 and fetches[1] - fetches[0] >= 0.07


def test_every_collect_option_has_help() -> None:
    from bestbits.cli import make_parser

    parser = make_parser()
    collect = next(a for a in parser._subparsers._group_actions[0].choices.items()
                   if a[0] == "collect")[1]
    commands = collect._subparsers._group_actions[0].choices
    for name in ("site", "warc"):
        for action in commands[name]._actions:
            assert action.help, f"collect {name}: {action.option_strings or action.dest} has no help"
