"""Build reader: turn the stored captures of bestbits.net into events, agendas, statements,
endorsements and documents, merged with the curated record and accounted for capture by capture.

Steps: classify every capture; parse the event and statement pages (the same content stored
twice is parsed once); group the captures of one item (repeated captures, /es/ and /fr/
variants, the same instance_id, the canonical link); keep the most complete capture's values
and every capture as provenance; match each item to the curated record by address, or by title
and date, or by day, place and forum with a score (bestbits/load/reconcile.py: merged above
its threshold, listed in `match_candidates` when too close to call). A matched item stays one
curated row, reconciled field by field: what the page adds (a field left empty, a day inside
the curated month, session times, more sessions) is kept and listed in `reconcile_changes`;
what it contradicts goes to `parsed_vs_curated` and the curated value stays. The curated
source_url stays; the captures of the item are listed in `item_captures` (the one its values
were read from marked `preferred`). Unmatched items are inserted with method 'parsed' and the
capture's replay address as source_url. Endorsers join the statement's curated signatories
they name (reconcile.same_signatory), adding the page to their sources, or are new rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bestbits.load import reconcile
from bestbits.load.captures import stored_captures
from bestbits.load.forums import classify as classify_forums
from bestbits.load.loader import Loader
from bestbits.load.reconcile import Facts, FieldChange, Session
from bestbits.query import load_sql
from scrapers.parse.affiliation import load_domain_map
from scrapers.parse.dates import PartialDate
from scrapers.parse.events import ParsedEvent, parse_event
from scrapers.parse.language import detect_language
from scrapers.parse.pages import PageClass, classify_capture, published, site_address
from scrapers.parse.pages import page_title as read_title
from scrapers.parse.statements import Endorsement, ParsedStatement, guess_kind, parse_statement
from scrapers.parse.tree import Document
from scrapers.raw_store.warc_store import StoredCapture, StoreError, iter_index, read_record

STAGE = "site"
INDEX_SOURCE = "raw/site/captures.jsonl"
_NOT_CONTENT = {"listing", "wiki", "home", "other", "redirect", "error"}


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


# -- reading and classifying ---------------------------------------------------------------

def _outcome(data_dir: Path, capture: StoredCapture,
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


def _group(outcomes: Iterable[CaptureOutcome], item_type: str) -> list[Item]:
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


# -- matching with the curated record ------------------------------------------------------

def _norm_title(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _address_key(url: str | None) -> tuple[str, str | None] | None:
    if not url:
        return None
    address = site_address(url.strip())
    return address.path, address.instance_id



def _records(load: Loader, name: str) -> list[dict]:
    return _records_of(load, name)


def _records_of(load: Loader, name: str, **params: object) -> list[dict]:
    cursor = load.con.execute(load_sql(f"load/{name}"), params or None)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _match(item: Item, curated: list[dict], id_column: str, date_column: str) -> dict | None:
    paths = {(site_address(o.capture.url).path, site_address(o.capture.url).instance_id)
             for o in item.outcomes}
    instances = {i for _p, i in paths if i}
    for row in curated:
        key = _address_key(row.get("url"))
        if key and key[0] and (key in paths or (key[1] and key[1] in instances)
                    or (key[0] and not key[1] and any(p == key[0] for p, _i in paths))):
            return row
    parsed = item.preferred.parsed
    title = _norm_title(parsed.title)
    when = parsed.start if isinstance(parsed, ParsedEvent) else parsed.date
    for row in curated:
        if not title or _norm_title(row["title"]) != title or when is None:
            continue
        day = row.get(date_column)
        month = row.get("date_month") or (day.strftime("%Y-%m") if day else None)
        if (day and when.day and day == when.day) or (
                (not day or not when.day) and month and month == when.month):
            return row
    return None


def _when(parsed: ParsedEvent | ParsedStatement) -> PartialDate | None:
    return parsed.start if isinstance(parsed, ParsedEvent) else parsed.date


def _facts_of_item(item: Item) -> Facts:
    parsed = _combined_event(item) if item.item_type == "event" else item.preferred.parsed
    when = _when(parsed)
    return Facts(parsed.title, when.day if when else None, None, when.month if when else None,
                 getattr(parsed, "city", None), getattr(parsed, "country", None),
                 _forum(parsed.title))


def _facts_of_row(row: dict, date_column: str) -> Facts:
    first = row.get(date_column)
    return Facts(row["title"], first, row.get("end_date") or first, row.get("date_month"),
                 row.get("city"), row.get("country"), row.get("forum"))


def _merged(items: list[Item], curated: list[dict], id_column: str, date_column: str,
            candidates: list[dict]) -> list[Item]:
    """One item per curated row, and one per parsed title and date: captures that the address
    keys kept apart (a post and its calendar entry, say) but that are the same item. An item
    neither ties is scored against the curated rows by day, place and forum: merged above the
    threshold, listed (in `candidates`, and kept out of the tables) when too close to call."""
    by_key: dict[tuple, Item] = {}
    facts = {row[id_column]: _facts_of_row(row, date_column) for row in curated}
    by_id = {row[id_column]: row for row in curated}
    for item in items:
        row = _match(item, curated, id_column, date_column)
        parsed = item.preferred.parsed
        when = _when(parsed)
        if row is None and item.item_type == "event":
            # Only events have a place: a statement is tied by address or title and date.
            decision = reconcile.decide(_facts_of_item(item), facts)
            for scored in decision.scored:
                merged = scored.candidate_id == decision.merge_with
                if not merged and not decision.listed:
                    continue
                candidates.append({
                    "item_type": item.item_type, "parsed_title": parsed.title,
                    "parsed_date": when.iso() if when else None,
                    "candidate_id": scored.candidate_id, "score": scored.score,
                    "evidence": scored.evidence, "outcome": "merged" if merged else "listed",
                    "source_url": item.preferred.capture.replay_url})
            if decision.merge_with:
                row = by_id[decision.merge_with]
            elif decision.listed:
                best = decision.listed[0]
                item.listed = (f"ambiguous match with {best.candidate_id} (score "
                               f"{best.score:.2f}: {best.evidence}); listed in match_candidates")
                by_key[("listed", id(item))] = item
                continue
        key = (("curated", row[id_column]) if row else
               ("parsed", _norm_title(parsed.title), when.iso() if when else None))
        if row is None and item.item_type == "event" and key not in by_key:
            twin = _parsed_twin(item, by_key)
            if twin is not None:
                other, scored = twin
                candidates.append({
                    "item_type": item.item_type, "parsed_title": parsed.title,
                    "parsed_date": when.iso() if when else None,
                    "candidate_id": f"parsed: {other.preferred.parsed.title}",
                    "score": scored.score, "evidence": scored.evidence, "outcome": "merged",
                    "source_url": item.preferred.capture.replay_url})
                other.outcomes += item.outcomes
                continue
        if key in by_key and (row or when):
            by_key[key].outcomes += item.outcomes
        else:
            item.curated = row
            by_key[key if row or when else ("alone", id(item))] = item
    return list(by_key.values())


def _parsed_twin(item: Item, by_key: dict[tuple, Item]) -> tuple[Item, reconcile.Scored] | None:
    """A parsed event already kept that is the same meeting by day, place and forum (a calendar
    entry and a post under other titles); only a clear match merges, a resemblance does not
    (both stay, since neither is curated to prefer)."""
    kept = [(k, v) for k, v in by_key.items() if k[0] == "parsed" and not v.listed]
    if not kept:
        return None
    decision = reconcile.decide(_facts_of_item(item),
                                {str(i): _facts_of_item(v) for i, (_k, v) in enumerate(kept)})
    if decision.merge_with is None:
        return None
    scored = next(s for s in decision.scored if s.candidate_id == decision.merge_with)
    return kept[int(decision.merge_with)][1], scored


def _record_changes(item_type: str, item_id: str, changes: list[FieldChange], row: dict,
                    parsed_source: str, diffs: list[dict], refinements: list[dict]) -> None:
    """Conflicts (and, as before, the fields the curated record leaves empty) to
    parsed_vs_curated; fills and refinements, with both values and sources, to
    reconcile_changes."""
    for change in changes:
        if change.change in (reconcile.CONFLICT, reconcile.FILL):
            diffs.append({"item_type": item_type, "item_id": item_id, "field": change.field,
                          "parsed_value": change.parsed_value,
                          "curated_value": change.curated_value, "source_url": parsed_source})
        if change.change in (reconcile.FILL, reconcile.REFINE):
            refinements.append({
                "item_type": item_type, "item_id": item_id, "field": change.field,
                "change": change.change, "curated_value": change.curated_value,
                "parsed_value": change.parsed_value,
                "curated_source_url": row["source_url"], "parsed_source_url": parsed_source})


def _date_parts(value: str | None) -> tuple[str | None, str | None, int | None]:
    """'2014-09-05' -> (day, month, year); '2014-09' -> (None, month, year)."""
    if not value:
        return None, None, None
    return (value if len(value) == 10 else None, value[:7] if len(value) >= 7 else None,
            int(value[:4]))


# -- rows -----------------------------------------------------------------------------------

def _slug_id(prefix: str, url: str, taken: set[str]) -> str:
    path = site_address(url).path.strip("/")
    slug = re.sub(r"[^a-z0-9]+", "-", unquote(path).lower()).strip("-") or "page"
    candidate, n = f"{prefix}-{slug}", 2
    while candidate in taken:
        candidate, n = f"{prefix}-{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _forum(title: str | None) -> str | None:
    matches = classify_forums({"title": title})
    return matches[0].forum if matches else None


def _original_url(item: Item) -> str:
    """The item's address on the site: the default-language one when a capture has it."""
    plain = [o for o in item.outcomes if o.lang is None]
    return (plain or [item.preferred])[0].capture.url


