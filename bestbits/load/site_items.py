"""The site reader's first step: each stored capture of bestbits.net read and classified
(an event, a statement, a listing ...), its event or statement page parsed (the same content
stored twice is parsed once), and the captures of one item grouped (repeated captures, /es/ and
/fr/ variants, the same instance_id, the canonical link)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin

from bestbits.load.forums import classify as classify_forums
from scrapers.parse.dates import PartialDate
from scrapers.parse.events import ParsedEvent, parse_event
from scrapers.parse.pages import PageClass, classify_capture, published, site_address
from scrapers.parse.pages import page_title as read_title
from scrapers.parse.statements import ParsedStatement, parse_statement
from scrapers.parse.tree import Document
from scrapers.raw_store.warc_store import StoredCapture, StoreError, read_record

STAGE = "site"
# The index of the stored captures, as the ingest report names it.
INDEX_SOURCE = "raw/site/captures.jsonl"

NOT_CONTENT = {"listing", "wiki", "home", "other", "redirect", "error"}


@dataclass
class CaptureOutcome:
    """What one capture gave: its class, and the parsed item or the reason it gave none."""

    capture: StoredCapture
    page: PageClass
    lang: str | None = None
    keys: tuple[str, ...] = ()
    event: ParsedEvent | None = None
    statement: ParsedStatement | None = None
    doc_title: str | None = None
    doc_date: PartialDate | None = None
    reject: str | None = None          # why it gave no item
    item_id: str | None = None

    @property
    def parsed(self) -> ParsedEvent | ParsedStatement | None:
        return self.event or self.statement


@dataclass
class Item:
    item_type: str
    outcomes: list[CaptureOutcome] = field(default_factory=list)
    item_id: str | None = None
    curated: dict | None = None
    listed: str | None = None   # why it was listed as an ambiguous match instead of loaded

    def usable(self) -> list[CaptureOutcome]:
        return [o for o in self.outcomes if o.parsed is not None and not o.reject]

    @property
    def preferred(self) -> CaptureOutcome:
        """The most complete capture; then the default language; then the latest."""
        return max(self.usable(), key=lambda o: (o.parsed.completeness(), o.lang is None,
                                                 o.capture.timestamp))

    def fullest(self, rows: str) -> CaptureOutcome:
        """The capture with the most agenda items or endorsements (`rows`), the preferred one
        on a tie: a calendar entry may give the times and a post about it the agenda."""
        best = self.preferred
        return max(self.usable(), key=lambda o: (len(getattr(o.parsed, rows)), o is best))


def read_capture(data_dir: Path, capture: StoredCapture,
             cache: dict[tuple[str, str], CaptureOutcome]) -> CaptureOutcome:
    address = site_address(capture.url)
    if capture.stored_at and (capture.stored_at, capture.url) in cache:
        # The same content stored once for several captures: parse it once.
        seen = cache[(capture.stored_at, capture.url)]
        return CaptureOutcome(capture, seen.page, address.lang, seen.keys, seen.event,
                              seen.statement, seen.doc_title, seen.doc_date, seen.reject)
    body = None
    headers: dict[str, str] = {}
    if capture.stored_at and not (capture.status or "200").startswith(("3", "4", "5")):
        try:
            headers, body = read_record(data_dir, capture)
        except (StoreError, OSError, ValueError) as exc:
            return CaptureOutcome(capture, PageClass("error", "unreadable record"), address.lang,
                                  reject=f"empty or unreadable record: {exc}")
        except Exception as exc:  # noqa: BLE001 - warcio's own errors on a damaged file
            return CaptureOutcome(capture, PageClass("error", "unreadable record"), address.lang,
                                  reject=f"empty or unreadable record: {type(exc).__name__}")
        if not body:
            # A stored 200 with nothing in it is a damaged or truncated copy, not a page.
            return CaptureOutcome(capture, PageClass("error", "empty body"), address.lang,
                                  reject="empty or unreadable record: no body")
    if body is None and not (capture.status or "200").startswith(("3", "4", "5")):
        return CaptureOutcome(capture, PageClass("error", "no stored body"), address.lang,
                              reject="no stored body (collect the site again to fetch it)")
    mime = capture.mime or headers.get("content-type")
    try:
        page, doc = classify_capture(capture.url, capture.status, mime, body)
    except Exception as exc:  # noqa: BLE001 - one odd page must not stop the build
        return CaptureOutcome(capture, PageClass("other", "unknown layout"), address.lang,
                              reject=f"unknown layout ({type(exc).__name__}: {exc})")
    outcome = CaptureOutcome(capture, page, address.lang)
    if doc is not None:
        outcome.keys = _item_keys(capture.url, doc)
        _parse_content(outcome, doc)
    if capture.stored_at:
        cache[(capture.stored_at, capture.url)] = outcome
    return outcome


def _parse_content(outcome: CaptureOutcome, doc: Document) -> None:
    kind = outcome.page.kind
    try:
        if kind == "event":
            outcome.event = parse_event(outcome.capture.url, doc)
            problems = outcome.event.problems
        elif kind == "statement":
            outcome.statement = parse_statement(outcome.capture.url, doc)
            problems = outcome.statement.problems
        elif kind in ("report", "background_paper"):
            outcome.doc_title = read_title(doc)
            outcome.doc_date = published(doc)
            problems = [] if outcome.doc_title else ["no title"]
        else:
            return
    except Exception as exc:  # noqa: BLE001 - markup we have not seen: count it, go on
        outcome.reject = f"unknown layout ({type(exc).__name__}: {exc})"
        return
    if problems:
        if not doc.blocks and not doc.h1 and not doc.title_tag:
            outcome.reject = "unknown layout (no content, title or date found)"
        else:
            outcome.reject = problems[0]


def _item_keys(url: str, doc: Document) -> tuple[str, ...]:
    """Keys that tie captures of one item: its address without language prefix, its
    instance_id, and its canonical address."""
    keys = []
    address = site_address(url)
    # '/?p=123' is a post's short address: its path says nothing about which post.
    if address.path or not address.post_id:
        keys.append(f"path:{address.path}")
    if address.instance_id:
        keys.append(f"instance:{address.instance_id}")
    if address.post_id:
        keys.append(f"post:{address.post_id}")
    post_class = next((c[7:] for c in doc.body_classes if re.fullmatch(r"postid-\d+", c)), None)
    if post_class and address.lang is None:
        # Translations are separate posts with their own ids; only the default language's
        # id names the same post as '?p=N'.
        keys.append(f"post:{post_class}")
    if doc.canonical:
        canonical = site_address(urljoin(url, doc.canonical))
        if canonical.host == address.host:
            if canonical.path:
                keys.append(f"path:{canonical.path}")
            if canonical.post_id:
                keys.append(f"post:{canonical.post_id}")
            if canonical.instance_id:
                keys.append(f"instance:{canonical.instance_id}")
    return tuple(dict.fromkeys(keys))


def group_captures(outcomes: Iterable[CaptureOutcome], item_type: str) -> list[Item]:
    """Union the captures that share a key; rejected captures join an item they share a key with."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    members = [o for o in outcomes if o.keys]
    for outcome in members:
        first = find(outcome.keys[0])
        for key in outcome.keys[1:]:
            parent[find(key)] = first
    groups: dict[str, Item] = {}
    for outcome in members:
        root = find(outcome.keys[0])
        groups.setdefault(root, Item(item_type)).outcomes.append(outcome)
    return [g for g in groups.values() if any(o.parsed and not o.reject for o in g.outcomes)]

def forum_of_title(title: str | None) -> str | None:
    matches = classify_forums({"title": title})
    return matches[0].forum if matches else None


def combined_event(item: Item) -> ParsedEvent:
    """The preferred capture's event, its empty fields filled from the item's other captures
    (most complete first): a calendar entry may give the times and a post the place."""
    best = item.preferred
    event = replace(best.event)
    others = sorted((o for o in item.usable() if o is not best),
                    key=lambda o: -o.parsed.completeness())
    for other in others:
        for name in ("start_time", "end_time", "venue", "city", "country", "kind"):
            if not getattr(event, name) and getattr(other.event, name):
                setattr(event, name, getattr(other.event, name))
    return event
