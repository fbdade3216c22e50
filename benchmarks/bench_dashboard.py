"""Benchmark: time from request to first chart in headless Chromium, cold and with preheated kernels.

    python benchmarks/bench_dashboard.py [--db PATH] [--visits 5]

Prints, for each page, the median and worst seconds from navigation to the first drawn Plotly
chart, with kernels started per visit (cold) and taken from the preheated pool. Goal (issue 3):
first chart under 2 s preheated on a 2-core machine. Not a test: figures vary with load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bestbits import config
from bestbits.load.build import build
from bestbits.serve import voila_command, voila_environment

PAGES = ["", "?page=events", "?page=statements&statement=wcit-baku-2012",
         "?page=participation", "?page=sources"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(db: Path, preheat: bool) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(voila_command(db, "127.0.0.1", port, preheat=preheat),
                               env=voila_environment(db), cwd=config.REPO_ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=5)
            break
        except OSError:
            time.sleep(0.2)
    return process, url


def first_chart_seconds(browser, url: str) -> float:
    context = browser.new_context()
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(".js-plotly-plot", timeout=180_000, state="attached")
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--visits", type=int, default=5)
    parser.add_argument("--settle", type=float, default=8.0,
                        help="seconds between visits, so the pool refills as between real visitors")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "bench.duckdb"
            build(Path(tmp), db, progress=lambda _m: None)
        print(f"database: {db}; {args.visits} visits per page; {os.cpu_count()} cores")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            for preheat in (False, True):
                process, url = start(db, preheat)
                time.sleep(args.settle * 2)  # the pool fills after the server answers
                label = "preheated" if preheat else "cold"
                for page_query in PAGES:
                    timings = []
                    for _ in range(args.visits):
                        timings.append(first_chart_seconds(browser, url + page_query))
                        time.sleep(args.settle if preheat else 0.5)
                    print(f"{label:<10} {page_query or '?page=overview':<22} first chart: "
                          f"median {statistics.median(timings):5.2f} s, "
                          f"worst {max(timings):5.2f} s")
                os.killpg(process.pid, 15)
                process.wait(timeout=30)
            browser.close()


if __name__ == "__main__":
    sys.exit(main())