def _item_lang(item: Item) -> str | None:
    plain = [o for o in item.usable() if o.lang is None]
    return (plain or [item.preferred])[0].parsed.lang


def _combined_event(item: Item) -> ParsedEvent:
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


def _event_rows(items: list[Item], load: Loader, taken: set[str],
                candidates: list[dict]) -> list[Item]:
    """Insert the events, or reconcile them with their curated rows; returns the merged items."""
    curated = _records(load, "site_curated_events.sql")
    events, agenda, diffs, refinements = [], [], [], []
    items = _merged(items, curated, "event_id", "start_date", candidates)
    for item in items:
        if item.listed:
            continue
        best = item.preferred
        event = _combined_event(item)
        source = best.capture.replay_url
        with_agenda = item.fullest("agenda")
        one_day = event.start and event.start.day and (
            event.end is None or event.end.day == event.start.day)
        sessions = [Session(a.title, a.day or (event.start.day.isoformat() if one_day else None),
                            a.start_time, a.end_time, a.moderators)
                    for a in with_agenda.event.agenda]
        row = item.curated
        if row:
            item.item_id = row["event_id"]
            changes = reconcile.reconcile_fields({
                "title": ("text", row["title"], event.title),
                "start_date": ("date", row["start_date"] or row["date_month"],
                               event.start.iso() if event.start else None),
                "end_date": ("date", row["end_date"] or row["end_month"],
                             event.end.iso() if event.end else None),
                "start_time": ("text", row["start_time"], event.start_time),
                "end_time": ("text", row["end_time"], event.end_time),
                "venue": ("text", row["venue"], event.venue),
                "city": ("text", row["city"], event.city),
                "country": ("text", row["country"], event.country),
                "kind": ("text", row["kind"], event.kind),
            })
            curated_agenda = [Session(r["title"], r["day"], r["start_time"], r["end_time"],
                                      r["moderators"], True, r["source_url"])
                              for r in _records_of(load, "site_curated_agenda.sql",
                                                   event_id=item.item_id)]
            result = reconcile.reconcile_agenda(curated_agenda, sessions)
            agenda_source = with_agenda.capture.replay_url
            _record_changes("event", item.item_id, changes, row, source, diffs, refinements)
            _record_changes("event", item.item_id, result.changes, row, agenda_source, diffs,
                            refinements)
            values = reconcile.kept(changes)
            start = _date_parts(values.get("start_date"))
            end = _date_parts(values.get("end_date"))
            load.con.execute(load_sql("load/site_reconcile_event.sql"), {
                "event_id": item.item_id, "start_date": start[0], "start_month": start[1],
                "start_year": start[2], "end_date": end[0], "end_month": end[1],
                "start_time": values.get("start_time"), "end_time": values.get("end_time"),
                "venue": values.get("venue"), "city": values.get("city"),
                "country": values.get("country"), "kind": values.get("kind"),
                "lang": _item_lang(item)})
            if not result.replaced:
                continue
            load.con.execute(load_sql("load/site_delete_agenda.sql"), {"event_id": item.item_id})
            sessions = result.sessions
        else:
            item.item_id = _slug_id("site", _original_url(item), taken)
            start, end = event.start, event.end
            events.append({
                "event_id": item.item_id, "title": event.title,
                "start_date": start.day if start else None,
                "start_month": start.month if start else None,
                "start_year": start.year if start else None,
                "end_date": end.day if end else None, "end_month": end.month if end else None,
                "start_time": event.start_time, "end_time": event.end_time,
                "city": event.city, "country": event.country, "venue": event.venue,
                "forum": _forum(event.title), "kind": event.kind,
                "url": _original_url(item), "source_url": source, "method": "parsed",
                "lang": _item_lang(item),
            })
        for position, session in enumerate(sessions, start=1):
            capture = with_agenda.capture.replay_url
            agenda.append({
                "event_id": item.item_id, "position": position, "day": session.day,
                "start_time": session.start_time, "end_time": session.end_time,
                "title": session.title, "moderators": session.moderators,
                "source_url": session.source_url if session.curated else capture,
                "method": "curated" if session.curated else "parsed",
            })
    load.insert("events", events)
    load.insert("agenda_items", agenda)
    load.insert("parsed_vs_curated", diffs)
    load.insert("reconcile_changes", refinements)
    return items


