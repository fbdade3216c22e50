"""Collect a pipermail (Mailman 2) list archive into DATA_DIR/raw/list/<list>/, live or archived.

Live: read the archive's index page and download every month's `YYYY-Month.txt.gz` (or
`.txt`). When the live server does not answer, or with `via_wayback`, the same files come
from a web archive through the site collector's archive interface (same politeness, and
the same kind of WARC store, under raw/list/wayback/). Where a month's text file was never
archived, its `date.html` and message pages (`NNNNNN.html`) are fetched instead.

What lands on disk, and how it is written, is the raw store's (scrapers/raw_store/list_store.py,
read by bestbits/load/messages.py): a rerun skips what is there and fetches only what is
missing. Every request goes through the collectors' polite transport
(scrapers/collect/transport.py).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests
from tqdm import tqdm

from bestbits import config
from bestbits.privacy import import_label, safe_file_name, stored_import_name
from scrapers.collect.transport import (
    DEFAULT_LIVE_RATE,
    LIVE_BACKOFF,
    LIVE_MAX_RATE_LIMITED,
    LIVE_RATE_LIMIT_DELAY,
    LIVE_RETRIES,
    LIVE_TIMEOUT,
    Politeness,
    PoliteTransport,
    RateLimit,
    Response,
    TransportError,
)
from scrapers.parse.mbox import split_mbox
from scrapers.parse.pipermail_html import (
    ArchiveMonth,
    month_of_label,
    parse_date_page,
    parse_index,
)
from scrapers.raw_store.list_store import (
    IMPORTED_DIR,
    WAYBACK_SUBDIR,
    ListFolder,
    html_page,
    imported_folder,
    list_folder,
)

DEFAULT_ARCHIVE_URL = "https://lists.igcaucus.org/pipermail/bestbits/"

_MONTH_FILE = re.compile(r"^(\d{4}-[A-Za-z]+)\.txt(\.gz)?$")
_MESSAGE_PAGE = re.compile(r"^(\d{4}-[A-Za-z]+)/(\d{6})\.html$")
_DATE_PAGE = re.compile(r"^(\d{4}-[A-Za-z]+)/date\.html$")


class ListCollectError(Exception):
    """The list could not be collected; the message says what was wrong and what to try."""


class LiveUnavailable(ListCollectError):
    """The live archive did not answer (or answered with an error) for its index page."""


@dataclass
class CollectSummary:
    list_name: str
    folder: Path
    via: str = "live"                 # live | web archive (<root>)
    months_listed: int = 0
    text_downloaded: int = 0
    text_skipped: int = 0             # already on disk from an earlier run
    html_months: int = 0
    pages_downloaded: int = 0
    pages_skipped: int = 0
    bytes_written: int = 0
    requests: int = 0
    notes: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)

    def text(self) -> str:
        lines = [
            f"List {self.list_name!r} via {self.via} -> {self.folder}",
            f"  months in the archive index:     {self.months_listed}",
            f"  monthly text files downloaded:   {self.text_downloaded} "
            f"(already there: {self.text_skipped})",
            f"  months read from HTML pages:     {self.html_months} "
            f"({self.pages_downloaded} pages downloaded, {self.pages_skipped} already there)",
            f"  bytes written: {self.bytes_written:,}   requests: {self.requests}",
        ]
        lines += [f"  note: {note}" for note in self.notes]
        if self.failures:
            lines.append(f"  failed: {len(self.failures)} (rerun to retry them)")
            lines += [f"    {url}: {reason}" for url, reason in self.failures[:20]]
        lines.append("Next: bestbits build")
        return "\n".join(lines)


def list_name_of(archive_url: str) -> str:
    """'https://host/pipermail/bestbits/' -> 'bestbits'."""
    parts = [p for p in urlsplit(archive_url).path.split("/") if p]
    if not parts:
        raise ListCollectError(f"{archive_url!r} does not name a list: give the list's pipermail "
                               "address, such as https://host/pipermail/LISTNAME/")
    return parts[-1] if parts[-1] != "index.html" else parts[-2]


def _base(archive_url: str) -> str:
    url = archive_url if archive_url.endswith("/") else archive_url + "/"
    return url[: -len("index.html")] if url.endswith("index.html/") else url


# -- the files on disk -------------------------------------------------------------------

class _Folder(ListFolder):
    """The list's raw folder, counting the bytes written for the summary."""

    def __init__(self, folder: Path, summary: CollectSummary):
        super().__init__(folder)
        self.summary = summary

    def write(self, relative: str, body: bytes, source_url: str) -> None:
        super().write(relative, body, source_url)
        self.summary.bytes_written += len(body)


