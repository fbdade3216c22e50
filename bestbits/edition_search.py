"""The static edition's full-text search: Pagefind indexes the written event and statement pages
into `pagefind/` inside the edition, and the search box on every page reads that folder in the
browser, so search needs no server and no request leaves the edition.

Pagefind (its binary ships in the `pagefind[extended]` wheel) splits the index into small
chunks that a query fetches on demand, so a cold search costs a small, fixed number of bytes
whatever the edition's size (`tests/browser/test_edition_search.py` measures it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# What is searched: one page per event and per statement (the pages that say what happened,
# with their text, agenda and signatories). Lists, charts and the sources page are left out.
SEARCHED_PAGES = "{events,statements}/*.html"
BUNDLE = "pagefind"
# Pagefind also writes its ready-made search interfaces. The edition's box (edition-search.js)
# uses only pagefind.js, and those bundles carry their translators' e-mail addresses: an
# edition holds no address, whoever's, so they are removed as soon as they are written.
UNUSED_INTERFACES = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*")


class EditionSearchError(Exception):
    """Pagefind could not index the edition; the message says why."""


def index_edition(folder: Path) -> None:
    """Write the search index of the edition in FOLDER into FOLDER/pagefind/."""
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--glob", SEARCHED_PAGES,
               "--output-subdir", BUNDLE, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EditionSearchError(f"pagefind did not run ({exc}); reinstall bestbits-archive, "
                                 "which brings it (pagefind[extended])") from exc
    if result.returncode != 0 or not (folder / BUNDLE / "pagefind.js").is_file():
        raise EditionSearchError("pagefind could not index the edition: "
                                 + (result.stderr or result.stdout).strip()[-2000:])
    for pattern in UNUSED_INTERFACES:
        for unused in (folder / BUNDLE).glob(pattern):
            unused.unlink()