_CONNECTIVES = re.compile(r"\s(for|of|the|and|on|de|des|du|pour|por|para|y|et|em)\s|[&/+0-9]",
                         re.IGNORECASE)


def _name_key(name: str) -> str:
    """'Center for Democracy & Technology' and '... and Technology' give one key."""
    return " ".join(sorted(reconcile.title_words(name)))


def _endorser_kind(endorsement: Endorsement, known: dict[str, str]) -> tuple[str, str]:
    """The endorser's kind and what told it: the page's own cue (section, table, line) first,
    then the organisations and domains we know (data/domains.csv), then the words of the
    name, then its shape. Most signatories of the network's statements were organisations,
    so a name no cue tells is taken as one, and its basis says so."""
    if endorsement.kind and endorsement.basis in ("section", "table", "line"):
        return endorsement.kind, endorsement.basis
    name = endorsement.name.strip()
    core = re.sub(r"\s*\(.*$", "", name).strip() or name
    if name.lower() in known:
        return "organisation", f"known domain ({known[name.lower()]})"
    if _name_key(core) in known:
        return "organisation", f"known organisation ({known[_name_key(core)]})"
    if re.fullmatch(r"(?:[\w-]+\.)+[a-z]{2,}", name.lower()):
        return "organisation", "a web address"
    guessed = endorsement.kind or guess_kind(core)
    if guessed:
        return guessed, "words"
    if len(core.split()) == 1 or re.fullmatch(r"[A-Z0-9&.\- ]{2,}", core):
        return "organisation", "one word or an acronym"
    if _CONNECTIVES.search(f" {core} "):
        return "organisation", "words of an organisation's name (for, of, and ...)"
    return "organisation", "no cue: taken as an organisation, as most signatories were"


