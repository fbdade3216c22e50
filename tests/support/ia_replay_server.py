"""A loopback server that replays recorded web.archive.org traffic in the IA's own formats.

It reads EDGI's VCR cassettes (../shared/peer-data/edgi-wayback/cassettes/*.yaml and
../shared/peer-data/edgi-web-monitoring-processing/*.yaml: `interactions`, each with
`request.uri` and `response.{status, headers, body}`) in place, and answers on 127.0.0.1 with
the Internet Archive's own paths, so a client given `wayback+http://127.0.0.1:PORT/` meets what
web.archive.org really answered:

- `/cdx/search/cdx?url=...`: the recorded CDX answer for that `url` (and `resumeKey`, and
  `from`/`to` when several were recorded), in IA's space-separated text as recorded, or as IA's
  JSON (a header row, then rows, then `[]` and `[resumeKey]`) when asked `output=json`. Lines
  outside the request's from/to are left out as IA would. When no CDX answer was recorded for a
  URL but mementos of it were, the CDX lines are made from those mementos (their archived
  status is the `X-ts` header), and the answer says so in `X-Replay-Made-From-Mementos`.
- `/web/<timestamp><mode>/<url>`: the recorded memento answer, headers and body as recorded,
  with web.archive.org in Location and Link rewritten to this server (absolute and scheme-less
  forms; path-only Locations stay as they were). Unrecorded mementos get IA's 404 "not
  archived" answer, without Memento-Datetime.

`cdx_files` adds CDX answers from plain text files (EDGI's test_files/*_cdx.txt), by URL.
Nothing here is synthetic data; the recordings are real, only the host is ours.
"""

from __future__ import annotations

import gzip
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

from support.archive_servers import surt_key

IA_FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
NOT_ARCHIVED = (b"<!DOCTYPE html><html><body><p>Hrm.</p><p>The Wayback Machine has not "
                b"archived that URL.</p></body></html>")
# Headers the server sets itself.
_OWN_HEADERS = {"content-length", "transfer-encoding", "connection", "keep-alive"}


@dataclass
class Recorded:
    uri: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    cassette: str

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.uri).query)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def load_cassettes(paths: Iterable[Path]) -> list[Recorded]:
    """Every interaction of the VCR cassettes at `paths` (bodies decoded from YAML)."""
    recorded = []
    for path in paths:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        for interaction in data.get("interactions") or []:
            request, response = interaction["request"], interaction["response"]
            body = response.get("body", {}).get("string", b"")
            body = body.encode("utf-8") if isinstance(body, str) else bytes(body or b"")
            headers = [(name, str(value)) for name, values in (response.get("headers") or {}
                                                               ).items()
                       for value in (values if isinstance(values, list) else [values])]
            recorded.append(Recorded(request["uri"], int(response["status"]["code"]),
                                     response["status"].get("message", ""), headers, body,
                                     Path(path).name))
    return recorded


def _plain(body: bytes) -> bytes:
    return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body


def url_key(url: str) -> str:
    """How CDX queries are matched: no scheme, no www., no trailing slash, lower case."""
    text = unquote(url).strip().lower()
    text = text.split("://", 1)[-1].removeprefix("www.")
    return text.rstrip("/")


def memento_key(path: str) -> str:
    """A memento request path compared loosely: unquoted, without the ':80' IA writes."""
    return unquote(path).replace(":80/", "/")


