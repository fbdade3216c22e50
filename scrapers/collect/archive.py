"""Talk to a web archive politely: list captures through its CDX API and fetch raw `id_` captures.

Two backends sit behind one interface (`Archive`):

- the Internet Archive's Wayback Machine, through EDGI's `wayback` session (its rate limits,
  429 handling and User-Agent), reading CDX as `output=json` pages chained by `resumeKey`
  (or IA's space-separated text, which mirrors and recordings may answer); the same client
  speaks to any server with the IA's own paths (`wayback+http://HOST:PORT/`: CDX at
  `/cdx/search/cdx`, captures at `/web/<ts>id_/<url>`), for mirrors and for tests;
- any pywb-compatible collection (`<root>cdx`, `<root><timestamp>id_/<url>`), through a small
  client of our own, since `wayback` only knows web.archive.org's addresses.

Both send every request through the collectors' one polite transport
(scrapers/collect/transport.py, where the defaults and their reasons are): at most `cdx_rate`
CDX requests and `fetch_rate` capture requests per second; a 429 pauses every request for
Retry-After (60 s when absent) and the request that met it is never repeated before the pause
ends; 5xx answers, timeouts and broken connections are retried with exponential backoff.

An answer carrying Memento-Datetime is an archived response, whatever its status: an archived
429 or 503 page is a capture, never a live rate limit or outage (as EDGI's `wayback` decides).
Redirect captures are followed hop by hop to record their target and where the chain ends;
a chain that comes back to an address it passed stops there.

Why not EDGI's `WaybackClient.search` and `get_memento` (wayback 0.5): both know the IA's
quirks, and we follow them (blocked-site errors, repeated lines, mementos by header), but
`search` stops the whole listing at the first line it cannot parse
(UnexpectedResponseFormat) and drops unplayable URLs without counting them, and both are bound
to web.archive.org's addresses (`CDX_SEARCH_URL`, `MEMENTO_URL_PATTERN`), so a mirror or a
loopback replay cannot be used. We count every skipped line and take any root.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import requests
import wayback
from wayback.exceptions import RateLimitError, WaybackRetryError

from bestbits.config import USER_AGENT
from scrapers.collect.transport import (
    DEFAULT_CDX_RATE,
    DEFAULT_FETCH_RATE,
    DEFAULT_TIMEOUT,
    Politeness,
    PoliteTransport,
    RateLimit,
    Response,
    TransportStats,
)

WAYBACK_HOST = "web.archive.org"
WAYBACK_ROOT = "https://web.archive.org/web/"
WAYBACK_CDX = "https://web.archive.org/cdx/search/cdx"
# `--archive wayback+http://HOST:PORT/`: a server with the Internet Archive's own paths.
WAYBACK_MIRROR_PREFIX = "wayback+"
# Enough for http -> https -> www -> the page, plus the IA's own hops to the nearest capture.
MAX_REDIRECT_HOPS = 8

# IA answers at most this many CDX lines per page; resumeKey chains the pages.
CDX_PAGE_SIZE = 5000
IA_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")


# -- what callers see ------------------------------------------------------------------------
@dataclass(frozen=True)
class CdxRecord:
    """One line of a CDX listing, the same whichever archive answered."""

    urlkey: str
    timestamp: str          # 14 digits, UTC
    url: str                # the original address
    mime: str | None
    status: str | None      # '200', '301', ... or None for a revisit without one
    digest: str | None
    length: int | None


@dataclass(frozen=True)
class FetchedCapture:
    """A raw (`id_`) capture: the archived response's status, headers and decoded body."""

    record: CdxRecord
    status: int
    headers: list[tuple[str, str]]   # the archived response's headers, as the site sent them
    body: bytes                       # decoded (no transfer gzip), exactly as archived
    source_url: str                   # the address it was fetched from
    location: str | None = None       # the archive's Location, for an archived redirect


class ArchiveError(Exception):
    """Base for the problems an archive can cause; each carries what a caller needs."""