def _known_organisations() -> dict[str, str]:
    try:
        mapping = load_domain_map()
    except Exception:  # noqa: BLE001 - the list ingest reports a bad domains.csv; here it is optional
        return {}
    known = {}
    for domain, organisation in mapping.items():
        known[_name_key(organisation.organisation)] = organisation.organisation
        known[domain.lower()] = organisation.organisation
    return known


def _statement_rows(items: list[Item], load: Loader, taken: set[str],
                    candidates: list[dict]) -> list[Item]:
    """Insert the statements and endorsements, or reconcile curated rows with their pages;
    returns the merged items."""
    curated = _records(load, "site_curated_statements.sql")
    # The names each statement already lists (the curated record's), then those read here:
    # a page's endorser who is one of them (reconcile.same_signatory) is that row, not another.
    listed: dict[str, list[tuple[str, bool]]] = {}
    for r in _records(load, "site_curated_signatories.sql"):
        listed.setdefault(r["statement_id"], []).append((r["name"], True))
    known = _known_organisations()
    statements, signatories, diffs, refinements = [], [], [], []
    address_cells = 0  # signatory cells that held an e-mail address (the privacy gate took it)
    items = _merged(items, curated, "statement_id", "date", candidates)
    for item in items:
        if item.listed:
            continue
        best = item.preferred
        parsed: ParsedStatement = best.statement  # type: ignore[assignment]
        source = best.capture.replay_url
        with_endorsements = item.fullest("endorsements")
        address_cells += with_endorsements.statement.address_cells
        endorsers = [(e, *_endorser_kind(e, known))
                     for e in with_endorsements.statement.endorsements]
        organisations = sum(1 for _e, kind, _b in endorsers if kind == "organisation") or None
        individuals = sum(1 for _e, kind, _b in endorsers if kind == "individual") or None
        row = item.curated
        if row:
            item.item_id = row["statement_id"]
            changes = reconcile.reconcile_fields({
                "title": ("text", row["title"], parsed.title),
                "date": ("date", row["date"] or row["date_month"],
                         parsed.date.iso() if parsed.date else None),
                "addressee": ("text", row["addressee"], parsed.addressee),
                "signatory_count": ("count", row["signatory_count"], parsed.signatory_count),
            })
            _record_changes("statement", item.item_id, changes, row, source, diffs,
                            refinements)
            values = reconcile.kept(changes)
            day = _date_parts(values.get("date"))
            load.con.execute(load_sql("load/site_reconcile_statement.sql"), {
                "statement_id": item.item_id, "date": day[0], "date_month": day[1],
                "date_year": day[2], "addressee": values.get("addressee"),
                "signatory_count": values.get("signatory_count"), "lang": _item_lang(item),
                "organisations": organisations,
                "individuals": individuals})
            if not row["has_text"]:
                load.con.execute(load_sql("load/site_fill_statement_text.sql"), {
                    "text": parsed.text or None, "text_html": parsed.text_html or None,
                    "source_url": source, "stated": parsed.stated_count,
                    "parsed": len(parsed.endorsements) or None, "statement_id": item.item_id})
        else:
            item.item_id = _slug_id("site", _original_url(item), taken)
            when = parsed.date
            statements.append({
                "statement_id": item.item_id, "title": parsed.title,
                "date": when.day if when else None, "date_month": when.month if when else None,
                "date_year": when.year if when else None, "forum": _forum(parsed.title),
                "addressee": parsed.addressee, "url": _original_url(item),
                "text": parsed.text or None, "text_html": parsed.text_html or None,
                "signatory_count": parsed.signatory_count,
                "stated_signatory_count": parsed.stated_count,
                "parsed_signatory_count": len(parsed.endorsements) or None,
                "parsed_organisations": organisations, "parsed_individuals": individuals,
                "text_source_url": source, "source_url": source, "method": "parsed",
                "lang": _item_lang(item),
            })
        names = listed.setdefault(item.item_id, [])
        for position, (endorsement, kind, basis) in enumerate(endorsers, start=1):
            same = next(((name, is_curated) for name, is_curated in names
                         if reconcile.same_signatory(name, endorsement.name)), None)
            if same:
                if same[1]:
                    _fill_signatory(load, item.item_id, same[0], endorsement, kind, basis,
                                    with_endorsements.capture.replay_url, refinements)
                continue
            names.append((endorsement.name, False))
            signatories.append({
                "statement_id": item.item_id, "name": endorsement.name,
                "organisation": endorsement.organisation, "country": endorsement.country,
                "kind": kind, "kind_basis": basis, "position": position,
                "listed_by": reconcile.PARSED_PAGE,
                "source_url": with_endorsements.capture.replay_url, "method": "parsed",
            })
    load.insert("statements", statements)
    load.insert("signatories", signatories)
    if address_cells:
        load.insert("ingest_notes", [{
            "source": f"{INDEX_SOURCE} [statement]", "stage": STAGE, "items": address_cells,
            "note": "signatory cells that held an e-mail address: the address taken out, and "
                    "a cell that was nothing but one dropped (it names no signatory)"}])
    load.insert("parsed_vs_curated", diffs)
    load.insert("reconcile_changes", refinements)
    return items


