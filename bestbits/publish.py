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

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bestbits import __version__, config, edition_search
from bestbits.edition_captures import CapturesError, write_captures_wacz
from bestbits.edition_crate import write_crate
from bestbits.edition_identity import identity_of_tables
from bestbits.edition_metadata import (
    TITLE,
    citation_cff,
    edition_metadata,
    source_archives,
    zenodo_json_text,
)
from bestbits.export import export
from bestbits.output_folders import OutputFolder

MARKER = "edition.json"  # the edition's own record (which folder is ours: bestbits/output_folders.py)


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


# --- the edition -----------------------------------------------------------------------------

def publish(db: Path, out: Path, data_dir: Path | None = None,
            progress: Callable[[str], None] | None = None) -> Edition:
    """Write the edition of `db` into `out`; the previous edition there is replaced only when the
    new one is complete."""
    from dashboards.data import DashboardData
    from dashboards.edition.site import EditionSite

    say = progress or (lambda _m: None)
    out = Path(out)
    # Only a folder this command wrote is replaced (OutputRefused otherwise, nothing written).
    folder = OutputFolder(out, "publish", data_dir)
    folder.check()
    data = DashboardData(Path(db))  # raises DatabaseMissing with the command to run
    try:
        work = folder.start()
        say("Exporting the tables (CSV, Parquet, datapackage.json)")
        # The identity the live app shows for this database too (bestbits/edition_identity.py).
        identity = identity_of_tables(db, _write_data(db, work / "data"))
        identifier, built, digest = identity.identifier, identity.built, identity.content_sha256
        try:
            has_wacz = write_captures_wacz(data_dir or config.data_dir(),
                                           work / "captures.wacz", identifier, data, say)
        except CapturesError as exc:
            raise PublishError(str(exc)) from exc
        say("Writing the pages")
        site = EditionSite(data, work, edition=identifier, built=built, digest=digest,
                           version=__version__, title=TITLE, has_wacz=has_wacz)
        pages = site.write_pages()
        say("Indexing the pages for search (Pagefind)")
        edition_search.index_edition(work)
        _finish_data_package(work / "data" / "datapackage.json", identifier, built, digest)
        # One description of the edition feeds its citation, its deposit and its crate.
        meta = edition_metadata(identifier, built, digest, __version__, source_archives(
            data.query("edition_source_archives").records()))
        _write_text(work / "CITATION.cff", citation_cff(meta))
        _write_text(work / ".zenodo.json", zenodo_json_text(meta))
        _write_text(work / "README.md", site.render("README.md.j2", "README.md",
                                                    row_counts=_row_counts(work / "data"),
                                                    page_list=site.page_list()))
        (work / MARKER).write_text(json.dumps({
            "edition": identifier, "built": built, "content_sha256": digest,
            "program": f"bestbits-archive {__version__}", "pages": len(pages),
            "captures_wacz": has_wacz}, indent=2) + "\n")
        write_crate(work, meta, pages)  # last: it names the files written above
        data.con.close()
        folder.finish(identifier)
    except BaseException:
        data.con.close()
        folder.abandon()
        raise
    return Edition(out, identifier, built, digest, tuple(pages), has_wacz)


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
    # A file both passes write alike (a network's GraphML) is described once.
    described = {resource["path"] for resource in csv_package["resources"]}
    for resource in parquet_package["resources"]:
        resource["name"] = f"{resource['name']}-parquet"
    csv_package["resources"] += [r for r in parquet_package["resources"]
                                 if r["path"] not in described]
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


