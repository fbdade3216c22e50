"""The edition identity of a database, defined once for both faces: `bestbits publish` writes it
into the edition, and the live app (`bestbits serve`) shows it under every page, so that a view
of the live app and the edition published from the same database are cited by the same id.

The identifier is `<built>-<first 12 hex of the content hash>`:

- the content hash is a sha256 over the tables as export's writer writes them as CSV (the files
  in an edition's data/ folder; its README gives the command that recomputes it), so it changes
  exactly when what the record says changes;
- the build date is the day (UTC) the database was built, read from the database file's
  modification time, or the day of $SOURCE_DATE_EPOCH when it is set (reproducible builds). It
  names the database, not the day a command ran: publishing a database again, or serving it a
  week later, gives the same id; a rebuild gives a new one.

Computing the hash means exporting the tables (half a second for the embedded record), so the
live app has it computed once per database, with the default views (dashboards/default_views.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from bestbits import __version__, config


@dataclass(frozen=True)
class EditionIdentity:
    identifier: str      # build date + content hash of the tables: cite this
    built: str           # the database's build date (UTC), YYYY-MM-DD
    content_sha256: str  # sha256 over the exported tables (content_hash)
    version: str         # the program's version (bestbits-archive)

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: object) -> EditionIdentity | None:
        """The identity stored by to_json, or None for anything else."""
        if not isinstance(value, Mapping):
            return None
        fields = ("identifier", "built", "content_sha256", "version")
        if not all(isinstance(value.get(name), str) for name in fields):
            return None
        return cls(*(value[name] for name in fields))


def content_hash(files: Iterable[Path]) -> str:
    """sha256 over "name sha256(file)" lines of the given files, sorted by name: anyone can
    recompute it from the edition's data/ folder (README.md says how)."""
    lines = []
    for path in sorted(files, key=lambda p: p.name):
        lines.append(f"{path.name} {hashlib.sha256(path.read_bytes()).hexdigest()}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def build_date(db: Path) -> str:
    """The day (UTC) DB was built: $SOURCE_DATE_EPOCH's day when set, else the file's
    modification day."""
    epoch = config.source_date_epoch()
    if epoch is None:
        epoch = Path(db).stat().st_mtime
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d")


def identity_of_tables(db: Path, csv_files: Iterable[Path]) -> EditionIdentity:
    """The identity of DB whose tables export's writer has written as CSV_FILES."""
    built, digest = build_date(db), content_hash(csv_files)
    return EditionIdentity(f"{built}-{digest[:12]}", built, digest, __version__)


def edition_identity(db: Path) -> EditionIdentity:
    """The identity `bestbits publish` gives DB: its tables exported into a temporary folder
    by the same writer, with the same options, and hashed."""
    # Here, not above: a visitor's kernel reads identities but never exports (the writer's
    # imports are pandas' and networkx's, which a lean kernel does without: test_lean_kernel.py).
    from bestbits.export import export

    with tempfile.TemporaryDirectory(prefix="bestbits-identity-") as folder:
        written = export(Path(db), Path(folder), "csv")
        return identity_of_tables(db, [p for p in written if p.suffix == ".csv"])


__all__ = ["EditionIdentity", "build_date", "content_hash", "edition_identity",
           "identity_of_tables"]
