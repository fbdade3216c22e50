"""The list's parse, a batch at a time, in worker processes (or in a Dask task): raw messages
to parsed rows, forum mentions and rejects, each text through the privacy gate. Addresses never
leave this module: each is replaced by a salted hash and its registrable domain."""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from bestbits.load.forums import RuleMatcher, load_rules
from bestbits.load.list_inputs import ListInput
from bestbits.load.worker_processes import end_with_parent
from bestbits.privacy import redact
from bestbits.privacy.pseudonyms import keyed_hash, pseudonymise_address
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
from scrapers.parse.message_text import capped, clean_own_text, own_text
from scrapers.parse.pipermail_html import parse_message_page

# Messages per parse batch, and the bytes a batch may hold: a batch is the unit of work
# handed to a worker and of one Arrow insert, so memory stays at a few batches per worker.
PARSE_BATCH = 2_000


PARSE_BATCH_BYTES = 8 * 1024 * 1024


# Addresses whose hash and domain a worker remembers; cleared when full, so it stays bounded.
ADDRESS_CACHE = 50_000


# The longest one message's parse may take, in seconds. Its input is capped (BODY_CAP_BYTES of
# the body read, TEXT_CAP_BYTES stored), so a parse stays far below this; a message over it is
# rejected with the reason, never left to stall the build (a 20 MB body added 26 s to one).
PARSE_SECONDS = 10.0


# What one worker keeps between batches: set once by start_worker.
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


def start_worker(salt: bytes, parent_pid: int | None = None,
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


def batches_of(item: ListInput, rejects: list) -> Iterator[ParseBatch]:
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


def parsed_batches(batches: Iterator[ParseBatch], salt: bytes, workers: int
                    ) -> Iterator[tuple[dict, dict, dict]]:
    """parse_batch over the batches, in order, with at most 2 batches per worker in flight."""
    if workers <= 1:
        start_worker(salt)
        yield from map(parse_batch, batches)
        return
    with ProcessPoolExecutor(workers, initializer=start_worker,
                             initargs=(salt, os.getpid())) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.submit(parse_batch, batch))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