@dataclass
class IAReplayServer:
    """Serve `cassettes` on 127.0.0.1 (a context manager; `.port` and `.root` are set)."""

    cassettes: list[Path]
    cdx_files: dict[str, Path] = field(default_factory=dict)
    log: list[tuple[str, int]] = field(default_factory=list)   # (path, status sent)
    port: int = 0

    @property
    def root(self) -> str:
        return f"wayback+http://127.0.0.1:{self.port}/"

    def __enter__(self) -> IAReplayServer:
        recorded = load_cassettes(self.cassettes)
        self._cdx = [r for r in recorded if urlsplit(r.uri).path == "/cdx/search/cdx"]
        self._mementos: dict[str, Recorded] = {}
        for item in recorded:
            path = urlsplit(item.uri).path
            if path.startswith("/web/"):
                full = item.uri.split("web.archive.org", 1)[1]
                self._mementos.setdefault(memento_key(full), item)
        server = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                # Logged on arrival: a test that reads the log once the client has its answer
                # must find this request in it. The status is filled in once it is sent.
                with lock:
                    entry = len(server.log)
                    server.log.append((self.path, 0))
                status = server._answer(self)
                with lock:
                    server.log[entry] = (self.path, status)

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

    def requests_for(self, part: str) -> list[tuple[str, int]]:
        return [entry for entry in self.log if part in entry[0]]

    # -- answers -------------------------------------------------------------------------
    def _answer(self, handler: BaseHTTPRequestHandler) -> int:
        path = handler.path
        if urlsplit(path).path == "/cdx/search/cdx":
            return self._cdx_answer(handler, parse_qs(urlsplit(path).query))
        if path.startswith("/web/"):
            item = self._mementos.get(memento_key(path))
            if item is None:
                return _send(handler, 404, "NOT FOUND", [("Content-Type", "text/html")],
                             NOT_ARCHIVED)
            headers = [(name, self._rehost(value) if name.lower() in ("location", "link")
                        else value) for name, value in item.headers
                       if name.lower() not in _OWN_HEADERS]
            body = item.body
            if any(n.lower() == "content-encoding" for n, _ in headers) and \
                    body[:2] != b"\x1f\x8b":
                # Some recorders kept the body decoded but the header: send what it says.
                headers = [(n, v) for n, v in headers if n.lower() != "content-encoding"]
            return _send(handler, item.status, item.reason, headers, body)
        return _send(handler, 404, "NOT FOUND", [], b"not an Internet Archive path")

    def _rehost(self, value: str) -> str:
        here = f"127.0.0.1:{self.port}"
        return (value.replace("https://web.archive.org/", f"http://{here}/")
                .replace("http://web.archive.org/", f"http://{here}/")
                .replace("//web.archive.org/", f"//{here}/"))

    def _recorded_cdx(self, query: dict[str, list[str]]) -> tuple[int, str, bytes, bool] | None:
        wanted = url_key(query.get("url", [""])[0])
        resume = query.get("resumeKey", [None])[0]
        for key, path in self.cdx_files.items():
            if url_key(key) == wanted and resume is None:
                return 200, "OK", Path(path).read_bytes(), False
        matches = [r for r in self._cdx if url_key(r.query.get("url", [""])[0]) == wanted
                   and r.query.get("resumeKey", [None])[0] == resume
                   and not r.query.get("filter")]
        if not matches:
            return None
        exact = [r for r in matches if all(r.query.get(k) == query.get(k) for k in ("from", "to"))]
        item = (exact or matches)[0]
        return item.status, item.reason, _plain(item.body), False

    def _made_from_mementos(self, query: dict[str, list[str]]) -> bytes:
        wanted = url_key(query.get("url", [""])[0])
        lines = []
        for item in self._mementos.values():
            if item.header("Memento-Datetime") is None:
                continue   # the archive's own hop, not a capture
            rest = item.uri.split("/web/", 1)[1]
            stamp, _, original = rest.partition("/")
            if not url_key(original).startswith(wanted):
                continue
            status = item.header("X-ts") or str(item.status)
            mime = (item.header("Content-Type") or "unk").split(";")[0].strip() or "unk"
            lines.append(" ".join([surt_key(original), stamp.removesuffix("id_"), original,
                                   mime, status, "-", "-"]))
        return ("\n".join(sorted(set(lines))) + "\n").encode() if lines else b""

    def _cdx_answer(self, handler: BaseHTTPRequestHandler, query: dict[str, list[str]]) -> int:
        found = self._recorded_cdx(query)
        made = False
        if found is None:
            found = (200, "OK", self._made_from_mementos(query), True)
            made = True
        status, reason, body, _ = found
        headers = [("Content-Type", "text/plain")]
        if made:
            headers.append(("X-Replay-Made-From-Mementos", "true"))
        if status != 200:
            return _send(handler, status, reason, headers, body)
        text = _in_window(body.decode("utf-8", "replace"), query)
        if query.get("output", [""])[0] == "json":
            return _send(handler, 200, "OK", [("Content-Type", "application/json")] + headers[1:],
                         _as_json(text).encode())
        return _send(handler, 200, "OK", headers, text.encode())


def _in_window(text: str, query: dict[str, list[str]]) -> str:
    """Leave out well-formed lines outside the request's from/to, as IA would."""
    start, end = query.get("from", [""])[0], query.get("to", [""])[0]
    kept = []
    lines = text.split("\n")
    for position, line in enumerate(lines):
        if not line.strip():
            kept += lines[position:]
            break
        fields = line.split(" ")
        stamp = fields[1] if len(fields) >= 7 else ""
        if stamp.isdigit() and ((start and stamp[:len(start)] < start)
                                or (end and stamp[:len(end)] > end)):
            continue
        kept.append(line)
    return "\n".join(kept)


def _as_json(text: str) -> str:
    """IA's `output=json`: a header row, a row per line, then [] and [resumeKey] if any."""
    import json

    rows = [IA_FIELDS]
    lines = text.split("\n")
    for position, line in enumerate(lines):
        if not line.strip():
            key = next((rest.strip() for rest in lines[position + 1:] if rest.strip()), None)
            if key:
                rows += [[], [key]]
            break
        rows.append(line.split(" "))
    return "[" + ",\n".join(json.dumps(row) for row in rows) + "]\n"


def _send(handler: BaseHTTPRequestHandler, status: int, reason: str,
          headers: list[tuple[str, str]], body: bytes) -> int:
    handler.send_response(status, reason)
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
    return status


__all__ = ["IAReplayServer", "load_cassettes"]
