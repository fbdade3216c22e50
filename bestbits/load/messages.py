"""Build reader for the mailing list: DATA_DIR/raw/list/** -> messages, people, domains.

It streams (issue 10): each input is split in the main process and parsed, a batch at a
time, in worker processes (`Loader.workers`, default the machine's cores); each batch goes
to DuckDB as one Arrow table (`list_parsed*`, queries/schema/50_scale.sql), and nothing that
grows with the archive is kept in Python. Duplicates, threads, people and domains are then
resolved in SQL (queries/load/list_*.sql). Only the merge of people runs in Python, over one
row per distinct (sender, name), not per message. A build with the previous database
attached (`Loader.previous`) reuses the parsed rows of every input whose content hash and
parser fingerprint are unchanged, and parses only the others.

The files it reads (written by `bestbits collect list` and `bestbits collect mbox`) are
listed by the raw store, scrapers/raw_store/list_store.py, which describes their layout.

Every message of every file is loaded or rejected with a reason (a duplicate Message-ID
is a reject that names the first copy). Addresses never leave this module: each is
replaced by a salted hash (`address_hash`) and its registrable domain. Every text passes the
privacy gate as it is parsed (bestbits/privacy/addresses.py), a message's stored text is cut
at TEXT_CAP_BYTES, and a message whose parse takes longer than PARSE_SECONDS is rejected.

Opt-out (bestbits/privacy/opt_out.py) is applied after people are merged, on every build: the
person's name, words and subject lines are withheld everywhere, and no working table keeps
them. The parsed rows of an input that holds her messages are not kept for the next build,
which reads that input again, so that the next merge sees her names as a full build does.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

import scrapers.parse
from bestbits import config
from bestbits.load.forums import RuleMatcher, load_rules
from bestbits.load.loader import Loader
from bestbits.load.worker_processes import end_with_parent
from bestbits.privacy import URL_REDACTED, redact, redact_url, safe_file_name
from bestbits.privacy.opt_out import OptOutEntry, opt_out_file, read_opt_out, withhold_names
from bestbits.privacy.pseudonyms import (
    keyed_hash,
    normalise_name,
    pseudonymise_address,
    salt_for,
)
from bestbits.query import load_sql
from bestbits.settings import memory_bytes
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
from scrapers.parse.message_text import TEXT_CAP_BYTES, capped, clean_own_text, own_text
from scrapers.parse.pipermail_html import month_of_label, parse_message_page
from scrapers.parse.threads import walk_to_root
from scrapers.raw_store import list_store

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
# The longest one message's parse may take, in seconds. Its input is capped (BODY_CAP_BYTES of
# the body read, TEXT_CAP_BYTES stored), so a parse stays far below this; a message over it is
# rejected with the reason, never left to stall the build (a 20 MB body added 26 s to one).
PARSE_SECONDS = 10.0
# The code and data that decide a parsed row: a change to any of them re-parses everything.
# (The parsers are found beside their package, which an installed wheel has too.) The overrides
# decide who is merged, and so whose names the kept rows withhold.
FINGERPRINT_FILES = [Path(scrapers.parse.__file__).parent / name for name in
                     ("mbox.py", "message_text.py", "pipermail_html.py", "affiliation.py",
                      "dates.py", "language.py", "sanitise.py", "people.py")] + [
    Path(__file__), config.FORUM_RULES_FILE, people.OVERRIDES_FILE] + [
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
            rel = _safe_source(path.relative_to(data_dir).as_posix(), data_dir)
            label = list_store.month_label(path.name)
            found.append(ListInput(rel, list_dir.name, "list-mbox", path,
                                   _source_label(sources.get(path.relative_to(list_dir)
                                                             .as_posix()), rel),
                                   month_of_label(label) if label else None))
        for month_dir in list_store.html_months(list_dir):
            pages = tuple(
                (page, _source_label(sources.get(page.relative_to(list_dir).as_posix()),
                                     _safe_source(page.relative_to(data_dir).as_posix(),
                                                  data_dir)))
                for page in list_store.message_pages(month_dir))
            found.append(ListInput(_safe_source(month_dir.relative_to(data_dir).as_posix(),
                                                data_dir) + "/",
                                   list_dir.name, "list-html", month_dir, None,
                                   month_of_label(month_dir.name), pages))
    return found


def _safe_source(relative: str, data_dir: Path) -> str:
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


# -- parsing, in worker processes -------------------------------------------------------------

# What one worker keeps between batches: set once by _start_worker.
_WORKER: dict = {}

PARSED_COLUMNS = ("source", "position", "locator", "message_id", "message_id_derived", "sent_at",
                  "sent_month", "date_source", "author_name", "member", "domain", "subject",
                  "base_subject", "reply_subject", "header_in_reply_to", "refs_first",
                  "refs_last", "n_refs", "url", "source_url", "body_chars", "text", "lang",
                  "attachments_scrubbed", "text_cut")


@dataclass
class ParseBatch:
    """Up to PARSE_BATCH items of one input: (position, locator, raw bytes or (page, url))."""

    source: str
    kind: str
    source_url: str | None
    month_hint: str | None
    items: list


class _OverBudget(Exception):
    """One message's parse went past PARSE_SECONDS; the stage it was in says where."""


