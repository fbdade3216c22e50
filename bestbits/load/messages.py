"""Build reader for the mailing list: DATA_DIR/raw/list/** -> messages, people, domains.

It streams (issue 10): each input is split in the main process and parsed, a batch at a
time, in worker processes (`Loader.workers`, default the machine's cores); each batch goes
to DuckDB as one Arrow table (`list_parsed*`, queries/schema/50_scale.sql), and nothing that
grows with the archive is kept in Python. Duplicates, threads, people and domains are then
resolved in SQL (queries/load/list_*.sql). Only the merge of people runs in Python, over one
row per distinct (sender, name), not per message. A build with the previous database
attached (`Loader.previous`) reuses the parsed rows of every input whose content hash and
parser fingerprint are unchanged, and parses only the others.

Layout it reads (written by `bestbits collect list` and `bestbits collect mbox`):

    raw/list/<list>/<YYYY-Month>.txt.gz | .txt   monthly pipermail text archives
    raw/list/<list>/imported/<file>              local mbox files (plain or gzipped)
    raw/list/<list>/html/<YYYY-Month>/NNNNNN.html message pages, where only HTML was archived
    raw/list/<list>/sources.json                 file -> the address it was fetched from
    raw/list/wayback/                            the WARC store (provenance; not read here)

Every message of every file is loaded or rejected with a reason (a duplicate Message-ID
is a reject that names the first copy). Addresses never leave this module: each is
replaced by a salted hash (`address_hash`) and its registrable domain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

import scrapers.parse
from bestbits import config
from bestbits.load.forums import RuleMatcher, load_rules
from bestbits.load.loader import Loader
from scrapers.parse import affiliation, people
from scrapers.parse.language import language_of_message
from scrapers.parse.mbox import (
    ParsedMessage,
    Reject,
    base_subject,
    is_reply_subject,
    iter_mbox_raw,
    parse_message,
)
from scrapers.parse.message_text import clean_own_text, own_text
from scrapers.parse.pipermail_html import month_of_label, parse_message_page
from scrapers.parse.threads import walk_to_root

STAGE = "list"
# Messages per parse batch, and the bytes a batch may hold: a batch is the unit of work
# handed to a worker and of one Arrow insert, so memory stays at a few batches per worker.
PARSE_BATCH = 2_000
PARSE_BATCH_BYTES = 8 * 1024 * 1024
# list_parsed rows (kept messages and duplicates) written to messages per statement (see
# _insert_messages).
MESSAGE_SLICE = 5_000  # 20,000 measured: +100 MB at 20,000 messages; 5,000: +46 MB
# Addresses whose hash and domain a worker remembers; cleared when full, so it stays bounded.
ADDRESS_CACHE = 50_000
# The code and data that decide a parsed row: a change to any of them re-parses everything.
# (The parsers are found beside their package, which an installed wheel has too.)
FINGERPRINT_FILES = [Path(scrapers.parse.__file__).parent / name for name in
                     ("mbox.py", "message_text.py", "pipermail_html.py", "affiliation.py",
                      "dates.py", "language.py")] + [Path(__file__), config.FORUM_RULES_FILE]
SALT_ENV = "BESTBITS_SALT"
SKIPPED_NAMES = {"sources.json", "README", "README.md"}


class SaltError(Exception):
    """The salt file cannot be read or created; the message says where and what to do."""


def salt_for(data_dir: Path) -> bytes:
    """$BESTBITS_SALT, else DATA_DIR/.salt (created once, random, never committed)."""
    configured = os.environ.get(SALT_ENV)
    if configured:
        return configured.encode()
    path = data_dir / ".salt"
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
        return path.read_text().strip().encode()
    except OSError as exc:
        raise SaltError(f"cannot read or create the salt file {path} ({exc}); set "
                        f"${SALT_ENV} or make {path.parent} writable") from exc


def pseudonymise_address(address: str, salt: bytes) -> str:
    """A salted, keyed hash of an address: the same person gets the same key in one data folder."""
    digest = hmac.new(salt, address.strip().lower().encode("utf-8", "surrogateescape"),
                      hashlib.sha256)
    return "addr:" + digest.hexdigest()[:20]


def opted_out_hashes(data_dir: Path, salt: bytes) -> set[str]:
    """Hashes of the addresses in DATA_DIR/local/opt_out.txt (one address a line, # comments)."""
    path = data_dir / "local" / "opt_out.txt"
    if not path.exists():
        return set()
    hashes = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            hashes.add(pseudonymise_address(line.replace(" at ", "@"), salt))
    return hashes


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


def _sources(list_dir: Path) -> dict[str, str]:
    path = list_dir / "sources.json"
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _mbox_files(list_dir: Path) -> list[Path]:
    files = [p for p in sorted(list_dir.iterdir()) if p.is_file()
             and p.name not in SKIPPED_NAMES and not p.name.endswith(".part")
             and not p.name.startswith(".")]
    imported = list_dir / "imported"
    if imported.is_dir():
        files += [p for p in sorted(imported.rglob("*")) if p.is_file()
                  and not p.name.endswith(".part") and p.name not in SKIPPED_NAMES]
    return files


def _html_months(list_dir: Path) -> list[Path]:
    html = list_dir / "html"
    return sorted(p for p in html.iterdir() if p.is_dir()) if html.is_dir() else []


def list_inputs(data_dir: Path) -> list[ListInput]:
    """Every input under DATA_DIR/raw/list/, in reading order (the first copy of a message wins)."""
    root = config.raw_dir(data_dir) / "list"
    if not root.is_dir():
        return []
    found = []
    for list_dir in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "wayback"):
        sources = _sources(list_dir)
        for path in _mbox_files(list_dir):
            rel = path.relative_to(data_dir).as_posix()
            label = re.match(r"(\d{4}-[A-Za-z]+)\.txt", path.name)
            found.append(ListInput(rel, list_dir.name, "list-mbox", path,
                                   sources.get(path.relative_to(list_dir).as_posix())
                                   or f"file:{rel}",
                                   month_of_label(label.group(1)) if label else None))
        for month_dir in _html_months(list_dir):
            pages = tuple(
                (page, sources.get(page.relative_to(list_dir).as_posix())
                 or f"file:{page.relative_to(data_dir).as_posix()}")
                for page in sorted(month_dir.glob("[0-9][0-9][0-9][0-9][0-9][0-9].html")))
            found.append(ListInput(month_dir.relative_to(data_dir).as_posix() + "/",
                                   list_dir.name, "list-html", month_dir, None,
                                   month_of_label(month_dir.name), pages))
    return found