def _fill_signatory(load: Loader, statement_id: str, name: str, endorsement: Endorsement,
                    kind: str, basis: str, source: str, refinements: list[dict]) -> None:
    """A curated signatory (NAME) the page lists too: the page joins its sources (listed_by,
    other_source_urls), and its kind, organisation and country fill what the curated record
    leaves empty (listed as fills)."""
    before = load.con.execute(load_sql("load/site_curated_signatory.sql"), {
        "statement_id": statement_id, "name": name}).fetchone()
    if before is None:
        return
    for field_name, mine, theirs in (("kind", before[0], kind),
                                     ("organisation", before[1], endorsement.organisation),
                                     ("country", before[2], endorsement.country)):
        if mine is None and theirs:
            refinements.append({
                "item_type": "statement", "item_id": statement_id,
                "field": f"signatory {name}: {field_name}", "change": "fill",
                "curated_value": None, "parsed_value": theirs,
                "curated_source_url": before[3], "parsed_source_url": source})
    load.con.execute(load_sql("load/site_fill_signatory.sql"), {
        "statement_id": statement_id, "name": name, "kind": kind,
        "kind_basis": basis, "organisation": endorsement.organisation,
        "country": endorsement.country, "listed_by": reconcile.PARSED_PAGE,
        "source_url": source})