def _start_worker(salt: bytes, parent_pid: int | None = None,
                  parse_seconds: float = PARSE_SECONDS) -> None:
    if parent_pid is not None:  # a worker process: it ends with the build, even a killed one
        end_with_parent(parent_pid)
    _WORKER.clear()
    _WORKER.update(salt=salt, classifier=RuleMatcher(load_rules()), addresses={},
                   parse_seconds=parse_seconds)


def _sender(address: str | None, name: str | None) -> tuple[str, str | None]:
    """(member key, registrable domain) of a sender: the address never leaves this function."""
    if not address:
        return people.name_key(name, _WORKER["salt"]), None
    cache = _WORKER["addresses"]
    known = cache.get(address)
    if known is None:
        if len(cache) >= ADDRESS_CACHE:
            cache.clear()
        known = cache[address] = (pseudonymise_address(address, _WORKER["salt"]),
                                  affiliation.registrable_domain(address.rsplit("@", 1)[-1]))
    return known


def subject_key(subject: str | None, salt: bytes) -> str:
    """A subject as the kept rows hold it for threading: a keyed hash of its base subject ('' for
    none), so that no working table keeps a subject line a person's opt-out withholds."""
    base = base_subject(subject)
    return keyed_hash("subject\x1f" + base, salt, 16) if base else ""


def parse_batch(batch: ParseBatch) -> tuple[dict[str, list], dict[str, list], dict[str, list]]:
    """Parsed rows, forum mentions and rejects of one batch, as column lists.

    A pure function of the batch (and the worker's salt): it runs unchanged in this process,
    in a worker, or in a Spark/Dask task over partitions of the raw files.
    """
    rows: dict[str, list] = {name: [] for name in PARSED_COLUMNS}
    mentions: dict[str, list] = {"source": [], "position": [], "forum": [], "evidence": []}
    rejects: dict[str, list] = {"source": [], "position": [], "locator": [], "reason": []}
    for position, locator, payload in batch.items:
        try:
            parsed = _parse_one(batch, locator, payload)
        except _OverBudget as exc:
            size = len(payload) if isinstance(payload, bytes) else len(payload[0])
            parsed = Reject(locator, f"its parse took longer than the {_WORKER['parse_seconds']:g}"
                                     f" s one message may take (stopped while {exc}); "
                                     f"{size} bytes, left in the raw file")
        if isinstance(parsed, Reject):
            for name, value in (("source", batch.source), ("position", position),
                                ("locator", redact(parsed.locator)),
                                ("reason", redact(parsed.reason))):
                rejects[name].append(value)
            continue
        values, forums = parsed
        for forum, evidence in forums:
            for name, value in (("source", batch.source), ("position", position),
                                ("forum", forum), ("evidence", evidence)):
                mentions[name].append(value)
        for name, value in zip(PARSED_COLUMNS, (batch.source, position, *values), strict=True):
            rows[name].append(value)
    return rows, mentions, rejects