class ArchiveUnreachable(ArchiveError):
    def __init__(self, address: str, cause: object = None):
        self.address = address
        self.cause = cause
        detail = f" ({cause})" if cause else ""
        super().__init__(
            f"Could not reach the archive at {address}{detail}. Check the address and your "
            "connection, or choose another archive with --archive (web.archive.org, or the root "
            "of a pywb collection such as http://127.0.0.1:8080/my-coll/).")


class RateLimited(ArchiveError):
    def __init__(self, retry_after: float, address: str = ""):
        self.retry_after = retry_after
        self.address = address
        super().__init__(
            f"The archive{' at ' + address if address else ''} kept answering 429 (too many "
            f"requests) after pausing {retry_after:g} s each time. Stopped to avoid being "
            "blocked; wait a while and rerun (it resumes where it stopped), or lower "
            "--fetch-rate/--cdx-rate.")


class FailureAt(ArchiveError):
    """A failure of one address, with the reason: the message names both."""

    def __init__(self, address: str, reason: str):
        self.address = address
        self.reason = reason
        super().__init__(f"{address}: {reason}")


class ArchiveFailed(FailureAt):
    """A request that kept failing (5xx, timeouts, broken bodies) after every retry."""


class ArchiveBlocked(ArchiveError):
    """The archive refuses to show this site at all (an exclusion, or robots.txt)."""

    def __init__(self, url: str, why: str = "the site is excluded from the archive"):
        self.url = url
        self.why = why
        super().__init__(
            f"The archive will not list captures of {url}: {why}. Nothing can be collected "
            "from it here; try another archive with --archive, or import WARC files with "
            "`bestbits collect warc`.")


@dataclass(frozen=True)
class Redirect:
    """Where an archived redirect leads, hop by hop through the archive."""

    target: str | None          # the address the archived redirect points to
    end_url: str | None = None  # where the chain ends (a capture that is not a redirect) ...
    end_timestamp: str | None = None
    end_status: int | None = None
    hops: int = 0
    problem: str | None = None  # 'redirect loop: ...', 'more than N hops', or a failure


class CaptureUnavailable(FailureAt):
    """The archive did not serve this exact capture (404, or a redirect to another one)."""


class CorruptCapture(FailureAt):
    """The body arrived damaged (for example a gzip stream cut short); it is not stored."""


class Archive(Protocol):
    root: str
    stats: ArchiveStats

    def list_captures(self, url: str, *, match_type: str = "prefix", from_: str | None = None,
                      to: str | None = None) -> Iterator[CdxRecord]: ...

    def fetch(self, record: CdxRecord) -> FetchedCapture: ...

    def follow_redirect(self, record: CdxRecord, first: FetchedCapture | None = None
                        ) -> Redirect: ...


@dataclass
class ArchiveStats(TransportStats):
    """What the client did, for the end summary and the benchmark."""

    malformed_cdx_lines: int = 0
    malformed_examples: list[str] = field(default_factory=list)

    @property
    def cdx_requests(self) -> int:
        return self.sent["cdx"]

    @property
    def fetch_requests(self) -> int:
        return self.sent["fetch"]


class ArchiveTransport(PoliteTransport):
    """The polite transport (scrapers/collect/transport.py), raising the archive's errors,
    whose messages say what to try (another --archive, a lower rate)."""

    unreachable = ArchiveUnreachable
    gave_up = ArchiveFailed
    rate_limited = RateLimited


def decode_body(body: bytes, encoding: str | None, address: str) -> tuple[bytes, bool]:
    """Undo Content-Encoding; (body, decoded?). A gzip/deflate stream cut short is an error."""
    coding = (encoding or "").strip().lower()
    if coding in ("", "identity"):
        return body, True
    if coding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if coding != "deflate" else zlib.MAX_WBITS
        decoder = zlib.decompressobj(wbits)
        try:
            data = decoder.decompress(body) + decoder.flush()
        except zlib.error as exc:
            if coding == "deflate":  # some servers send raw deflate without the zlib header
                return decode_body(body, "raw-deflate", address)
            raise CorruptCapture(address, f"{coding} body does not decode: {exc}") from exc
        if not decoder.eof:
            raise CorruptCapture(address, f"truncated {coding} body ({len(body)} bytes received)")
        return data, True
    if coding == "raw-deflate":
        decoder = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            data = decoder.decompress(body) + decoder.flush()
        except zlib.error as exc:
            raise CorruptCapture(address, f"deflate body does not decode: {exc}") from exc
        if not decoder.eof:
            raise CorruptCapture(address, f"truncated deflate body ({len(body)} bytes received)")
        return data, True
    return body, False  # brotli and others: keep as sent, with the header that says so


