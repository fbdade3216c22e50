"""Benchmark: the dashboards as a service, served by `bestbits serve` and visited in headless Chromium.

    python benchmarks/bench_dashboard.py [--db PATH] [--visits 5] [--crowd 8] [--crowd-runs 2]
                                         [--after 120] [--serve-arg=--pool-size=2 ...] [--quick]

Prints:
- time from navigation to the first drawn Plotly chart (median and p95), for one visitor at a
  time and for CROWD visitors arriving together (CROWD_RUNS times), each visit in a new browser
  context, and how many visits got no chart at all;
- page-switch time within one visit (a click in the navigation bar until the new page's chart
  or table is shown);
- kernel count and total kernel RSS before the visits, during them, and for AFTER seconds after
  the visitors left, with the time the count took to fall back to the pool size;
- RSS per kernel (preheated in the pool, and after a visit);
- the processes left running 30 s after SIGTERM to `bestbits serve`, and its exit status.

Goals (issue 9), on a 2-core machine: every crowd visit gets its chart, p95 under 10 s; a page
switch under 300 ms; kernels back to the pool size within 2 minutes of the visitors leaving; no
process left after SIGTERM. Not a test: figures vary with the machine's load, so compare runs
taken side by side. Every process the benchmark starts is stopped before it exits.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from bestbits import config
from bestbits.load.build import build
from dashboards.pages import TITLES

# The navigation bar's label for each page, in the order a visitor clicks through them.
PAGE_LABELS = TITLES
CHROMIUM = os.environ.get("BESTBITS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# A visit that has drawn no chart after this long counts as failed (the issue saw 2 of 16).
VISIT_TIMEOUT_MS = 180_000
DRAWN_CHART = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
                         .some(gd => gd.data && gd._fullLayout)"""
# A page is shown when a drawn chart or a table appears that was not shown before the click
# (the Statements page opens on a table; a page kept hidden in the visit counts once shown).
CONTENT = ".js-plotly-plot, table.bb-table"
NEW_VISIBLE_CONTENT = f"""page => (new URLSearchParams(location.search).get('page') || 'overview') === page &&
    Array.from(document.querySelectorAll('{CONTENT}')).some(
        el => el.offsetParent !== null && !el.dataset.bbBenchSeen &&
              (el.tagName === 'TABLE' || (el.data && el._fullLayout)))"""
MARK_SHOWN_CONTENT = f"""() => document.querySelectorAll('{CONTENT}').forEach(el => {{
    if (el.offsetParent !== null) el.dataset.bbBenchSeen = '1'; else delete el.dataset.bbBenchSeen; }})"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Server:
    """`bestbits serve` in its own session, with its process tree watched through psutil."""

    def __init__(self, db: Path, serve_args: list[str], log: Path, checkout: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            filter(None, [str(checkout), os.environ.get("PYTHONPATH")])))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bestbits.cli", "serve", "--db", str(db), "--port",
             str(self.port), *serve_args],
            stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=checkout, env=env,
            start_new_session=True)
        self.seen: dict[int, psutil.Process] = {}

    def wait_until_listening(self, timeout: float = 120) -> None:
        # Not a GET of the page: that would take a kernel from the pool before the visits start.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bestbits serve exited with {self.process.returncode}; "
                                   f"see {self.log}")
            try:
                urllib.request.urlopen(self.url + "voila/static/does-not-exist", timeout=5)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"{self.url} did not answer within {timeout} s")

    def descendants(self) -> list[psutil.Process]:
        try:
            found = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            found = []
        for process in found:
            self.seen.setdefault(process.pid, process)
        return found

    def kernels(self) -> list[psutil.Process]:
        kernels = []
        for process in self.descendants():
            try:
                if any("ipykernel" in part for part in process.cmdline()):
                    kernels.append(process)
            except psutil.Error:
                pass
        return kernels

    def kernel_rss_mb(self) -> list[float]:
        sizes = []
        for kernel in self.kernels():
            try:
                sizes.append(kernel.memory_info().rss / 2**20)
            except psutil.Error:
                pass
        return sizes

    def wait_for_kernels(self, count: int, timeout: float) -> float | None:
        """Seconds until exactly COUNT kernels run (None if not within TIMEOUT)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if len(self.kernels()) == count:
                return time.monotonic() - started
            time.sleep(2)
        return None

    def wait_until_quiet(self, timeout: float, quiet_seconds: float = 3) -> float | None:
        """Seconds until the kernels have used (almost) no CPU for QUIET_SECONDS: preheated kernels
        have run the notebook up to the cell where they wait for a visitor."""
        started = time.monotonic()
        last: dict[int, float] = {}
        quiet_since = None
        while time.monotonic() - started < timeout:
            now = {}
            for kernel in self.kernels():
                try:
                    times = kernel.cpu_times()
                    now[kernel.pid] = times.user + times.system
                except psutil.Error:
                    pass
            busy = not now or any(now[pid] - last.get(pid, 0.0) > 0.05 for pid in now)
            last = now
            if busy:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_seconds:
                return time.monotonic() - started
            time.sleep(1)
        return None

    def sigterm(self, grace: float = 30) -> tuple[int | None, list[str]]:
        """SIGTERM to the server's own pid, as systemd or docker send it (not to its group).
        Returns its exit status and the processes still alive after GRACE seconds."""
        self.descendants()
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            status = None
        deadline = time.monotonic() + 5
        survivors = [p for p in self.seen.values() if p.is_running()]
        while survivors and time.monotonic() < deadline:
            time.sleep(0.5)
            survivors = [p for p in survivors if p.is_running()]
        described = []
        for process in survivors:
            try:
                described.append(f"{process.pid} {' '.join(process.cmdline())[:90]}")
            except psutil.Error:
                pass
        return status, described

    def stop_everything(self) -> None:
        """Whatever SIGTERM left: kill the processes this benchmark started, by pid."""
        if self.process.poll() is None:
            self.descendants()
            self.process.kill()
            self.process.wait()
        for process in self.seen.values():
            try:
                if process.is_running():
                    process.kill()
            except psutil.Error:
                pass