def _parse_one(batch: ParseBatch, locator: str, payload) -> Reject | tuple[tuple, list]:
    """One message: its row values (after source and position) and its forum mentions, or its
    reject. Raises _OverBudget when it takes longer than the worker's parse_seconds."""
    deadline = time.monotonic() + _WORKER["parse_seconds"]

    def on_time(stage: str) -> None:
        if time.monotonic() > deadline:
            raise _OverBudget(stage)

    if batch.kind == "list-html":
        page, url = payload
        item = parse_message_page(page, url, locator=locator)
    else:
        item = parse_message(payload, locator)
    if isinstance(item, Reject):
        return item
    on_time("reading it")
    message: ParsedMessage = item
    member, domain = _sender(message.address, message.author_name)
    own = own_text(message.body or "")
    on_time("cutting quotes and signatures")
    forums = [(m.forum, m.evidence) for m in _WORKER["classifier"].classify({"body": own})]
    on_time("finding forum mentions")
    text, cut = capped(clean_own_text(own))
    on_time("taking addresses out")
    lang = language_of_message(text)
    on_time("finding its language")
    sent_month = message.sent_at.strftime("%Y-%m") if message.sent_at else batch.month_hint
    return (message.locator, message.message_id, message.message_id_derived, message.sent_at,
            sent_month, message.date_source, message.author_name, member, domain,
            message.subject, subject_key(message.subject, _WORKER["salt"]),
            is_reply_subject(message.subject), message.in_reply_to,
            message.references[0] if message.references else None,
            message.references[-1] if message.references else None,
            len(message.references), message.url, batch.source_url or message.url or None,
            len(message.body), text, lang, message.attachments_scrubbed,
            cut or message.body_cut), forums


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
    with ProcessPoolExecutor(workers, initializer=_start_worker,
                             initargs=(salt, os.getpid())) as pool:
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



# -- the reader --------------------------------------------------------------------------------

def read_messages(data_dir: Path, load: Loader) -> None:
    """Load every list under DATA_DIR/raw/list/ (see the module docstring for the layout)."""
    if load.parsed is not None:  # parsed by a Dask job (bestbits/load/distributed_parse.py)
        from bestbits.load.distributed_parse import load_parsed

        salt = salt_for(data_dir)
        load_parsed(load, load.parsed, parser_fingerprint(salt, data_dir))
        _resolve_and_withhold(load, data_dir, salt)
        return
    inputs = list_inputs(data_dir)
    if not inputs:
        # No list: the opt-out still covers the curated sample and every other table.
        opted = OptedOut(entries=read_opt_out(data_dir, b""))
        _withhold_curated(load, opted, b"")
        _withhold_everywhere(load, opted)
        return
    salt = salt_for(data_dir)
    fingerprint = parser_fingerprint(salt, data_dir)
    previous = _previous_inputs(load, fingerprint)
    workers = load.workers or os.cpu_count() or 1
    reused, fresh = [], []
    for number, item in enumerate(inputs, start=1):
        content_hash, size = item.content_hash()
        load.con.execute(load_sql("load/list_add_input.sql"),
                         [item.source, item.list_name, number, content_hash, fingerprint,
                          item.source_url, item.month_hint])
        again = previous.get(item.source) == content_hash
        load.record_input(item.source, item.kind, size, content_hash, again)
        (reused if again else fresh).append(item)
    if reused:
        load.con.execute(load_sql("load/list_reuse_previous.sql"))
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
    _resolve_and_withhold(load, data_dir, salt)


def _resolve_and_withhold(load: Loader, data_dir: Path, salt: bytes) -> None:
    """From parsed rows (this machine's parse or a Dask job's) to the final tables, with the
    opt-out applied to every one of them: one path, whoever parsed."""
    opted = _resolve(load, read_opt_out(data_dir, salt))
    _merge_curated(load, salt)
    _withhold_curated(load, opted, salt)
    # What the next build may reuse holds nothing the opt-out withholds (see the docstring).
    load.con.execute(load_sql("load/list_keep_for_next_build.sql"))
    _withhold_everywhere(load, opted)
    load.con.execute(load_sql("load/list_cleanup.sql"))
    _release_cached_blocks(load.con)


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
        rows = load.con.execute(load_sql("load/list_previous_inputs.sql"), [fingerprint]).fetchall()
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

