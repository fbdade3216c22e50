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

One module a job: reading and grouping (site_items.py), matching and merging with the curated
record (site_matching.py), the rows (site_rows.py); this module runs them and accounts for
every capture.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bestbits.load.captures import stored_captures
from bestbits.load.loader import Loader
from bestbits.load.site_items import (
    INDEX_SOURCE,
    NOT_CONTENT,
    STAGE,
    CaptureOutcome,
    group_captures,
    read_capture,
)
from bestbits.load.site_rows import (
    document_rows,
    event_rows,
    kinds_of_the_rest,
    known_organisations,
    languages_of_the_rest,
    statement_rows,
)
from scrapers.raw_store.warc_store import iter_index


def read_site_pages(data_dir: Path, load: Loader) -> None:
    """Parse every stored capture of the site; see the module docstring."""
    cache: dict[tuple[str, str], CaptureOutcome] = {}
    outcomes = [read_capture(data_dir, capture, cache)
                for capture in stored_captures(iter_index(data_dir))]
    if not outcomes:
        kinds_of_the_rest(load, known_organisations())
        languages_of_the_rest(load)
        return
    taken = {r[0] for r in load.con.execute("SELECT event_id FROM events").fetchall()}
    taken |= {r[0] for r in load.con.execute("SELECT statement_id FROM statements").fetchall()}

    event_items = group_captures((o for o in outcomes if o.page.kind == "event"), "event")
    statement_items = group_captures((o for o in outcomes if o.page.kind == "statement"), "statement")
    candidates: list[dict] = []
    event_items = event_rows(event_items, load, taken, candidates)
    statement_items = statement_rows(statement_items, load, taken, candidates)
    load.insert("match_candidates", candidates)
    documents = [o for o in outcomes if o.page.kind in ("document", "report", "background_paper")
                 and not o.reject]
    load.insert("documents", document_rows(documents))

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
    kinds_of_the_rest(load, known_organisations())
    languages_of_the_rest(load)


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
            result = "recorded" if kind in NOT_CONTENT else "loaded"
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
