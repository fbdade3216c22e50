"""The mailing list's part of the raw store, DATA_DIR/raw/list/: where each file goes, how it is
written (whole or not at all, with its source address), and which files a build reads.

    raw/list/<list>/<YYYY-Month>.txt.gz | .txt   monthly pipermail text archives
    raw/list/<list>/imported/<file>              local mbox files (plain or gzipped)
    raw/list/<list>/html/<YYYY-Month>/date.html  a month's index page, where only HTML was archived
    raw/list/<list>/html/<YYYY-Month>/NNNNNN.html  its message pages
    raw/list/<list>/sources.json                 file -> the address a person can open to check it
    raw/list/wayback/                            the WARC store of what came through a web
                                                 archive (provenance; no list input)

Every file is written to a `.part` name and renamed when complete, so a file that is there is
whole, and a rerun fetches only what is missing.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from bestbits.config import raw_dir

# The WARC store (scrapers/raw_store/warc_store.py) of list files fetched through a web archive.
WAYBACK_SUBDIR = "list/wayback"
SOURCES_NAME = "sources.json"
IMPORTED_DIR = "imported"
HTML_DIR = "html"
PARTIAL_SUFFIX = ".part"
# Files in a list's folder that are no mbox: its bookkeeping and notes a person may add.
NOT_INPUTS = frozenset({SOURCES_NAME, "README", "README.md"})
MESSAGE_PAGE_GLOB = "[0-9][0-9][0-9][0-9][0-9][0-9].html"
# A monthly text archive is named by its month as pipermail labels it: 2012-August.txt(.gz).
_MONTH_FILE = re.compile(r"(\d{4}-[A-Za-z]+)\.txt")


def lists_root(data_dir: Path) -> Path:
    """DATA_DIR/raw/list/: one folder per list, beside the web archive's store."""
    return raw_dir(Path(data_dir)) / "list"


def list_folder(data_dir: Path, list_name: str) -> Path:
    return lists_root(data_dir) / list_name


def imported_folder(data_dir: Path, list_name: str) -> Path:
    """Where `bestbits collect mbox` copies local mbox files."""
    return list_folder(data_dir, list_name) / IMPORTED_DIR


def month_label(file_name: str) -> str | None:
    """'2012-August' for a monthly text archive ('2012-August.txt.gz'); None for other files."""
    match = _MONTH_FILE.match(file_name)
    return match.group(1) if match else None


def html_page(label: str, name: str) -> str:
    """A month's page, relative to its list's folder: 'html/2012-August/000001.html'."""
    return f"{HTML_DIR}/{label}/{name}"


def in_list_folders(path: Path, data_dir: Path) -> bool:
    """True for a path inside a list's folder (the list reader's to read or skip), false for
    the web archive's store beside them and for anything outside DATA_DIR/raw/list/."""
    return path.is_relative_to(lists_root(data_dir)) and not path.is_relative_to(
        raw_dir(Path(data_dir)) / WAYBACK_SUBDIR)


# -- reading -------------------------------------------------------------------------------------

def list_folders(data_dir: Path) -> list[Path]:
    """Each list's folder, in name order (the web archive's store is no list)."""
    root = lists_root(data_dir)
    if not root.is_dir():
        return []
    wayback = raw_dir(Path(data_dir)) / WAYBACK_SUBDIR
    return sorted(p for p in root.iterdir() if p.is_dir() and p != wayback)


def read_sources(list_dir: Path) -> dict[str, str]:
    """file (relative to the list's folder) -> the address it came from; {} when unreadable."""
    path = list_dir / SOURCES_NAME
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def mbox_files(list_dir: Path) -> list[Path]:
    """The list's mbox inputs: the monthly text archives, then the imported files."""
    files = [p for p in sorted(list_dir.iterdir()) if p.is_file()
             and p.name not in NOT_INPUTS and not p.name.endswith(PARTIAL_SUFFIX)
             and not p.name.startswith(".")]
    imported = list_dir / IMPORTED_DIR
    if imported.is_dir():
        files += [p for p in sorted(imported.rglob("*")) if p.is_file()
                  and not p.name.endswith(PARTIAL_SUFFIX) and p.name not in NOT_INPUTS]
    return files


def html_months(list_dir: Path) -> list[Path]:
    """The folders of months read from HTML pages, html/<YYYY-Month>/."""
    html = list_dir / HTML_DIR
    return sorted(p for p in html.iterdir() if p.is_dir()) if html.is_dir() else []


def message_pages(month_dir: Path) -> list[Path]:
    """A month's message pages (NNNNNN.html), in number order; date.html is not one."""
    return sorted(month_dir.glob(MESSAGE_PAGE_GLOB))


# -- writing -------------------------------------------------------------------------------------

class ListFolder:
    """A list's raw folder as a collector writes it: atomic writes, and sources.json in step."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._sources_path = folder / SOURCES_NAME
        self.sources = read_sources(folder)

    def has(self, relative: str) -> bool:
        return (self.folder / relative).is_file()

    def write(self, relative: str, body: bytes, source_url: str) -> None:
        """Write `body` whole (a `.part` file renamed when complete) and note its address."""
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + PARTIAL_SUFFIX)
        partial.write_bytes(body)
        os.replace(partial, target)
        self.note_source(relative, source_url)

    def note_source(self, relative: str, source_url: str) -> None:
        self.sources[relative] = source_url
        partial = self._sources_path.with_name(SOURCES_NAME + PARTIAL_SUFFIX)
        partial.write_text(json.dumps(self.sources, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(partial, self._sources_path)