def parser_fingerprint(salt: bytes, data_dir: Path | None = None) -> str:
    """What the parsed rows depend on besides the input: parser code, forum rules, the salt, and
    the opt-out file (the kept parse rows withhold opted-out names, so a change re-parses)."""
    digest = hashlib.sha256(hmac.new(salt, b"bestbits list fingerprint", hashlib.sha256).digest())
    opt_out = [data_dir / "local" / "opt_out.txt"] if data_dir else []
    for path in FINGERPRINT_FILES + opt_out:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


# -- parsing, in worker processes -------------------------------------------------------------

# What one worker keeps between batches: set once by _start_worker.
_WORKER: dict = {}

PARSED_COLUMNS = ("source", "position", "locator", "message_id", "message_id_derived", "sent_at",
                  "sent_month", "date_source", "author_name", "member", "domain", "subject",
                  "base_subject", "reply_subject", "header_in_reply_to", "refs_first",
                  "refs_last", "n_refs", "url", "source_url", "body_chars", "text", "lang",
                  "attachments_scrubbed")


@dataclass
class ParseBatch:
    """Up to PARSE_BATCH items of one input: (position, locator, raw bytes or (page, url))."""

    source: str
    kind: str
    source_url: str | None
    month_hint: str | None
    items: list


def _start_worker(salt: bytes) -> None:
    _WORKER.clear()
    _WORKER.update(salt=salt, classifier=RuleMatcher(load_rules()), addresses={})