def _resolve(load: Loader, opt_out: list[OptOutEntry]) -> OptedOut:
    con = load.con
    con.execute(load_sql("load/list_dedupe.sql"))        # list_kept, duplicate rejects, ingest report
    _release_cached_blocks(con)
    con.execute(load_sql("load/list_thread_links.sql"))  # list_links (parents), list_walk (roots to find)
    _release_cached_blocks(con)
    _find_thread_roots(con)
    _release_cached_blocks(con)
    opted = _resolve_people(load, opt_out)
    _insert_messages(con)
    con.execute(load_sql("load/list_people.sql"))        # forum mentions, people, members
    _release_cached_blocks(con)
    _store_domains(load)
    if text_cuts := con.execute(load_sql("load/list_text_cuts.sql")).fetchall():
        con.executemany(load_sql("load/privacy_note.sql"), [
            [source, STAGE, f"message texts cut at the {TEXT_CAP_BYTES:,}-byte cap", n]
            for source, n in text_cuts])
    return opted


def _insert_messages(con) -> None:
    """The messages table, MESSAGE_SLICE parse rows per statement: each commits on its own,
    so DuckDB holds one slice of texts in memory, not the archive's."""
    con.execute(load_sql("load/list_message_rows.sql"))
    end = con.execute("SELECT coalesce(max(rowid) + 1, 0) FROM list_parsed").fetchone()[0]
    sql = load_sql("load/list_messages.sql")
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
        con.execute(load_sql("load/list_thread_step.sql"))
    rows = con.execute(load_sql("load/list_thread_cycles.sql")).fetchall()
    parents = {message_id: parent for message_id, parent in rows}
    roots: dict[str, str] = {}
    for key, _parent in rows:  # in reading order, as build_threads walks
        walk_to_root(key, parents.get, roots)
    _append_rows(con, "list_cycle_roots", {"id": list(roots), "root": list(roots.values())})
    con.execute(load_sql("load/list_thread_cycles_apply.sql"))


def _append_rows(con, table: str, columns: dict[str, list]) -> None:
    """Column lists as one Arrow table through queries/load/list_append_TABLE.sql (empty
    strings kept: the SQL decides)."""
    import pyarrow as pa

    con.register("incoming_batch", pa.table(columns))
    try:
        con.execute(load_sql(f"load/list_append_{table}.sql"))
    finally:
        con.unregister("incoming_batch")


@dataclass
class OptedOut:
    """Who the opt-out file names, once people are merged."""

    entries: list[OptOutEntry]
    author_ids: set[str] = field(default_factory=set)  # the people (people.author_id)
    names: set[str] = field(default_factory=set)       # every spelling they wrote under
    matched: set[int] = field(default_factory=set)     # lines of the file that found someone

    def normalised_names(self) -> set[str]:
        return ({normalise_name(n) for n in self.names}
                | {e.name for e in self.entries if e.name})

    def unmatched_lines(self) -> list[int]:
        return sorted({e.line for e in self.entries} - self.matched)


def _resolve_people(load: Loader, opt_out: list[OptOutEntry]) -> OptedOut:
    """Merge senders into people (scrapers/parse/people.py) over one row per (sender, name),
    then apply the opt-out to the merged people: a person is out when one of her addresses or
    one of her names is in the file."""
    con = load.con
    senders = con.execute(load_sql("load/list_senders.sql")).fetchall()
    author_of, persons, merges = people.merge_sender_counts(senders, people.load_overrides())
    del senders
    opted = OptedOut(opt_out)
    by_address = {e.address_hash: e.line for e in opt_out if e.address_hash}
    by_name = {e.name: e.line for e in opt_out if e.name}
    for member, author_id in author_of.items():
        if member in by_address:
            opted.author_ids.add(author_id)
            opted.matched.add(by_address[member])
    for person in persons:
        for spelling in person.names:
            line = by_name.get(normalise_name(spelling))
            if line is not None:
                opted.author_ids.add(person.author_id)
                opted.matched.add(line)
    opted.names = {name for p in persons if p.author_id in opted.author_ids for name in p.names}
    _append_rows(con, "list_author_of", {"member": list(author_of),
                                         "author_id": list(author_of.values())})
    _append_rows(con, "list_persons", {
        "author_id": [p.author_id for p in persons],
        "display_name": [None if p.author_id in opted.author_ids else p.display_name
                         for p in persons],
        "n_addresses": [sum(1 for m in p.members if m.startswith("addr:")) for p in persons],
        "n_names": [len(p.names) for p in persons],
        "n_messages": [p.n_messages for p in persons],
        "merged_by": [p.merged_by for p in persons],
        "opted_out": [p.author_id in opted.author_ids for p in persons]})
    # The subject lines the opted-out people wrote (not their replies' "Re: ..."), withheld with
    # every reply that repeats them.
    con.execute(load_sql("load/list_withheld_subjects.sql"))
    # The evidence of a merge quotes names: withheld for people who opted out.
    load.insert("person_merges", [
        {"author_id": m.author_id, "member": m.member, "other_member": m.other_member,
         "rule": m.rule,
         "evidence": "withheld (opted out)" if m.author_id in opted.author_ids else m.evidence}
        for m in merges])
    return opted


