"""Build reader: the capture indexes (DATA_DIR/raw/**/captures.jsonl) into the `captures` table."""

from __future__ import annotations

from pathlib import Path

from bestbits.config import raw_dir
from bestbits.load.loader import Loader
from scrapers.collect.warc_store import INDEX_NAME, read_index_lines

STAGE = "captures"


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
            rows.append({
                "url": entry["url"], "timestamp": entry["timestamp"],
                "status": entry.get("status"), "mime": entry.get("mime"),
                "digest": entry.get("digest"), "archive": entry["archive"],
                "stored_at": entry.get("stored_at"), "replay_url": entry.get("replay_url"),
            })
        load.insert("captures", rows)
        load.reject_many(rejects)
        load.report(source, STAGE, total, len(rows), len(rejects))
