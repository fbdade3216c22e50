"""The raw inputs of the mailing list (under DATA_DIR/raw/list/, laid out by the raw store,
scrapers/raw_store/list_store.py) and the fingerprint that decides whether a previous build's
parsed rows of an input can be reused."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

import scrapers.parse
from bestbits import config
from bestbits.privacy import URL_REDACTED, redact, redact_url, safe_file_name
from bestbits.privacy.opt_out import opt_out_file
from bestbits.privacy.pseudonyms import keyed_hash, salt_for
from scrapers.parse import people
from scrapers.parse.pipermail_html import month_of_label
from scrapers.raw_store import list_store

LOAD_DIR = Path(__file__).parent

# The code and data that decide a parsed row: a change to any of them re-parses everything.
# (The parsers are found beside their package, which an installed wheel has too.) The overrides
# decide who is merged, and so whose names the kept rows withhold.
FINGERPRINT_FILES = [Path(scrapers.parse.__file__).parent / name for name in
                     ("mbox.py", "message_text.py", "pipermail_html.py", "affiliation.py",
                      "dates.py", "language.py", "sanitise.py", "people.py")] + [
    config.FORUM_RULES_FILE, people.OVERRIDES_FILE] + [
    LOAD_DIR / name for name in ("messages.py", "list_inputs.py", "list_parse.py",
                                 "list_resolve.py")] + [
    Path(__file__).parents[1] / "privacy" / name
    for name in ("addresses.py", "opt_out.py", "pseudonyms.py")]


@dataclass(frozen=True)
class ListInput:
    """One raw input of the list: an mbox file or a folder of HTML message pages."""

    source: str            # relative to the data folder (an HTML month ends with '/')
    list_name: str
    kind: str              # list-mbox | list-html
    path: Path
    source_url: str | None
    month_hint: str | None
    pages: tuple[tuple[Path, str], ...] = ()   # HTML pages with their addresses

    def content_hash(self) -> tuple[str, int]:
        """sha256 of the bytes (and of the addresses the rows will carry), and the size."""
        digest, size = hashlib.sha256(), 0
        digest.update(f"{self.source_url}\x1f{self.month_hint}\x1f".encode())
        files = [(self.path, "")] if self.kind == "list-mbox" else list(self.pages)
        for path, url in files:
            digest.update(f"{path.name}\x1f{url}\x1f".encode())
            with path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
                    size += len(block)
        return digest.hexdigest(), size


def list_inputs(data_dir: Path) -> list[ListInput]:
    """Every input under DATA_DIR/raw/list/, in reading order (the first copy of a message wins)."""
    found = []
    for list_dir in list_store.list_folders(data_dir):
        sources = list_store.read_sources(list_dir)
        for path in list_store.mbox_files(list_dir):
            rel = safe_source(path.relative_to(data_dir).as_posix(), data_dir)
            label = list_store.month_label(path.name)
            found.append(ListInput(rel, list_dir.name, "list-mbox", path,
                                   _source_label(sources.get(path.relative_to(list_dir)
                                                             .as_posix()), rel),
                                   month_of_label(label) if label else None))
        for month_dir in list_store.html_months(list_dir):
            pages = tuple(
                (page, _source_label(sources.get(page.relative_to(list_dir).as_posix()),
                                     safe_source(page.relative_to(data_dir).as_posix(),
                                                  data_dir)))
                for page in list_store.message_pages(month_dir))
            found.append(ListInput(safe_source(month_dir.relative_to(data_dir).as_posix(),
                                                data_dir) + "/",
                                   list_dir.name, "list-html", month_dir, None,
                                   month_of_label(month_dir.name), pages))
    return found


def safe_source(relative: str, data_dir: Path) -> str:
    """A raw input's path as rows name it: a file name that holds an address (an mbox named
    after its owner, imported before imports were named by content) is made safe, with a keyed
    hash of the real name so that two such files keep two names."""
    folder, _, name = relative.rpartition("/")
    if redact(name, URL_REDACTED) == name:
        return relative
    return f"{folder}/{safe_file_name(name)}~{keyed_hash(name, salt_for(data_dir), 8)}"


def _source_label(recorded: str | None, source: str) -> str:
    """The address rows cite for an input: where it was fetched from, or the import label that
    `bestbits collect mbox` recorded; never a local path (a `file:` address an older import
    recorded becomes an import label)."""
    if recorded and recorded.startswith(("http://", "https://", "import:")):
        return redact_url(recorded)
    return f"import:{source}"


def parser_fingerprint(salt: bytes, data_dir: Path | None = None) -> str:
    """What the parsed rows depend on besides the input: parser code, forum rules, the privacy
    gate, the salt, the person overrides and the opt-out file (the kept rows withhold what the
    opt-out names, so a change to it re-parses)."""
    digest = hashlib.sha256(hmac.new(salt, b"bestbits list fingerprint", hashlib.sha256).digest())
    opt_out = [opt_out_file(data_dir)] if data_dir else []
    for path in FINGERPRINT_FILES + opt_out:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]