def month_file_name(text_url: str, body: bytes) -> str:
    """The name to store a monthly archive under, from its address and its bytes.

    Some servers send `.txt.gz` with Content-Encoding: gzip, so the client un-gzips it:
    the bytes decide the extension, so the reader never mistakes one for the other.
    """
    name = urlsplit(text_url).path.rsplit("/", 1)[-1]
    stem = name[:-3] if name.endswith(".gz") else name
    return stem + ".gz" if body[:2] == b"\x1f\x8b" else stem


# -- the live archive --------------------------------------------------------------------

class _LiveClient:
    """GETs against the list's own server through the collectors' polite transport: our
    User-Agent, a rate limit, a pause on 429 for Retry-After, backoff on errors and 5xx."""

    def __init__(self, session: requests.Session | None, rate: float, summary: CollectSummary,
                 sleep: Callable[[float], None] = time.sleep):
        politeness = Politeness(retries=LIVE_RETRIES, backoff=LIVE_BACKOFF,
                                max_rate_limited=LIVE_MAX_RATE_LIMITED,
                                default_retry_after=LIVE_RATE_LIMIT_DELAY, sleep=sleep)
        # A list server may redirect (http to https) and gzip in transit: a plain download.
        self.transport = PoliteTransport.with_user_agent(
            session, politeness, {"page": RateLimit(rate, politeness)}, timeout=LIVE_TIMEOUT,
            follow_redirects=True, decoded_bodies=True)
        self.summary = summary

    def get(self, url: str) -> Response:
        """The answer (any status but a 429 or a retried 5xx); raises TransportError when no
        usable one came back."""
        try:
            return self.transport.get(url, "page")
        finally:
            self.summary.requests = self.transport.stats.requests


def _collect_live(archive_url: str, folder: _Folder, client: _LiveClient, summary: CollectSummary,
                  show_progress: bool) -> None:
    base = _base(archive_url)
    try:
        index = client.get(base)
    except TransportError as exc:
        raise LiveUnavailable(f"the list archive at {base} did not answer ({exc})") from exc
    if index.status != 200:
        raise LiveUnavailable(f"the list archive at {base} answered HTTP {index.status}")
    months = parse_index(index.body, base)
    summary.months_listed = len(months)
    if not months:
        summary.notes.append(f"the index page at {base} links no months")
    for month in _progress(months, "months", show_progress):
        if month.text_url:
            _live_text_month(month, folder, client, summary)
        else:
            _live_html_month(month, folder, client, summary)


def _fetched(client: _LiveClient, url: str, summary: CollectSummary,
             if_missing: Callable[[], None] | None = None):
    """URL's answer when it is a 200; otherwise None, with the failure recorded (no answer, or
    an HTTP error), or, for a 404 when IF_MISSING is given, what IF_MISSING does instead."""
    try:
        response = client.get(url)
    except TransportError as exc:
        summary.failures.append((url, f"no answer ({exc})"))
        return None
    if response.status == 404 and if_missing is not None:
        if_missing()
        return None
    if response.status != 200:
        summary.failures.append((url, f"HTTP {response.status}"))
        return None
    return response


def _live_text_month(month: ArchiveMonth, folder: _Folder, client: _LiveClient,
                     summary: CollectSummary) -> None:
    assert month.text_url
    stem = month.text_url.rsplit("/", 1)[-1].removesuffix(".gz")
    if folder.has(stem) or folder.has(stem + ".gz"):
        summary.text_skipped += 1
        return
    # Pipermail regenerates text archives on its own schedule; the HTML may be there.
    response = _fetched(client, month.text_url, summary,
                        if_missing=lambda: _live_html_month(month, folder, client, summary))
    if response is None:
        return
    folder.write(month_file_name(month.text_url, response.body), response.body,
                 month.text_url)
    summary.text_downloaded += 1


def _live_html_month(month: ArchiveMonth, folder: _Folder, client: _LiveClient,
                     summary: CollectSummary) -> None:
    response = _fetched(client, month.date_url, summary)
    if response is None:
        return
    summary.html_months += 1
    folder.write(html_page(month.label, "date.html"), response.body, month.date_url)
    for link in parse_date_page(response.body, month.date_url):
        relative = html_page(month.label, f"{link.number:06d}.html")
        if folder.has(relative):
            summary.pages_skipped += 1
            continue
        page = _fetched(client, link.url, summary)
        if page is None:
            continue
        folder.write(relative, page.body, link.url)
        summary.pages_downloaded += 1


