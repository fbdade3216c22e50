"""What an edition says about itself, said once: title, creators, version, licence, description,
keywords and the archives it was drawn from, written out as the edition's CITATION.cff and as the
.zenodo.json that a Zenodo deposit reads (the legacy deposit metadata). The RO-Crate of the
edition (bestbits/edition_crate.py) reads the same record.

Plain functions of their input: the caller gives the edition's identifier, date and hash, and the
rows of the `edition_source_archives` query.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bestbits.export import LICENCE_NOTE
from bestbits.links import row_link

TITLE = "The archived record of the Best Bits network (2012–2019)"
CREATORS = ("The bestbits-archive project",)
KEYWORDS = ("internet governance", "civil society", "Best Bits", "web archives")
SOFTWARE = "bestbits-archive"
SOFTWARE_LICENCE = "MIT"  # pyproject.toml's licence of the program (not of the edition)
# Where the program can be had: none is recorded anywhere yet, and none is guessed. Set it when
# the project has one; until then the program is named by its Package URL of the "generic" type
# (its name, no registry claimed), since RO-Crate 1.2 asks every SoftwareApplication for a url.
# The version stays out of it: "name@version" is shaped like an e-mail address, which the
# edition's privacy checks rightly refuse to tell apart.
SOFTWARE_URL: str | None = None
# The last words of every "how to cite" line, the edition's pages' and the live views' alike.
CITE_FACTS = ("Cite each fact with its source and the archived copy linked beside it, with that "
              "copy's date.")
CITE_MESSAGE = ("If you use this edition, cite it with its edition identifier, and cite each fact "
                "with its source (the source_url of its row) and its archived copy (archived_url, "
                "dated archived_at).")


@dataclass(frozen=True)
class Licence:
    """The terms the edition's files are offered under, as each metadata format names them."""

    title: str
    zenodo_id: str      # an identifier of Zenodo's licence vocabulary
    spdx: str | None    # CITATION.cff takes SPDX identifiers only; None when there is none
    terms: str


# The data package says the same ("other-attribution", export's licence note): no licence has
# been chosen for the record beyond attribution to each row's source, so none is claimed here.
EDITION_LICENCE = Licence(title="Other (Attribution)", zenodo_id="other-at", spdx=None,
                          terms=LICENCE_NOTE)


@dataclass(frozen=True)
class SourceArchive:
    """An archive the record was drawn from: its address and the archived copy of it the record
    links to."""

    archive_id: str
    kind: str
    url: str            # the archive's own address (it may be gone from the live web)
    archived_url: str   # the web archive's copy of that address, as the record links it
    archived_copy: str  # what that link opens, in words (bestbits/links.py's description)


@dataclass(frozen=True)
class EditionMetadata:
    title: str
    version: str                # the edition identifier: build date + content hash
    date_released: str          # YYYY-MM-DD
    description: str
    creators: tuple[str, ...]
    keywords: tuple[str, ...]
    licence: Licence
    software_version: str
    sources: tuple[SourceArchive, ...]

    @property
    def full_title(self) -> str:
        return f"{self.title}: static edition {self.version}"

    @property
    def software(self) -> str:
        return f"{SOFTWARE} {self.software_version}"

    @property
    def software_url(self) -> str:
        return SOFTWARE_URL or f"pkg:generic/{SOFTWARE}"


def source_archives(rows: Iterable[Mapping[str, object]]) -> tuple[SourceArchive, ...]:
    """The rows of the `edition_source_archives` query as SourceArchives, each linked to the
    archived copy of its own address the way every link of the record is made (bestbits/links.py);
    a row with no address a browser may open is left out."""
    found = []
    for row in rows:
        link = row_link(row, "url")
        if link is None:
            continue
        found.append(SourceArchive(str(row["archive_id"]), str(row.get("kind") or ""),
                                   link.original_url, link.version_url, link.description))
    return tuple(found)


def edition_metadata(identifier: str, built: str, digest: str, software_version: str,
                     sources: Iterable[SourceArchive]) -> EditionMetadata:
    description = (
        "A static edition of the bestbits-archive database: the events, statements, forum "
        "meetings, milestones and list messages of the Best Bits civil-society network on "
        "internet governance, every row citing the archived page it came from. Content hash "
        f"(sha256 of the tables): {digest}.")
    return EditionMetadata(title=TITLE, version=identifier, date_released=built,
                           description=description, creators=CREATORS, keywords=KEYWORDS,
                           licence=EDITION_LICENCE, software_version=software_version,
                           sources=tuple(sources))


def licence_statement(licence: Licence) -> str:
    return f"Licence: {licence.title}. {licence.terms}"


# --- CITATION.cff -----------------------------------------------------------------------------

def _yaml(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar: any title or note is safe as it is.
    return json.dumps(text, ensure_ascii=False)


def citation_cff(meta: EditionMetadata) -> str:
    """The edition's CITATION.cff (Citation File Format 1.2.0)."""
    lines = ["cff-version: 1.2.0",
             f"message: {_yaml(CITE_MESSAGE)}",
             "type: dataset",
             f"title: {_yaml(meta.full_title)}",
             f"version: {_yaml(meta.version)}",
             f"date-released: {_yaml(meta.date_released)}"]
    if meta.licence.spdx:
        lines.append(f"license: {_yaml(meta.licence.spdx)}")
    # CFF names a licence by SPDX identifier only: the terms travel in the abstract as well.
    lines.append(f"abstract: {_yaml(f'{meta.description} {licence_statement(meta.licence)}')}")
    lines.append("authors:")
    lines += [f"  - name: {_yaml(name)}" for name in meta.creators]
    lines.append("keywords:")
    lines += [f"  - {_yaml(word)}" for word in meta.keywords]
    lines += ["references:",
              "  - type: software",
              f"    title: {_yaml(SOFTWARE)}",
              f"    version: {_yaml(meta.software_version)}",
              f"    license: {_yaml(SOFTWARE_LICENCE)}",
              "    authors:"]
    lines += [f"      - name: {_yaml(name)}" for name in meta.creators]
    return "\n".join(lines) + "\n"


# --- .zenodo.json -----------------------------------------------------------------------------

# What Zenodo's deposit metadata requires (its legacy REST API; the GitHub integration reads the
# same fields from .zenodo.json).
ZENODO_REQUIRED = ("upload_type", "title", "creators", "description")


def zenodo_json(meta: EditionMetadata) -> dict[str, object]:
    """The edition's .zenodo.json: no DOI is named (Zenodo mints one on deposit); the archives the
    record was drawn from are related identifiers by their addresses."""
    related: list[dict[str, str]] = []
    for source in meta.sources:
        related.append({"identifier": source.archived_url, "relation": "isDerivedFrom"})
        related.append({"identifier": source.url, "relation": "references"})
    return {
        "upload_type": "dataset",
        "title": meta.full_title,
        "creators": [{"name": name} for name in meta.creators],
        "description": meta.description,
        "version": meta.version,
        "publication_date": meta.date_released,
        "access_right": "open",
        "license": meta.licence.zenodo_id,
        "notes": licence_statement(meta.licence),
        "keywords": list(meta.keywords),
        "related_identifiers": related,
        "references": [f"{meta.software} (software that wrote this edition; licence "
                       f"{SOFTWARE_LICENCE})"],
    }


def zenodo_json_text(meta: EditionMetadata) -> str:
    return json.dumps(zenodo_json(meta), indent=2, ensure_ascii=False) + "\n"