def snapshot(server: Server, label: str) -> None:
    sizes = server.kernel_rss_mb()
    print(f"  kernels {label:<34} {len(sizes):3d} kernels, total RSS {sum(sizes):7.0f} MB")


async def first_chart_seconds(browser, url: str, contexts: list) -> float | None:
    context = await browser.new_context()
    contexts.append(context)
    page = await context.new_page()
    started = time.perf_counter()
    try:
        await page.goto(url, wait_until="commit", timeout=VISIT_TIMEOUT_MS)
        remaining = VISIT_TIMEOUT_MS - (time.perf_counter() - started) * 1000
        await page.wait_for_function(DRAWN_CHART, timeout=max(remaining, 1000), polling=50)
    except Exception as exc:  # a visit without a chart is a result to print, not a crash
        print(f"    a visit got no chart: {type(exc).__name__}: {str(exc).splitlines()[0][:100]}")
        return None
    return time.perf_counter() - started


def print_timings(label: str, timings: list[float | None]) -> None:
    drawn = [t for t in timings if t is not None]
    if not drawn:
        print(f"  {label:<40} no visit drew a chart ({len(timings)} visits)")
        return
    print(f"  {label:<40} median {statistics.median(drawn):6.2f} s, p95 "
          f"{percentile(drawn, 0.95):6.2f} s, worst {max(drawn):6.2f} s; "
          f"{len(drawn)}/{len(timings)} drew a chart")


async def close_all(contexts: list) -> None:
    for context in contexts:
        await context.close()
    contexts.clear()


