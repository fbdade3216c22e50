"""Build reader: the capture indexes (DATA_DIR/raw/**/captures.jsonl) into the `captures` table.

It also accounts for every imported WARC/ARC file (DATA_DIR/raw/**/imports.jsonl, written by
`bestbits collect warc`): each file is an input of its own, its records loaded (indexed) or
rejected with a reason (other record types, bad dates, a damaged rest of the file ...).
The reader depends on nothing but the files under DATA_DIR/raw/. An address of a capture can
hold someone's e-mail address (`?s=someone@...`, `/author/someone@.../`): every address is
stored as `stored_capture` gives it, with that part redacted (bestbits/privacy/addresses.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from bestbits.config import raw_dir
from bestbits.load.loader import Loader
from bestbits.privacy import URL_REDACTED, redact, redact_url, safe_file_name
from scrapers.raw_store.warc_store import (
    IMPORT_LOG_NAME,
    INDEX_NAME,
    INDEXED_OUTCOMES,
    StoredCapture,
    read_index_lines,
)

STAGE = "captures"
IMPORT_STAGE = "warc import"
REDIRECT_COLUMNS = ("redirect_to", "redirect_end_url", "redirect_end_timestamp",
                    "redirect_problem")
# Index fields that hold an address of a page.
ADDRESS_FIELDS = ("url", "replay_url", "redirect_to", "redirect_end_url")


def stored_capture(capture: StoredCapture) -> StoredCapture:
    """A capture with its addresses as the build stores them: no e-mail address in them."""
    return replace(capture, url=redact_url(capture.url), replay_url=redact_url(capture.replay_url))


def stored_captures(captures: Iterable[StoredCapture]) -> Iterator[StoredCapture]:
    """`stored_capture` of each capture (the site pages reader reads captures through this)."""
    return map(stored_capture, captures)


def index_files(data_dir: Path) -> list[Path]:
    """Every capture index under DATA_DIR/raw/ (raw/site/, raw/list/wayback/, ...)."""
    raw = raw_dir(Path(data_dir))
    return sorted(raw.rglob(INDEX_NAME)) if raw.is_dir() else []


def _problem(entry: dict, data_dir: Path) -> str | None:
    timestamp = str(entry.get("timestamp"))
    if not (timestamp.isdigit() and len(timestamp) == 14):
        return f"timestamp {timestamp!r} is not 14 digits"
    stored_at = entry.get("stored_at")
    if stored_at:
        relative, sep, offset = str(stored_at).rpartition("#")
        if not sep or not offset.isdigit():
            return f"stored_at {stored_at!r} is not 'file#offset'"
        if not (data_dir / relative).is_file():
            return f"stored_at points to {relative}, which is missing; rerun the collector"
    return None


def read_captures(data_dir: Path, load: Loader) -> None:
    """Load every index line as a `captures` row; report each index file, reject bad lines."""
    data_dir = Path(data_dir)
    for path in index_files(data_dir):
        source = path.relative_to(data_dir).as_posix()
        rows = []
        rejects = []
        total = 0
        for number, entry, problem in read_index_lines(path):
            total += 1
            if entry is not None:
                problem = _problem(entry, data_dir)
            if problem:
                rejects.append((source, f"line {number}", STAGE, problem))
                continue
            row = {
                "url": entry["url"], "timestamp": entry["timestamp"],
                "status": entry.get("status"), "mime": entry.get("mime"),
                "digest": entry.get("digest"), "archive": entry["archive"],
                "stored_at": entry.get("stored_at"), "replay_url": entry.get("replay_url"),
                # Only redirect captures carry these (queries/schema/52_capture_redirects.sql).
                **{name: entry[name] for name in REDIRECT_COLUMNS if name in entry},
            }
            rows.append({name: redact_url(value) if name in ADDRESS_FIELDS else value
                         for name, value in row.items()})
        load.insert("captures", rows)
        load.reject_many(rejects)
        load.report(source, STAGE, total, len(rows), len(rejects))
    for path in import_logs(data_dir):
        _read_import_log(path, data_dir, load)


def import_logs(data_dir: Path) -> list[Path]:
    """Every WARC import log under DATA_DIR/raw/."""
    raw = raw_dir(Path(data_dir))
    return sorted(raw.rglob(IMPORT_LOG_NAME)) if raw.is_dir() else []


def _read_import_log(path: Path, data_dir: Path, load: Loader) -> None:
    """Report each imported file once (its latest import), with every record accounted for."""
    log_source = path.relative_to(data_dir).as_posix()
    latest: dict[str, dict] = {}
    bad = []
    total = 0
    for number, entry, problem in read_log_lines(path):
        total += 1
        if entry is None:
            bad.append((log_source, f"line {number}", IMPORT_STAGE, problem))
            continue
        # The same file imported again: its latest account stands (earlier records show up
        # there as 'already stored').
        latest[_cited(str(entry.get("path") or entry["file"]))] = entry
    load.reject_many(bad)
    load.report(log_source, IMPORT_STAGE, total, total - len(bad), len(bad))
    for where, entry in latest.items():
        source = f"warc:{where}"
        outcomes = entry.get("outcomes") or {}
        loaded = sum(int(outcomes.get(name, 0)) for name in INDEXED_OUTCOMES)
        rejects = [(source, f"offset {offset}", IMPORT_STAGE, str(reason))
                   for offset, reason in entry.get("left_out") or []]
        if entry.get("damage"):
            rejects.append((source, f"offset {entry.get('damaged_at')}", IMPORT_STAGE,
                            f"the rest of the file is unreadable: {entry['damage']}"))
        load.reject_many(rejects)
        load.report(source, IMPORT_STAGE, loaded + len(rejects), loaded, len(rejects))


def _cited(where: str) -> str:
    """How rows cite an imported file: its import label ('import:<sha256 prefix>/<name>'). An
    older log named the local path it was read from: cited by its name alone."""
    if where.startswith("import:"):
        return where
    path, bang, member = where.partition("!")
    return f"import:{safe_file_name(path)}{bang}{redact(member, URL_REDACTED)}"


def read_log_lines(path: Path):
    """(line number, entry or None, problem) for each line of an import log."""
    for number, raw in enumerate(path.read_text(encoding="utf-8", errors="replace")
                                 .splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
        except ValueError as exc:
            yield number, None, f"not an import log line: {exc}"
            continue
        if not isinstance(entry, dict) or not entry.get("file"):
            yield number, None, "not an import log line: no file named"
            continue
        yield number, entry, ""
