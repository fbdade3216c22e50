"""The site reader's rows: events, agendas, statements, signatories and documents, each
with its source and how it was obtained."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from bestbits.load import reconcile
from bestbits.load.loader import Loader
from bestbits.load.reconcile import Session
from bestbits.load.site_items import (
    INDEX_SOURCE,
    STAGE,
    CaptureOutcome,
    Item,
    combined_event,
    forum_of_title,
)
from bestbits.load.site_matching import date_parts, merged_with_curated, record_changes, records, records_of
from bestbits.query import load_sql
from scrapers.parse.affiliation import load_domain_map
from scrapers.parse.language import detect_language
from scrapers.parse.pages import site_address
from scrapers.parse.statements import Endorsement, ParsedStatement, guess_kind


def _slug_id(prefix: str, url: str, taken: set[str]) -> str:
    path = site_address(url).path.strip("/")
    slug = re.sub(r"[^a-z0-9]+", "-", unquote(path).lower()).strip("-") or "page"
    candidate, n = f"{prefix}-{slug}", 2
    while candidate in taken:
        candidate, n = f"{prefix}-{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate



def _original_url(item: Item) -> str:
    """The item's address on the site: the default-language one when a capture has it."""
    plain = [o for o in item.outcomes if o.lang is None]
    return (plain or [item.preferred])[0].capture.url


def _item_lang(item: Item) -> str | None:
    plain = [o for o in item.usable() if o.lang is None]
    return (plain or [item.preferred])[0].parsed.lang



def event_rows(items: list[Item], load: Loader, taken: set[str],
                candidates: list[dict]) -> list[Item]:
    """Insert the events, or reconcile them with their curated rows; returns the merged items."""
    curated = records(load, "site_curated_events.sql")
    events, agenda, diffs, refinements = [], [], [], []
    items = merged_with_curated(items, curated, "event_id", "start_date", candidates)
    for item in items:
        if item.listed:
            continue
        best = item.preferred
        event = combined_event(item)
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
                              for r in records_of(load, "site_curated_agenda.sql",
                                                   event_id=item.item_id)]
            result = reconcile.reconcile_agenda(curated_agenda, sessions)
            agenda_source = with_agenda.capture.replay_url
            record_changes("event", item.item_id, changes, row, source, diffs, refinements)
            record_changes("event", item.item_id, result.changes, row, agenda_source, diffs,
                            refinements)
            values = reconcile.kept(changes)
            start = date_parts(values.get("start_date"))
            end = date_parts(values.get("end_date"))
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
                "forum": forum_of_title(event.title), "kind": event.kind,
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


def known_organisations() -> dict[str, str]:
    try:
        mapping = load_domain_map()
    except Exception:  # noqa: BLE001 - the list ingest reports a bad domains.csv; here it is optional
        return {}
    known = {}
    for domain, organisation in mapping.items():
        known[_name_key(organisation.organisation)] = organisation.organisation
        known[domain.lower()] = organisation.organisation
    return known


def statement_rows(items: list[Item], load: Loader, taken: set[str],
                    candidates: list[dict]) -> list[Item]:
    """Insert the statements and endorsements, or reconcile curated rows with their pages;
    returns the merged items."""
    curated = records(load, "site_curated_statements.sql")
    # The names each statement already lists (the curated record's), then those read here:
    # a page's endorser who is one of them (reconcile.same_signatory) is that row, not another.
    listed: dict[str, list[tuple[str, bool]]] = {}
    for r in records(load, "site_curated_signatories.sql"):
        listed.setdefault(r["statement_id"], []).append((r["name"], True))
    known = known_organisations()
    statements, signatories, diffs, refinements = [], [], [], []
    address_cells = 0  # signatory cells that held an e-mail address (the privacy gate took it)
    items = merged_with_curated(items, curated, "statement_id", "date", candidates)
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
            record_changes("statement", item.item_id, changes, row, source, diffs,
                            refinements)
            values = reconcile.kept(changes)
            day = date_parts(values.get("date"))
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
                "date_year": when.year if when else None, "forum": forum_of_title(parsed.title),
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


def languages_of_the_rest(load: Loader) -> None:
    """Rows no capture gave a language (the curated ones): their address, else their words."""
    for item_type, item_id, url, title, text in load.con.execute(
            load_sql("load/site_rows_without_lang.sql")).fetchall():
        lang = detect_language(f"{title}\n{text or ''}", url)
        if lang:
            load.con.execute(load_sql(f"load/site_set_{item_type}_lang.sql"),
                             {"lang": lang, "item_id": item_id})


def kinds_of_the_rest(load: Loader, known: dict[str, str]) -> None:
    """Every endorser gets a kind: the curated notable signatories no page listed are named by
    the organisations we know, else by the words and shape of the name (`kind_basis` says
    which, so that a reader can weigh it)."""
    for (name,) in load.con.execute(load_sql("load/site_signatories_without_kind.sql")).fetchall():
        kind, basis = _endorser_kind(Endorsement(name), known)
        load.con.execute(load_sql("load/site_set_signatory_kind.sql"),
                         {"name": name, "kind": kind, "kind_basis": basis})


def document_rows(outcomes: list[CaptureOutcome]) -> list[dict]:
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
