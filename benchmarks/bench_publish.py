"""Benchmark: the static edition's size, the time to publish it, and the time to its first chart.

    python benchmarks/bench_publish.py [--db PATH] [--visits 5] [--plotly-js FILE ...]

Publishes the edition of the database (by default one built from the embedded record), prints its
size (and how much of it is plotly.js), serves it with http.server on loopback, and measures in
headless Chromium the milliseconds from navigation to the first drawn chart of each page: cold
(a fresh browser context, nothing cached) and warm (the same page again). Each --plotly-js FILE
(a partial bundle, e.g. plotly-basic.min.js from the npm package plotly.js-basic-dist-min) is
measured in the same run, side by side with the bundle the edition ships. Goals (issue 13): first
chart under 0.5 s, the edition of the embedded record under 20 MB. Not a test: figures vary with
the machine's load.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bestbits.load.build import build
from bestbits.publish import publish

PAGES = ["index.html", "events.html", "statements/netmundial-draft-2014.html",
         "participation.html", "sources.html"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        pass

    def copyfile(self, source, outputfile):
        try:
            super().copyfile(source, outputfile)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser moved on before the file was sent: not the server's error


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def first_chart_ms(browser, url: str, visits: int) -> tuple[list[float], list[float]]:
    cold, warm = [], []
    for _ in range(visits):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        for bucket in (cold, warm):
            page.goto(url, wait_until="commit")
            page.wait_for_function("() => document.body && document.body.dataset.firstChartMs",
                                   timeout=120_000)
            bucket.append(float(page.evaluate("() => document.body.dataset.firstChartMs")))
        context.close()
    return cold, warm


def measure(folder: Path, label: str, visits: int, browser) -> None:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        plotly_js = (folder / "assets" / "plotly.min.js").stat().st_size / 1e6
        print(f"\n{label}: edition {size_mb(folder):.1f} MB, plotly.js {plotly_js:.2f} MB")
        print(f"  {'page':<42} {'cold median':>12} {'cold worst':>11} {'warm median':>12}")
        for name in PAGES:
            cold, warm = first_chart_ms(browser, base + name, visits)
            print(f"  {name:<42} {statistics.median(cold):>9.0f} ms {max(cold):>8.0f} ms "
                  f"{statistics.median(warm):>9.0f} ms")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="database (default: built from the embedded record)")
    parser.add_argument("--visits", type=int, default=5)
    parser.add_argument("--plotly-js", type=Path, action="append", default=[],
                        help="another plotly.js bundle to measure beside the shipped one")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-publish-") as tmp:
        tmp = Path(tmp)
        db = args.db
        if db is None:
            db = tmp / "bestbits.duckdb"
            build(tmp / "data", db, progress=lambda _m: None)
        started = time.perf_counter()
        edition = publish(db, tmp / "edition", tmp / "data")
        print(f"bestbits publish: {time.perf_counter() - started:.1f} s, {len(edition.pages)} pages, "
              f"edition {edition.identifier}")
        variants = [("shipped bundle", tmp / "edition")]
        for bundle in args.plotly_js:
            copy = tmp / f"edition-{bundle.stem}"
            shutil.copytree(tmp / "edition", copy)
            shutil.copyfile(bundle, copy / "assets" / "plotly.min.js")
            variants.append((bundle.name, copy))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=True,
                                                 args=CHROMIUM_ARGS)
            try:
                # Interleaved per page would be fairer still; one variant after the other keeps
                # the output readable, and --visits smooths the load of a shared machine.
                for label, folder in variants:
                    measure(folder, label, args.visits, browser)
            finally:
                browser.close()


if __name__ == "__main__":
    main()
