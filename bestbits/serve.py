"""Serve the dashboards with Voila: code hidden, no tracebacks, loopback unless told otherwise,
kernels given back when visitors leave, a cap on visitors, and a clean stop on SIGTERM or SIGINT."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from bestbits import config
from bestbits.database import DatabaseMissing
from bestbits.settings import default
from dashboards import default_views

APP_NOTEBOOK = config.DASHBOARDS_DIR / "bestbits.ipynb"

# The serve defaults and the reason for each are in bestbits/settings.py (pool_size,
# max_visitors, idle_timeout, host, port).
DEFAULT_POOL_SIZE: int = default("pool_size")
DEFAULT_MAX_VISITORS: int = default("max_visitors")
DEFAULT_IDLE_SECONDS: int = default("idle_timeout")
# A kernel whose page never opened its websocket (still loading, or a client that is no
# browser) is kept this many idle timeouts (bestbits/voila_server.py UnopenedPageGrace says why).
UNOPENED_PAGE_FACTOR = 2
# The execution timeout (a page whose queries take longer than 60 s is stuck, not slow) is set
# in dashboards/jupyter/config/voila.py: it must spare the cell where preheated kernels wait.


class ServeOptionError(ValueError):
    """A `bestbits serve` option out of range; the message says which and what is allowed."""


# What one kernel holds after a visit: 159 MB after a visit in benchmarks/bench_dashboard.py
# (issue 19, pandas and pyarrow left out of kernels; 290-345 MB before), about 195 MB once all six
# pages are drawn. The higher figure, so that the estimate errs towards enough; and what the
# server itself holds. Used only to tell a workshop's host what --expect will take.
KERNEL_MB = 200
SERVER_MB = 110


class Sizing:
    """The pool and the cap for EXPECTED visitors arriving together, and the memory they take.

    Every expected visitor finds a preheated kernel (a cold kernel costs its visitor seconds);
    the cap leaves a quarter more (at least 2) for reloads and late-comers, whose earlier
    kernel waits for the idle culler. The pool refills as visitors take kernels, so at the
    crowd's peak the cap's kernels and a full pool are alive together."""

    def __init__(self, expected: int):
        if expected < 1:
            raise ServeOptionError(f"--expect {expected}: give the number of visitors expected "
                                   "at once, 1 or more")
        self.expected = expected
        self.pool_size = expected
        self.max_visitors = expected + max(2, -(-expected // 4))
        self.megabytes = (self.pool_size + self.max_visitors) * KERNEL_MB + SERVER_MB

    def words(self, available_mb: int | None) -> str:
        said = (f"sized for {self.expected} visitors at once: {self.pool_size} preheated "
                f"kernels, at most {self.max_visitors} served; about "
                f"{self.megabytes / 1024:.1f} GB at the busiest (some {KERNEL_MB} MB a kernel)")
        if available_mb is not None and self.megabytes > available_mb:
            said += (f". This machine has about {available_mb / 1024:.1f} GB: expect fewer "
                     "visitors, or serve from a larger machine")
        return said


def physical_memory_mb() -> int | None:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        return None


def cull_interval(idle_seconds: int) -> int:
    return max(1, min(15, idle_seconds // 4))


def check_options(pool_size: int, max_visitors: int, idle_seconds: int,
                  port: int = config.DEFAULT_PORT) -> None:
    if not 1 <= port <= 65535:
        raise ServeOptionError(f"--port {port}: give a port from 1 to 65535")
    if pool_size < 0:
        raise ServeOptionError(f"--pool-size {pool_size}: give 0 (no preheated kernels) or more")
    if max_visitors < 1:
        raise ServeOptionError(f"--max-visitors {max_visitors}: give 1 or more")
    if idle_seconds < 1:
        raise ServeOptionError(f"--idle-timeout {idle_seconds}: give 1 second or more")


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on HOST:PORT (in use, not an address of this machine,
    needs privileges), or None. Asked before Voila starts, because Voila, finding a port busy,
    would silently take another one."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"--host {host}: {exc.strerror}; give an address of this machine, e.g. 127.0.0.1"
    problems = []
    for family, kind, proto, _name, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            # As Tornado binds: a port whose last connections are closing is free to take.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                problems.append(exc.errno)
    if errno.EADDRINUSE in problems:
        return (f"port {port} on {host} is in use (by another program, or another bestbits "
                "serve): stop it, or choose another port with --port")
    if errno.EACCES in problems:
        return f"--port {port} needs administrator rights here: choose a port above 1023"
    if problems and len(problems) == len(addresses):
        return f"--host {host} is not an address of this machine: give one, e.g. 127.0.0.1"
    return None


def voila_command(db: Path, host: str, port: int, open_browser: bool = False,
                  preheat: bool = True, pool_size: int = DEFAULT_POOL_SIZE,
                  max_visitors: int = DEFAULT_MAX_VISITORS,
                  idle_seconds: int = DEFAULT_IDLE_SECONDS) -> list[str]:
    """The Voila server's command line (bestbits/voila_server.py is Voila with the visitor cap)."""
    preheat = preheat and pool_size > 0
    return [
        sys.executable, "-m", "bestbits.voila_server", str(APP_NOTEBOOK),
        f"--Voila.ip={host}",
        f"--port={port}",
        # Never another port than the one asked for and announced (port_problem checked it).
        "--Voila.port_retries=0",
        "--no-browser" if not open_browser else "--Voila.open_browser=True",
        "--strip_sources=True",
        "--show_tracebacks=False",
        f"--preheat_kernel={preheat}",
        f"--pool_size={pool_size if preheat else 0}",
        "--theme=light",
        "--template=bestbits",
        # Kernels that answer a browser without tracebacks (bestbits/kernel_errors.py).
        "--VoilaConfiguration.multi_kernel_manager_class="
        "bestbits.voila_server.KernelsWithoutTracebacks",
        f"--BestbitsVoila.max_visitors={max_visitors}",
        f"--BestbitsVoila.unopened_page_grace={UNOPENED_PAGE_FACTOR * idle_seconds}",
        # jupyter-server's culler; Voila's pool manager never culls a kernel waiting in the pool.
        f"--MappingKernelManager.cull_idle_timeout={idle_seconds}",
        f"--MappingKernelManager.cull_interval={cull_interval(idle_seconds)}",
        "--MappingKernelManager.cull_connected=False",
        "--MappingKernelManager.cull_busy=False",
    ]