# -- through a web archive ---------------------------------------------------------------

def _relative_path(url: str, list_path: str) -> str | None:
    """The part of a captured address under the list's folder, whatever host/scheme/port."""
    path = urlsplit(url).path
    if not path.startswith(list_path):
        return None
    return path[len(list_path):]


def _best_captures(records: Iterable, list_path: str) -> dict[str, object]:
    """The latest successful capture of each file under the list's folder.

    Latest, because a month's text file and date.html grow until the month is over: the
    last capture holds the most messages.
    """
    best: dict[str, object] = {}
    for record in records:
        if record.status not in ("200", None):
            continue
        relative = _relative_path(record.url, list_path)
        if relative is None:
            continue
        relative = "" if relative in ("", "index.html") else relative
        current = best.get(relative)
        if current is None or record.timestamp > current.timestamp:
            best[relative] = record
    return best


def _collect_wayback(archive_url: str, data_dir: Path, folder: _Folder, archive,
                     summary: CollectSummary, show_progress: bool) -> None:
    from scrapers.collect.archive import ArchiveError
    from scrapers.raw_store.warc_store import CaptureMeta, WarcStore, replay_url

    base = _base(archive_url)
    list_path = urlsplit(base).path
    records = list(archive.list_captures(base, match_type="prefix"))
    # A CDX key drops the trailing slash, so the index page itself is not under the prefix.
    for index_url in (base, base + "index.html"):
        records += archive.list_captures(index_url, match_type="exact")
    best = _best_captures(records, list_path)
    if not best:
        raise ListCollectError(
            f"the web archive at {archive.root} holds no captures under {base}; check "
            "--archive-url (the list's pipermail address) and --archive")

    with WarcStore(data_dir, WAYBACK_SUBDIR) as store:

        def fetch(relative: str) -> tuple[bytes | None, str]:
            """(body, replay address) of the best capture; (None, '') when it failed."""
            record = best[relative]
            try:
                capture = archive.fetch(record)
            except ArchiveError as exc:
                summary.failures.append((record.url, str(exc)))
                return None, ""
            summary.requests += 1
            if store.has(record.url, record.timestamp):
                return capture.body, replay_url(archive.root, record.timestamp, record.url)
            meta = CaptureMeta(url=record.url, timestamp=record.timestamp,
                               status=record.status, mime=record.mime, digest=record.digest,
                               archive=archive.root, urlkey=record.urlkey,
                               source_uri=capture.source_url)
            stored = store.store(meta, capture.headers, capture.body, http_status=capture.status)
            return capture.body, stored.replay_url

        labels: dict[str, ArchiveMonth | None] = {}
        if "" in best:
            body, _ = fetch("")
            if body is not None:
                for month in parse_index(body, best[""].url):
                    labels[month.label] = month
        for relative in best:
            for pattern in (_MONTH_FILE, _MESSAGE_PAGE, _DATE_PAGE):
                match = pattern.match(relative)
                if match and month_of_label(match.group(1)):
                    labels.setdefault(match.group(1), None)
        summary.months_listed = len(labels)

        for label in _progress(sorted(labels), "months", show_progress):
            text_names = [n for n in (f"{label}.txt.gz", f"{label}.txt") if n in best]
            if text_names:
                name = text_names[0]
                stem = name.removesuffix(".gz")
                if folder.has(stem) or folder.has(stem + ".gz"):
                    summary.text_skipped += 1
                    continue
                body, replay = fetch(name)
                if body is not None:
                    folder.write(month_file_name(name, body), body, replay)
                    summary.text_downloaded += 1
                    continue
            _wayback_html_month(label, best, fetch, folder, summary)


