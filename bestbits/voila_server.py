"""Voila as `bestbits serve` runs it: a cap on live visitor kernels with a busy page past it, and a
clean stop on SIGINT as on SIGTERM.

`bestbits serve` replaces its own process with `python -m bestbits.voila_server ...` (os.execve), so
the pid a supervisor signals is this server's. Idle kernels whose visitor left are culled by
jupyter-server's own culler (MappingKernelManager.cull_* options, set by bestbits/serve.py); Voila's
pool manager already spares preheated kernels waiting in the pool.
"""

from __future__ import annotations

import asyncio
import html
import shutil
import signal
import time
from datetime import UTC, datetime, timedelta

import psutil
import tornado.web
from jupyter_client.session import Session
from jupyter_core.utils import run_sync
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float, Integer
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

# How long the busy page waits before it asks again: long enough not to load a busy server with
# requests, short enough that a visitor hardly waits longer than needed once a kernel is free.
RETRY_AFTER_SECONDS = 10

BUSY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{retry}">
<title>Best Bits archive: busy</title>
<style>body{{font-family:sans-serif;max-width:36em;margin:4em auto;color:#333;line-height:1.5}}</style>
</head><body>
<h1>The dashboard is busy</h1>
<p>{visitors} visitors are using it, as many as this server admits at once.
This page tries again by itself every {retry} seconds; you do not need to do anything.</p>
<p id="bb-busy-next"></p>
<script>
(function () {{
  var left = {retry};
  var note = document.getElementById("bb-busy-next");
  function tick() {{
    note.textContent = "Next try in " + left + " s.";
    if (left-- <= 0) {{ location.reload(); return; }}
    setTimeout(tick, 1000);
  }}
  tick();
}})();
</script>
</body></html>
"""


# Every dashboard kernel: writes what goes wrong to the server's log, never to the browser
# (bestbits/kernel_errors.py says how a traceback reached it), and leaves output written to the
# process's own descriptors (DuckDB's, say) there too instead of forwarding it to the browser.
KERNEL_ARGUMENTS = ("--IPKernelApp.capture_fd_output=False",
                    "--InteractiveShellApp.extra_extensions=bestbits.kernel_errors")


# The code of the notebook cell where a kernel waits for its visitor (dashboards/bestbits.ipynb;
# dashboards/jupyter/config/voila.py spares the same cell from the cell timeout). A kernel that
# has begun it has done its imports and warm-up: its start is over.
WAITING_CELL_MARKER = "get_query_string()"


class KernelsWithoutTracebacks(AsyncMappingKernelManager):
    """jupyter-server's kernel manager, starting each kernel with KERNEL_ARGUMENTS and only a few
    at a time (Voila's pool manager is built on this class:
    `--VoilaConfiguration.multi_kernel_manager_class`).

    A start runs from launching the process until the kernel reaches the notebook cell where it
    waits for its visitor (WAITING_CELL_MARKER): the imports and the warm-up, seconds of one
    core. Voila's pool refills with one start per visitor taken, all at once, so a crowd of
    eight started eight together and starved the visitors being served; past `starting_at_once`
    a start waits its turn. Starts are taken in the order asked, and the pool hands out its
    kernels in the same order, so a visitor waiting for a kernel gets the first one up.
    """

    # Two: on a 2-core machine one start per core at most leaves the cores to the visitors being
    # served between starts, and two keep the pool refilling fast enough for a crowd.
    starting_at_once = Integer(
        2, config=True,
        help="Most kernels starting (launch, imports, warm-up) at the same time; more wait.")
    start_timeout = Float(
        120, config=True,
        help="Seconds after which a start that never reached the waiting cell no longer holds "
             "its place: twice the notebook's cell timeout, so a warm-up that long has failed "
             "(a sound one took 40 s on two cores loaded by other work).")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._start_places: asyncio.Semaphore | None = None
        self.starting = 0
        self._stopping = False

    async def start_kernel(self, *args, **kwargs):
        kwargs["extra_arguments"] = [*kwargs.get("extra_arguments", []), *KERNEL_ARGUMENTS]
        if self._start_places is None:  # made on the server's loop, not at import
            self._start_places = asyncio.Semaphore(max(1, self.starting_at_once))
        asked = time.monotonic()
        await self._start_places.acquire()
        if self._stopping:
            # Starts still in line when the server stops would each start a kernel only for the
            # shutdown to stop it, one after another, past a supervisor's patience.
            self._start_places.release()
            raise RuntimeError("not starting a kernel: the server is stopping")
        began = time.monotonic()
        self.starting += 1
        self.log.info("Kernel start begins (%d starting, at most %d) after %.1f s in line",
                      self.starting, self.starting_at_once, began - asked)
        try:
            kernel_id = await super().start_kernel(*args, **kwargs)
        except BaseException:
            self._start_over(None, "failed", began)
            raise
        asyncio.get_running_loop().create_task(self._end_start_when_warm(kernel_id, began))
        return kernel_id

    async def shutdown_all(self, *args, **kwargs):
        self._stopping = True
        # A kernel still starting when the signal comes is pending, not yet known by its id:
        # jupyter_server's shutdown of it answers 404, the whole shutdown stops there, and the
        # kernels already shut are followed by a traceback and status 1. Let the starts end first.
        pending = [f for f in getattr(self, "_pending_kernels", {}).values() if not f.done()]
        if pending:
            await asyncio.wait(pending, timeout=30)
        try:
            return await super().shutdown_all(*args, **kwargs)
        except tornado.web.HTTPError as exc:
            if exc.status_code != 404:
                raise
            # One went between the listing and its shutdown; shut down those still here.
            for kernel_id in list(self.list_kernel_ids()):
                try:
                    await self.shutdown_kernel(kernel_id, *args, **kwargs)
                except tornado.web.HTTPError:
                    pass

    def _start_over(self, kernel_id: str | None, how: str, began: float) -> None:
        self.starting -= 1
        self._start_places.release()
        self.log.info("Kernel start ends: %s %s after %.1f s (%d starting)", kernel_id, how,
                      time.monotonic() - began, self.starting)

    async def _end_start_when_warm(self, kernel_id: str, began: float) -> None:
        """Give the start's place back once the kernel begins its waiting cell ("warm"), or is
        gone, or START_TIMEOUT has passed."""
        warm = asyncio.Event()
        stream = None
        how = "timed out"
        try:
            kernel = self.get_kernel(kernel_id)
            stream = kernel.connect_iopub()
            session = Session(config=kernel.session.config, key=kernel.session.key)

            def watch(msg_list):
                _idents, fed = session.feed_identities(msg_list)
                msg = session.deserialize(fed, content=False)
                if msg["header"]["msg_type"] == "execute_input":
                    code = session.deserialize(fed)["content"].get("code", "")
                    if WAITING_CELL_MARKER in code:
                        warm.set()

            stream.on_recv(watch)
            deadline = began + self.start_timeout
            while not warm.is_set() and kernel_id in self and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(warm.wait(), timeout=1)
                except TimeoutError:
                    pass
            how = "warm" if warm.is_set() else "gone" if kernel_id not in self else how
        except Exception:
            how = "unwatched"
            self.log.exception("Watching kernel %s start", kernel_id)
        finally:
            if stream is not None:
                stream.close()
            self._start_over(kernel_id, how, began)


class VisitorCount:
    """How many kernels serve visitors now: every kernel not waiting in the preheated pool, plus
    the page requests that hold a place but whose kernel has not started yet (so that visitors
    arriving together cannot all slip under the cap before their kernels exist)."""

    def __init__(self, kernel_manager):
        self.kernel_manager = kernel_manager
        self.waiting_for_kernel = 0
        self._wrap("get_rendered_notebook")  # a kernel from the pool (preheat on)
        self._wrap("start_kernel")  # a kernel started for the request (preheat off, pool empty)

    def _wrap(self, name: str) -> None:
        # On the instance, not the class: the pool's own refills call the class's start_kernel
        # through super() and are not visitors.
        original = getattr(self.kernel_manager, name, None)
        if original is None:
            return

        async def counted(*args, **kwargs):
            self.waiting_for_kernel += 1
            try:
                return await original(*args, **kwargs)
            finally:
                self.waiting_for_kernel -= 1

        setattr(self.kernel_manager, name, counted)

    def pooled_kernel_ids(self) -> set[str]:
        pooled = set()
        for pool in getattr(self.kernel_manager, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    pooled.add(task.result().get("kernel_id"))
        return pooled

    def visitors(self) -> int:
        live = set(self.kernel_manager.list_kernel_ids()) - self.pooled_kernel_ids()
        return len(live) + self.waiting_for_kernel


class UnopenedPageGrace:
    """Spare from culling a kernel whose page has not opened its websocket yet.

    Between a page's last cell and its websocket opening, the browser loads the front end; under
    load that took tens of seconds, and a kernel culled in that gap leaves a dead page ("Kernel
    does not exist"). So a kernel that was never connected is culled only after GRACE seconds
    idle (longer than the idle timeout); once its page has connected and left, the idle timeout
    applies as usual.
    """

    def __init__(self, kernel_manager, grace_seconds: int):
        self.kernel_manager = kernel_manager
        self.grace = timedelta(seconds=grace_seconds)
        self.connected: set[str] = set()
        notify_connect = kernel_manager.notify_connect
        cull_kernel_if_idle = kernel_manager.cull_kernel_if_idle

        def remember_connection(kernel_id):
            self.connected.add(kernel_id)
            return notify_connect(kernel_id)

        async def cull_unless_page_loading(kernel_id):
            self.connected &= set(kernel_manager.list_kernel_ids())
            kernel = kernel_manager._kernels.get(kernel_id)
            last_activity = getattr(kernel, "last_activity", None)
            if (kernel_id not in self.connected and last_activity is not None
                    and datetime.now(UTC) - last_activity < self.grace):
                return None
            return await cull_kernel_if_idle(kernel_id)

        # On the instance: jupyter-server's culler calls self.cull_kernel_if_idle, which then
        # reaches Voila's pool check and the idle test through the class.
        kernel_manager.notify_connect = remember_connection
        kernel_manager.cull_kernel_if_idle = cull_unless_page_loading


class CappedVoilaHandler(TornadoVoilaHandler):
    """The dashboard page, or the busy page when MAX_VISITORS kernels already serve visitors."""

    def initialize(self, **kwargs):
        self.visitor_count: VisitorCount = kwargs.pop("visitor_count")
        self.max_visitors: int = kwargs.pop("max_visitors")
        super().initialize(**kwargs)

    @tornado.web.authenticated
    async def get(self, path=None):
        # Only the page itself takes a kernel; other paths are redirected to files.
        if not path:
            visitors = self.visitor_count.visitors()
            if visitors >= self.max_visitors:
                self.log.warning("Busy page: %d visitors, cap %d", visitors, self.max_visitors)
                self.set_status(503)
                self.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(BUSY_PAGE.format(retry=RETRY_AFTER_SECONDS,
                                             visitors=html.escape(str(visitors))))
                return
            # Sets the _xsrf cookie, which Voila's front end sends back with its "shut my kernel
            # down" beacon when the tab closes: without it that request is refused (403) and the
            # kernel waits for the idle culler instead of going at once.
            self.xsrf_token  # noqa: B018
        await super().get(path)


class BestbitsVoila(Voila):
    """Voila with a cap on visitors, and SIGINT handled like SIGTERM."""

    max_visitors = Integer(
        10, config=True,
        help="Most kernels serving visitors at once (preheated kernels in the pool not counted); "
             "a visitor past it gets a page that says the dashboard is busy and retries.")
    unopened_page_grace = Integer(
        180, config=True,
        help="Seconds a kernel whose page has never opened its websocket may stay idle before it "
             "is culled (the page may still be loading); set above the idle timeout.")

    def initialize(self, argv=None):
        super().initialize(argv)
        # Voila stops its loop and shuts every kernel down on SIGTERM; SIGINT otherwise raises
        # KeyboardInterrupt wherever the loop happens to be. Both now take the same way out.
        signal.signal(signal.SIGINT, self._handle_signal_stop)

    def _handle_signal_stop(self, sig, frame):
        # A second signal while the kernels shut down is not a reason to leave them running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if getattr(self, "ioloop", None) is None:
            # Signalled before the loop runs: no kernel has started yet (the pool's starts are
            # tasks on that loop), so there is nothing to shut down.
            raise SystemExit(0)
        super()._handle_signal_stop(sig, frame)

    def stop(self):
        # Voila removes the kernels' connection folder before it shuts them down: a kernel still
        # starting then loses its connection file, its start fails, and its process is left
        # running with no manager (seen once in CI). Shut the kernels down first, then remove
        # the folder, then stop any kernel process still ours.
        try:
            run_sync(self.kernel_manager.shutdown_all)()
        finally:
            shutil.rmtree(self.connection_dir, ignore_errors=True)
            stop_kernel_processes_left()

    def init_settings(self):
        settings = super().init_settings()
        self.visitor_count = VisitorCount(self.kernel_manager)
        self.unopened_page_grace_keeper = UnopenedPageGrace(self.kernel_manager,
                                                            self.unopened_page_grace)
        return settings

    def init_handlers(self):
        handlers = []
        for handler in super().init_handlers():
            if len(handler) == 3 and handler[1] is TornadoVoilaHandler:
                pattern, _cls, handler_kwargs = handler
                handler = (pattern, CappedVoilaHandler,
                           {**handler_kwargs, "visitor_count": self.visitor_count,
                            "max_visitors": self.max_visitors})
            handlers.append(handler)
        return handlers


def stop_kernel_processes_left(patience: float = 5.0) -> list[int]:
    """Terminate (then kill) any kernel process this server started that is still running;
    returns their pids. Only this process's own descendants are looked at."""
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return []
    kernels = []
    for child in children:
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                kernels.append(child)
        except psutil.Error:
            continue
    for kernel in kernels:
        try:
            kernel.terminate()
        except psutil.Error:
            pass
    _gone, alive = psutil.wait_procs(kernels, timeout=patience)
    for kernel in alive:
        try:
            kernel.kill()
        except psutil.Error:
            pass
    return [kernel.pid for kernel in kernels]


main = BestbitsVoila.launch_instance


if __name__ == "__main__":
    main()