async def page_switches(browser, url: str) -> list[tuple[str, float | None]]:
    """One visit clicks through every page and back to the first; seconds per switch."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    results = []
    try:
        await page.goto(url, timeout=VISIT_TIMEOUT_MS)
        await page.wait_for_function(DRAWN_CHART, timeout=VISIT_TIMEOUT_MS)
        order = list(PAGE_LABELS)[1:] + ["overview"]
        for name in order:
            await page.evaluate(MARK_SHOWN_CONTENT)
            link = page.locator(".bb-nav").get_by_text(PAGE_LABELS[name], exact=True).first
            started = time.perf_counter()
            try:
                await link.click(timeout=30_000)
                await page.wait_for_function(NEW_VISIBLE_CONTENT, arg=name, timeout=VISIT_TIMEOUT_MS,
                                             polling=20)
                results.append((name, time.perf_counter() - started))
            except Exception as exc:
                print(f"    switch to {name} failed: {type(exc).__name__}: "
                      f"{str(exc).splitlines()[0][:100]}")
                results.append((name, None))
    finally:
        await context.close()
    return results


def watch_after(server: Server, seconds: float, pool_size: int) -> None:
    """Kernel count and RSS every 10 s after the visitors left; when the pool size came back."""
    started = time.monotonic()
    back_at = None
    while True:
        elapsed = time.monotonic() - started
        count = len(server.kernels())
        if back_at is None and count <= pool_size:
            back_at = elapsed
        if elapsed >= seconds:
            break
        time.sleep(min(10, seconds - elapsed))
    snapshot(server, f"{seconds:.0f} s after the visitors left")
    if back_at is None:
        print(f"  kernels did NOT come back to the pool size ({pool_size}) within {seconds:.0f} s")
    else:
        print(f"  kernels back to the pool size ({pool_size}) {back_at:.0f} s after the visitors left")


async def visits(server: Server, args: argparse.Namespace) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts: list = []
        try:
            print(f"one visitor at a time ({args.visits} visits, {args.settle:.0f} s apart):")
            timings = []
            for _ in range(args.visits):
                timings.append(await first_chart_seconds(browser, server.url, contexts))
                await close_all(contexts)
                await asyncio.sleep(args.settle)
            print_timings("first chart, 1 visitor", timings)

            print("page switches within one visit:")
            switches = await page_switches(browser, server.url)
            for name, seconds in switches:
                shown = "failed" if seconds is None else f"{seconds * 1000:7.0f} ms"
                print(f"  switch to {name:<38} {shown}")
            done = [s for _n, s in switches if s is not None]
            if done:
                print(f"  page switch median {statistics.median(done) * 1000:.0f} ms, "
                      f"worst {max(done) * 1000:.0f} ms")
            sizes = ", ".join(f"{s:.0f}" for s in server.kernel_rss_mb())
            print(f"  kernel RSS after the visits so far: {sizes} MB")

            for run in range(1, args.crowd_runs + 1):
                print(f"{args.crowd} visitors arriving together, run {run}:")
                # The crowd arrives once the earlier visitors' kernels are given back (or AFTER
                # seconds have passed), so that it meets the pool and not a cap full of leftovers.
                back = await asyncio.to_thread(server.wait_for_kernels, args.pool_size, args.after)
                print("  earlier visitors' kernels " + (f"given back after {back:.0f} s" if back is not None
                      else f"still running after {args.after:.0f} s"))
                snapshot(server, "before")
                tasks = [first_chart_seconds(browser, server.url, contexts)
                         for _ in range(args.crowd)]
                timings = await asyncio.gather(*tasks)
                print_timings(f"first chart, {args.crowd} visitors", timings)
                snapshot(server, "during (every visitor's page open)")
                sizes = sorted(server.kernel_rss_mb())
                print(f"  RSS per kernel: {', '.join(f'{s:.0f}' for s in sizes)} MB")
                await close_all(contexts)
                await asyncio.to_thread(watch_after, server, args.after, args.pool_size)
        finally:
            await close_all(contexts)
            await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a built database (default: build the embedded one)")
    parser.add_argument("--visits", type=int, default=5, help="visits of one visitor at a time")
    parser.add_argument("--settle", type=float, default=8.0,
                        help="seconds between single visits, so the pool refills as between visitors")
    parser.add_argument("--crowd", type=int, default=8, help="visitors arriving together")
    parser.add_argument("--crowd-runs", type=int, default=2)
    parser.add_argument("--after", type=float, default=120.0,
                        help="seconds to watch the kernels after the visitors leave")
    parser.add_argument("--pool-size", type=int, default=2,
                        help="the pool size the server runs with (to know when kernels are back)")
    parser.add_argument("--serve-arg", action="append", default=[],
                        help="an extra option for bestbits serve, e.g. --serve-arg=--max-visitors=12")
    parser.add_argument("--checkout", type=Path, default=config.REPO_ROOT,
                        help="serve from this source tree, e.g. an older commit's `git archive`, "
                             "to compare versions side by side (default: this one)")
    parser.add_argument("--quick", action="store_true",
                        help="a short run while developing: 2 visits, 3 together once, 45 s after")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, even in a file
    if args.quick:
        args.visits, args.crowd, args.crowd_runs, args.after = 2, 3, 1, 45.0
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "bench.duckdb"
            build(Path(tmp), db, progress=lambda _m: None)
        load = os.getloadavg()
        print(f"database: {db}; {os.cpu_count()} cores; load average {load[0]:.1f} "
              f"{load[1]:.1f} {load[2]:.1f}; serving {args.checkout}; "
              f"serve options: {' '.join(args.serve_arg) or '(defaults)'}")
        server = Server(db, args.serve_arg, Path(tmp) / "serve.log", args.checkout.resolve())
        try:
            server.wait_until_listening()
            filled = server.wait_for_kernels(args.pool_size, timeout=180)
            quiet = server.wait_until_quiet(timeout=180) if filled is not None else None
            print(f"pool of {args.pool_size} preheated "
                  + (f"{filled + quiet:.0f} s after the server answered" if quiet is not None
                     else "NOT within 180 s"))
            snapshot(server, "before the visits (the pool)")
            sizes = server.kernel_rss_mb()
            if sizes:
                print(f"  RSS per preheated kernel: {', '.join(f'{s:.0f}' for s in sizes)} MB")
            asyncio.run(visits(server, args))
            print("SIGTERM to bestbits serve:")
            kernels = len(server.kernels())
            processes = len(server.descendants()) + 1
            status, survivors = server.sigterm()
            print(f"  {processes} processes ({kernels} kernels) before; exit status "
                  f"{'still running after 30 s' if status is None else status}; "
                  f"{len(survivors)} processes left")
            for line in survivors:
                print(f"    left: {line}")
        finally:
            server.stop_everything()
    return 0


if __name__ == "__main__":
    sys.exit(main())
