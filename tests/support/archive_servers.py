"""Real archive servers on 127.0.0.1 for tests: pywb (`wayback`) and an Internet Archive look-alike.

- `pywb_server(tmp_path, warc_files)` builds a pywb collection from WARC files and serves it.
- `IAServer(captures)` speaks the Wayback Machine's CDX JSON (header row, showResumeKey /
  resumeKey paging) and `/web/<timestamp>id_/<url>` replay, with faults a test can inject.
- `LoopbackAdapter(port)` is a requests transport adapter that sends web.archive.org requests
  to the look-alike, so the `wayback` session is routed there without patching its constants.

Everything here is test scaffolding; the data it serves is synthetic.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answers(url: str, timeout: float = 30.0, process: subprocess.Popen | None = None
                       ) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except urllib.error.HTTPError:
            return  # it answers, even if with an error page
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def pywb_server(tmp_path: Path, warc_files: list[Path], collection: str = "coll"
                ) -> Iterator[str]:
    """Build a pywb collection from `warc_files`, serve it on a free loopback port, yield its root.

    Yields e.g. 'http://127.0.0.1:PORT/coll/'; stops the server on exit.
    """
    root = Path(tmp_path) / "pywb"
    root.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("PYWB_CONFIG_FILE", None)
    if not (root / "collections" / collection).exists():
        subprocess.run([str(VENV_BIN / "wb-manager"), "init", collection], cwd=root, env=env,
                       check=True, capture_output=True, timeout=60)
    if warc_files:
        subprocess.run([str(VENV_BIN / "wb-manager"), "add", collection,
                        *[str(p) for p in warc_files]],
                       cwd=root, env=env, check=True, capture_output=True, timeout=60)
    port = free_port()
    log = open(root / "wayback.log", "wb")
    process = subprocess.Popen(
        [str(VENV_BIN / "wayback"), "-b", "127.0.0.1", "-p", str(port), "-t", "4"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    address = f"http://127.0.0.1:{port}/{collection}/"
    try:
        wait_until_answers(f"{address}cdx?url=example.invalid", process=process)
        yield address
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


# -- the Internet Archive look-alike ---------------------------------------------------------
def surt_key(url: str) -> str:
    """A small SURT: 'https://www.Example.org/a?b' -> 'org,example)/a?b' (enough for tests)."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return ",".join(reversed(host.split("."))) + ")" + path.lower()


@dataclass
class ServedCapture:
    url: str
    timestamp: str
    status: int
    headers: dict[str, str]
    body: bytes
    mime: str = "text/html"
    digest: str = ""   # computed from the body (as IA does: base32 SHA-1) when left empty

    def __post_init__(self) -> None:
        if not self.digest:
            self.digest = base64.b32encode(hashlib.sha1(self.body).digest()).decode()

    @property
    def urlkey(self) -> str:
        return surt_key(self.url)


@dataclass
class Fault:
    """Answer the next `times` requests whose path contains `match` with a fault instead.

    kind: '429' (with Retry-After `retry_after`, or none if it is None), '503',
    'reset' (headers and half the body, then the connection is dropped), 'truncated-gzip'.
    """

    kind: str
    match: str = ""
    times: int = 1
    retry_after: float | None = 1


@dataclass
class LoggedRequest:
    at: float          # time.monotonic() when the request arrived
    path: str
    answered: int      # status sent (0 for a dropped connection)