def _wayback_html_month(label: str, best: dict, fetch: Callable, folder: _Folder,
                        summary: CollectSummary) -> None:
    numbers: set[int] = set()
    date_rel = f"{label}/date.html"
    if date_rel in best:
        if folder.has(html_page(label, "date.html")):
            body = (folder.folder / html_page(label, "date.html")).read_bytes()
        else:
            body, replay = fetch(date_rel)
            if body is not None:
                folder.write(html_page(label, "date.html"), body, replay)
        if body is not None:
            numbers |= {link.number for link in parse_date_page(body, best[date_rel].url)}
    # date.html may have been captured before the month ended: take every captured page.
    for relative in best:
        match = _MESSAGE_PAGE.match(relative)
        if match and match.group(1) == label:
            numbers.add(int(match.group(2)))
    if not numbers and date_rel not in best:
        summary.notes.append(f"{label}: neither a text archive nor message pages were captured")
        return
    summary.html_months += 1  # a date.html that lists nothing is an empty month
    for number in sorted(numbers):
        relative = f"{label}/{number:06d}.html"
        if folder.has(html_page(label, f"{number:06d}.html")):
            summary.pages_skipped += 1
            continue
        if relative not in best:
            summary.failures.append((relative, "listed in date.html but never captured"))
            continue
        body, replay = fetch(relative)
        if body is not None:
            folder.write(html_page(label, f"{number:06d}.html"), body, replay)
            summary.pages_downloaded += 1


# -- entry points ------------------------------------------------------------------------

def _progress(items, unit: str, show: bool):
    return tqdm(items, unit=unit, disable=not show, file=sys.stderr, leave=False)


def collect_list(archive_url: str = DEFAULT_ARCHIVE_URL, data_dir: Path | None = None, *,
                 via_wayback: bool = False, archive: str = "web.archive.org",
                 session: requests.Session | None = None, live_rate: float = DEFAULT_LIVE_RATE,
                 archive_options: dict | None = None, show_progress: bool = True,
                 sleep: Callable[[float], None] = time.sleep) -> CollectSummary:
    """Collect the list at `archive_url` into DATA_DIR/raw/list/<list>/; returns a summary.

    Raises ListCollectError (and the archive interface's ArchiveError subclasses) with a
    message for the user when nothing could be collected.
    """
    data = config.data_dir(data_dir)
    name = list_name_of(archive_url)
    target = list_folder(data, name)
    summary = CollectSummary(list_name=name, folder=target)
    folder = _Folder(target, summary)
    if not via_wayback:
        try:
            _collect_live(archive_url, folder, _LiveClient(session, live_rate, summary, sleep),
                          summary, show_progress)
            return summary
        except LiveUnavailable as exc:
            summary.notes.append(f"{exc}; fell back to the web archive ({archive})")
    from scrapers.collect.archive import open_archive

    client = open_archive(archive, **(archive_options or {}))
    summary.via = f"web archive ({client.root})"
    _collect_wayback(archive_url, data, folder, client, summary, show_progress)
    summary.requests += getattr(getattr(client, "stats", None), "cdx_requests", 0)
    return summary


@dataclass
class ImportSummary:
    list_name: str
    files: list[tuple[str, int]] = field(default_factory=list)  # stored name, messages

    def text(self) -> str:
        lines = [f"Imported {len(self.files)} file(s) into list {self.list_name!r}:"]
        lines += [f"  {name}: {count} messages" for name, count in self.files]
        lines.append("Next: bestbits build")
        return "\n".join(lines)


def import_mbox(files: list[Path], list_name: str, data_dir: Path | None = None) -> ImportSummary:
    """Copy local mbox files (plain or gzipped) into DATA_DIR/raw/list/<list>/imported/."""
    import gzip

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", list_name):
        raise ListCollectError(f"--list {list_name!r}: use letters, digits, '.', '_' or '-'")
    data = config.data_dir(data_dir)
    target = imported_folder(data, list_name)
    summary = ImportSummary(list_name)
    checked = []
    for path in files:
        path = Path(path)
        if not path.is_file():
            raise ListCollectError(f"{path}: no such file")
        raw = path.read_bytes()
        try:
            text = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
        except (OSError, EOFError) as exc:
            raise ListCollectError(f"{path}: a damaged gzip file ({exc})") from exc
        if text.strip() and not text.lstrip(b"\r\n").startswith(b"From "):
            raise ListCollectError(f"{path}: does not look like an mbox file (it should begin "
                                   "with a 'From ' line); nothing was imported")
        checked.append((path, raw, sum(1 for _ in split_mbox(text))))
    target.mkdir(parents=True, exist_ok=True)
    folder = ListFolder(target.parent)
    for path, raw, count in checked:
        # Named by content and by the name given (made safe: an mbox may be named after its
        # owner's address), never by the folder it came from (bestbits/privacy/addresses.py).
        digest = hashlib.sha256(raw).hexdigest()
        name = stored_import_name(digest, path.name)
        if not (target / name).exists():
            shutil.copyfile(path, target / name)
        folder.note_source(f"{IMPORTED_DIR}/{name}", import_label(digest, path.name))
        summary.files.append((safe_file_name(path.name), count))
    return summary