def _sender(address: str | None, name: str | None) -> tuple[str, str | None]:
    """(member key, registrable domain) of a sender: the address never leaves this function."""
    if not address:
        return people.name_key(name or ""), None
    cache = _WORKER["addresses"]
    known = cache.get(address)
    if known is None:
        if len(cache) >= ADDRESS_CACHE:
            cache.clear()
        known = cache[address] = (pseudonymise_address(address, _WORKER["salt"]),
                                  affiliation.registrable_domain(address.rsplit("@", 1)[-1]))
    return known


def parse_batch(batch: ParseBatch) -> tuple[dict[str, list], dict[str, list], dict[str, list]]:
    """Parsed rows, forum mentions and rejects of one batch, as column lists.

    A pure function of the batch (and the worker's salt): it runs unchanged in this process,
    in a worker, or in a Spark/Dask task over partitions of the raw files.
    """
    rows: dict[str, list] = {name: [] for name in PARSED_COLUMNS}
    mentions: dict[str, list] = {"source": [], "position": [], "forum": [], "evidence": []}
    rejects: dict[str, list] = {"source": [], "position": [], "locator": [], "reason": []}
    classifier = _WORKER["classifier"]
    for position, locator, payload in batch.items:
        if batch.kind == "list-html":
            page, url = payload
            item = parse_message_page(page, url, locator=locator)
        else:
            item = parse_message(payload, locator)
        if isinstance(item, Reject):
            for name, value in (("source", batch.source), ("position", position),
                                ("locator", item.locator), ("reason", item.reason)):
                rejects[name].append(value)
            continue
        message: ParsedMessage = item
        member, domain = _sender(message.address, message.author_name)
        own = own_text(message.body or "")
        for forum_match in classifier.classify({"body": own}):
            for name, value in (("source", batch.source), ("position", position),
                                ("forum", forum_match.forum), ("evidence", forum_match.evidence)):
                mentions[name].append(value)
        text = clean_own_text(own)
        sent_month = (message.sent_at.strftime("%Y-%m") if message.sent_at
                      else batch.month_hint)
        values = (batch.source, position, message.locator, message.message_id,
                  message.message_id_derived, message.sent_at, sent_month, message.date_source,
                  message.author_name, member, domain, message.subject,
                  base_subject(message.subject), is_reply_subject(message.subject),
                  message.in_reply_to,
                  message.references[0] if message.references else None,
                  message.references[-1] if message.references else None,
                  len(message.references), message.url,
                  batch.source_url or message.url or None, len(message.body),
                  text, language_of_message(text), message.attachments_scrubbed)
        for name, value in zip(PARSED_COLUMNS, values, strict=True):
            rows[name].append(value)
    return rows, mentions, rejects


def _batches(item: ListInput, rejects: list) -> Iterator[ParseBatch]:
    """The input's items, a batch at a time; a damaged file's tail goes to `rejects`."""
    batch = ParseBatch(item.source, item.kind, item.source_url, item.month_hint, [])
    size = 0
    if item.kind == "list-html":
        entries: Iterable = ((page.name, (page.read_bytes(), url)) for page, url in item.pages)
    else:
        entries = iter_mbox_raw(item.path)
    for position, entry in enumerate(entries, start=1):
        if isinstance(entry, Reject):
            rejects.append((item.source, position, entry.locator, entry.reason))
            continue
        locator, payload = entry
        batch.items.append((position, locator, payload))
        size += len(payload) if isinstance(payload, bytes) else len(payload[0])
        if len(batch.items) >= PARSE_BATCH or size >= PARSE_BATCH_BYTES:
            yield batch
            batch = ParseBatch(item.source, item.kind, item.source_url, item.month_hint, [])
            size = 0
    if batch.items:
        yield batch


def _parsed_batches(batches: Iterator[ParseBatch], salt: bytes, workers: int
                    ) -> Iterator[tuple[dict, dict, dict]]:
    """parse_batch over the batches, in order, with at most 2 batches per worker in flight."""
    if workers <= 1:
        _start_worker(salt)
        yield from map(parse_batch, batches)
        return
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(salt,)) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.submit(parse_batch, batch))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _append(load: Loader, table: str, columns: dict[str, list]) -> None:
    """A parse batch's rows into TABLE (nothing when the batch has none)."""
    if next(iter(columns.values()), []):
        _append_rows(load.con, table, columns)


