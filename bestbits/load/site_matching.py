"""The site reader's items matched with the curated record (by address, by title and date, or
by day, place and forum with a score: bestbits/load/reconcile.py) and merged with it field by
field, each change and each contradiction recorded."""

from __future__ import annotations

import re
import unicodedata

from bestbits.load import reconcile
from bestbits.load.loader import Loader
from bestbits.load.reconcile import Facts, FieldChange
from bestbits.load.site_items import Item, combined_event, forum_of_title
from bestbits.query import load_sql
from scrapers.parse.dates import PartialDate
from scrapers.parse.events import ParsedEvent
from scrapers.parse.pages import site_address
from scrapers.parse.statements import ParsedStatement


def _norm_title(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _address_key(url: str | None) -> tuple[str, str | None] | None:
    if not url:
        return None
    address = site_address(url.strip())
    return address.path, address.instance_id


def records(load: Loader, name: str) -> list[dict]:
    return records_of(load, name)


def records_of(load: Loader, name: str, **params: object) -> list[dict]:
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
    parsed = combined_event(item) if item.item_type == "event" else item.preferred.parsed
    when = _when(parsed)
    return Facts(parsed.title, when.day if when else None, None, when.month if when else None,
                 getattr(parsed, "city", None), getattr(parsed, "country", None),
                 forum_of_title(parsed.title))


def _facts_of_row(row: dict, date_column: str) -> Facts:
    first = row.get(date_column)
    return Facts(row["title"], first, row.get("end_date") or first, row.get("date_month"),
                 row.get("city"), row.get("country"), row.get("forum"))


def merged_with_curated(items: list[Item], curated: list[dict], id_column: str, date_column: str,
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


def record_changes(item_type: str, item_id: str, changes: list[FieldChange], row: dict,
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


def date_parts(value: str | None) -> tuple[str | None, str | None, int | None]:
    """'2014-09-05' -> (day, month, year); '2014-09' -> (None, month, year)."""
    if not value:
        return None, None, None
    return (value if len(value) == 10 else None, value[:7] if len(value) >= 7 else None,
            int(value[:4]))
