"""Affiliation from addresses: the registrable domain (offline public-suffix rules) and the
organisation and sector a small curated file gives it; unknown domains stay as the domain."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import tldextract

from bestbits import config

DOMAINS_FILE = config.REPO_ROOT / "data" / "domains.csv"
DOMAIN_COLUMNS = ["domain", "organisation", "sector", "source_url", "notes"]


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # No suffix-list URLs and no cache: the snapshot bundled with tldextract is used, so a
    # build never reaches the network and gives the same answer on every machine.
    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


@lru_cache(maxsize=65536)
def registrable_domain(host: str | None) -> str | None:
    """'mail.ciroap.org' -> 'ciroap.org'; 'lists.cam.ac.uk' -> 'cam.ac.uk'; junk -> None."""
    if not host:
        return None
    host = host.strip().strip(".").lower()
    if "@" in host:
        host = host.rsplit("@", 1)[1]
    extracted = _extractor()(host)
    if not extracted.suffix or not extracted.domain:
        return None
    return f"{extracted.domain}.{extracted.suffix}"


@dataclass(frozen=True)
class Organisation:
    domain: str
    organisation: str
    sector: str | None
    source_url: str
    notes: str | None = None


class DomainFileError(Exception):
    """data/domains.csv is malformed; the message names the line to fix."""


def load_domain_map(path: Path = DOMAINS_FILE) -> dict[str, Organisation]:
    """The curated domain -> organisation map. Raises DomainFileError on a malformed row."""
    if not path.exists():
        return {}
    mapping: dict[str, Organisation] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        header = next(rows, None)
        if header != DOMAIN_COLUMNS:
            raise DomainFileError(f"{path}: columns are {header}, expected {DOMAIN_COLUMNS}")
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(DOMAIN_COLUMNS):
                raise DomainFileError(f"{path}, row {number}: {len(row)} fields, expected 5")
            domain, organisation, sector, source_url, notes = (c.strip() for c in row)
            if not domain or not organisation or not source_url.startswith("http"):
                raise DomainFileError(f"{path}, row {number}: domain, organisation and an "
                                      "http(s) source_url are required")
            mapping[domain.lower()] = Organisation(domain.lower(), organisation, sector or None,
                                                   source_url, notes or None)
    return mapping


def affiliation(domain: str | None, mapping: dict[str, Organisation]
                ) -> tuple[str | None, str | None]:
    """(organisation, sector): the curated organisation, else the domain itself and no sector."""
    if not domain:
        return None, None
    known = mapping.get(domain)
    if known:
        return known.organisation, known.sector
    return domain, None