def _sql(name: str) -> str:
    return (config.QUERIES_DIR / "load" / name).read_text()


# -- the reader --------------------------------------------------------------------------------

def read_messages(data_dir: Path, load: Loader) -> None:
    """Load every list under DATA_DIR/raw/list/ (see the module docstring for the layout)."""
    if load.parsed is not None:  # parsed by a Dask job (bestbits/load/distributed_parse.py)
        from bestbits.load.distributed_parse import load_parsed

        salt = salt_for(data_dir)
        load_parsed(load, load.parsed, parser_fingerprint(salt, data_dir))
        _resolve(load, data_dir, salt)
        _merge_curated(load)
        return
    inputs = list_inputs(data_dir)
    if not inputs:
        _merge_curated(load)
        return
    salt = salt_for(data_dir)
    fingerprint = parser_fingerprint(salt, data_dir)
    previous = _previous_inputs(load, fingerprint)
    workers = load.workers or os.cpu_count() or 1
    reused, fresh = [], []
    for number, item in enumerate(inputs, start=1):
        content_hash, size = item.content_hash()
        load.con.execute(_sql("list_add_input.sql"),
                         [item.source, item.list_name, number, content_hash, fingerprint,
                          item.source_url, item.month_hint])
        again = previous.get(item.source) == content_hash
        load.record_input(item.source, item.kind, size, content_hash, again)
        (reused if again else fresh).append(item)
    if reused:
        load.con.execute(_sql("list_reuse_previous.sql"))
    # Parsing streams: it needs little of DuckDB's memory, and what DuckDB is allowed it fills
    # with cached blocks, which would make the ingest's memory grow with the archive. The
    # resolution's joins and windows need more (64 MB ran out at 834,400 messages): they get
    # the build's limit, and drop their cached blocks after each write too.
    load.con.execute("SET memory_limit = ?", [config.list_memory_limit()])
    try:
        _parse_fresh(load, fresh, salt, workers)
    finally:
        # Set from the configured value: DuckDB shows a limit rounded, and setting back what it
        # shows would shrink it a little each time.
        load.con.execute("SET memory_limit = ?", [config.build_memory_limit()])
    _resolve(load, data_dir, salt)
    _merge_curated(load)


@contextmanager
def _settings(con, **values):
    """DuckDB settings for a stage of the reader, restored after it."""
    before = {name: con.execute("SELECT current_setting(?)", [name]).fetchone()[0]
              for name in values}
    for name, value in values.items():
        con.execute(f"SET {name} = ?", [value])  # names from code, values bound
    try:
        yield
    finally:
        for name, value in before.items():
            con.execute(f"SET {name} = ?", [value])


def _release_cached_blocks(con, limit: str | None = None) -> None:
    """Make DuckDB drop the blocks it keeps cached after a write: lowering its memory limit
    evicts them (what is pinned stays); then the limit is set to LIMIT (the build's if None)."""
    try:
        con.execute("SET memory_limit = '1MB'")
    except duckdb.Error:
        pass  # more than that is in use: the cache is emptied as far as it can be
    finally:
        con.execute("SET memory_limit = ?", [limit or config.build_memory_limit()])


def _previous_inputs(load: Loader, fingerprint: str) -> dict[str, str]:
    """source -> content hash of the inputs the previous build parsed with the same fingerprint."""
    if not load.previous:
        return {}
    try:
        rows = load.con.execute(_sql("list_previous_inputs.sql"), [fingerprint]).fetchall()
    except Exception:  # an older database without these tables: parse everything
        return {}
    return dict(rows)


