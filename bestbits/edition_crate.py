"""The edition as an RO-Crate (1.2): ro-crate-metadata.json, written with the `rocrate` library,
describes the edition's files (the data package and the tables it lists, the captures' WACZ, the
pages, the citation and deposit files) and the software that wrote them, from the same metadata
as CITATION.cff and .zenodo.json (bestbits/edition_metadata.py).

Only the metadata file is written: every file it names is already in the folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from rocrate.model.contextentity import ContextEntity
from rocrate.rocrate import ROCrate

from bestbits.edition_metadata import SOFTWARE, SOFTWARE_LICENCE, EditionMetadata

CRATE_VERSION = "1.2"
METADATA_FILE = "ro-crate-metadata.json"
ENTRY_PAGE = "index.html"
# WACZ has no registered media type: it is a ZIP file, and the format itself is named by its
# PRONOM identifier, as RO-Crate names file formats.
WACZ_FORMAT = "https://www.nationalarchives.gov.uk/PRONOM/fmt/1840"
# The files of an edition beside its pages and tables, with what each is (media type, name).
EDITION_FILES = {
    "data/datapackage.json": ("application/json", "Frictionless data package: every table, its "
                              "columns, sources and licence note"),
    "captures.wacz": ("application/zip", "The archived captures the parsed rows were read from "
                      "(Web Archive Collection Zipped)"),
    "CITATION.cff": ("application/yaml", "How to cite this edition (Citation File Format)"),
    ".zenodo.json": ("application/json", "Deposit metadata for Zenodo"),
    "README.md": ("text/markdown", "What the edition holds and how to check its content hash"),
    "edition.json": ("application/json", "The edition's identifier, date and content hash"),
}
_MEDIA_TYPES = {".csv": "text/csv", ".parquet": "application/vnd.apache.parquet"}


def data_package_files(package_path: Path) -> list[str]:
    """The paths, relative to the edition, of the tables datapackage.json lists."""
    package = json.loads(package_path.read_text(encoding="utf-8"))
    folder = package_path.parent.name
    return [f"{folder}/{resource['path']}" for resource in package["resources"]]


def write_crate(folder: Path, meta: EditionMetadata, pages: Iterable[str]) -> Path:
    """Write FOLDER/ro-crate-metadata.json describing the edition written in FOLDER (PAGES: the
    HTML files publish wrote, relative to FOLDER); files that are absent (no captures, no WACZ)
    are not named."""
    folder = Path(folder)
    crate = ROCrate(version=CRATE_VERSION)
    root = crate.root_dataset
    root["name"] = meta.full_title
    root["description"] = meta.description
    root["datePublished"] = meta.date_released
    root["version"] = meta.version
    root["identifier"] = meta.version
    root["keywords"] = list(meta.keywords)

    licence = crate.add(ContextEntity(crate, "#edition-licence", properties={
        "@type": "CreativeWork", "name": meta.licence.title, "description": meta.licence.terms}))
    root["license"] = licence
    authors = [crate.add(ContextEntity(crate, f"#creator-{n}", properties={
        "@type": "Organization", "name": name})) for n, name in enumerate(meta.creators, 1)]
    root["author"] = authors[0] if len(authors) == 1 else authors  # RO-Crate 1.2: no 1-lists
    root["isBasedOn"] = [crate.add(ContextEntity(crate, source.archived_url, properties={
        "@type": "CreativeWork", "name": f"{source.kind}: {source.url}",
        "description": source.archived_copy, "url": source.url}))
        for source in meta.sources]

    pages = sorted(pages)
    for path in pages:
        crate.add_file(dest_path=path, properties={"encodingFormat": "text/html",
                                                   "name": f"Page {path}"})
    if ENTRY_PAGE in pages:
        root["mainEntity"] = crate.get(ENTRY_PAGE)
    package = folder / "data" / "datapackage.json"
    for path in data_package_files(package) if package.is_file() else []:
        crate.add_file(dest_path=path, properties={
            "encodingFormat": _MEDIA_TYPES.get(Path(path).suffix, "application/octet-stream"),
            "name": f"Table {Path(path).name}"})
    for path, (media_type, name) in EDITION_FILES.items():
        if (folder / path).is_file():
            crate.add_file(dest_path=path, properties={"encodingFormat": media_type, "name": name})
    if (folder / "captures.wacz").is_file():
        wacz_format = crate.add(ContextEntity(crate, WACZ_FORMAT, properties={
            "@type": "WebSite", "name": "Web Archive Collection Zipped (WACZ)"}))
        crate.get("captures.wacz")["encodingFormat"] = ["application/zip", wacz_format]

    # A licence is an entity in RO-Crate (a bare "MIT" would read as a file of that name).
    software_licence = crate.add(ContextEntity(
        crate, f"https://spdx.org/licenses/{SOFTWARE_LICENCE}", properties={
            "@type": "CreativeWork", "name": f"{SOFTWARE_LICENCE} License",
            "identifier": SOFTWARE_LICENCE}))
    software = crate.add(ContextEntity(crate, "#software", properties={
        "@type": "SoftwareApplication", "name": SOFTWARE, "version": meta.software_version,
        "url": meta.software_url, "license": software_licence}))
    crate.add(ContextEntity(crate, "#publish", properties={
        "@type": "CreateAction", "name": "bestbits publish", "endTime": meta.date_released,
        "instrument": {"@id": software.id}, "result": {"@id": root.id}}))
    for entity in crate.data_entities:
        if (folder / entity.id).is_file():
            entity["contentSize"] = str((folder / entity.id).stat().st_size)
    crate.metadata.write(str(folder))
    return folder / METADATA_FILE
