"""The raw store: archived captures as WARC records under DATA_DIR/raw/<subdir>/, with an index.

Layout of one store (``subdir`` is ``site`` for the website, ``list/wayback`` for list files
fetched through a web archive):

    DATA_DIR/raw/<subdir>/<name>-00001.warc.gz   rolling WARC files, one gzip member per record
    DATA_DIR/raw/<subdir>/captures.jsonl         the index: one JSON object per capture
    DATA_DIR/raw/<subdir>/imports.jsonl          one account per imported WARC/ARC/WACZ file
                                                 (scrapers/collect/warc_import.py writes it)
    DATA_DIR/raw/<subdir>/.lock                  held while a collector writes

A capture counts as stored only when its index line is complete. The store writes the WARC
record, flushes it to disk, and only then appends the index line, so a crash or a kill at any
moment leaves at worst an unindexed tail. Opening the store cuts that tail off, so a rerun
stores the capture again exactly once.

Collectors write through `WarcStore`; the build reads stored pages only through `iter_index`
and `read_record`, and the index and import log through `read_index_lines` and the names below.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bestbits.config import raw_dir

INDEX_NAME = "captures.jsonl"
LOCK_NAME = ".lock"
IMPORT_LOG_NAME = "imports.jsonl"
# Outcomes of an imported record that put it in the capture index (or found it there already).
INDEXED_OUTCOMES = ("stored", "duplicate", "redirect/error", "already stored")
# One file per ~100 MB keeps each file easy to copy and inspect; a few thousand pages of a
# small site fit in one or two files.
DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024
WAYBACK_ROOT = "https://web.archive.org/web/"

# Headers that describe how the archive sent the body to us, not the archived response itself.
# The store keeps the body decoded, so these would be wrong in the record.
TRANSFER_HEADERS = frozenset({"content-length", "content-encoding", "transfer-encoding",
                              "connection", "keep-alive"})


@dataclass(frozen=True)
class StoredCapture:
    """One capture as the index holds it."""

    url: str            # original URL as archived
    timestamp: str      # 14-digit capture time, UTC
    status: str | None  # HTTP status as the archive recorded it ('200', '301', ...)
    mime: str | None
    digest: str | None
    archive: str        # archive root: 'https://web.archive.org/web/' or 'http://host/coll/'
    stored_at: str | None   # 'raw/site/site-00001.warc.gz#offset' when the body is stored
    replay_url: str     # an address a person can open: <archive root><timestamp>/<url>


@dataclass(frozen=True)
class CaptureMeta:
    """What the store needs to know about a capture to file it (from a CDX line or a WARC)."""

    url: str
    timestamp: str
    status: str | None
    mime: str | None
    digest: str | None
    archive: str
    urlkey: str | None = None       # the archive's canonical key; de-duplication uses it
    source_uri: str | None = None   # the address the body was fetched from ('...id_/<url>')
    # For a redirect capture: where it points, where the chain ends in the archive, and why
    # following it stopped early (a loop, too many hops), if it did.
    redirect_to: str | None = None
    redirect_end_url: str | None = None
    redirect_end_timestamp: str | None = None
    redirect_problem: str | None = None


class StoreError(Exception):
    """The store cannot be used as asked (busy, or a stored_at that points nowhere)."""


class StoreBusy(StoreError):
    def __init__(self, folder: Path):
        self.folder = folder
        super().__init__(
            f"Another collector is writing to {folder} (it holds {folder / LOCK_NAME}). "
            "Wait for it to finish, or stop it, then run this again; it resumes where it stopped.")


def replay_url(archive: str, timestamp: str, url: str) -> str:
    """The address where a person can see the capture: <archive root><timestamp>/<url>."""
    return f"{archive.rstrip('/')}/{timestamp}/{url}"


def warc_date(timestamp: str) -> str:
    """A 14-digit archive timestamp as a WARC-Date ('2014-08-31T12:00:00Z')."""
    moment = datetime.strptime(timestamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def timestamp_from_warc_date(value: str) -> str:
    """A WARC-Date ('2014-08-31T12:00:00Z', maybe with fractions) as a 14-digit timestamp."""
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits[:14].ljust(14, "0")


def store_folder(data_dir: Path, subdir: str = "site") -> Path:
    return raw_dir(Path(data_dir)) / subdir


def _from_index_line(entry: Mapping) -> StoredCapture:
    return StoredCapture(
        url=entry["url"], timestamp=entry["timestamp"], status=entry.get("status"),
        mime=entry.get("mime"), digest=entry.get("digest"), archive=entry["archive"],
        stored_at=entry.get("stored_at"),
        replay_url=entry.get("replay_url") or replay_url(entry["archive"], entry["timestamp"],
                                                         entry["url"]))


def read_index_lines(path: Path) -> Iterator[tuple[int, dict | None, str]]:
    """(line number, entry or None, problem) for each line; an unfinished last line is skipped."""
    with open(path, "rb") as handle:
        data = handle.read()
    lines = data.split(b"\n")
    # The last element is what follows the final newline: empty, or a line cut off by a kill,
    # which never counted as indexed.
    if lines[-1].strip():
        yield len(lines), None, "unfinished last line (a collector stopped while writing it)"
    for number, raw in enumerate(lines[:-1], start=1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
            if not isinstance(entry, dict):
                raise ValueError("not a JSON object")
            missing = [k for k in ("url", "timestamp", "archive") if not entry.get(k)]
            if missing:
                raise ValueError(f"missing {', '.join(missing)}")
            yield number, entry, ""
        except ValueError as exc:
            yield number, None, f"not a capture index line: {exc}"


def iter_index(data_dir: Path, subdir: str = "site") -> Iterator[StoredCapture]:
    """Every capture the index of DATA_DIR/raw/<subdir>/ holds (complete lines only), in order."""
    path = store_folder(data_dir, subdir) / INDEX_NAME
    if not path.exists():
        return
    for _number, entry, _problem in read_index_lines(path):
        if entry is not None:
            yield _from_index_line(entry)


def read_record(data_dir: Path, capture: StoredCapture) -> tuple[dict[str, str], bytes]:
    """(HTTP headers, body) of a stored capture; header names lower-cased, body decoded."""
    if not capture.stored_at:
        raise StoreError(f"{capture.url} at {capture.timestamp} has no stored body "
                         f"(status {capture.status}); only its index entry is kept")
    relative, _, offset = capture.stored_at.rpartition("#")
    path = Path(data_dir) / relative
    try:
        handle = open(path, "rb")
    except FileNotFoundError as exc:
        raise StoreError(f"{path} is missing; rerun the collector to fetch it again") from exc
    with handle:
        handle.seek(int(offset))
        for record in ArchiveIterator(handle):
            headers: dict[str, str] = {}
            if record.http_headers is not None:
                for name, value in record.http_headers.headers:
                    key = name.lower()
                    headers[key] = f"{headers[key]}, {value}" if key in headers else value
            return headers, record.content_stream().read()
    raise StoreError(f"no WARC record at {capture.stored_at}")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class WarcStore:
    """Writes captures into rolling WARC files and indexes each one after it is on disk.

    Use it as a context manager: opening takes the store's lock, cuts off anything a killed
    run left unindexed, and reads the index so `has` and `stored_copy` can answer.
    """

    def __init__(self, data_dir: Path, subdir: str = "site", *,
                 max_file_bytes: int = DEFAULT_MAX_FILE_BYTES):
        self.data_dir = Path(data_dir)
        self.subdir = subdir
        self.folder = store_folder(self.data_dir, subdir)
        self.prefix = subdir.strip("/").replace("/", "-")
        self.max_file_bytes = max_file_bytes
        self._lock_handle: io.BufferedWriter | None = None
        self._by_capture: dict[tuple[str, str], StoredCapture] = {}
        self._by_content: dict[tuple[str, str], StoredCapture] = {}
        self._current: Path | None = None

    # -- opening -------------------------------------------------------------------------
    def open(self) -> WarcStore:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle = open(self.folder / LOCK_NAME, "ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.close()
            raise StoreBusy(self.folder) from exc
        self._lock_handle = handle
        self._repair()
        return self

    def close(self) -> None:
        if self._lock_handle is not None:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()
            self._lock_handle = None

    def __enter__(self) -> WarcStore:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _repair(self) -> None:
        index = self.folder / INDEX_NAME
        committed_end: dict[str, int] = {}
        if index.exists():
            size = index.stat().st_size
            data = index.read_bytes()
            keep = data.rfind(b"\n") + 1
            if keep < size:  # a kill cut the last index line short: it never counted
                with open(index, "r+b") as handle:
                    handle.truncate(keep)
            for _number, entry, _problem in read_index_lines(index):
                if entry is None:
                    continue
                capture = _from_index_line(entry)
                self._remember(capture, entry.get("urlkey"))
                if capture.stored_at and entry.get("length"):
                    relative, _, offset = capture.stored_at.rpartition("#")
                    end = int(offset) + int(entry["length"])
                    committed_end[relative] = max(committed_end.get(relative, 0), end)
        files = sorted(self.folder.glob(f"{self.prefix}-*.warc.gz"))
        for path in files:
            relative = path.relative_to(self.data_dir).as_posix()
            end = committed_end.get(relative, 0)
            if path.stat().st_size > end:
                # Records past the last indexed one were written by a run that was stopped
                # before it could index them; they do not count as stored.
                with open(path, "r+b") as handle:
                    handle.truncate(end)
        self._current = files[-1] if files else None

    def _remember(self, capture: StoredCapture, urlkey: str | None) -> None:
        self._by_capture[(capture.url, capture.timestamp)] = capture
        if capture.stored_at and capture.digest:
            self._by_content.setdefault((urlkey or capture.url, capture.digest), capture)

    # -- questions -----------------------------------------------------------------------
    def has(self, url: str, timestamp: str) -> bool:
        """True when this capture is already indexed (stored, or kept as index-only)."""
        return (url, timestamp) in self._by_capture

    def stored_copy(self, urlkey: str | None, url: str, digest: str | None) -> StoredCapture | None:
        """An already stored capture with the same content (same URL key and digest), if any."""
        if not digest:
            return None
        return self._by_content.get((urlkey or url, digest))

    def captures(self) -> list[StoredCapture]:
        return list(self._by_capture.values())

    # -- writing -------------------------------------------------------------------------
    def _target_file(self) -> Path:
        if self._current is None or self._current.stat().st_size >= self.max_file_bytes:
            number = 1
            if self._current is not None:
                number = int(self._current.name[len(self.prefix) + 1:].split(".")[0]) + 1
            self._current = self.folder / f"{self.prefix}-{number:05d}.warc.gz"
            self._current.touch()
        return self._current

    def store(self, meta: CaptureMeta, http_headers: Mapping[str, str] | Sequence[tuple[str, str]],
              body: bytes, *, http_status: int | None = None) -> StoredCapture:
        """Write one fetched capture as a WARC response record, flush it, then index it.

        `http_headers` are the archived response's headers; `body` is the decoded payload.
        Headers about the transfer (Content-Length, -Encoding) are replaced to match the body.
        """
        if self._lock_handle is None:
            raise StoreError("open the store (with WarcStore(...) as store:) before storing")
        pairs = list(http_headers.items()) if isinstance(http_headers, Mapping) else list(
            http_headers)
        pairs = [(k, v) for k, v in pairs if k.lower() not in TRANSFER_HEADERS]
        pairs.append(("Content-Length", str(len(body))))
        if http_status:
            status = http_status
        elif _is_int(meta.status):
            status = int(meta.status)
        else:  # a revisit or an imported record without a status: the fetch succeeded
            status = 200
        status_line = f"{status} {_reason(status)}".strip()
        path = self._target_file()
        warc_headers = {"WARC-Date": warc_date(meta.timestamp), "X-Archive-Root": meta.archive}
        if meta.digest:
            warc_headers["X-CDX-Digest"] = meta.digest
        if meta.source_uri:
            warc_headers["WARC-Source-URI"] = meta.source_uri
        with open(path, "ab") as handle:
            offset = handle.tell()
            writer = WARCWriter(handle, gzip=True)
            record = writer.create_warc_record(
                meta.url, "response", payload=io.BytesIO(body),
                http_headers=StatusAndHeaders(status_line, pairs, protocol="HTTP/1.1"),
                warc_headers_dict=warc_headers)
            writer.write_record(record)
            handle.flush()
            os.fsync(handle.fileno())
            length = handle.tell() - offset
        stored_at = f"{path.relative_to(self.data_dir).as_posix()}#{offset}"
        return self._index(meta, stored_at, length)

    def index_only(self, meta: CaptureMeta, stored_at: str | None = None) -> StoredCapture:
        """Index a capture without storing a body: a redirect, an error, or a duplicate of
        content already stored (then `stored_at` points at that copy)."""
        if self._lock_handle is None:
            raise StoreError("open the store (with WarcStore(...) as store:) before indexing")
        return self._index(meta, stored_at, None)

    def _index(self, meta: CaptureMeta, stored_at: str | None, length: int | None
               ) -> StoredCapture:
        capture = StoredCapture(
            url=meta.url, timestamp=meta.timestamp, status=meta.status, mime=meta.mime,
            digest=meta.digest, archive=meta.archive, stored_at=stored_at,
            replay_url=replay_url(meta.archive if meta.archive.startswith("http") else
                                  WAYBACK_ROOT, meta.timestamp, meta.url))
        entry = {
            "url": capture.url, "timestamp": capture.timestamp, "status": capture.status,
            "mime": capture.mime, "digest": capture.digest, "archive": capture.archive,
            "stored_at": stored_at, "replay_url": capture.replay_url, "urlkey": meta.urlkey,
            "length": length,
        }
        if meta.redirect_to or meta.redirect_problem:
            entry.update(redirect_to=meta.redirect_to, redirect_end_url=meta.redirect_end_url,
                         redirect_end_timestamp=meta.redirect_end_timestamp,
                         redirect_problem=meta.redirect_problem)
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
        # One write of one whole line: a kill leaves either the line or a cut-off tail that
        # the next open removes.
        fd = os.open(self.folder / INDEX_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        self._remember(capture, meta.urlkey)
        return capture


def _is_int(value: str | None) -> bool:
    return bool(value) and value.isdigit()


__all__ = ["CaptureMeta", "StoreBusy", "StoreError", "StoredCapture", "WarcStore", "iter_index",
           "read_record", "replay_url"]