def _languages_of_the_rest(load: Loader) -> None:
    """Rows no capture gave a language (the curated ones): their address, else their words."""
    for item_type, item_id, url, title, text in load.con.execute(
            load_sql("load/site_rows_without_lang.sql")).fetchall():
        lang = detect_language(f"{title}\n{text or ''}", url)
        if lang:
            load.con.execute(load_sql(f"load/site_set_{item_type}_lang.sql"),
                             {"lang": lang, "item_id": item_id})


def _kinds_of_the_rest(load: Loader, known: dict[str, str]) -> None:
    """Every endorser gets a kind: the curated notable signatories no page listed are named by
    the organisations we know, else by the words and shape of the name (`kind_basis` says
    which, so that a reader can weigh it)."""
    for (name,) in load.con.execute(load_sql("load/site_signatories_without_kind.sql")).fetchall():
        kind, basis = _endorser_kind(Endorsement(name), known)
        load.con.execute(load_sql("load/site_set_signatory_kind.sql"),
                         {"name": name, "kind": kind, "kind_basis": basis})


def _document_rows(outcomes: list[CaptureOutcome]) -> list[dict]:
    by_url: dict[str, list[CaptureOutcome]] = {}
    for outcome in outcomes:
        by_url.setdefault(outcome.capture.url, []).append(outcome)
    rows = []
    for url, group in by_url.items():
        latest = max(group, key=lambda o: o.capture.timestamp)
        kind = "file" if latest.page.kind == "document" else latest.page.kind
        title = latest.doc_title
        if kind == "file":
            title = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]) or url
        when = latest.doc_date
        capture = latest.capture
        rows.append({
            "url": url, "timestamp": capture.timestamp, "kind": kind, "mime": capture.mime,
            "status": capture.status, "title": title,
            "date": getattr(when, "day", None), "date_month": getattr(when, "month", None),
            "captures": len(group), "stored_at": capture.stored_at,
            "replay_url": capture.replay_url, "source_url": capture.replay_url,
            "method": "parsed",
        })
        for outcome in group:
            outcome.item_id = url
    return rows


