"""Voila as `bestbits serve` runs it: a cap on live visitor kernels with a busy page past it, and a
clean stop on SIGINT as on SIGTERM.

`bestbits serve` replaces its own process with `python -m bestbits.voila_server ...` (os.execve), so
the pid a supervisor signals is this server's. Idle kernels whose visitor left are culled by
jupyter-server's own culler (MappingKernelManager.cull_* options, set by bestbits/serve.py); Voila's
pool manager already spares preheated kernels waiting in the pool.
"""

from __future__ import annotations

import html
import signal
from datetime import UTC, datetime, timedelta

import tornado.web
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer
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


class KernelsWithoutTracebacks(AsyncMappingKernelManager):
    """jupyter-server's kernel manager, starting each kernel with KERNEL_ARGUMENTS (Voila's pool
    manager is built on this class: `--VoilaConfiguration.multi_kernel_manager_class`)."""

    async def start_kernel(self, *args, **kwargs):
        kwargs["extra_arguments"] = [*kwargs.get("extra_arguments", []), *KERNEL_ARGUMENTS]
        return await super().start_kernel(*args, **kwargs)


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


main = BestbitsVoila.launch_instance

if __name__ == "__main__":
    main()