def _parse_fresh(load: Loader, fresh: list[ListInput], salt: bytes, workers: int) -> None:
    from tqdm import tqdm

    rejects: list = []

    def batches() -> Iterator[ParseBatch]:
        for item in fresh:
            yield from _batches(item, rejects)

    # One DuckDB thread and a checkpoint after each batch: with more threads each appends to
    # row groups of its own, and rows wait in memory until a checkpoint writes them; the two
    # together took the growth from 5,000 to 50,000 messages from +130 MB to +40 MB (issue 10).
    with (_settings(load.con, threads=1),
          tqdm(desc="  parsing list messages", unit=" msg", disable=None, leave=False) as bar):
        for rows, mentions, parse_rejects in _parsed_batches(batches(), salt, workers):
            _append(load, "list_parsed", rows)
            _append(load, "list_parsed_mentions", mentions)
            _append(load, "list_parse_rejects", parse_rejects)
            load.con.execute("CHECKPOINT")
            _release_cached_blocks(load.con, config.list_memory_limit())
            bar.update(len(rows["position"]) + len(parse_rejects["position"]))
    if rejects:  # damaged files: one reject each, for the part that could not be read
        _append(load, "list_parse_rejects", {
            name: [r[i] for r in rejects]
            for i, name in enumerate(("source", "position", "locator", "reason"))})


# -- resolution in SQL -------------------------------------------------------------------------

def _resolve(load: Loader, data_dir: Path, salt: bytes) -> None:
    con = load.con
    con.execute(_sql("list_dedupe.sql"))        # list_kept, duplicate rejects, ingest report
    _release_cached_blocks(con)
    con.execute(_sql("list_thread_links.sql"))  # list_links (parents), list_walk (roots to find)
    _release_cached_blocks(con)
    _find_thread_roots(con)
    _release_cached_blocks(con)
    _resolve_people(load, data_dir, salt)
    _insert_messages(con)
    con.execute(_sql("list_people.sql"))        # forum mentions, people, members
    _release_cached_blocks(con)
    _store_domains(load)
    con.execute(_sql("list_cleanup.sql"))


def _insert_messages(con) -> None:
    """The messages table, MESSAGE_SLICE parse rows per statement: each commits on its own,
    so DuckDB holds one slice of texts in memory, not the archive's."""
    con.execute(_sql("list_message_rows.sql"))
    end = con.execute("SELECT coalesce(max(rowid) + 1, 0) FROM list_parsed").fetchone()[0]
    sql = _sql("list_messages.sql")
    for start in range(0, end, MESSAGE_SLICE):
        con.execute(sql, [start, start + MESSAGE_SLICE])
        # Committed rows stay in memory until a checkpoint writes them out.
        con.execute("CHECKPOINT")
        _release_cached_blocks(con)
    con.execute("DROP TABLE list_message_rows")


def _find_thread_roots(con) -> None:
    """Each message's thread root by pointer doubling in SQL: every round, a message still
    unresolved jumps to its ancestor's ancestor, so a thread D messages deep takes log2(D)
    rounds. What is left after that is in (or hangs from) a reply cycle: resolved in Python
    exactly as scrapers/parse/threads.py walks, over those few messages only."""
    total = con.execute("SELECT count(*) FROM list_walk").fetchone()[0]
    for _round in range(max(total, 1).bit_length() + 1):
        if not con.execute("SELECT count(*) FROM list_walk WHERE anc IS NOT NULL").fetchone()[0]:
            return
        con.execute(_sql("list_thread_step.sql"))
    rows = con.execute(_sql("list_thread_cycles.sql")).fetchall()
    parents = {message_id: parent for message_id, parent in rows}
    roots: dict[str, str] = {}
    for key, _parent in rows:  # in reading order, as build_threads walks
        walk_to_root(key, parents.get, roots)
    _append_rows(con, "list_cycle_roots", {"id": list(roots), "root": list(roots.values())})
    con.execute(_sql("list_thread_cycles_apply.sql"))


def _append_rows(con, table: str, columns: dict[str, list]) -> None:
    """Column lists as one Arrow table through queries/load/list_append_TABLE.sql (empty
    strings kept: the SQL decides)."""
    import pyarrow as pa

    con.register("incoming_batch", pa.table(columns))
    try:
        con.execute(_sql(f"list_append_{table}.sql"))
    finally:
        con.unregister("incoming_batch")


