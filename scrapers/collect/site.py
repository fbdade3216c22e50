"""Collect the archived website into the raw store: list, de-duplicate, fetch, store, index, report.

`collect_site` enumerates every capture of the site through the archive's CDX API, keeps one
fetch per (URL key, digest), stores each fetched body as a WARC record and indexes every
capture (redirects and errors too, without a body). A rerun skips what the index already
holds. `import_warcs` (scrapers/collect/warc_import.py) puts existing WARC, ARC and WACZ files
into the same store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from bestbits import config
from scrapers.collect.archive import (
    Archive,
    ArchiveFailed,
    ArchiveUnreachable,
    CaptureUnavailable,
    CdxRecord,
    CorruptCapture,
    FetchedCapture,
    RateLimited,
    Redirect,
    memento_address,
)
from scrapers.collect.warc_import import ImportSummary, import_warcs
from scrapers.raw_store.warc_store import CaptureMeta, WarcStore

DEFAULT_SITE = "bestbits.net"
DEFAULT_FROM = str(config.FIRST_YEAR)
DEFAULT_TO = str(config.LAST_YEAR)


@dataclass
class CollectSummary:
    """What a run did; `text()` is the closing summary the command prints."""

    archive: str
    listed: int = 0             # CDX lines (after dropping exact repeats)
    unique: int = 0             # distinct (URL key, digest) among content captures
    fetched: int = 0            # bodies fetched and stored in this run
    skipped: int = 0            # already in the index from an earlier run
    not_content: int = 0        # redirects and errors: indexed, body not fetched
    redirects: int = 0          # redirect captures followed, their target recorded
    redirect_problems: Counter = field(default_factory=Counter)   # loops, too many hops ...
    duplicates: int = 0         # same URL key and digest as a stored capture: indexed only
    failed: Counter = field(default_factory=Counter)   # reason -> count
    malformed_cdx_lines: int = 0
    requests: int = 0
    rate_limited: int = 0
    retries: int = 0
    stopped: str | None = None  # why the run ended early, if it did

    def text(self) -> str:
        lines = [
            f"Archive: {self.archive}",
            f"  captures listed      {self.listed:>7}"
            + (f"  ({self.malformed_cdx_lines} malformed CDX lines skipped)"
               if self.malformed_cdx_lines else ""),
            f"  unique contents      {self.unique:>7}  (same URL key and digest fetched once)",
            f"  fetched and stored   {self.fetched:>7}",
            f"  skipped (stored)     {self.skipped:>7}  (already in the index)",
            f"  duplicates indexed   {self.duplicates:>7}  (point at the stored copy; "
            "revisits at their original)",
            f"  redirects/errors     {self.not_content:>7}  (indexed, body not fetched)",
            f"    redirects followed {self.redirects:>7}  (target and end of chain recorded)",
            f"  failed               {sum(self.failed.values()):>7}",
        ]
        for reason, count in self.failed.most_common():
            lines.append(f"    {count:>5} x {reason}")
        for problem, count in self.redirect_problems.most_common():
            lines.append(f"  redirect stopped: {count} x {problem}")
        lines.append(f"  requests {self.requests}, retries {self.retries}, "
                     f"429 pauses {self.rate_limited}")
        if self.failed:
            lines.append("  Failed captures are not indexed: rerun to try them again.")
        if not self.listed and not self.stopped:
            lines.append("No captures listed: check --archive (for pywb, the collection root "
                         "ending in its name) and --site.")
        if self.stopped:
            lines.append(f"Stopped early: {self.stopped}")
        return "\n".join(lines)


def is_content(record: CdxRecord) -> bool:
    """A capture worth fetching as a page: 2xx, or a revisit whose status the CDX leaves out."""
    if record.status is None:
        return (record.mime or "").lower() == "warc/revisit" or record.mime is None
    return record.status.startswith("2")


def _revisited(bodiless: dict[tuple[str, str], list[CaptureMeta]], record: CdxRecord
               ) -> CaptureMeta | None:
    """The latest capture before `record` of the same address and payload, if indexed."""
    earlier = [m for m in bodiless.get((record.url, record.digest or ""), [])
               if m.timestamp < record.timestamp]
    return max(earlier, key=lambda m: m.timestamp) if earlier else None


def is_revisit(record: CdxRecord) -> bool:
    """A CDX revisit line: the archive saw the same payload again ('-' status, warc/revisit)."""
    return record.status is None and (record.mime or "").lower() == "warc/revisit"


def _meta(record: CdxRecord, archive: Archive, source_uri: str | None = None) -> CaptureMeta:
    return CaptureMeta(url=record.url, timestamp=record.timestamp, status=record.status,
                       mime=record.mime, digest=record.digest, archive=archive.root,
                       urlkey=record.urlkey, source_uri=source_uri)


def _failure_reason(error: Exception) -> str:
    """The reason without the details in parentheses, so the summary groups alike failures."""
    reason = getattr(error, "reason", None) or str(error)
    return reason.split(" (")[0]


def collect_site(data_dir: Path, archive: Archive, *, site: str = DEFAULT_SITE,
                 from_: str | None = DEFAULT_FROM, to: str | None = DEFAULT_TO,
                 progress: bool = True, subdir: str = "site",
                 follow_redirects: bool = False) -> CollectSummary:
    """Fetch every capture of `site` in [from_, to] from `archive` into DATA_DIR/raw/<subdir>/.

    With `follow_redirects`, each redirect capture costs a request or a few more: it is followed
    through the archive to record its target and where the chain ends (the command line does
    this by default; the library keeps to one request per unique content unless asked).

    Raises ArchiveUnreachable, RateLimited, ArchiveBlocked or ArchiveFailed when the listing
    fails. When the
    archive becomes unreachable or keeps answering 429 while fetching, the run stops and the
    summary says why (`stopped`); what was stored stays stored, and a rerun continues.
    """
    summary = CollectSummary(archive=archive.root)
    stats = archive.stats
    # The client may have served other runs already: count only this run's requests.
    before = (stats.malformed_cdx_lines, stats.requests, stats.rate_limited, stats.retries)
    prefix = site if "/" in site.split("://")[-1] else site.rstrip("/") + "/"
    with WarcStore(data_dir, subdir) as store:
        try:
            records = _listed(archive.list_captures(prefix, match_type="prefix", from_=from_,
                                                    to=to))
            bar = tqdm(total=0, unit="capture", desc="Listing captures", disable=not progress)
            listing: list[CdxRecord] = []
            with bar:
                for record in records:
                    listing.append(record)
                    bar.update(1)
            summary.listed = len(listing)
            summary.unique = len({(r.urlkey, r.digest or f"{r.url} {r.timestamp}")
                                  for r in listing if is_content(r)})
            _fetch_all(listing, archive, store, summary, progress, follow_redirects)
        finally:
            (summary.malformed_cdx_lines, summary.requests, summary.rate_limited,
             summary.retries) = (now - then for now, then in zip(
                 (stats.malformed_cdx_lines, stats.requests, stats.rate_limited, stats.retries),
                 before, strict=True))
    return summary


def _is_redirect(status: str | None) -> bool:
    return bool(status) and status.startswith("3")


def _index_redirect(record: CdxRecord, archive: Archive, store: WarcStore,
                    summary: CollectSummary, fetched: FetchedCapture | None = None, *,
                    follow: bool = True) -> CaptureMeta:
    """Index a redirect capture with its target and where its chain ends in the archive
    (without `follow`: only the target its fetched answer names)."""
    if follow:
        redirect = archive.follow_redirect(record, fetched)
    else:
        location = fetched.location or dict((k.lower(), v) for k, v in fetched.headers
                                            ).get("location", "")
        redirect = Redirect(target=memento_address(location, fetched.source_url,
                                                   archive.root)[2] if location else None)
    status = record.status or (str(fetched.status) if fetched is not None else None)
    meta = CaptureMeta(
        url=record.url, timestamp=record.timestamp, status=status, mime=record.mime,
        digest=record.digest, archive=archive.root, urlkey=record.urlkey,
        redirect_to=redirect.target, redirect_end_url=redirect.end_url,
        redirect_end_timestamp=redirect.end_timestamp, redirect_problem=redirect.problem)
    store.index_only(meta)
    summary.redirects += 1
    if redirect.problem:
        summary.redirect_problems[redirect.problem.split(":")[0]] += 1
    return meta


def _listed(records: Iterable[CdxRecord]) -> Iterator[CdxRecord]:
    seen: set[tuple[str, str]] = set()
    for record in records:
        # The same capture can be listed twice (two CDX shards); one entry is enough.
        key = (record.url, record.timestamp)
        if key not in seen:
            seen.add(key)
            yield record


def _fetch_all(listing: list[CdxRecord], archive: Archive, store: WarcStore,
               summary: CollectSummary, progress: bool, follow_redirects: bool) -> None:
    # Revisits last, so that each finds the capture it repeats whatever the order of the lines.
    ordered = [r for r in listing if not is_revisit(r)] + [r for r in listing if is_revisit(r)]
    # Captures indexed without a body in this run (redirects, errors), by address and digest:
    # a revisit of one is the same redirect or error again (the latest earlier one with that
    # payload, as a WARC revisit refers to it), resolved without a request.
    bodiless: dict[tuple[str, str], list[CaptureMeta]] = {}
    bar = tqdm(ordered, unit="capture", desc="Fetching captures", disable=not progress)
    with bar:
        for record in bar:
            if store.has(record.url, record.timestamp):
                summary.skipped += 1
                continue
            original = _revisited(bodiless, record) if is_revisit(record) else None
            if original is not None:
                store.index_only(replace(original, url=record.url, timestamp=record.timestamp,
                                         digest=record.digest, source_uri=None))
                summary.duplicates += 1
                continue
            if not is_content(record):
                if follow_redirects and _is_redirect(record.status):
                    try:
                        meta = _index_redirect(record, archive, store, summary)
                    except (ArchiveUnreachable, RateLimited) as exc:
                        summary.stopped = str(exc)
                        return
                else:
                    meta = _meta(record, archive)
                    store.index_only(meta)
                if record.digest:
                    bodiless.setdefault((record.url, record.digest), []).append(meta)
                summary.not_content += 1
                continue
            copy = store.stored_copy(record.urlkey, record.url, record.digest)
            if copy is not None:
                store.index_only(_meta(record, archive), stored_at=copy.stored_at)
                summary.duplicates += 1
                continue
            try:
                fetched = archive.fetch(record)
            except (CaptureUnavailable, CorruptCapture, ArchiveFailed) as exc:
                summary.failed[_failure_reason(exc)] += 1
                continue
            except (ArchiveUnreachable, RateLimited) as exc:
                # Going on would only hammer an archive that is down or asking us to stop.
                summary.stopped = str(exc)
                return
            if 300 <= fetched.status < 400:
                # A revisit of a redirect ('-' in the CDX): the archived answer is a redirect.
                try:
                    meta = _index_redirect(record, archive, store, summary, fetched,
                                           follow=follow_redirects)
                except (ArchiveUnreachable, RateLimited) as exc:
                    summary.stopped = str(exc)
                    return
                if record.digest:
                    bodiless.setdefault((record.url, record.digest), []).append(meta)
                summary.not_content += 1
                continue
            # An archived error page comes through here too: a 404, a 403, or a 429 (a capture
            # *of* a rate limit, which the archive serves as a memento, never a live 429). It
            # was fetched (a '-' revisit line), so it is stored with its own status.
            status = str(fetched.status) if record.status is None or fetched.status >= 400 \
                else record.status
            meta = CaptureMeta(url=record.url, timestamp=record.timestamp, status=status,
                               mime=record.mime, digest=record.digest, archive=archive.root,
                               urlkey=record.urlkey, source_uri=fetched.source_url)
            store.store(meta, fetched.headers, fetched.body, http_status=fetched.status)
            summary.fetched += 1
            bar.set_postfix(stored=summary.fetched, failed=sum(summary.failed.values()),
                            refresh=False)


__all__ = ["CollectSummary", "ImportSummary", "collect_site", "import_warcs", "is_content"]