def voila_environment(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["BESTBITS_DB"] = str(db.resolve())
    # Voila finds the offline page template (dashboards/jupyter/voila/templates/bestbits) here.
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [
        str(config.DASHBOARDS_DIR / "jupyter" / "config"), env.get("JUPYTER_CONFIG_PATH")]))
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(config.DASHBOARDS_DIR / "jupyter"),
                                                        env.get("JUPYTER_PATH")]))
    # The kernels import the dashboards package from the repository.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(config.REPO_ROOT),
                                                      env.get("PYTHONPATH")]))
    return env


def compute_default_views(db: Path, environment: dict[str, str]) -> Path | None:
    """Have every page's default view computed once for all visitors (dashboards/default_views.py),
    in a child process, so that the server does not keep the memory that takes. Returns the
    views' file, or None when they could not be computed: each kernel then builds its page, as
    it would without them (slower, not wrong), and the server log says why."""
    print("Drawing each page's default view once for every visitor …", file=sys.stderr)
    done = subprocess.run([sys.executable, "-m", "dashboards.default_views", str(db.resolve())],
                          env=environment, cwd=config.REPO_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr, end="", file=sys.stderr)
        print("bestbits serve: the default views could not be computed; each visitor's kernel "
              "draws its page itself.", file=sys.stderr)
        return None
    written = done.stdout.strip().splitlines()[-1]
    print(f"Default views: {written}", file=sys.stderr)
    return Path(written.rsplit(" (", 1)[0])


def _exit_cleanly(signum, frame) -> None:
    raise SystemExit(0)


def serve(db: Path, host: str = config.DEFAULT_HOST, port: int = config.DEFAULT_PORT,
          open_browser: bool = False, pool_size: int = DEFAULT_POOL_SIZE,
          max_visitors: int = DEFAULT_MAX_VISITORS,
          idle_seconds: int = DEFAULT_IDLE_SECONDS, expect: int | None = None) -> int:
    """Become the Voila server (returns only on a user error, with the exit status).

    EXPECT, the visitors expected at once (a workshop), sets the pool and the cap (Sizing).

    The process is replaced by Voila's (os.execve) rather than waiting on a child: the pid that
    systemd, docker or a supervisor signals is then the server's own, and its SIGTERM or SIGINT
    shuts every kernel down before it exits with status 0. A parent that died on SIGTERM would
    leave Voila and its kernels running.
    """
    # Stopped before it has become the server: nothing has started yet, so a clean exit (the
    # handlers go back to the defaults at execve, where Voila installs its own).
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _exit_cleanly)
    from bestbits.database import connect

    try:
        if expect is not None:
            sizing = Sizing(expect)
            pool_size, max_visitors = sizing.pool_size, sizing.max_visitors
            print(f"bestbits serve: {sizing.words(physical_memory_mb())}.", file=sys.stderr)
        check_options(pool_size, max_visitors, idle_seconds, port)
        connect(db).close()  # a missing, locked or foreign file is said here, not by each kernel
    except (ServeOptionError, DatabaseMissing) as exc:
        print(f"bestbits serve: {exc}", file=sys.stderr)
        return 2
    problem = port_problem(host, port)
    if problem:
        print(f"bestbits serve: {problem}", file=sys.stderr)
        return 2
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Warning: listening on {host}: anyone who can reach this machine can open the "
              "dashboards.", file=sys.stderr)
    print(f"Serving the dashboards on http://{host}:{port}/ (database {db}); {pool_size} "
          f"preheated kernels, at most {max_visitors} visitors, a departed visitor's kernel "
          f"stops after {idle_seconds} s idle; Ctrl-C stops.", file=sys.stderr)
    command = voila_command(db, host, port, open_browser, pool_size=pool_size,
                            max_visitors=max_visitors, idle_seconds=idle_seconds)
    environment = voila_environment(db)
    views = compute_default_views(db, environment)
    if views is not None:
        environment[default_views.VIEWS_ENV] = str(views)
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(config.REPO_ROOT)
    os.execve(sys.executable, command, environment)
    return 0  # not reached: execve does not return