# -- shared capture handling -----------------------------------------------------------------
def _clean_status(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text if text.isdigit() else None


def _clean(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return None if text in ("", "-") else text


def _make_record(urlkey: object, timestamp: object, url: object, mime: object, status: object,
                 digest: object, length: object, *, playable_only: bool = False) -> CdxRecord:
    ts = str(timestamp or "").strip()
    if not (ts.isdigit() and 4 <= len(ts) <= 14):
        raise ValueError(f"timestamp {timestamp!r} is not a 4-14 digit archive time")
    ts = _repaired_timestamp(ts)
    try:
        datetime.strptime(ts + "00000101000000"[len(ts):], "%Y%m%d%H%M%S")
    except ValueError as exc:
        raise ValueError(f"timestamp {timestamp!r} is not a real moment") from exc
    address = str(url or "").strip()
    if not address:
        raise ValueError("no original URL")
    if playable_only and not _looks_like_url(address):
        raise ValueError(f"original {address!r} is not an address the archive can play back")
    size = _clean(length)
    return CdxRecord(urlkey=str(urlkey or "").strip() or address, timestamp=ts.ljust(14, "0"),
                     url=address, mime=_clean(mime), status=_clean_status(status),
                     digest=_clean(digest), length=int(size) if size and size.isdigit() else None)


def _repaired_timestamp(ts: str) -> str:
    """Undo the stray "00" some IA crawls of 2000 put before the month or the day.

    The Wayback team found the 00 was always an insertion that pushed the rest two places and
    cut the seconds off (EDGI wayback's `parse_timestamp` mends them the same way), so
    20000800241623 is 2000-08-24 16:23:00. Other timestamps are returned as they are.
    """
    if len(ts) == 14 and ts[4:6] == "00":
        return f"{ts[:4]}{ts[6:]}00"
    if len(ts) == 14 and ts[6:8] == "00":
        return f"{ts[:6]}{ts[8:]}00"
    return ts


# What IA's index holds but cannot play back (the patterns of EDGI wayback's
# `is_malformed_url`): data: URLs, e-mail addresses taken for hosts, words that are no address.
_DATA_URL = re.compile(r"data:[\w]+/[\w]+;base64")
_EMAILISH_URL = re.compile(r"^https?://(<*)((mailto:)|([^/@:]*@))")
_URL_ISH = re.compile(r"^[\w+\-]+://[^/?=&]+\.\w\w+(:\d+)?(/|$)")


def _looks_like_url(address: str) -> bool:
    if _DATA_URL.search(address) or address.startswith("mailto:") or \
            _EMAILISH_URL.match(address):
        return False
    return _URL_ISH.match(address if "://" in address else f"http://{address}") is not None


# Headers the archive adds about itself; they are not part of the archived response.
_ARCHIVE_HEADERS = frozenset({"memento-datetime", "link", "x-archive-src",
                              "x-archive-guessed-content-type",
                              "x-archive-guessed-charset", "x-app-server", "x-ts", "x-tr",
                              "x-location", "x-cache-key", "x-page-cache", "x-nid",
                              "server-timing", "permissions-policy", "referrer-policy",
                              "x-archive-playback", "content-security-policy",
                              "content-location"})
_ORIG_PREFIX = "x-archive-orig-"


def original_headers(headers: requests.structures.CaseInsensitiveDict, *, prefixed: bool = False
                     ) -> list[tuple[str, str]]:
    """The archived response's own headers, without what the archive added.

    The Wayback Machine (`prefixed`) sends the site's headers prefixed with X-Archive-Orig-
    (except Content-Type); pywb in id_ mode sends them as they were.
    """
    items = list(headers.items())
    if prefixed or any(name.lower().startswith(_ORIG_PREFIX) for name, _ in items):
        kept = [(name[len(_ORIG_PREFIX):], value) for name, value in items
                if name.lower().startswith(_ORIG_PREFIX)]
        if "content-type" in headers and not any(n.lower() == "content-type" for n, _ in kept):
            kept.append(("Content-Type", headers["content-type"]))
        return kept
    return [(name, value) for name, value in items if name.lower() not in _ARCHIVE_HEADERS]


def _check_served(record: CdxRecord, response: Response, address: str, *,
                  mementos_only: bool = False) -> None:
    """Raise CaptureUnavailable unless `response` is the archived response of `record`.

    `mementos_only` (the Wayback Machine): only an answer with Memento-Datetime is an archived
    response; without it, a 200 is the archive's own page (an exclusion notice) and a 404 its
    "not archived" answer.
    """
    status = response.status
    served = response.headers.get("Memento-Datetime")
    expected_redirect = bool(record.status and record.status.startswith("3"))
    if served is None and mementos_only:
        if 300 <= status < 400:
            target = response.headers.get("Location", "?")
            raise CaptureUnavailable(address, f"the archive redirected to another capture ({target})")
        if status == 200:
            raise CaptureUnavailable(address, "the archive served a page of its own, not the "
                                     "capture (no Memento-Datetime): the address may be excluded")
        raise CaptureUnavailable(address, f"the archive answered HTTP {status}")
    archived = served is not None
    if 300 <= status < 400 and not (expected_redirect or archived):
        target = response.headers.get("Location", "?")
        raise CaptureUnavailable(address, f"the archive redirected to another capture ({target})")
    if status >= 400 and not (archived or (record.status and record.status == str(status))):
        raise CaptureUnavailable(address, f"the archive answered HTTP {status}")
    if served:
        try:
            moment = parsedate_to_datetime(served).strftime("%Y%m%d%H%M%S")
        except (TypeError, ValueError):
            return
        if moment != record.timestamp:
            raise CaptureUnavailable(address, f"the archive served the capture of {moment} instead")


def _fetched(record: CdxRecord, response: Response, address: str, *, prefixed: bool = False
             ) -> FetchedCapture:
    _check_served(record, response, address, mementos_only=prefixed)
    body, decoded = decode_body(response.body, response.headers.get("Content-Encoding"), address)
    headers = original_headers(response.headers, prefixed=prefixed)
    if decoded:
        headers = [(n, v) for n, v in headers if n.lower() != "content-encoding"]
    elif not any(n.lower() == "content-encoding" for n, _ in headers):
        headers.append(("Content-Encoding", response.headers["Content-Encoding"]))
    return FetchedCapture(record=record, status=response.status, headers=headers, body=body,
                          source_url=address, location=response.headers.get("Location"))


# -- the Wayback Machine ---------------------------------------------------------------------
class WaybackArchive:
    """web.archive.org through EDGI's `wayback` session, or a server with the IA's paths."""

    def __init__(self, session: requests.Session, politeness: Politeness,
                 limits: dict[str, RateLimit] | None, timeout: float, *,
                 base: str = "https://web.archive.org/"):
        base = base if base.endswith("/") else base + "/"
        self.root = f"{base}web/"
        self.cdx_url = f"{base}cdx/search/cdx"
        self.stats = ArchiveStats()
        self.transport = ArchiveTransport(session, politeness, limits, timeout=timeout,
                                          stats=self.stats, rate_limit_errors=(RateLimitError,),
                                          transient_errors=(WaybackRetryError,))

    def list_captures(self, url: str, *, match_type: str = "prefix", from_: str | None = None,
                      to: str | None = None) -> Iterator[CdxRecord]:
        """Every CDX line for `url`, page by page (resumeKey); malformed lines are counted."""
        query = {"url": url, "matchType": match_type, "output": "json", "showResumeKey": "true",
                 "limit": str(CDX_PAGE_SIZE)}
        if from_:
            query["from"] = from_
        if to:
            query["to"] = to
        resume_key: str | None = None
        previous: CdxRecord | None = None
        while True:
            params = dict(query, resumeKey=resume_key) if resume_key else query
            response = self.transport.get(self.cdx_url, "cdx", params)
            if response.status != 200:
                _raise_for_cdx(response, self.cdx_url, url)
            body = _decoded_leniently(response, self.cdx_url)
            rows = _ia_rows(body, self.stats)
            resume_key = None
            fields = IA_FIELDS
            for position, row in enumerate(rows):
                if position == 0 and row and row[0] == "urlkey":
                    fields = tuple(row)
                    continue
                if row == []:  # the resume key follows an empty row
                    tail = rows[position + 1] if position + 1 < len(rows) else None
                    resume_key = tail[0] if tail and isinstance(tail[0], str) else None
                    break
                try:
                    if not isinstance(row, list) or len(row) != len(fields):
                        raise ValueError(f"{len(row) if isinstance(row, list) else 0} fields")
                    data = dict(zip(fields, row, strict=True))
                    record = _make_record(data.get("urlkey"), data.get("timestamp"),
                                          data.get("original"), data.get("mimetype"),
                                          data.get("statuscode"), data.get("digest"),
                                          data.get("length"), playable_only=True)
                except (ValueError, TypeError) as exc:
                    _count_malformed(self.stats, f"{row!r}: {exc}")
                    continue
                # Pages can repeat the line they ended on.
                if record != previous:
                    previous = record
                    yield record
            if not resume_key:
                return

    def fetch(self, record: CdxRecord) -> FetchedCapture:
        """The raw capture (`id_`: no banner, no rewritten links)."""
        address = f"{self.root}{record.timestamp}id_/{record.url}"
        return _fetched(record, self.transport.get(address, "fetch"), address, prefixed=True)

    def follow_redirect(self, record: CdxRecord, first: FetchedCapture | None = None
                        ) -> Redirect:
        """Where the archived redirect `record` leads (see `follow_redirect`)."""
        return follow_redirect(self.transport, self.root, record, first)


def _decoded_leniently(response: Response, address: str) -> bytes:
    """The body without its Content-Encoding; as sent when it is not encoded as it says
    (recorded IA answers say gzip over a body already decoded)."""
    try:
        body, _ = decode_body(response.body, response.headers.get("Content-Encoding"), address)
    except CorruptCapture:
        if response.body[:2] == b"\x1f\x8b":
            raise
        return response.body
    return body


def _raise_for_cdx(response: Response, address: str, url: str) -> None:
    """A CDX answer other than 200: blocked (403 with IA's exception names) or a failure."""
    text = _decoded_leniently(response, address).decode("utf-8", "replace")
    if "AdministrativeAccessControlException" in text:
        raise ArchiveBlocked(url, "the archive's administrators excluded it (HTTP "
                             f"{response.status}, Blocked Site Error)")
    if "RobotAccessControlException" in text:
        raise ArchiveBlocked(url, f"its robots.txt excludes it (HTTP {response.status})")
    raise ArchiveFailed(address, f"CDX answered HTTP {response.status}: {text[:200]}")


def memento_address(location: str, current: str, root: str) -> tuple[str, str | None, str]:
    """(memento address, timestamp or None, original URL) for a Location met at `current`.

    Archives write Location absolute, path-only (`/web/...`) or without a scheme
    (`//web.archive.org/web/...`); all are read against the address that answered. A Location
    outside the archive's root is the original address itself.
    """
    address = urljoin(current, location.strip())
    root_path = urlsplit(root).path
    parts = urlsplit(address)
    if parts.netloc == urlsplit(root).netloc and parts.path.startswith(root_path):
        rest = address.split(root_path, 1)[1]
        stamp, _, original = rest.partition("/")
        digits = "".join(ch for ch in stamp if ch.isdigit())
        if digits and original:
            if parts.query and "?" not in original:
                original += f"?{parts.query}"
            return address, digits, original
    return address, None, address


def _archived_location(response: Response) -> str | None:
    return response.headers.get("Location") or response.headers.get("X-Archive-Orig-Location")


def follow_redirect(transport: ArchiveTransport, root: str, record: CdxRecord,
                    first: FetchedCapture | None = None) -> Redirect:
    """Follow an archived redirect through the archive, hop by hop, without fetching bodies.

    The target is where the archived redirect points; the chain is followed (archived
    redirects and the archive's own hops to the nearest capture) until a capture that is not
    a redirect, at most MAX_REDIRECT_HOPS hops, and stops when it comes back to an address it
    has passed (a loop, which real archives hold: login pages redirecting to each other).
    """
    address = f"{root}{record.timestamp}id_/{record.url}"
    if first is not None:
        location = first.location or dict((k.lower(), v) for k, v in first.headers
                                          ).get("location")
        headers = requests.structures.CaseInsensitiveDict({"Location": location or ""})
        response = Response(first.status, headers, b"", first.source_url)
    else:
        try:
            response = transport.get(address, "fetch")
        except (ArchiveFailed, CorruptCapture) as exc:
            return Redirect(target=None, problem=f"the redirect could not be fetched ({exc})")
    seen = {address}
    target: str | None = None
    hops = 0
    while 300 <= response.status < 400:
        location = _archived_location(response)
        if not location:
            return Redirect(target=target, hops=hops, problem="a redirect without a Location")
        address, stamp, original = memento_address(location, address, root)
        if target is None:
            target = original
        if stamp is None:  # leads out of the archive: the chain ends at the original address
            return Redirect(target=target, end_url=original, hops=hops + 1)
        hops += 1
        if address in seen:
            return Redirect(target=target, hops=hops,
                            problem=f"redirect loop: back to {original} at {stamp}")
        if hops > MAX_REDIRECT_HOPS:
            return Redirect(target=target, hops=hops,
                            problem=f"more than {MAX_REDIRECT_HOPS} redirects; stopped")
        seen.add(address)
        try:
            response = transport.get(address, "fetch")
        except (ArchiveFailed, CorruptCapture) as exc:
            return Redirect(target=target, hops=hops, problem=f"a hop failed ({exc})")
    served = response.headers.get("Memento-Datetime")
    end_stamp = None
    if served:
        try:
            end_stamp = parsedate_to_datetime(served).strftime("%Y%m%d%H%M%S")
        except (TypeError, ValueError):
            end_stamp = None
    _address, stamp, original = memento_address(address, address, root)
    return Redirect(target=target, end_url=original, end_timestamp=end_stamp or stamp,
                    end_status=response.status, hops=hops)


def _count_malformed(stats: ArchiveStats, example: str) -> None:
    stats.malformed_cdx_lines += 1
    if len(stats.malformed_examples) < 5:
        stats.malformed_examples.append(example[:200])


def _ia_rows(body: bytes, stats: ArchiveStats) -> list:
    """IA's JSON CDX: an array of arrays. Parse it whole, or line by line if it is damaged.

    IA's default, space-separated text (what mirrors and recordings may answer) is read into
    the same rows: a blank line, then the resume key, ends a page.
    """
    text = body.decode("utf-8", "replace")
    if text.strip() and not text.lstrip().startswith("["):
        return _ia_text_rows(text)
    try:
        rows = json.loads(text) if text.strip() else []
        if isinstance(rows, list):
            return rows
    except ValueError:
        pass
    rows = []
    # IA writes one row per line; a damaged line costs that line only.
    for line in text.splitlines():
        item = line.strip().rstrip(",")
        if item.startswith("[["):
            item = item[1:]
        if item.endswith("]]"):
            item = item[:-1]
        if item in ("", "[", "]"):
            continue
        try:
            row = json.loads(item)
        except ValueError:
            _count_malformed(stats, line)
            continue
        rows.append(row)
    return rows


def _ia_text_rows(text: str) -> list:
    rows: list = []
    lines = text.splitlines()
    for position, line in enumerate(lines):
        if not line.strip():
            key = next((rest.strip() for rest in lines[position + 1:] if rest.strip()), None)
            if key:
                rows += [[], [key]]
            break
        fields = line.split(" ")
        # IA may add fields after the seven it always sends (as EDGI wayback allows).
        rows.append(fields[:len(IA_FIELDS)] if len(fields) > len(IA_FIELDS) else fields)
    return rows


# -- pywb and other CDX servers --------------------------------------------------------------
class PywbArchive:
    """A pywb-compatible collection: CDX at `<root>cdx`, raw captures at `<root><ts>id_/<url>`."""

    def __init__(self, root: str, session: requests.Session, politeness: Politeness,
                 limits: dict[str, RateLimit], timeout: float):
        self.root = root if root.endswith("/") else root + "/"
        self.stats = ArchiveStats()
        self.transport = ArchiveTransport(session, politeness, limits, timeout=timeout,
                                          stats=self.stats, rate_limit_errors=(RateLimitError,),
                                          transient_errors=(WaybackRetryError,))

    def list_captures(self, url: str, *, match_type: str = "prefix", from_: str | None = None,
                      to: str | None = None) -> Iterator[CdxRecord]:
        """Every CDX line for `url` (pywb answers one JSON object per line, no paging)."""
        params = {"url": url, "matchType": match_type, "output": "json"}
        if from_:
            params["from"] = from_
        if to:
            params["to"] = to
        endpoint = f"{self.root}cdx"
        response = self.transport.get(endpoint, "cdx", params)
        if response.status != 200:
            raise ArchiveFailed(endpoint, f"CDX answered HTTP {response.status}; is {self.root} "
                                "the root of a pywb collection, ending in the collection name?")
        body, _ = decode_body(response.body, response.headers.get("Content-Encoding"), endpoint)
        for line in body.decode("utf-8", "replace").splitlines():
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise ValueError("not a JSON object")
                yield _make_record(data.get("urlkey"), data.get("timestamp"), data.get("url"),
                                   data.get("mime"), data.get("status"), data.get("digest"),
                                   data.get("length"))
            except (ValueError, TypeError) as exc:
                _count_malformed(self.stats, f"{line}: {exc}")

    def fetch(self, record: CdxRecord) -> FetchedCapture:
        """The raw capture (`id_`: no banner, no rewritten links)."""
        address = f"{self.root}{record.timestamp}id_/{record.url}"
        return _fetched(record, self.transport.get(address, "fetch"), address)

    def follow_redirect(self, record: CdxRecord, first: FetchedCapture | None = None
                        ) -> Redirect:
        """Where the archived redirect `record` leads (see `follow_redirect`)."""
        return follow_redirect(self.transport, self.root, record, first)


# -- one way in ------------------------------------------------------------------------------
def wayback_mirror_base(archive: str) -> str | None:
    """'http://HOST:PORT/' for `wayback+http://HOST:PORT/`, else None."""
    text = archive.strip()
    if not text.lower().startswith(WAYBACK_MIRROR_PREFIX):
        return None
    base = text[len(WAYBACK_MIRROR_PREFIX):]
    if not base.startswith(("http://", "https://")) or not urlsplit(base).netloc:
        raise ValueError(f"--archive {archive!r}: write wayback+http://HOST:PORT/ (the root "
                         "of a server with the Internet Archive's paths /cdx/search/cdx and "
                         "/web/<timestamp>id_/<url>)")
    return base if base.endswith("/") else base + "/"


def is_wayback(archive: str) -> bool:
    """True for the Internet Archive's Wayback Machine, however it is written."""
    text = archive.strip().lower().rstrip("/")
    for prefix in ("https://", "http://"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text in (WAYBACK_HOST, f"{WAYBACK_HOST}/web")


# One pause and one set of rate limits per archive for the whole process, so two clients of the
# same archive (the site and the list collectors) share them, as `wayback` shares its defaults.
_SHARED_POLITENESS: dict[str, Politeness] = {}
_SHARED_WAYBACK_LIMITS: dict[tuple[str, float], wayback.RateLimit] = {}
_SHARED_LIMITS: dict[tuple[str, str, float], RateLimit] = {}


def _shared_wayback_limit(kind: str, rate: float) -> wayback.RateLimit:
    return _SHARED_WAYBACK_LIMITS.setdefault((kind, rate), wayback.RateLimit(rate))


def open_archive(archive: str = WAYBACK_HOST, *, session: requests.Session | None = None,
                 cdx_rate: float = DEFAULT_CDX_RATE, fetch_rate: float = DEFAULT_FETCH_RATE,
                 politeness: Politeness | None = None, timeout: float = DEFAULT_TIMEOUT,
                 transport_adapter: requests.adapters.BaseAdapter | None = None) -> Archive:
    """A client for `archive`: 'web.archive.org' (default), 'wayback+http://HOST:PORT/' (a
    server with the Internet Archive's paths), or a pywb collection root URL.

    Rates are requests per second (0 turns a limit off). `session` replaces the HTTP session
    (a `wayback.WaybackSession` keeps its own rate limits); `transport_adapter` is mounted for
    the archive's addresses, which is how tests route web.archive.org to a loopback server.
    Without `politeness`, every client of the same archive in this process shares one pause
    (after a 429) and one set of rate limits.
    """
    key = WAYBACK_HOST if is_wayback(archive) else archive.strip().rstrip("/")
    shared = politeness is None
    if politeness is None:
        politeness = _SHARED_POLITENESS.setdefault(key, Politeness())
    mirror = wayback_mirror_base(archive)
    if mirror is not None:
        # The IA's protocol on another host: our own session and rate limits (the `wayback`
        # session only knows web.archive.org's paths), with the same polite defaults.
        session, limits = _own_session(session, mirror, transport_adapter, politeness,
                                       cdx_rate, fetch_rate, key if shared else None)
        return WaybackArchive(session, politeness, limits, timeout, base=mirror)
    if is_wayback(archive):
        limits: dict[str, RateLimit] | None = None
        if session is None:
            # `wayback` applies the rate limits per endpoint; retries are ours (retries=0 there)
            # so every wait runs through `politeness` and its replaceable clock.
            session = wayback.WaybackSession(
                retries=0, timeout=timeout, user_agent=USER_AGENT,
                search_calls_per_second=_shared_wayback_limit("cdx", cdx_rate),
                memento_calls_per_second=_shared_wayback_limit("fetch", fetch_rate))
        elif not isinstance(session, wayback.WaybackSession):
            session.headers["User-Agent"] = USER_AGENT
            limits = {"cdx": RateLimit(cdx_rate, politeness),
                      "fetch": RateLimit(fetch_rate, politeness)}
        if transport_adapter is not None:
            session.mount(f"https://{WAYBACK_HOST}/", transport_adapter)
        return WaybackArchive(session, politeness, limits, timeout)
    root = archive.strip()
    if not root.startswith(("http://", "https://")):
        raise ValueError(f"--archive {archive!r}: give web.archive.org, "
                         "wayback+http://HOST:PORT/ for a server with the Internet Archive's "
                         "paths, or the full root address of a pywb collection, such as "
                         "http://127.0.0.1:8080/my-coll/")
    session, limits = _own_session(session, root, transport_adapter, politeness, cdx_rate,
                                   fetch_rate, key if shared else None)
    return PywbArchive(root, session, politeness, limits, timeout)


def _own_session(session, base: str, transport_adapter, politeness, cdx_rate: float,
                 fetch_rate: float, shared_key: str | None):
    """A requests session for an archive at BASE that is not web.archive.org (a pywb collection,
    a mirror of the IA's paths), with our User-Agent, and its CDX and fetch rate limits: shared
    with every other client of the same archive under SHARED_KEY, else its own."""
    if session is None:
        session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    if transport_adapter is not None:
        session.mount(base, transport_adapter)
    limits = {kind: RateLimit(rate, politeness)
              for kind, rate in (("cdx", cdx_rate), ("fetch", fetch_rate))}
    if shared_key is not None:
        limits = {kind: _SHARED_LIMITS.setdefault((shared_key, kind, limit.interval), limit)
                  for kind, limit in limits.items()}
    return session, limits


__all__ = ["Archive", "ArchiveBlocked", "ArchiveError", "ArchiveFailed", "ArchiveStats", "ArchiveUnreachable",
           "CaptureUnavailable", "CdxRecord", "CorruptCapture", "FetchedCapture", "Politeness",
           "RateLimited", "Redirect", "open_archive"]
