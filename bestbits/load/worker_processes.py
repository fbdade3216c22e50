"""The build's parse workers end with the build: when it is stopped (SIGTERM, Ctrl-C) and when it is
killed outright (SIGKILL), which leaves no chance to stop them.

Why the kernel's parent-death signal (Linux `prctl(PR_SET_PDEATHSIG)`) and not a janitor process
watching the build's pipe: the kernel delivers it however the build ends, with no process of ours
that could itself be killed first, and it costs one system call per worker. Where it is missing
(other systems), each worker watches its parent's pid once a second instead.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1
PARENT_WATCH_SECONDS = 1.0


def end_with_parent(build_pid: int) -> None:
    """Called in a worker as it starts: SIGKILL it when its parent ends (the build, or the fork
    server that ends with the build). Ctrl-C, which the terminal sends to every process of the
    build, is left to the build, which stops its workers itself (stop_workers); SIGTERM, which
    that sends, ends a worker at once (a forked worker would otherwise run the handler it
    inherited from `bestbits build`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()
    if not _ask_kernel_to_kill_on_parent_death():
        threading.Thread(target=_watch_parent, args=(parent, build_pid), daemon=True,
                         name="end-with-parent").start()
    # The build may have ended before the request took effect: nothing would kill this worker.
    if os.getppid() != parent or not _running(build_pid):
        os._exit(1)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _ask_kernel_to_kill_on_parent_death() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int, build_pid: int) -> None:
    stop = threading.Event()
    while not stop.wait(PARENT_WATCH_SECONDS):
        if os.getppid() != parent or not _running(build_pid):
            os._exit(1)


def stop_workers() -> None:
    """Terminate this process's worker processes now (the build is being stopped): a process
    pool unwinding would otherwise wait for the batches they are parsing."""
    for child in multiprocessing.active_children():
        child.terminate()
