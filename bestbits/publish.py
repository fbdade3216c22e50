"""`bestbits publish`: write a static, citable edition of the database into a folder: the data
package, the pages, the captures, the citation files; the previous edition is replaced only when
the new one is complete.

The pages are the dashboards' own (dashboards/pages/), drawn by the edition's face
(dashboards/edition/): plain HTML, charts drawn from JSON in each page by the plotly.js copied
into the folder, tables sorted and filtered in the browser. Every table is written as CSV and
Parquet with a datapackage.json by export's writer, and, when the site was collected, its
captures as one WACZ file. Nothing in a page asks for anything outside the folder, so it opens
from any static host or from `python -m http.server`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bestbits import __version__, config
from bestbits.export import export

MARKER = "edition.json"  # in every edition; a folder without it is never overwritten
TITLE = "The archived record of the Best Bits network (2012–2019)"


class PublishError(Exception):
    """The edition cannot be written as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Edition:
    folder: Path
    identifier: str      # build date + content hash of the tables: cite this
    built: str           # the build date (UTC), YYYY-MM-DD
    content_hash: str    # sha256 over the exported tables (see README.md in the edition)
    pages: tuple[str, ...]
    captures_wacz: bool


# --- small pure helpers ----------------------------------------------------------------------

def content_hash(files: Iterable[Path]) -> str:
    """sha256 over "name sha256(file)" lines of the given files, sorted by name: anyone can
    recompute it from the edition's data/ folder (README.md says how)."""
    lines = []
    for path in sorted(files, key=lambda p: p.name):
        lines.append(f"{path.name} {hashlib.sha256(path.read_bytes()).hexdigest()}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def build_date() -> str:
    """Today (UTC), or $SOURCE_DATE_EPOCH for a reproducible edition."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit()
              else dt.datetime.now(dt.UTC))
    return moment.strftime("%Y-%m-%d")


# --- the edition -----------------------------------------------------------------------------

def publish(db: Path, out: Path, data_dir: Path | None = None,
            progress: Callable[[str], None] | None = None) -> Edition:
    """Write the edition of `db` into `out`; the previous edition there is replaced only when the
    new one is complete."""
    from dashboards.data import DashboardData
    from dashboards.edition.site import EditionSite

    say = progress or (lambda _m: None)
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise PublishError(f"{out} exists and is not an edition (no {MARKER}): choose an empty or "
                           "new folder; nothing was written.")
    data = DashboardData(Path(db))  # raises DatabaseMissing with the command to run
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        say("Exporting the tables (CSV, Parquet, datapackage.json)")
        csv_files = _write_data(db, work / "data")
        built = build_date()
        digest = content_hash(csv_files)
        identifier = f"{built}-{digest[:12]}"
        has_wacz = False
        warcs = sorted((config.raw_dir(data_dir or config.data_dir()) / "site").glob("*.warc.gz"))
        if warcs:
            say(f"Packing {len(warcs)} WARC files into captures.wacz")
            _write_wacz(warcs, work / "captures.wacz", identifier, data)
            has_wacz = True
        say("Writing the pages")
        site = EditionSite(data, work, edition=identifier, built=built, digest=digest,
                           version=__version__, title=TITLE, has_wacz=has_wacz)
        pages = site.write_pages()
        _finish_data_package(work / "data" / "datapackage.json", identifier, built, digest)
        _write_text(work / "CITATION.cff", site.render("CITATION.cff.j2", "CITATION.cff"))
        _write_text(work / "README.md", site.render("README.md.j2", "README.md",
                                                    row_counts=_row_counts(work / "data"),
                                                    page_list=site.page_list()))
        (work / MARKER).write_text(json.dumps({
            "edition": identifier, "built": built, "content_sha256": digest,
            "program": f"bestbits-archive {__version__}", "pages": len(pages),
            "captures_wacz": has_wacz}, indent=2) + "\n")
        data.con.close()
        _replace(work, out)
    except BaseException:
        data.con.close()
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Edition(out, identifier, built, digest, tuple(pages), has_wacz)


def _replace(work: Path, out: Path) -> None:
    work.chmod(0o755)  # mkdtemp made it private; an edition is for reading
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
    work.rename(out)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_data(db: Path, folder: Path) -> list[Path]:
    """Every table as CSV and Parquet through export's writer (so its rules apply), described by
    one datapackage.json: CSV resources under the table's name, Parquet ones as <name>-parquet."""
    package_file = folder / "datapackage.json"
    written = export(db, folder, "csv")
    csv_package = json.loads(package_file.read_text())
    export(db, folder, "parquet")
    parquet_package = json.loads(package_file.read_text())
    for resource in parquet_package["resources"]:
        resource["name"] = f"{resource['name']}-parquet"
    csv_package["resources"] += parquet_package["resources"]
    package_file.write_text(json.dumps(csv_package, indent=2, ensure_ascii=False) + "\n")
    return [p for p in written if p.suffix == ".csv"]


def _row_counts(folder: Path) -> list[tuple[str, int]]:
    import pyarrow.parquet as pq

    return [(path.stem, pq.ParquetFile(path).metadata.num_rows)
            for path in sorted(folder.glob("*.parquet"))]


def _finish_data_package(path: Path, identifier: str, built: str, digest: str) -> None:
    package = json.loads(path.read_text())
    package["id"] = f"bestbits-archive-edition-{identifier}"
    package["created"] = f"{built}T00:00:00Z"
    package["edition"] = {"identifier": identifier, "built": built, "content_sha256": digest,
                          "hash_of": "the CSV files: sha256 of the sorted 'name sha256' lines"}
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")


def _wacz_pages(data, path: Path) -> bool:
    """pages.jsonl for the WACZ: the captures the parsed events and statements were read from, so
    that ReplayWeb.page lists them by what they hold. False when there are none."""
    captures = data.query("site_item_captures")
    lines = [json.dumps({"format": "json-pages-1.0", "id": "pages",
                         "title": "Captures behind the parsed rows"})]
    for row in captures[captures["preferred"]].itertuples():
        ts = str(row.timestamp).ljust(14, "0")
        lines.append(json.dumps({
            "url": row.url, "ts": f"{ts[:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z",
            "title": f"{row.item_type} {row.item_id}"}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) > 1


def _write_wacz(warcs: list[Path], target: Path, identifier: str, data) -> None:
    import contextlib
    import io

    from wacz.main import main as wacz_main

    pages = target.with_name("pages.jsonl")
    listing = ["--pages", str(pages)] if _wacz_pages(data, pages) else ["--detect-pages"]
    chatter = io.StringIO()  # py-wacz prints its progress; shown only when it fails
    with contextlib.redirect_stdout(chatter):
        code = wacz_main(["create", "-o", str(target), *listing,
                          "--title", f"Best Bits archive, edition {identifier}: captures",
                          "--desc", "The captures of bestbits.net behind the parsed rows of this "
                                    "edition.",
                          *[str(w) for w in warcs]])
    pages.unlink(missing_ok=True)
    if code not in (0, None) or not target.exists():
        raise PublishError(f"wacz could not pack the captures (exit {code}): "
                           f"{chatter.getvalue()[-500:]}\nThe WARC files are under {warcs[0].parent}.")

