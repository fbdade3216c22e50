"""The default view of every page, computed once per database rather than once per visit.

A visit used to start by running its page's queries and building its Plotly figures: about a
second of CPU in its own kernel, which eight visitors arriving together pay eight times over on
two cores. `bestbits serve` now has the views a visitor sees first (each page at its address
with no filter, `?page=<id>`) computed once, in a child process whose memory goes back when it
ends, through the same page definitions both faces draw, and written as JSON beside the
database. A visitor's kernel loads that file and draws; it runs queries only when the visitor
filters, searches or clicks. The file holds the database's edition identity too
(bestbits/edition_identity.py: the id `bestbits publish` gives it, which each page shows under it
to be cited), since computing it means exporting the tables: once per database, not per visit.

The file is keyed by what the views depend on: the database's content (sha256, checked when it
is written; its size and modification time, checked by each kernel, so that a database rebuilt
while the server runs is never shown with stale views) and the code that draws it (the sources
of the dashboards, the queries and the library, and plotly's and networkx's versions). A file
that does not match is ignored, and the kernel computes its page as before.

No command overwrites what it did not write: a file at the views' place that is not a views
file this module wrote is left alone, and the views go to the user's cache folder instead.

    python -m dashboards.default_views DB [OUT]   (what `bestbits serve` runs)
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from bestbits import config
from bestbits.edition_identity import EditionIdentity, build_date, edition_identity
from bestbits.output_folders import file_sha256

FORMAT = "bestbits default views 1"
# The environment variable through which `bestbits serve` tells the kernels where the views are.
VIEWS_ENV = "BESTBITS_VIEWS"
# The libraries whose versions change the views' JSON (plotly's templates, networkx's layouts).
LIBRARIES = ("plotly", "networkx", "duckdb")


def views_path(db: Path) -> Path:
    """Beside the database: data/bestbits.duckdb -> data/bestbits.duckdb.views.json."""
    return db.with_name(db.name + ".views.json")


def cache_path(db: Path) -> Path:
    """Where the views go when the database's folder cannot take them (read-only, or a file of
    someone else's at the views' place): the user's cache, one file per database path."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    name = hashlib.sha256(str(db.resolve()).encode()).hexdigest()[:16]
    return base / "bestbits" / "views" / f"{name}.json"


def code_fingerprint() -> str:
    """sha256 over the sources that draw the views and the versions of the libraries they use."""
    digest = hashlib.sha256()
    roots = [Path(__file__).parent, Path(config.__file__).parent, config.QUERIES_DIR]
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".sql")):
            digest.update(f"{path.relative_to(root.parent)}\n".encode())
            digest.update(path.read_bytes())
    for library in LIBRARIES:
        try:
            digest.update(f"{library} {metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} absent\n".encode())
    return digest.hexdigest()


def database_stamp(db: Path) -> dict[str, int]:
    """What each kernel checks cheaply: a rebuilt or replaced database changes one of these."""
    status = db.stat()
    return {"size": status.st_size, "mtime_ns": status.st_mtime_ns}


# --- writing (in the child process `bestbits serve` starts) ------------------------------------

def compute(db: Path) -> dict[str, Any]:
    """Every page's default view as JSON: per page, the state it was built for and its sections
    (blocks and the state keys each read, which the live face needs to rebuild only what a
    filter changes)."""
    from dashboards.data import DashboardData
    from dashboards.page_view import to_json
    from dashboards.pages import PAGE_IDS, definition
    from dashboards.view_state import ViewState

    data = DashboardData(db)
    pages = {}
    for page_id in PAGE_IDS:
        state = ViewState(f"?page={page_id}").values
        _view, sections = definition(page_id).build(data, state, {})
        pages[page_id] = {"state": state, "sections": {
            section_id: {"blocks": to_json(result.blocks), "reads": sorted(result.reads)}
            for section_id, result in sections.items()}}
    return pages


def write(db: Path, out: Path | None = None) -> Path:
    """Compute the views and write them (atomically) to OUT, by default beside the database or,
    where that place is not ours to write, in the user's cache. Returns the file written."""
    db = db.resolve()
    stamp, sha = database_stamp(db), file_sha256(db)
    # The build date is in the key: $SOURCE_DATE_EPOCH changes it, not the database.
    header = {"format": FORMAT, "database": str(db), "database_sha256": sha, **stamp,
              "code": code_fingerprint(), "built": build_date(db)}
    target = out or _writable_place(db)
    current = _read(target)
    if current is not None and _matches(current, header):
        return target  # already there: computed for this database and this code
    document = {**header, "computed": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "edition": edition_identity(db).to_json(), "pages": compute(db)}
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".views-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream, separators=(",", ":"))
        os.chmod(temporary, 0o666 & ~_umask())  # as any file the user writes (mkstemp: 0600)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _writable_place(db: Path) -> Path:
    beside = views_path(db)
    ours = not beside.exists() or _read(beside) is not None
    if ours and os.access(beside.parent, os.W_OK):
        return beside
    return cache_path(db)


def _read(path: Path) -> dict[str, Any] | None:
    """The views file at PATH if it is one this module wrote, else None."""
    try:
        with path.open(encoding="utf-8") as stream:
            document = json.load(stream)
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) and document.get("format") == FORMAT else None


def _matches(document: dict[str, Any], header: dict[str, Any]) -> bool:
    return all(document.get(key) == value for key, value in header.items())


# --- reading (in a visitor's kernel) ------------------------------------------------------------

@dataclass
class DefaultViews:
    """The precomputed views a kernel draws from: `sections(page_id, state)` gives a page's
    sections when STATE is the one they were computed for, else None (the kernel builds); and
    the database's edition identity, which every page shows to be cited."""

    pages: dict[str, Any]
    identity: EditionIdentity | None = None

    def sections(self, page_id: str, state: dict[str, str]):
        from dashboards.page import SectionResult
        from dashboards.page_view import from_json

        page = self.pages.get(page_id)
        if page is None or page.get("state") != state:
            return None
        return {section_id: SectionResult([from_json(block) for block in result["blocks"]],
                                          frozenset(result["reads"]))
                for section_id, result in page["sections"].items()}


def load(db: Path) -> DefaultViews | None:
    """The views for DB if a file written for this database and this code is found (where
    `bestbits serve` said, beside the database, or in the cache), else None."""
    db = db.resolve()
    try:
        stamp = database_stamp(db)
    except OSError:
        return None
    named = os.environ.get(VIEWS_ENV)
    candidates = [Path(named)] if named else []
    candidates += [views_path(db), cache_path(db)]
    fingerprint = None
    for candidate in candidates:
        document = _read(candidate)
        if document is None or document.get("database") != str(db) or \
                any(document.get(k) != v for k, v in stamp.items()):
            continue
        fingerprint = fingerprint or code_fingerprint()
        if document.get("code") == fingerprint and isinstance(document.get("pages"), dict):
            return DefaultViews(document["pages"], EditionIdentity.from_json(document.get("edition")))
    return None


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    started = time.monotonic()
    written = write(Path(argv[0]), Path(argv[1]) if len(argv) == 2 else None)
    print(f"{written} ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
