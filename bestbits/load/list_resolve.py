"""From the list's parsed rows to its final tables, in SQL (queries/load/list_*.sql):
duplicates, threads, people (merged in Python over one row per distinct sender and name),
domains, and the opt-out applied to the merged people and to every table."""

from __future__ import annotations

from dataclasses import dataclass, field

from bestbits.load.duckdb_memory import release_cached_blocks
from bestbits.load.list_parse import subject_key
from bestbits.load.loader import Loader
from bestbits.privacy.opt_out import OptOutEntry, withhold_names
from bestbits.privacy.pseudonyms import normalise_name
from bestbits.query import load_sql
from scrapers.parse import affiliation, people
from scrapers.parse.mbox import is_reply_subject
from scrapers.parse.message_text import TEXT_CAP_BYTES
from scrapers.parse.threads import walk_to_root

STAGE = "list"

# list_parsed rows (kept messages and duplicates) written to messages per statement (see
# _insert_messages).
MESSAGE_SLICE = 5_000  # 20,000 measured: +100 MB at 20,000 messages; 5,000: +46 MB


def resolve(load: Loader, opt_out: list[OptOutEntry]) -> OptedOut:
    con = load.con
    con.execute(load_sql("load/list_dedupe.sql"))        # list_kept, duplicate rejects, ingest report
    release_cached_blocks(con)
    con.execute(load_sql("load/list_thread_links.sql"))  # list_links (parents), list_walk (roots to find)
    release_cached_blocks(con)
    _find_thread_roots(con)
    release_cached_blocks(con)
    opted = resolve_people(load, opt_out)
    _insert_messages(con)
    con.execute(load_sql("load/list_people.sql"))        # forum mentions, people, members
    release_cached_blocks(con)
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
        release_cached_blocks(con)
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
    append_rows(con, "list_cycle_roots", {"id": list(roots), "root": list(roots.values())})
    con.execute(load_sql("load/list_thread_cycles_apply.sql"))


def append_rows(con, table: str, columns: dict[str, list]) -> None:
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


def resolve_people(load: Loader, opt_out: list[OptOutEntry]) -> OptedOut:
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
    append_rows(con, "list_author_of", {"member": list(author_of),
                                         "author_id": list(author_of.values())})
    append_rows(con, "list_persons", {
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


def withhold_curated(load: Loader, opted: OptedOut, salt: bytes) -> None:
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
        append_rows(con, "list_curated_withheld", {"message_id": [w[0] for w in withheld],
                                                    "hers": [w[1] for w in withheld]})
        con.execute(load_sql("load/list_withhold_curated.sql"))


def withhold_everywhere(load: Loader, opted: OptedOut) -> None:
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


def merge_curated(load: Loader, salt: bytes) -> None:
    """A curated sample message that was also parsed keeps one row: the parsed one, with the
    curated page address carried over. They are matched by list, minute and subject, the
    subjects compared as the kept rows hold them (keyed, see subject_key)."""
    rows = load.con.execute(load_sql("load/list_curated_messages.sql")).fetchall()
    if not rows:
        return
    append_rows(load.con, "list_curated_subjects", {
        "message_id": [r[0] for r in rows], "subject_key": [subject_key(r[2], salt) for r in rows]})
    load.con.execute(load_sql("load/list_merge_curated.sql"))
