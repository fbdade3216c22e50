"""A loopback HTTP server whose answers a test scripts path by path (synthetic: every body and
header it sends is written by the test), serving a folder's files for paths with no script."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    gzip_in_transit: bool = False   # send the body gzipped, with Content-Encoding: gzip


@dataclass
class Arrival:
    at: float          # time.monotonic() when the request arrived
    path: str
    user_agent: str


@dataclass
class ScriptedServer:
    base: str = ""                                     # 'http://127.0.0.1:PORT'
    # path -> answers, used up in order; a path without answers left is served from the folder.
    # A path with a query string matches its script, else the script of the path without it.
    script: dict[str, list[Answer]] = field(default_factory=dict)
    arrivals: list[Arrival] = field(default_factory=list)

    def paths(self) -> list[str]:
        return [a.path for a in self.arrivals]


@contextlib.contextmanager
def scripted_server(root: Path | None = None) -> Iterator[ScriptedServer]:
    """Serve on 127.0.0.1 (a free port) until the block ends."""
    served = ScriptedServer()
    lock = threading.Lock()

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            with lock:
                served.arrivals.append(Arrival(time.monotonic(), self.path,
                                               self.headers.get("User-Agent", "")))
                queue = served.script.get(self.path) or served.script.get(
                    self.path.split("?", 1)[0])
                answer = queue.pop(0) if queue else None
            if answer is None:
                if root is None:
                    self.send_error(404)
                    return
                super().do_GET()
                return
            body = gzip.compress(answer.body) if answer.gzip_in_transit else answer.body
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if answer.gzip_in_transit:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(Handler, directory=str(root or Path.cwd())))
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
