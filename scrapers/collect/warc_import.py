"""Import existing WARC, ARC and WACZ files into the raw store, accounting for every record.

What real archive files throw at an importer, and what happens to it here:

- ARC (the Internet Archive's format before WARC, written by Heritrix until about 2009): read
  through warcio with `arc2warc=True`, so each ARC record becomes the WARC record warcio would
  write (`filedesc://` becomes `warcinfo`, each capture a `response`).
- A gzipped WARC/ARC written as one gzip stream instead of one member per record (some wget
  versions and other tools): warcio refuses to read on after the first record. The importer
  recompresses it the way `warcio recompress` does (into a temporary file beside nothing of
  ours) and reads that, and the summary says so.
- A damaged file (cut-off gzip, broken chunks, garbage after a record): everything before the
  damage is imported; the rest is reported with the file and the byte offset where it starts.
- Records the store cannot use are counted by kind (request, metadata, warcinfo, resource ...)
  or rejected with a reason (no target URI, an impossible WARC-Date, a body cut short, a revisit
  whose original is not in the store). Nothing is dropped silently.

Each file's account is appended to DATA_DIR/raw/<subdir>/imports.jsonl, so `bestbits build`
reports every imported file with loaded + rejected = total.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from tqdm import tqdm
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recompressor import Recompressor

from bestbits.output_folders import file_sha256
from bestbits.privacy import URL_REDACTED, import_label, redact, safe_file_name
from scrapers.raw_store.warc_store import (
    IMPORT_LOG_NAME,
    INDEXED_OUTCOMES,
    CaptureMeta,
    WarcStore,
    store_folder,
    timestamp_from_warc_date,
)

# warcio's own wording when a gzip file is one stream rather than one member per record.
_SINGLE_STREAM_MARK = "non-chunked gzip file detected"


@dataclass
class FileAccount:
    """What happened to each record of one input file (a WARC, an ARC, or a WARC in a WACZ)."""

    label: str
    path: str = ""      # what rows cite: 'import:<sha256 prefix>/<name>' (a WACZ member: then !member)
    records: int = 0
    outcomes: Counter = field(default_factory=Counter)           # outcome -> count
    left_out: list[tuple[int, str]] = field(default_factory=list)  # (offset, reason) not indexed
    single_stream: bool = False    # one gzip stream for the whole file, not one per record
    recompressed: bool = False     # ... and warcio rewrote it one member per record
    damaged_at: int | None = None      # byte offset where the unreadable rest begins
    damage: str | None = None          # what went wrong there

    @property
    def indexed(self) -> int:
        return sum(self.outcomes[o] for o in INDEXED_OUTCOMES)

    def log_entry(self) -> dict:
        return {"file": self.label, "path": self.path, "records": self.records,
                "outcomes": dict(self.outcomes),
                "left_out": [list(item) for item in self.left_out],
                "single_stream": self.single_stream,
                "recompressed": self.recompressed, "damaged_at": self.damaged_at,
                "damage": self.damage}


@dataclass
class ImportSummary:
    files: int = 0
    records: int = 0
    stored: int = 0
    skipped: int = 0            # already in the index
    duplicates: int = 0         # same content as a stored capture, or a revisit resolved to it
    not_content: int = 0        # redirects and errors: indexed without a body
    not_responses: int = 0      # request, metadata, warcinfo, resource ... records
    other_types: Counter = field(default_factory=Counter)   # record type -> count
    failed: Counter = field(default_factory=Counter)        # reason -> count
    recompressed: list[str] = field(default_factory=list)
    unpacked: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)
    accounts: list[FileAccount] = field(default_factory=list)

    def text(self) -> str:
        kinds = ", ".join(f"{n} {kind}" for kind, n in self.other_types.most_common())
        lines = [f"Imported {self.files} files: {self.records} records",
                 f"  stored               {self.stored:>7}",
                 f"  skipped (stored)     {self.skipped:>7}",
                 f"  duplicates indexed   {self.duplicates:>7}  (same content, revisits included)",
                 f"  redirects/errors     {self.not_content:>7}  (indexed, no body)",
                 f"  other record types   {self.not_responses:>7}"
                 + (f"  ({kinds})" if kinds else ""),
                 f"  failed               {sum(self.failed.values()):>7}"]
        for reason, count in self.failed.most_common():
            lines.append(f"    {count:>5} x {reason}")
        for label in self.recompressed:
            lines.append(f"  {label}: one gzip stream, not one per record; recompressed on "
                         "import (as `warcio recompress` does)")
        for label in self.unpacked:
            lines.append(f"  {label}: one gzip stream, not one per record; its records are "
                         "damaged, so it was decompressed and read up to the damage")
        return "\n".join(lines)


# -- reading the inputs ----------------------------------------------------------------------
def _warc_streams(path: Path, label: str) -> Iterator[tuple[str, IO[bytes]]]:
    """(label, stream) for a WARC/ARC file, or for each WARC inside a WACZ (a zip with archive/)."""
    if path.suffix.lower() == ".wacz":
        with zipfile.ZipFile(path) as bundle:
            for name in sorted(bundle.namelist()):
                if name.startswith("archive/") and ".warc" in name:
                    with bundle.open(name) as member:
                        yield f"{label}!{redact(name, URL_REDACTED)}", member
        return
    with open(path, "rb") as handle:
        yield label, handle


def _recompressed(stream: IO[bytes]) -> tuple[IO[bytes], bool]:
    """`stream` recompressed one gzip member per record, the way `warcio recompress` does.

    Returns (temporary file, True); when the records themselves are damaged so that warcio
    cannot rewrite them, (the decompressed stream, False), to be read up to the damage.
    """
    stream.seek(0)
    unpacked = tempfile.TemporaryFile()
    shutil.copyfileobj(DecompressingBufferedReader(stream, read_all_members=True), unpacked)
    unpacked.seek(0)
    out = tempfile.NamedTemporaryFile(suffix=".warc.gz", delete=False)
    out.close()
    try:
        Recompressor(None, out.name).load_and_write(unpacked, out.name)
    except Exception:
        os.unlink(out.name)
        unpacked.seek(0)
        return unpacked, False
    unpacked.close()
    handle = open(out.name, "rb")
    os.unlink(out.name)   # the open handle keeps it readable; nothing is left behind
    return handle, True


def _damage_offset(records: ArchiveIterator) -> int:
    """Where the unreadable part begins: the end of the last record read."""
    offset = int(getattr(records, "offset", 0) or 0)
    member = getattr(records, "member_info", None)
    if offset < 0 and member:
        offset = int(member[0]) + int(member[1])
    return max(offset, 0)


def valid_timestamp(value: str) -> str | None:
    """The 14-digit timestamp of a WARC-Date, or None when it is no real moment."""
    stamp = timestamp_from_warc_date(value)
    try:
        datetime.strptime(stamp, "%Y%m%d%H%M%S")
    except ValueError:
        return None
    # A date such as '2008-10-294T05:21:46' yields 14 digits that happen to parse; insist that
    # the text itself starts with a real date.
    try:
        datetime.strptime(value[:10], "%Y-%m-%d")
    except ValueError:
        return None
    return stamp


def content_key(url: str) -> str:
    """The key under which the same content of one address is found again: without the scheme
    and a leading www., host lower-cased (as a CDX URL key ignores them), so that an https
    revisit finds its http original."""
    rest = url.split("://", 1)[-1]
    host, slash, path = rest.partition("/")
    host = host.lower().removeprefix("www.")
    return f"{host}{slash}{path}"


# -- one record ------------------------------------------------------------------------------
def _import_record(record, label: str, store: WarcStore) -> tuple[str, str | None]:
    """(outcome, reason): outcome is an INDEXED_OUTCOMES member, 'other type' or 'rejected'."""
    kind = record.rec_type
    headers = record.rec_headers
    if kind not in ("response", "revisit"):
        return "other type", f"{kind} record (not a capture)"
    url = (headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    if url.startswith("dns:"):
        return "other type", "DNS lookup record (not a capture)"
    if record.http_headers is None and kind == "response":
        return "other type", f"{kind} record without an HTTP response"
    date = headers.get_header("WARC-Date") or ""
    if not url:
        return "rejected", "record without WARC-Target-URI"
    timestamp = valid_timestamp(date)
    if timestamp is None:
        return "rejected", f"WARC-Date {date!r} is not a valid date"
    http = record.http_headers
    status = http.get_statuscode() if http is not None else None
    mime = ((http.get_header("Content-Type") if http is not None else None) or ""
            ).split(";")[0].strip()
    digest = (headers.get_header("WARC-Payload-Digest") or "").split(":")[-1] or None
    if store.has(url, timestamp):
        return "already stored", None
    if kind == "revisit":
        # A revisit says "same payload as an earlier capture": point at the stored original.
        # Its HTTP headers, when it has any, are this capture's; else the original's stand.
        original = (headers.get_header("WARC-Refers-To-Target-URI") or url).strip().strip("<>")
        copy = store.stored_copy(content_key(original), original, digest) or \
            store.stored_copy(content_key(url), url, digest)
        if copy is None:
            refers = headers.get_header("WARC-Refers-To-Date") or "an earlier date"
            return "rejected", (f"revisit of {original} ({refers}) whose original is not in the "
                                "store; import the file holding it first")
        meta = CaptureMeta(url=url, timestamp=timestamp, status=status or copy.status,
                           mime=mime or copy.mime, digest=digest, archive=f"warc:{label}",
                           urlkey=content_key(url))
        store.index_only(meta, stored_at=copy.stored_at)
        return "duplicate", None
    meta = CaptureMeta(url=url, timestamp=timestamp, status=status, mime=mime or None,
                       digest=digest, archive=f"warc:{label}", urlkey=content_key(url))
    if not (status or "").startswith("2"):
        store.index_only(meta)
        return "redirect/error", None
    copy = store.stored_copy(meta.urlkey, url, digest)
    # A response is a duplicate only of the same address; scheme and www. variants of it are
    # kept apart (only revisits, which name their original, are matched across them).
    if copy is not None and copy.url == url:
        store.index_only(meta, stored_at=copy.stored_at)
        return "duplicate", None
    try:
        body = record.content_stream().read()
    except Exception as exc:  # broken chunked or gzip body inside an otherwise good record
        return "rejected", f"body does not decode ({type(exc).__name__}: {exc})"
    missing = getattr(record.raw_stream, "limit", 0) or 0
    if missing > 0:
        return "rejected", (f"record cut short: {missing} of {record.length} bytes missing "
                            "(the file ends inside it)")
    store.store(meta, record.http_headers.headers, body, http_status=int(status))
    return "stored", None


def _read_stream(label: str, stream: IO[bytes], store: WarcStore, account: FileAccount,
                 bar: tqdm) -> None:
    head = stream.peek(16)[:16] if hasattr(stream, "peek") else b""
    # warcio reads almost anything as an old ARC record; refuse what is plainly no archive.
    if head and not head.startswith((b"\x1f\x8b", b"WARC/", b"filedesc://")):
        account.damaged_at = 0
        account.damage = "not a WARC file (nor gzipped WARC, ARC)"
        return
    done = 0   # records already handled, so a recompressed second reading skips them
    source = stream
    try:
        while True:
            records = ArchiveIterator(source, arc2warc=True)
            position = 0
            try:
                for record in records:
                    position += 1
                    if position <= done:
                        continue
                    # Where this record starts (get_record_offset() would read the record
                    # to its end before we could).
                    offset = max(int(records.offset), 0)
                    outcome, reason = _import_record(record, label, store)
                    account.records += 1
                    account.outcomes[outcome] += 1
                    if reason:
                        account.left_out.append((offset, reason))
                    done = position
                    bar.update(1)
                return
            except ArchiveLoadFailed as exc:
                if _SINGLE_STREAM_MARK in str(exc) and source is stream:
                    source, account.recompressed = _recompressed(stream)
                    account.single_stream = True
                    continue
                _note_damage(account, records, " ".join(str(exc).split())[:200])
                return
            except Exception as exc:  # zlib, struct, value errors from a damaged file
                _note_damage(account, records,
                             f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
                return
    finally:
        if source is not stream:
            source.close()


def _note_damage(account: FileAccount, records: ArchiveIterator, what: str) -> None:
    account.damaged_at = _damage_offset(records)
    if account.single_stream:
        what += (" (offset in the recompressed copy)" if account.recompressed else
                 " (offset in the decompressed stream; warcio could not recompress it)")
    account.damage = what


def _add(summary: ImportSummary, account: FileAccount) -> None:
    summary.accounts.append(account)
    summary.records += account.records
    summary.stored += account.outcomes["stored"]
    summary.skipped += account.outcomes["already stored"]
    summary.duplicates += account.outcomes["duplicate"]
    summary.not_content += account.outcomes["redirect/error"]
    summary.not_responses += account.outcomes["other type"]
    for _offset, reason in account.left_out:
        if reason.endswith("(not a capture)") or reason.endswith("without an HTTP response"):
            summary.other_types[reason.split(" record")[0].replace(" lookup", "")] += 1
        else:
            summary.failed[reason if not reason.startswith("revisit of") else
                           "revisit whose original is not in the store"] += 1
    if account.recompressed:
        summary.recompressed.append(account.label)
    elif account.single_stream:
        summary.unpacked.append(account.label)
    if account.damage is not None:
        if account.damage.startswith("not a WARC file"):
            summary.failed[f"{account.label}: {account.damage}"] += 1
        else:
            reason = (f"{account.label}: damaged at byte {account.damaged_at} after "
                      f"{account.records} records ({account.damage}); the rest was not read")
            summary.failed[reason] += 1
            summary.damaged.append(reason)


def import_warcs(data_dir: Path, files: Iterable[Path], *, subdir: str = "site",
                 progress: bool = True) -> ImportSummary:
    """Copy the captures of WARC/ARC/WACZ `files` into the store, index them, log each file."""
    summary = ImportSummary()
    with WarcStore(data_dir, subdir) as store:
        log = store_folder(Path(data_dir), subdir) / IMPORT_LOG_NAME
        for path in files:
            path = Path(path)
            summary.files += 1
            # Named by the name given (made safe) and, where rows cite it, by content too:
            # 'import:<sha256 prefix>/<name>', never a local path (bestbits/privacy/addresses.py).
            given, cited = safe_file_name(path.name), import_label(file_sha256(path), path.name)
            with tqdm(unit="record", desc=given, disable=not progress) as bar:
                for label, stream in _warc_streams(path, given):
                    account = FileAccount(label, cited + label[len(given):])
                    _read_stream(label, stream, store, account, bar)
                    _add(summary, account)
                    with open(log, "a", encoding="utf-8") as handle:
                        handle.write(json.dumps(account.log_entry(), ensure_ascii=False) + "\n")
    return summary


__all__ = ["FileAccount", "ImportSummary", "import_warcs"]
