"""Benchmark the site collector: captures per second against a local pywb (rate limits off) and
requests per unique capture (the goal is 1.0), then the same through the Internet Archive
look-alike. Prints the figures and an estimate for a real run against web.archive.org.

    .venv/bin/python benchmarks/bench_collect.py [--pages 400] [--peer-warcs]

All data is synthetic and served on 127.0.0.1. With --peer-warcs it also times
`import_warcs` over every real WARC/ARC file in ../shared/peer-data/{warcio,pywb,aut,
resiliparse-fastwarc} (read in place): records and megabytes per second.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from scrapers.collect.archive import (  # noqa: E402
    CDX_PAGE_SIZE,
    DEFAULT_CDX_RATE,
    DEFAULT_FETCH_RATE,
    open_archive,
)
from scrapers.collect.site import collect_site  # noqa: E402
from support.archive_servers import IAServer, LoopbackAdapter, ServedCapture, pywb_server  # noqa: E402
from support.warc_fixtures import write_warc  # noqa: E402


def synthetic_site(pages: int) -> list[tuple[str, str, int, dict, bytes]]:
    """`pages` distinct pages, a same-content copy of every 4th (www host), a redirect per 10th."""
    records = []
    for n in range(pages):
        body = (f"<html><body><h1>Synthetic page {n}</h1>" + "<p>filler text</p>" * 200
                + "</body></html>").encode()
        stamp = f"2014{(n % 12) + 1:02d}01{n % 24:02d}{n % 60:02d}00"
        records.append((f"http://bestbits.net/p/{n}", stamp, 200, {}, body))
        if n % 4 == 0:
            records.append((f"http://www.bestbits.net/p/{n}", f"2015{stamp[4:]}", 200, {}, body))
        if n % 10 == 0:
            records.append((f"http://bestbits.net/old/{n}", stamp, 301,
                            {"Location": f"http://bestbits.net/p/{n}"}, b""))
    return records


def run_pywb(records: list, work: Path) -> dict:
    warc = write_warc(work / "bench.warc.gz", records)
    with pywb_server(work, [warc]) as root:
        archive = open_archive(root, cdx_rate=0, fetch_rate=0)
        started = time.perf_counter()
        summary = collect_site(work / "data-pywb", archive, progress=False, from_=None, to=None)
        seconds = time.perf_counter() - started
        rerun_archive = open_archive(root, cdx_rate=0, fetch_rate=0)
        rerun = collect_site(work / "data-pywb", rerun_archive, progress=False, from_=None,
                             to=None)
        # Baseline: the same archive answering bare GETs, nothing parsed or stored.
        session = requests.Session()
        sample = [r for r in records if r[2] == 200][:100]
        started = time.perf_counter()
        for url, stamp, *_ in sample:
            _ = session.get(f"{root}{stamp}id_/{url}", allow_redirects=False).content
        bare = (time.perf_counter() - started) / len(sample)
    return {"summary": summary, "seconds": seconds, "stats": archive.stats,
            "rerun_requests": rerun_archive.stats.requests, "rerun_fetched": rerun.fetched,
            "bare": bare}


def run_ia(records: list, work: Path) -> dict:
    captures = [ServedCapture(url, ts, status, headers, body)
                for url, ts, status, headers, body in records]
    with IAServer(captures, page_size=250) as server:
        archive = open_archive(cdx_rate=0, fetch_rate=0,
                               transport_adapter=LoopbackAdapter(server.port))
        started = time.perf_counter()
        summary = collect_site(work / "data-ia", archive, progress=False, from_=None, to=None)
        seconds = time.perf_counter() - started
    return {"summary": summary, "seconds": seconds, "stats": archive.stats}


def report(label: str, result: dict) -> None:
    summary, stats, seconds = result["summary"], result["stats"], result["seconds"]
    print(f"{label}")
    print(f"  listed {summary.listed}, unique {summary.unique}, fetched {summary.fetched}, "
          f"duplicates {summary.duplicates}, redirects {summary.not_content}, "
          f"failed {sum(summary.failed.values())}")
    print(f"  time {seconds:.2f} s: {summary.fetched / seconds:.1f} captures fetched+stored/s, "
          f"{summary.listed / seconds:.1f} listed captures indexed/s")
    print(f"  requests {stats.requests} (CDX {stats.cdx_requests}, captures "
          f"{stats.fetch_requests}): {stats.fetch_requests / summary.unique:.3f} capture "
          f"requests per unique capture, {stats.requests / summary.unique:.3f} with CDX")
    if "rerun_requests" in result:
        print(f"  rerun: {result['rerun_requests']} requests, {result['rerun_fetched']} fetched")
    if "bare" in result:
        print(f"  baseline: the archive alone answers a bare GET in {result['bare'] * 1000:.0f} ms "
              f"({1 / result['bare']:.1f}/s); the collector spends "
              f"{seconds / summary.fetched * 1000:.0f} ms per stored capture")


def estimate(listed: int, unique: int, latency: float) -> None:
    cdx = math.ceil(listed / CDX_PAGE_SIZE)
    cdx_seconds = cdx / DEFAULT_CDX_RATE
    # The collector fetches one capture at a time: the slower of the rate limit and latency wins.
    per_capture = max(1 / DEFAULT_FETCH_RATE, latency)
    fetch_seconds = unique * per_capture
    print(f"  {listed} listed, {unique} unique, {latency:.2f} s per capture answer: "
          f"{cdx + unique} requests ({cdx} CDX + {unique} captures), "
          f"about {(cdx_seconds + fetch_seconds) / 60:.0f} min")


def run_peer_import(work: Path) -> None:
    from scrapers.collect.warc_import import import_warcs
    from support.peer_folder import peer_data

    root = peer_data()
    if root is None:
        print("Peer WARC import: ../shared/peer-data is absent; skipped")
        return
    files = sorted(p for name in ("warcio", "pywb", "aut", "resiliparse-fastwarc")
                   for p in (root / name).rglob("*") if p.is_file()
                   and (".warc" in p.name or ".arc" in p.name))
    size = sum(p.stat().st_size for p in files) / 1e6
    runs = []
    for attempt in range(3):
        started = time.perf_counter()
        summary = import_warcs(work / f"peer-{attempt}", files, progress=False)
        runs.append(time.perf_counter() - started)
    best = sorted(runs)[1]
    print(f"Peer WARC/ARC import ({len(files)} files, {size:.1f} MB, {summary.records} records), "
          f"median of 3: {best:.2f} s, {summary.records / best:.0f} records/s, "
          f"{size / best:.1f} MB/s")
    print(f"  stored {summary.stored}, duplicates {summary.duplicates}, other types "
          f"{summary.not_responses}, rejected {sum(summary.failed.values())}, "
          f"recompressed {len(summary.recompressed)}")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--peer-warcs", action="store_true",
                        help="also time the import of the real WARC/ARC files in peer-data")
    args = parser.parse_args()
    records = synthetic_site(args.pages)
    with tempfile.TemporaryDirectory(prefix="bench-collect-") as folder:
        work = Path(folder)
        report(f"pywb on loopback, rate limits off ({len(records)} captures in one WARC)",
               run_pywb(records, work))
        report("Internet Archive look-alike on loopback (wayback session), rate limits off",
               run_ia(records, work))
        if args.peer_warcs:
            run_peer_import(work)
    print("Real run against web.archive.org at the default limits (0.4 CDX/s, 8 captures/s),")
    print("one request at a time; assumptions, not measurements:")
    estimate(5000, 3000, 0.125)
    estimate(5000, 3000, 1.0)
    estimate(5000, 3000, 2.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