def _withhold_curated(load: Loader, opted: OptedOut, salt: bytes) -> None:
    """The curated sample's messages (data/reference/list_messages.csv) under the same rule: a
    message by an opted-out person (by name: the sample has no addresses) loses its author and
    subject, and a message that repeats a withheld subject loses its subject."""
    con = load.con
    rows = con.execute(load_sql("load/list_curated_messages.sql")).fetchall()
    if not rows:
        return
    names = opted.normalised_names()
    by_name = {e.name: e.line for e in opted.entries if e.name}
    withheld_keys = set()
    if salt:
        withheld_keys = {key for (key,) in con.execute(load_sql("load/list_withheld_subject_keys.sql"))
                         .fetchall()}
    hers = set()
    for message_id, author_name, subject in rows:
        normalised = normalise_name(author_name)
        if normalised and normalised in names:
            hers.add(message_id)
            if normalised in by_name:
                opted.matched.add(by_name[normalised])
            if salt and subject and not is_reply_subject(subject):
                withheld_keys.add(subject_key(subject, salt))
    withheld = [(message_id, message_id in hers) for message_id, _name, subject in rows
                if message_id in hers or (salt and subject_key(subject, salt) in withheld_keys)]
    if withheld:
        _append_rows(con, "list_curated_withheld", {"message_id": [w[0] for w in withheld],
                                                    "hers": [w[1] for w in withheld]})
        con.execute(load_sql("load/list_withhold_curated.sql"))


def _withhold_everywhere(load: Loader, opted: OptedOut) -> None:
    """The opted-out people's full names out of every text column (others' messages that name
    them, signatories, notes), and the lines of the file that matched nobody in the summary
    (by number only: a line may be an address)."""
    withhold_names(load.con, opted.names | {e.written for e in opted.entries if e.name})
    for line in opted.unmatched_lines():
        load.notes.append(f"opt-out: line {line} of local/opt_out.txt matched nobody on the list")


def _store_domains(load: Loader) -> None:
    """Domains of the parsed messages, named where data/domains.csv knows them."""
    domain_map = affiliation.load_domain_map()
    counted = load.con.execute(load_sql("load/list_domain_counts.sql")).fetchall()
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
    for statement in load_sql("load/list_summaries.sql").split(";\n"):
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
    allowed = memory_bytes(limit)
    try:
        while True:
            try:
                con.execute(statement)
                return
            except duckdb.OutOfMemoryException:
                allowed *= 2
                if allowed > MEMORY_HEADROOM * memory_bytes(limit):
                    raise
                con.execute("SET memory_limit = ?", [f"{allowed // 1024}KiB"])
    finally:
        con.execute("SET memory_limit = ?", [limit])


def _merge_curated(load: Loader, salt: bytes) -> None:
    """A curated sample message that was also parsed keeps one row: the parsed one, with the
    curated page address carried over. They are matched by list, minute and subject, the
    subjects compared as the kept rows hold them (keyed, see subject_key)."""
    rows = load.con.execute(load_sql("load/list_curated_messages.sql")).fetchall()
    if not rows:
        return
    _append_rows(load.con, "list_curated_subjects", {
        "message_id": [r[0] for r in rows], "subject_key": [subject_key(r[2], salt) for r in rows]})
    load.con.execute(load_sql("load/list_merge_curated.sql"))
