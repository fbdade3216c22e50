"""An IPython extension that `bestbits serve` loads into every dashboard kernel: whatever a browser
sends, what goes wrong in the kernel is written to the server's log and never sent back to the
browser, whose visitor would read install paths and code in a traceback.

Three routes carried tracebacks to the browser although Voila runs with show_tracebacks=False
(which covers the notebook's own cells only):

- ipykernel's comm manager (`ipykernel/comm/manager.py`, `comm/base_comm.py`) catches what a
  comm target raises on `comm_open` or `comm_msg` (ipywidgets' `Widget.handle_comm_opened`
  refusing a protocol version it does not speak, a malformed widget state, a method it does not
  know) and logs it with `exc_info=True`. With no logging configured in the kernel, Python's
  last-resort handler writes that to `sys.stderr`, which in a kernel is a stream to the browser.
- A widget callback that raises is shown by IPython's `showtraceback`, which sends the browser an
  `error` message with the whole traceback.
- Warnings are printed to `sys.stderr`.

So here logging has a handler on the server's log, `sys.stderr` is the server's log, and
`showtraceback` logs the traceback and sends the browser the exception's name only.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from typing import IO

LOG = logging.getLogger("bestbits.kernel")
# What the visitor reads in place of a traceback.
ERROR_SHOWN = "something went wrong here; the details are in the server's log"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def server_log() -> IO[str]:
    """The kernel's own stderr, which the server writes to its log: ipykernel's copy of file
    descriptor 2 when it captures that descriptor for the browser, else descriptor 2 itself."""
    fd = getattr(sys.stderr, "_original_stdstream_copy", None)
    if fd is None:
        fd = sys.__stderr__.fileno()
    return open(os.dup(fd), "w", buffering=1, encoding="utf-8", errors="replace")  # noqa: SIM115


def load_ipython_extension(shell) -> None:
    stream = server_log()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(
        f"[kernel {os.getpid()}] %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.captureWarnings(True)
    sys.stderr = stream
    send_error = shell._showtraceback

    def log_traceback_send_name(etype, evalue, stb):
        LOG.error("%s", "\n".join(_ANSI.sub("", line) for line in stb or [repr(evalue)]))
        send_error(etype, ERROR_SHOWN, [])

    # On the instance: ipykernel's ZMQInteractiveShell sends the `error` message from here.
    shell._showtraceback = log_traceback_send_name
