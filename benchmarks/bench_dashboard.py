"""Benchmark: the dashboards as a service, served by `bestbits serve` and visited in headless Chromium.

    python benchmarks/bench_dashboard.py [--db PATH] [--visits 5] [--crowd 8] [--crowd-runs 2]
                                         [--after 120] [--serve-arg=--pool-size=2 ...] [--quick]
                                         [--checkout PATH] [--compare PATH]

Prints, as it goes and then as one table:
- time from navigation to the first drawn Plotly chart (median and p95), for one visitor at a
  time and for CROWD visitors arriving together (CROWD_RUNS times), each visit in a new browser
  context, and how many visits got no chart at all;
- page-switch time within one visit (a click in the navigation bar until the new page's chart
  or table is shown);
- where a visit's time goes: CPU seconds used by the server (the `bestbits serve` process and
  every kernel, including the pool's refills the visit sets off), by the visit's own kernel
  alone, and by the browser (Chromium and its Playwright driver), from the visit's arrival until
  its page has had no widget message for QUIET_MS; for a crowd, per crowd and per visit. On
  this machine the browsers share the server's cores; at a workshop they run on the visitors'
  laptops, so the server's figure is what a workshop's server pays;
- memory: RSS of each visit's kernel after its visit, and how much the server's whole process
  tree grew;
- kernel count and total kernel RSS before the visits, during them, and for AFTER seconds after
  the visitors left, with the time the count took to fall back to the pool size;
- RSS per kernel (preheated in the pool, and after a visit);
- the processes left running 30 s after SIGTERM to `bestbits serve`, and its exit status.

With --compare PATH, two servers run side by side, one from PATH ("before") and one from this
checkout ("after"), and each measure alternates between them in rounds, so that the machine's
noise falls on both alike; the table has one column for each.

Goals (issue 19), on a 2-core machine: first chart for one visitor under 1 s; every crowd visit
gets its chart, p95 under 10 s; a page switch under 300 ms; kernels back to the pool size within
3 minutes of the visitors leaving; no process left after SIGTERM. Not a test: figures vary with
the machine's load, so compare runs taken side by side. Every process the benchmark starts is
stopped before it exits.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
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
# The page's kernel, as Voila writes it into the page.
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
# A visit whose widgets are still talking this long after its first chart is measured anyway.
QUIET_PATIENCE_SECONDS = 60
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


def cpu_seconds(process: psutil.Process) -> float:
    """CPU a process used, with its ended children it waited for (a kernel that stopped counts
    in its server's figure, a closed tab's renderer in Chromium's)."""
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system + times.children_user + times.children_system


def rss_mb(process: psutil.Process) -> float:
    try:
        return process.memory_info().rss / 2**20
    except psutil.Error:
        return 0.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Server:
    """`bestbits serve` in its own session, with its process tree watched through psutil."""

    def __init__(self, db: Path, serve_args: list[str], log: Path, checkout: Path, name: str):
        self.name = name
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

    def tree(self) -> list[psutil.Process]:
        try:
            return [psutil.Process(self.process.pid), *self.descendants()]
        except psutil.NoSuchProcess:
            return []

    def kernel_process(self, kernel_id: str) -> psutil.Process | None:
        """The kernel whose connection file names KERNEL_ID."""
        for kernel in self.kernels():
            try:
                if any(f"kernel-{kernel_id}" in part for part in kernel.cmdline()):
                    return kernel
            except psutil.Error:
                pass
        return None

    def tree_rss_mb(self) -> float:
        return sum(rss_mb(process) for process in self.tree())

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


class Results:
    """Every figure by label and server, printed at the end as one table, a column per server."""

    def __init__(self, servers: list[Server]):
        self.names = [server.name for server in servers]
        self.rows: dict[str, dict[str, str]] = {}

    def add(self, label: str, server: Server, value: str) -> None:
        self.rows.setdefault(label, {})[server.name] = value
        print(f"  [{server.name}] {label}: {value}")

    def section(self, title: str) -> None:
        self.rows.setdefault(f"## {title}", {})

    def print_table(self) -> None:
        width = max(len(label) for label in self.rows) + 4
        columns = [max(24, len(name), *(len(row.get(name, "")) for row in self.rows.values()))
                   for name in self.names]
        print()
        named = list(zip(self.names, columns, strict=True))
        print(" " * width + " | ".join(name.ljust(col) for name, col in named))
        for label, row in self.rows.items():
            if label.startswith("## "):
                print(label[3:])
                continue
            print(f"  {label.ljust(width - 2)}"
                  + " | ".join(row.get(name, "-").ljust(col) for name, col in named))


def in_rounds(servers: list[Server], round_number: int) -> list[Server]:
    """The servers in this round's order: the first goes first in even rounds, last in odd ones,
    so that neither always meets the machine just after the other's work."""
    return servers if round_number % 2 == 0 else servers[::-1]


def browser_cpu_seconds(servers: list[Server]) -> float:
    """CPU of this benchmark's other descendants: Chromium and its Playwright driver."""
    served = {process.pid for server in servers for process in server.tree()}
    return sum(cpu_seconds(process) for process in psutil.Process().children(recursive=True)
               if process.pid not in served)


class CpuSample:
    """CPU seconds used so far by a server (its process, every kernel) and by the browser."""

    def __init__(self, server: Server, servers: list[Server]):
        self.server_process = 0.0
        self.kernels: dict[int, float] = {}
        self.server_tree = 0.0
        for process in server.tree():
            used = cpu_seconds(process)
            self.server_tree += used
            if process.pid == server.process.pid:
                # The server's own work: HTML, websockets; its ended kernels are in the tree's.
                try:
                    times = process.cpu_times()
                    self.server_process = times.user + times.system
                except psutil.Error:
                    pass
            else:
                self.kernels[process.pid] = used
        self.browser = browser_cpu_seconds(servers)
        self.server_rss = server.tree_rss_mb()


class Visit:
    """One visitor's page: when its first chart was drawn, its kernel, its last widget message."""

    def __init__(self):
        self.chart_seconds: float | None = None
        self.kernel_id: str | None = None
        self.last_message = time.perf_counter()

    def heard(self, _payload=None) -> None:
        self.last_message = time.perf_counter()


async def visit(browser, url: str, contexts: list, quiet_ms: int) -> Visit:
    """Open the page in a new context; return once its chart is drawn and no widget message has
    passed for QUIET_MS (or the visit failed)."""
    context = await browser.new_context()
    contexts.append(context)
    page = await context.new_page()
    result = Visit()

    def on_websocket(websocket):
        websocket.on("framereceived", result.heard)
        websocket.on("framesent", result.heard)

    page.on("websocket", on_websocket)
    started = time.perf_counter()
    try:
        await page.goto(url, wait_until="commit", timeout=VISIT_TIMEOUT_MS)
        remaining = VISIT_TIMEOUT_MS - (time.perf_counter() - started) * 1000
        await page.wait_for_function(DRAWN_CHART, timeout=max(remaining, 1000), polling=50)
        result.chart_seconds = time.perf_counter() - started
        found = KERNEL_ID.search(await page.content())
        result.kernel_id = found.group(1) if found else None
        settle_by = time.perf_counter() + QUIET_PATIENCE_SECONDS
        while (time.perf_counter() - result.last_message < quiet_ms / 1000
               and time.perf_counter() < settle_by):
            await asyncio.sleep(0.05)
    except Exception as exc:  # a visit without a chart is a result to print, not a crash
        print(f"    a visit got no chart: {type(exc).__name__}: {str(exc).splitlines()[0][:100]}")
    return result


def timings_text(timings: list[float | None]) -> str:
    drawn = [t for t in timings if t is not None]
    if not drawn:
        return f"no chart in {len(timings)} visits"
    return (f"median {statistics.median(drawn):.2f} s, p95 {percentile(drawn, 0.95):.2f} s, "
            f"worst {max(drawn):.2f} s; {len(drawn)}/{len(timings)} drew")


def visit_costs(server: Server, before: CpuSample, after: CpuSample,
                visited: list[Visit]) -> dict[str, float]:
    """CPU seconds and MB that VISITED cost, between two samples (RSS: the visits' kernels
    after their visits, averaged)."""
    own_kernels = 0.0
    kernel_rss = []
    for done in visited:
        kernel = server.kernel_process(done.kernel_id) if done.kernel_id else None
        if kernel is not None:
            own_kernels += after.kernels.get(kernel.pid, 0.0) - before.kernels.get(kernel.pid, 0.0)
            kernel_rss.append(rss_mb(kernel))
    total = after.server_tree - before.server_tree
    server_process = after.server_process - before.server_process
    return {
        "server CPU (process + all kernels)": total,
        "  of which the Voila server process": server_process,
        "  of which the visits' own kernels": own_kernels,
        "  of which other kernels (pool refills)": total - server_process - own_kernels,
        "browser CPU (Chromium + driver)": after.browser - before.browser,
        "server tree RSS growth": after.server_rss - before.server_rss,
        "RSS of a visit's kernel after its visit": (statistics.mean(kernel_rss) if kernel_rss
                                                     else float("nan")),
    }


def costs_text(costs: dict[str, float], visits_count: int) -> dict[str, str]:
    """The figures as text; for several visits, also per visit."""
    text = {}
    for label, value in costs.items():
        unit = "MB" if "RSS" in label else "s"
        shown = f"{value:+.0f} MB" if "growth" in label else f"{value:.{0 if unit == 'MB' else 1}f} {unit}"
        if visits_count > 1 and unit == "s":
            shown += f" ({value / visits_count:.2f} s a visit)"
        text[label] = shown
    return text


def snapshot_text(server: Server) -> str:
    sizes = server.kernel_rss_mb()
    return f"{len(sizes)} kernels, {sum(sizes):.0f} MB"


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


def watch_after(server: Server, seconds: float, pool_size: int) -> tuple[str, str]:
    """Kernel count and RSS AFTER seconds after the visitors left; when the pool size came back."""
    started = time.monotonic()
    back_at = None
    while True:
        elapsed = time.monotonic() - started
        count = len(server.kernels())
        if back_at is None and count <= pool_size:
            back_at = elapsed
        if elapsed >= seconds:
            break
        time.sleep(min(5, seconds - elapsed))
    back = (f"NOT within {seconds:.0f} s" if back_at is None else f"after {back_at:.0f} s")
    return snapshot_text(server), back


async def settle(servers: list[Server], seconds: float) -> None:
    """Let the pools refill and the kernels fall quiet before the next measure."""
    await asyncio.sleep(seconds)
    for server in servers:
        await asyncio.to_thread(server.wait_until_quiet, 60)


async def visits(servers: list[Server], results: Results, args: argparse.Namespace) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts: list = []
        try:
            results.section(f"One visitor at a time ({args.visits} visits each)")
            timings: dict[str, list] = {server.name: [] for server in servers}
            costs: dict[str, list] = {server.name: [] for server in servers}
            for number in range(args.visits):
                for server in in_rounds(servers, number):
                    before = CpuSample(server, servers)
                    done = await visit(browser, server.url, contexts, args.quiet_ms)
                    after = CpuSample(server, servers)
                    timings[server.name].append(done.chart_seconds)
                    costs[server.name].append(visit_costs(server, before, after, [done]))
                    print(f"  [{server.name}] visit {number + 1}: chart "
                          + ("none" if done.chart_seconds is None else f"{done.chart_seconds:.2f} s")
                          + "; " + "; ".join(f"{k.strip()} {v}" for k, v in
                                             costs_text(costs[server.name][-1], 1).items()))
                    await close_all(contexts)
                    await settle(servers, args.settle)
            for server in servers:
                results.add("first chart, 1 visitor", server, timings_text(timings[server.name]))
                medians = {label: statistics.median(cost[label] for cost in costs[server.name])
                           for label in costs[server.name][0]}
                for label, value in costs_text(medians, 1).items():
                    results.add(f"{label}, a single visit (median)", server, value)

            results.section("Page switches within one visit")
            for server in servers:
                switches = await page_switches(browser, server.url)
                for name, seconds in switches:
                    results.add(f"switch to {name}", server,
                                "failed" if seconds is None else f"{seconds * 1000:.0f} ms")
                done_switches = [s for _n, s in switches if s is not None]
                if done_switches:
                    results.add("page switch median, worst", server,
                                f"{statistics.median(done_switches) * 1000:.0f} ms, "
                                f"{max(done_switches) * 1000:.0f} ms")
                await settle(servers, args.settle)

            for run in range(1, args.crowd_runs + 1):
                results.section(f"{args.crowd} visitors arriving together, run {run}")
                for server in in_rounds(servers, run - 1):
                    # The crowd arrives once the earlier visitors' kernels are given back (or
                    # AFTER seconds have passed), so that it meets the pool and not a cap full
                    # of leftovers.
                    back = await asyncio.to_thread(server.wait_for_kernels, args.pool_size,
                                                   args.after)
                    await settle(servers, 0)
                    results.add("earlier visitors' kernels given back", server,
                                f"after {back:.0f} s" if back is not None
                                else f"NOT within {args.after:.0f} s")
                    results.add("kernels before", server, snapshot_text(server))
                    before = CpuSample(server, servers)
                    crowd = await asyncio.gather(*[visit(browser, server.url, contexts,
                                                         args.quiet_ms)
                                                   for _ in range(args.crowd)])
                    after = CpuSample(server, servers)
                    results.add(f"first chart, {args.crowd} visitors", server,
                                timings_text([done.chart_seconds for done in crowd]))
                    crowd_costs = visit_costs(server, before, after, list(crowd))
                    for label, value in costs_text(crowd_costs, len(crowd)).items():
                        results.add(f"{label}, whole crowd", server, value)
                    results.add("kernels with every visitor's page open", server,
                                snapshot_text(server))
                    await close_all(contexts)
                    kernels, back = await asyncio.to_thread(watch_after, server, args.after,
                                                            args.pool_size)
                    results.add(f"kernels {args.after:.0f} s after the visitors left", server,
                                kernels)
                    results.add("kernels back to the pool size", server, back)
        finally:
            await close_all(contexts)
            await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a built database (default: build the embedded one)")
    parser.add_argument("--visits", type=int, help="visits of one visitor at a time (5)")
    parser.add_argument("--settle", type=float, default=8.0,
                        help="seconds between single visits, so the pool refills as between visitors")
    parser.add_argument("--crowd", type=int, help="visitors arriving together (8)")
    parser.add_argument("--crowd-runs", type=int, help="times the crowd arrives (2)")
    parser.add_argument("--after", type=float,
                        help="seconds to watch the kernels after the visitors leave (120)")
    parser.add_argument("--pool-size", type=int, default=2,
                        help="the pool size the server runs with (to know when kernels are back)")
    parser.add_argument("--quiet-ms", type=int, default=1000,
                        help="a visit is over when its page has had no widget message this long "
                             "after its first chart")
    parser.add_argument("--serve-arg", action="append", default=[],
                        help="an extra option for bestbits serve, e.g. --serve-arg=--max-visitors=12")
    parser.add_argument("--checkout", type=Path, default=config.REPO_ROOT,
                        help="serve from this source tree (default: this one), e.g. an older "
                             "commit's `git archive`")
    parser.add_argument("--compare", type=Path, metavar="PATH",
                        help="also serve from the source tree PATH (\"before\"), alternating "
                             "with --checkout (\"after\") in rounds; one table, side by side")
    parser.add_argument("--quick", action="store_true",
                        help="a short run while developing: 2 visits, 3 together once, 45 s after "
                             "(unless given)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, even in a file
    defaults = ({"visits": 2, "crowd": 3, "crowd_runs": 1, "after": 45.0} if args.quick else
                {"visits": 5, "crowd": 8, "crowd_runs": 2, "after": 120.0})
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    checkout = args.checkout.resolve()
    after_name = ("this checkout" if checkout == config.REPO_ROOT.resolve() else str(checkout))
    sources = [(checkout, after_name)]
    if args.compare is not None:
        sources = [(args.compare.resolve(), f"before ({args.compare})"),
                   (checkout, f"after ({after_name})")]
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "bench.duckdb"
            build(Path(tmp), db, progress=lambda _m: None)
        load = os.getloadavg()
        print(f"database: {db}; {os.cpu_count()} cores; load average {load[0]:.1f} "
              f"{load[1]:.1f} {load[2]:.1f}; serve options: {' '.join(args.serve_arg) or '(defaults)'}")
        servers: list[Server] = []
        try:
            for number, (source, name) in enumerate(sources):
                servers.append(Server(db, args.serve_arg, Path(tmp) / f"serve-{number}.log",
                                      source, name))
            results = Results(servers)
            results.section("Before the visits")
            for server in servers:
                server.wait_until_listening()
                filled = server.wait_for_kernels(args.pool_size, timeout=180)
                quiet = server.wait_until_quiet(timeout=180) if filled is not None else None
                results.add(f"pool of {args.pool_size} preheated", server,
                            f"{filled + quiet:.0f} s after the server answered"
                            if quiet is not None else "NOT within 180 s")
                results.add("kernels in the pool", server, snapshot_text(server))
                sizes = server.kernel_rss_mb()
                results.add("RSS per preheated kernel", server,
                            ", ".join(f"{s:.0f}" for s in sizes) + " MB" if sizes else "-")
                results.add("server tree RSS (server + pool)", server,
                            f"{server.tree_rss_mb():.0f} MB")
            asyncio.run(visits(servers, results, args))
            results.section("SIGTERM to bestbits serve")
            for server in servers:
                kernels = len(server.kernels())
                processes = len(server.descendants()) + 1
                status, survivors = server.sigterm()
                results.add("processes before (kernels)", server, f"{processes} ({kernels})")
                results.add("exit status", server,
                            "still running after 30 s" if status is None else str(status))
                results.add("processes left", server, str(len(survivors)))
                for line in survivors:
                    print(f"    left: {line}")
            results.print_table()
        finally:
            for server in servers:
                server.stop_everything()
    return 0


if __name__ == "__main__":
    sys.exit(main())