def _resolve_people(load: Loader, data_dir: Path, salt: bytes) -> None:
    """Merge senders into people (scrapers/parse/people.py) over one row per (sender, name)."""
    con = load.con
    opted_out = opted_out_hashes(data_dir, salt)
    senders = con.execute(_sql("list_senders.sql")).fetchall()
    author_of, persons, merges = people.merge_sender_counts(senders, people.load_overrides())
    del senders
    opted_out_people = {author_of[m] for m in author_of if m in opted_out}
    _append_rows(con, "list_author_of", {"member": list(author_of),
                                         "author_id": list(author_of.values())})
    _append_rows(con, "list_persons", {
        "author_id": [p.author_id for p in persons],
        "display_name": [None if p.author_id in opted_out_people else p.display_name
                         for p in persons],
        "n_addresses": [sum(1 for m in p.members if m.startswith("addr:")) for p in persons],
        "n_names": [len(p.names) for p in persons],
        "n_messages": [p.n_messages for p in persons],
        "merged_by": [p.merged_by for p in persons],
        "opted_out": [p.author_id in opted_out_people for p in persons]})
    # The evidence of a merge quotes names: withheld for people who opted out.
    load.insert("person_merges", [
        {"author_id": m.author_id, "member": m.member, "other_member": m.other_member,
         "rule": m.rule,
         "evidence": "withheld (opted out)" if m.author_id in opted_out_people else m.evidence}
        for m in merges])


def _store_domains(load: Loader) -> None:
    """Domains of the parsed messages, named where data/domains.csv knows them."""
    domain_map = affiliation.load_domain_map()
    counted = load.con.execute(_sql("list_domain_counts.sql")).fetchall()
    rows = []
    for domain, messages, posters in counted:
        organisation, sector = affiliation.affiliation(domain, domain_map)
        known = domain_map.get(domain)
        rows.append({"domain": domain, "organisation": organisation, "sector": sector,
                     "n_messages": messages, "n_posters": posters,
                     "source_url": known.source_url if known else None,
                     "method": "curated" if known else "parsed"})
    load.insert("domains", rows)


def precompute_participation(load: Loader) -> None:
    """The participation tables the dashboards aggregate (queries/load/list_summaries.sql).
    A post step: subject mentions of forums are added by the forum rules step before it.

    Each statement is one INSERT, run on its own: its DISTINCT counts over grouping sets ran
    out of the build's 256 MB at 834,400 messages, and a failed INSERT leaves nothing behind,
    so it is run again with more memory (execute_with_more_memory)."""
    for statement in _sql("list_summaries.sql").split(";\n"):
        if statement.strip() and not all(line.lstrip().startswith("--") or not line.strip()
                                         for line in statement.splitlines()):
            execute_with_more_memory(load.con, statement)


# How many times the build's memory limit one statement may be given before the build stops.
MEMORY_HEADROOM = 8


def execute_with_more_memory(con, statement: str, limit: str | None = None) -> None:
    """Run one self-contained statement (an INSERT or a CREATE: a failed one leaves nothing
    behind) under LIMIT (the build's if None); when DuckDB runs out of memory, run it again
    with twice the limit, up to MEMORY_HEADROOM times LIMIT, then set LIMIT back."""
    limit = limit or config.build_memory_limit()
    allowed = _bytes(limit)
    try:
        while True:
            try:
                con.execute(statement)
                return
            except duckdb.OutOfMemoryException:
                allowed *= 2
                if allowed > MEMORY_HEADROOM * _bytes(limit):
                    raise
                con.execute("SET memory_limit = ?", [f"{allowed // 1024}KiB"])
    finally:
        con.execute("SET memory_limit = ?", [limit])


_UNITS = {"": 1, "b": 1, "bytes": 1, "kb": 1000, "mb": 1000 ** 2, "gb": 1000 ** 3,
          "tb": 1000 ** 4, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}


def _bytes(setting: str) -> int:
    """'256MB', '1 GiB' (a memory setting as DuckDB takes it) -> bytes."""
    match = re.fullmatch(r"\s*([\d.]+)\s*([A-Za-z]*)\s*", setting)
    if not match or match.group(2).lower() not in _UNITS:
        raise ValueError(f"not a memory size: {setting!r} (e.g. 256MB or 1GB)")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def _merge_curated(load: Loader) -> None:
    """A curated sample message that was also parsed keeps one row: the parsed one, with the
    curated page address carried over."""
    load.con.execute(_sql("list_merge_curated.sql"))
