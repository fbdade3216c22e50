"""Benchmark: the static edition's search box in Chromium (printed figures, not a test).

    python benchmarks/bench_edition_search.py [--db PATH] [--words surveillance,NETmundial,...]

Publishes the edition (of the embedded record unless --db says otherwise), serves it on
loopback as `python -m http.server` would, and for each word: the bytes a cold search fetches
from the edition's pagefind/ folder (a new browser context: nothing cached), and the
milliseconds from typing to the results being shown, cold and then warm (the same page, a
second search). Goals (issue 20): <= 300 kB for a cold search, results in <= 300 ms warm.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bestbits.load.build import build
from bestbits.publish import publish

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Searched first cold, then warm; each warm search is a word not searched before.
WORDS = ["surveillance", "NETmundial", "transparency", "Baku", "stewardship", "resolution"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        pass


def search_ms(page, word: str) -> float:
    """Milliseconds from typing WORD to its first result shown (or the 'no results' line)."""
    page.fill("#edition-search input", "")
    started = time.perf_counter()
    page.fill("#edition-search input", word)
    page.wait_for_function(
        """word => document.querySelector('#edition-search .edition-search-status')
                       .textContent.includes(word)""", arg=word, timeout=60_000)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--words", default=",".join(WORDS))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    words = args.words.split(",")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-edition-search-") as tmp:
        tmp = Path(tmp)
        db = args.db
        if db is None:
            db = tmp / "bestbits.duckdb"
            build(tmp / "data", db, progress=lambda _m: None)
        started = time.perf_counter()
        edition = publish(db, tmp / "edition", tmp / "data")
        bundle = tmp / "edition" / "pagefind"
        bundle_kb = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file()) / 1e3
        print(f"bestbits publish (with the search index): {time.perf_counter() - started:.1f} s, "
              f"{len(edition.pages)} pages; pagefind/ {bundle_kb:.0f} kB")
        server = ThreadingHTTPServer(("127.0.0.1", 0),
                                     functools.partial(_Quiet, directory=str(tmp / "edition")))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        site = f"http://127.0.0.1:{server.server_address[1]}/"
        cold_bytes, cold_ms, warm_ms = [], [], []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium,
                                                     headless=True, args=CHROMIUM_ARGS)
                for index, word in enumerate(words):
                    context = browser.new_context()
                    page = context.new_page()
                    fetched: dict[str, int] = {}

                    def finished(request, fetched=fetched):
                        if "/pagefind/" in request.url or "edition-search" in request.url:
                            sizes = request.sizes()
                            fetched[request.url] = (sizes["responseBodySize"]
                                                    + sizes["responseHeadersSize"])

                    page.on("requestfinished", finished)
                    page.goto(site + "events.html", wait_until="load")
                    cold_ms.append(search_ms(page, word))
                    cold_bytes.append(sum(fetched.values()))
                    warm_ms.append(search_ms(page, words[(index + 1) % len(words)]))
                    page.remove_listener("requestfinished", finished)
                    context.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
        print(f"cold search: {statistics.median(cold_bytes) / 1e3:.0f} kB fetched (most "
              f"{max(cold_bytes) / 1e3:.0f} kB), {statistics.median(cold_ms):.0f} ms median")
        print(f"warm search: {statistics.median(warm_ms):.0f} ms median, "
              f"{max(warm_ms):.0f} ms worst ({len(words)} words)")


if __name__ == "__main__":
    main()