@dataclass
class IAServer:
    """A Wayback Machine look-alike on 127.0.0.1. Use as a context manager; `.port` is set."""

    captures: list[ServedCapture]
    page_size: int = 3
    gzip_bodies: bool = True
    extra_cdx_rows: list[str] = field(default_factory=list)   # raw JSON lines (maybe broken)
    delay: float = 0.0                                          # seconds before each capture
    faults: list[Fault] = field(default_factory=list)
    log: list[LoggedRequest] = field(default_factory=list)
    port: int = 0

    def __enter__(self) -> IAServer:
        server = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes; without this, Nagle's algorithm and
                # the client's delayed ACK add 40 ms to every answer.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                # Logged on arrival, its status set as the status line goes out: a test that
                # reads the log once the client has its answer must find this request in it.
                self.logged = LoggedRequest(time.monotonic(), self.path, 0)
                with lock:
                    server.log.append(self.logged)
                    fault = server._take_fault(self.path)
                # What was sent in the end (0 for a connection dropped midway).
                self.logged.answered = server._answer(self, fault)

            def send_response(self, code: int, message: str | None = None) -> None:
                self.logged.answered = code
                super().send_response(code, message)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # -- what it serves ------------------------------------------------------------------
    def requests_for(self, part: str) -> list[LoggedRequest]:
        return [r for r in self.log if part in r.path]

    def _take_fault(self, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.match in path:
                fault.times -= 1
                return fault
        return None

    def _answer(self, handler: BaseHTTPRequestHandler, fault: Fault | None) -> int:
        if fault is not None and fault.kind == "429":
            headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None \
                else {}
            return _send(handler, 429, b"Too Many Requests", headers)
        if fault is not None and fault.kind == "503":
            return _send(handler, 503, b"Service Unavailable")
        path = handler.path
        if path.startswith("/cdx/search/cdx"):
            return self._cdx(handler)
        if path.startswith("/web/"):
            return self._replay(handler, fault)
        return _send(handler, 404, b"not found")

    def _matching(self, query: dict[str, list[str]]) -> list[ServedCapture]:
        url = query.get("url", [""])[0]
        match_type = query.get("matchType", ["exact"])[0]
        key = surt_key(url)
        start, end = query.get("from", [""])[0], query.get("to", [""])[0]
        found = []
        for capture in sorted(self.captures, key=lambda c: (c.urlkey, c.timestamp)):
            if match_type == "prefix" and not capture.urlkey.startswith(key):
                continue
            if match_type == "exact" and capture.urlkey != key:
                continue
            if start and capture.timestamp[:len(start)] < start:
                continue
            if end and capture.timestamp[:len(end)] > end:
                continue
            found.append(capture)
        return found

    def _cdx(self, handler: BaseHTTPRequestHandler) -> int:
        query = parse_qs(urlsplit(handler.path).query)
        rows = [json.dumps([c.urlkey, c.timestamp, c.url, c.mime, str(c.status),
                            c.digest or "-", str(len(c.body))])
                for c in self._matching(query)] + list(self.extra_cdx_rows)
        start = int(query.get("resumeKey", ["0"])[0])
        page = rows[start:start + self.page_size]
        lines = ['["urlkey","timestamp","original","mimetype","statuscode","digest","length"]']
        lines += page
        if start + self.page_size < len(rows) and query.get("showResumeKey"):
            lines += ["[]", json.dumps([str(start + self.page_size)])]
        body = ("[" + ",\n".join(lines) + "]\n").encode()
        return _send(handler, 200, body, {"Content-Type": "application/json"})

    def _replay(self, handler: BaseHTTPRequestHandler, fault: Fault | None) -> int:
        rest = handler.path[len("/web/"):]
        stamp, _, url = rest.partition("/")
        timestamp = stamp.removesuffix("id_")
        if self.delay:
            time.sleep(self.delay)
        for capture in self.captures:
            if capture.timestamp == timestamp and capture.url == url:
                break
        else:
            return _send(handler, 404, b"not in archive")
        moment = datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        headers = {"Memento-Datetime": format_datetime(moment, usegmt=True),
                   "Content-Type": capture.headers.get("Content-Type", capture.mime),
                   "X-Archive-Src": "synthetic-00001.warc.gz",
                   "X-Archive-Orig-Date": format_datetime(moment, usegmt=True)}
        for name, value in capture.headers.items():
            if name.lower() not in ("content-type", "content-length", "location"):
                headers[f"X-Archive-Orig-{name}"] = value
        if 300 <= capture.status < 400:
            headers["Location"] = f"/web/{timestamp}id_/{capture.headers.get('Location', url)}"
        body = capture.body
        if self.gzip_bodies and "gzip" in handler.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if fault is not None and fault.kind == "truncated-gzip":
            body = gzip.compress(capture.body)[:-12]
            headers["Content-Encoding"] = "gzip"
        if fault is not None and fault.kind == "reset":
            handler.send_response(capture.status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: max(1, len(body) // 2)])
            handler.wfile.flush()
            # SO_LINGER 0: close with a reset, as a dropped connection looks to a client.
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                          b"\x01\x00\x00\x00\x00\x00\x00\x00")
            handler.close_connection = True
            handler.connection.close()
            return 0
        return _send(handler, capture.status, body, headers)


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes,
          headers: dict[str, str] | None = None) -> int:
    known = status in HTTPStatus._value2member_map_
    handler.send_response(status, HTTPStatus(status).phrase if known else "")
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
    return status


class LoopbackAdapter(requests.adapters.HTTPAdapter):
    """Sends https://web.archive.org/... to http://127.0.0.1:PORT/... (mount it on a session)."""

    def __init__(self, port: int, host: str = "web.archive.org"):
        super().__init__()
        self.port = port
        self.host = host

    def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:
        for scheme in ("https://", "http://"):
            prefix = f"{scheme}{self.host}"
            if request.url.startswith(prefix):
                request.url = f"http://127.0.0.1:{self.port}" + request.url[len(prefix):]
                break
        return super().send(request, **kwargs)


def _child_main(argv: list[str]) -> int:
    """`python archive_servers.py PORT DATA_DIR FETCH_RATE`: the collector as a separate
    process, routed to a look-alike on PORT (for the SIGKILL test)."""
    port, data_dir, fetch_rate = argv
    from scrapers.collect.archive import Politeness, open_archive
    from scrapers.collect.site import collect_site

    archive = open_archive("web.archive.org", cdx_rate=0, fetch_rate=float(fetch_rate),
                           politeness=Politeness(retries=2, backoff=0.05),
                           transport_adapter=LoopbackAdapter(int(port)))
    summary = collect_site(Path(data_dir), archive, site="bestbits.net", progress=False)
    print(summary.text())
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(_child_main(sys.argv[1:]))


__all__ = ["Fault", "IAServer", "LoopbackAdapter", "ServedCapture", "free_port", "pywb_server",
           "surt_key"]