# -- the reader -----------------------------------------------------------------------------

def read_site_pages(data_dir: Path, load: Loader) -> None:
    """Parse every stored capture of the site; see the module docstring."""
    cache: dict[tuple[str, str], CaptureOutcome] = {}
    outcomes = [_outcome(data_dir, capture, cache)
                for capture in stored_captures(iter_index(data_dir))]
    if not outcomes:
        _kinds_of_the_rest(load, _known_organisations())
        _languages_of_the_rest(load)
        return
    taken = {r[0] for r in load.con.execute("SELECT event_id FROM events").fetchall()}
    taken |= {r[0] for r in load.con.execute("SELECT statement_id FROM statements").fetchall()}

    event_items = _group((o for o in outcomes if o.page.kind == "event"), "event")
    statement_items = _group((o for o in outcomes if o.page.kind == "statement"), "statement")
    candidates: list[dict] = []
    event_items = _event_rows(event_items, load, taken, candidates)
    statement_items = _statement_rows(statement_items, load, taken, candidates)
    load.insert("match_candidates", candidates)
    documents = [o for o in outcomes if o.page.kind in ("document", "report", "background_paper")
                 and not o.reject]
    load.insert("documents", _document_rows(documents))

    links = []
    for item in event_items + statement_items:
        if item.listed:
            for outcome in item.outcomes:
                outcome.reject = outcome.reject or item.listed
            continue
        best = item.preferred
        for outcome in item.outcomes:
            outcome.item_id = item.item_id
            links.append({
                "item_type": item.item_type, "item_id": item.item_id,
                "url": outcome.capture.url, "timestamp": outcome.capture.timestamp,
                "lang": outcome.lang, "preferred": outcome is best,
                "outcome": f"rejected: {outcome.reject}" if outcome.reject else "loaded",
                "replay_url": outcome.capture.replay_url,
            })
    load.insert("item_captures", links)
    _account(outcomes, load)
    _kinds_of_the_rest(load, _known_organisations())
    _languages_of_the_rest(load)


def _account(outcomes: list[CaptureOutcome], load: Loader) -> None:
    """One page_classes row per capture, one ingest_report row per page kind, one reject per
    capture that gave no item."""
    rows, rejects = [], []
    totals: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    for outcome in outcomes:
        capture, kind = outcome.capture, outcome.page.kind
        if outcome.reject is None and kind in ("event", "statement") and not outcome.item_id:
            outcome.reject = "not tied to any item"  # a bug if it ever shows; never silent
        totals[kind] += 1
        if outcome.reject:
            rejected[kind] += 1
            rejects.append((f"{INDEX_SOURCE} [{kind}]", f"{capture.timestamp} {capture.url}",
                            STAGE, outcome.reject))
            result = f"rejected: {outcome.reject}"
        else:
            result = "recorded" if kind in _NOT_CONTENT else "loaded"
        item_type = {"event": "event", "statement": "statement"}.get(
            kind, "document" if kind in ("document", "report", "background_paper") else None)
        rows.append({
            "url": capture.url, "timestamp": capture.timestamp, "status": capture.status,
            "mime": capture.mime, "page_kind": kind, "reason": outcome.page.reason,
            "lang": outcome.lang, "item_type": item_type if outcome.item_id else None,
            "item_id": outcome.item_id, "outcome": result, "replay_url": capture.replay_url,
        })
    load.insert("page_classes", rows)
    load.reject_many(rejects)
    for kind in sorted(totals):
        load.report(f"{INDEX_SOURCE} [{kind}]", STAGE, totals[kind],
                    totals[kind] - rejected[kind], rejected[kind])


__all__ = ["read_site_pages"]
