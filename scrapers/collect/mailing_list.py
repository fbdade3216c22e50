"""Collect a pipermail (Mailman 2) list archive into DATA_DIR/raw/list/<list>/, live or archived.

Live: read the archive's index page and download every month's `YYYY-Month.txt.gz` (or
`.txt`). When the live server does not answer, or with `via_wayback`, the same files come
from a web archive through the site collector's archive interface (same politeness, and
the same kind of WARC store, under raw/list/wayback/). Where a month's text file was never
archived, its `date.html` and message pages (`NNNNNN.html`) are fetched instead.

What lands on disk (read by bestbits/load/messages.py):

    raw/list/<list>/<YYYY-Month>.txt.gz | .txt
    raw/list/<list>/html/<YYYY-Month>/date.html, NNNNNN.html
    raw/list/<list>/sources.json      file -> the address a person can open to check it

Every file is written to a `.part` name and renamed when complete, so a rerun skips what
is there and fetches only what is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
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
from scrapers.collect.archive import Politeness, RateLimit, retry_after_seconds
from scrapers.parse.mbox import split_mbox
from scrapers.parse.pipermail_html import (
    ArchiveMonth,
    month_of_label,
    parse_date_page,
    parse_index,
)

DEFAULT_ARCHIVE_URL = "https://lists.igcaucus.org/pipermail/bestbits/"
WAYBACK_SUBDIR = "list/wayback"
# A Mailman host is a small shared machine: one request a second keeps a full run
# (~90 monthly files) under two minutes without loading it.
DEFAULT_LIVE_RATE = 1.0
# Three tries, 2 s then 4 s apart: enough for a hiccup, short enough to fall back to the
# web archive quickly when the host is gone for good.
LIVE_RETRIES = 3
LIVE_BACKOFF = 2.0
LIVE_TIMEOUT = 30.0
# Without a Retry-After, a 429 from a list server waits this long before the one retry.
LIVE_RATE_LIMIT_DELAY = 30.0

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

class _Folder:
    """The list's raw folder: atomic writes, and sources.json kept in step."""

    def __init__(self, folder: Path, summary: CollectSummary):
        self.folder = folder
        self.summary = summary
        folder.mkdir(parents=True, exist_ok=True)
        self._sources_path = folder / "sources.json"
        self.sources: dict[str, str] = {}
        if self._sources_path.exists():
            try:
                self.sources = json.loads(self._sources_path.read_text(encoding="utf-8"))
            except ValueError:
                self.sources = {}

    def has(self, relative: str) -> bool:
        return (self.folder / relative).is_file()

    def write(self, relative: str, body: bytes, source_url: str) -> None:
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(body)
        os.replace(partial, target)
        self.summary.bytes_written += len(body)
        self.sources[relative] = source_url
        self._save_sources()

    def _save_sources(self) -> None:
        partial = self._sources_path.with_name("sources.json.part")
        partial.write_text(json.dumps(self.sources, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(partial, self._sources_path)


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
    """GETs against the list's own server, with the site collector's politeness: our
    User-Agent, a rate limit, a pause on 429 for Retry-After, backoff on errors and 5xx."""

    def __init__(self, session: requests.Session | None, rate: float, summary: CollectSummary,
                 sleep: Callable[[float], None] = time.sleep):
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = config.USER_AGENT
        self.politeness = Politeness(retries=LIVE_RETRIES - 1, backoff=LIVE_BACKOFF,
                                     default_retry_after=LIVE_RATE_LIMIT_DELAY, sleep=sleep)
        self.limit = RateLimit(rate, self.politeness)
        self.summary = summary

    def get(self, url: str) -> requests.Response:
        """The response (any status); raises requests.RequestException when none came back."""
        error: Exception | None = None
        for attempt in range(1, LIVE_RETRIES + 1):
            self.politeness.wait_if_paused()
            self.limit.wait()
            self.summary.requests += 1
            try:
                response = self.session.get(url, timeout=LIVE_TIMEOUT)
            except requests.RequestException as exc:
                error = exc
            else:
                if response.status_code == 429 and attempt < LIVE_RETRIES:
                    self.politeness.pause(retry_after_seconds(
                        response.headers.get("Retry-After"), LIVE_RATE_LIMIT_DELAY))
                    continue
                if response.status_code < 500 or attempt == LIVE_RETRIES:
                    return response
                error = requests.HTTPError(f"HTTP {response.status_code}")
            if attempt < LIVE_RETRIES:
                self.politeness.sleep(self.politeness.backoff_delay(attempt))
        assert error is not None
        raise error


def _collect_live(archive_url: str, folder: _Folder, client: _LiveClient, summary: CollectSummary,
                  show_progress: bool) -> None:
    base = _base(archive_url)
    try:
        index = client.get(base)
    except requests.RequestException as exc:
        raise LiveUnavailable(f"the list archive at {base} did not answer ({exc})") from exc
    if index.status_code != 200:
        raise LiveUnavailable(f"the list archive at {base} answered HTTP {index.status_code}")
    months = parse_index(index.content, base)
    summary.months_listed = len(months)
    if not months:
        summary.notes.append(f"the index page at {base} links no months")
    for month in _progress(months, "months", show_progress):
        if month.text_url:
            _live_text_month(month, folder, client, summary)
        else:
            _live_html_month(month, folder, client, summary)


def _live_text_month(month: ArchiveMonth, folder: _Folder, client: _LiveClient,
                     summary: CollectSummary) -> None:
    assert month.text_url
    stem = month.text_url.rsplit("/", 1)[-1].removesuffix(".gz")
    if folder.has(stem) or folder.has(stem + ".gz"):
        summary.text_skipped += 1
        return
    try:
        response = client.get(month.text_url)
    except requests.RequestException as exc:
        summary.failures.append((month.text_url, f"no answer ({exc})"))
        return
    if response.status_code != 200:
        if response.status_code == 404:
            # Pipermail regenerates text archives on its own schedule; the HTML may be there.
            _live_html_month(month, folder, client, summary)
            return
        summary.failures.append((month.text_url, f"HTTP {response.status_code}"))
        return
    folder.write(month_file_name(month.text_url, response.content), response.content,
                 month.text_url)
    summary.text_downloaded += 1


def _live_html_month(month: ArchiveMonth, folder: _Folder, client: _LiveClient,
                     summary: CollectSummary) -> None:
    try:
        response = client.get(month.date_url)
    except requests.RequestException as exc:
        summary.failures.append((month.date_url, f"no answer ({exc})"))
        return
    if response.status_code != 200:
        summary.failures.append((month.date_url, f"HTTP {response.status_code}"))
        return
    summary.html_months += 1
    folder.write(f"html/{month.label}/date.html", response.content, month.date_url)
    for link in parse_date_page(response.content, month.date_url):
        relative = f"html/{month.label}/{link.number:06d}.html"
        if folder.has(relative):
            summary.pages_skipped += 1
            continue
        try:
            page = client.get(link.url)
        except requests.RequestException as exc:
            summary.failures.append((link.url, f"no answer ({exc})"))
            continue
        if page.status_code != 200:
            summary.failures.append((link.url, f"HTTP {page.status_code}"))
            continue
        folder.write(relative, page.content, link.url)
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
    from scrapers.collect.warc_store import CaptureMeta, WarcStore, replay_url

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
        if folder.has(f"html/{date_rel}"):
            body = (folder.folder / "html" / date_rel).read_bytes()
        else:
            body, replay = fetch(date_rel)
            if body is not None:
                folder.write(f"html/{date_rel}", body, replay)
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
        if folder.has(f"html/{relative}"):
            summary.pages_skipped += 1
            continue
        if relative not in best:
            summary.failures.append((relative, "listed in date.html but never captured"))
            continue
        body, replay = fetch(relative)
        if body is not None:
            folder.write(f"html/{relative}", body, replay)
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
    target = config.raw_dir(data) / "list" / name
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
    target = config.raw_dir(data) / "list" / list_name / "imported"
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
    folder = _Folder(target.parent, CollectSummary(list_name, target.parent))
    for path, raw, count in checked:
        # Named by content and by the name given (made safe: an mbox may be named after its
        # owner's address), never by the folder it came from (bestbits/privacy/addresses.py).
        digest = hashlib.sha256(raw).hexdigest()
        name = stored_import_name(digest, path.name)
        if not (target / name).exists():
            shutil.copyfile(path, target / name)
        folder.sources[f"imported/{name}"] = import_label(digest, path.name)
        folder._save_sources()
        summary.files.append((safe_file_name(path.name), count))
    return summary
