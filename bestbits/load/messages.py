"""Build reader for the mailing list: DATA_DIR/raw/list/** -> messages, people, domains.

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
import re._constants as re_constants  # the regex parser's own modules (formerly sre_parse):
import re._parser as re_parser  # the one way to read which characters a forum pattern requires
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bestbits import config
from bestbits.load.forums import ForumMatch, load_rules
from bestbits.load.loader import Loader
from scrapers.parse import affiliation, people, threads
from scrapers.parse.mbox import ParsedMessage, Reject, iter_mbox_file
from scrapers.parse.message_text import clean_message_text, own_text
from scrapers.parse.pipermail_html import month_of_label, parse_message_page

STAGE = "list"
INSERT_BATCH = 20_000
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


def _required_literal(pattern: re.Pattern) -> str:
    """The longest run of plain characters every match must contain, case-folded ('' if none)."""
    try:
        parsed = re_parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # an exotic pattern: never skip it
        return ""
    runs, run = [], ""
    for op, argument in parsed:
        if op is re_constants.LITERAL:
            run += chr(argument)
        elif op is re_constants.AT:
            continue  # \b and ^ consume nothing: the characters around them stay adjacent
        else:
            runs.append(run)
            run = ""
    runs.append(run)
    # The longest run; on a tie the later one ('pre-?IGF' -> 'igf', rarer than 'pre').
    return max(reversed(runs), key=len).casefold()


class BodyClassifier:
    """`forums.classify({'body': text})`, with the same answers, fast enough for 100,000 bodies.

    Before running a pattern it checks, with a plain substring test on the case-folded
    text, for the literal every match of that pattern must contain; most bodies mention no
    forum, and most patterns can then be skipped without running the regex.
    """

    def __init__(self) -> None:
        self.rules = [(forum.forum, [(p, _required_literal(p)) for p in forum.patterns])
                      for forum in load_rules()]
        self.literals = sorted({literal for _forum, patterns in self.rules
                                for _pattern, literal in patterns if literal})

    def classify(self, text: str) -> list[ForumMatch]:
        if not text:
            return []
        # casefold is what re.IGNORECASE compares; for ASCII text lower() is the same, faster.
        folded = text.lower() if text.isascii() else text.casefold()
        present = {literal for literal in self.literals if literal in folded}
        matches = []
        for forum, patterns in self.rules:
            for pattern, literal in patterns:
                if literal and literal not in present:
                    continue
                hit = pattern.search(text)
                if hit:
                    matches.append(ForumMatch(forum, f"body: {hit.group(0)!r}"))
                    break
        return matches


@dataclass(slots=True)
class _Accepted:
    message: ParsedMessage            # its body is dropped once measured and classified
    source: str                       # the file, relative to the data folder
    list_name: str
    source_url: str
    month_hint: str | None
    body_chars: int
    text: str                         # the author's own words, addresses replaced
    mentions: list                    # ForumMatch from the author's own text


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


def read_messages(data_dir: Path, load: Loader) -> None:
    """Load every list under DATA_DIR/raw/list/ (see the module docstring for the layout)."""
    root = config.raw_dir(data_dir) / "list"
    if not root.is_dir():
        return
    salt = salt_for(data_dir)
    accepted: dict[str, _Accepted] = {}
    classifier = BodyClassifier()

    for list_dir in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "wayback"):
        list_name = list_dir.name
        sources = _sources(list_dir)
        for path in _mbox_files(list_dir):
            rel = path.relative_to(data_dir).as_posix()
            key = path.relative_to(list_dir).as_posix()
            source_url = sources.get(key) or f"file:{rel}"
            label = re.match(r"(\d{4}-[A-Za-z]+)\.txt", path.name)
            # Read in chunks: a 100 MB import costs no more memory than a monthly file.
            _account(load, rel, iter_mbox_file(path), list_name, source_url,
                     month_of_label(label.group(1)) if label else None, accepted, classifier)
        for month_dir in _html_months(list_dir):
            rel = month_dir.relative_to(data_dir).as_posix() + "/"
            pages = sorted(month_dir.glob("[0-9][0-9][0-9][0-9][0-9][0-9].html"))
            items = []
            for page in pages:
                key = page.relative_to(list_dir).as_posix()
                url = sources.get(key) or f"file:{page.relative_to(data_dir).as_posix()}"
                items.append(parse_message_page(page.read_bytes(), url, locator=page.name))
            _account(load, rel, items, list_name, None, month_of_label(month_dir.name),
                     accepted, classifier)

    if not accepted:
        _merge_curated(load)
        return
    _store(load, data_dir, salt, list(accepted.values()))
    _merge_curated(load)


def _account(load: Loader, source: str, items, list_name: str, source_url: str | None,
             month_hint: str | None, accepted: dict[str, _Accepted],
             classifier: BodyClassifier) -> None:
    total = loaded = 0
    rejects = []
    for item in items:
        total += 1
        if isinstance(item, Reject):
            rejects.append((source, item.locator, STAGE, item.reason))
            continue
        first = accepted.get(item.message_id)
        if first is not None:
            rejects.append((source, item.locator, STAGE,
                            f"duplicate: the same Message-ID was loaded from "
                            f"{first.source} {first.message.locator}"))
            continue
        # Measure and classify the body now and let it go: 100,000 bodies need not wait in
        # memory for the people and threads, which never read them.
        mentions = classifier.classify(own_text(item.body))
        body_chars, text, item.body = len(item.body), clean_message_text(item.body), ""
        accepted[item.message_id] = _Accepted(item, source, list_name,
                                              source_url or item.url or "", month_hint,
                                              body_chars, text, mentions)
        loaded += 1
    load.reject_many(rejects)
    load.report(source, STAGE, total, loaded, len(rejects))


def _store(load: Loader, data_dir: Path, salt: bytes, rows: list[_Accepted]) -> None:
    domain_map = affiliation.load_domain_map()
    overrides = people.load_overrides()
    opted_out = opted_out_hashes(data_dir, salt)

    members, domains = [], []
    known: dict[str, tuple[str, str | None]] = {}
    for row in rows:
        address = row.message.address
        if address:
            if address not in known:
                known[address] = (pseudonymise_address(address, salt),
                                  affiliation.registrable_domain(address.rsplit("@", 1)[-1]))
            member, domain = known[address]
            members.append(member)
            domains.append(domain)
        else:
            members.append(people.name_key(row.message.author_name or ""))
            domains.append(None)
    known.clear()  # the addresses are not needed past this point

    author_of, persons, merges = people.merge_people(
        zip(members, (r.message.author_name for r in rows), strict=True), overrides)
    links = threads.build_threads(
        threads.ThreadInput(r.message.message_id, r.message.in_reply_to, r.message.references,
                            r.message.subject, r.message.sent_at) for r in rows)
    opted_out_people = {author_of[m] for m in members if m in opted_out}

    authors = [author_of[m] for m in members]
    message_ids = [r.message.message_id for r in rows]
    columns = {
        "message_id": message_ids,
        "list": [r.list_name for r in rows],
        "sent_at": [r.message.sent_at for r in rows],
        "sent_month": [r.message.sent_at.strftime("%Y-%m") if r.message.sent_at
                       else r.month_hint for r in rows],
        "author_id": authors,
        "author_name": [None if a in opted_out_people else r.message.author_name
                        for r, a in zip(rows, authors, strict=True)],
        "domain": domains,
        "subject": [r.message.subject for r in rows],
        "thread_id": [links[i].thread_id for i in message_ids],
        "in_reply_to": [links[i].parent_id for i in message_ids],
        "reply_source": [links[i].reply_source for i in message_ids],
        "url": [r.message.url for r in rows],
        "source_url": [r.source_url for r in rows],
        "method": ["parsed"] * len(rows),
        "date_source": [r.message.date_source for r in rows],
        "body_chars": [r.body_chars for r in rows],
        "text": [r.text for r in rows],
        "address_hash": [m if m.startswith("addr:") else None for m in members],
        "message_id_derived": [r.message.message_id_derived for r in rows],
        "attachments_scrubbed": [r.message.attachments_scrubbed for r in rows],
    }
    insert_columns(load, "messages", columns)

    mentions = []
    for row in rows:
        for match in row.mentions:
            mentions.append({"item_type": "message", "item_id": row.message.message_id,
                             "forum": match.forum, "evidence": match.evidence,
                             "source": "rules"})
    load.insert("forum_mentions", mentions)

    _store_people(load, columns, persons, merges, author_of, members, domains, opted_out_people)
    _store_domains(load, columns, domain_map)


def insert_columns(load: Loader, table: str, columns: dict[str, list]) -> None:
    """Insert column lists through the loader's connection, as one Arrow table.

    The same rows as `load.insert`, about twice as fast on 100,000 messages: pandas'
    conversion of every value to an object is what a benchmark of the list showed to cost.
    Empty strings are stored as NULL, as `Loader.insert_frame` does.
    """
    import pyarrow as pa

    unknown = sorted(set(columns) - set(load.columns(table)))
    if unknown:
        raise KeyError(f"columns {unknown} are not in table {table!r}")
    total = len(next(iter(columns.values()), []))
    # In batches: one Arrow copy of 100,000 rows at once costs more memory than it saves time.
    for start in range(0, total, INSERT_BATCH):
        arrow = pa.table({name: [None if v == "" else v
                                 for v in values[start:start + INSERT_BATCH]]
                          for name, values in columns.items()})
        load.con.register("incoming_columns", arrow)
        try:
            # The table name comes from code, never from a user; values travel as a table.
            load.con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming_columns')
        finally:
            load.con.unregister("incoming_columns")


def _store_people(load, columns, persons, merges, author_of, members, domains,
                  opted_out_people) -> None:
    first_month: dict[str, str] = {}
    last_month: dict[str, str] = {}
    domain_counts: dict[str, Counter] = {}
    for author_id, month, domain in zip(columns["author_id"], columns["sent_month"],
                                        columns["domain"], strict=True):
        if month:
            first_month[author_id] = min(first_month.get(author_id, month), month)
            last_month[author_id] = max(last_month.get(author_id, month), month)
        if domain:
            domain_counts.setdefault(author_id, Counter())[domain] += 1
    top_domain = {a: c.most_common(1)[0][0] for a, c in domain_counts.items()}
    member_counts: dict[str, int] = {}
    member_domain: dict[str, str | None] = {}
    for member, domain in zip(members, domains, strict=True):
        member_counts[member] = member_counts.get(member, 0) + 1
        member_domain.setdefault(member, domain)
    load.insert("people", [{
        "author_id": p.author_id,
        "display_name": None if p.author_id in opted_out_people else p.display_name,
        "n_addresses": sum(1 for m in p.members if m.startswith("addr:")),
        "n_names": len(p.names), "n_messages": p.n_messages,
        "first_month": first_month.get(p.author_id), "last_month": last_month.get(p.author_id),
        "domain": top_domain.get(p.author_id), "merged_by": p.merged_by,
        "opted_out": p.author_id in opted_out_people,
    } for p in persons])
    load.insert("person_members", [
        {"author_id": author_of[m], "member": m, "domain": member_domain[m], "n_messages": n}
        for m, n in member_counts.items()])
    # The evidence of a merge quotes names: withheld for people who opted out.
    load.insert("person_merges", [
        {"author_id": m.author_id, "member": m.member, "other_member": m.other_member,
         "rule": m.rule,
         "evidence": "withheld (opted out)" if m.author_id in opted_out_people else m.evidence}
        for m in merges])


def _store_domains(load, columns, domain_map) -> None:
    messages: Counter = Counter()
    posters: dict[str, set] = {}
    for domain, author_id in zip(columns["domain"], columns["author_id"], strict=True):
        if domain:
            messages[domain] += 1
            posters.setdefault(domain, set()).add(author_id)
    rows = []
    for domain in sorted(messages):
        organisation, sector = affiliation.affiliation(domain, domain_map)
        known = domain_map.get(domain)
        rows.append({"domain": domain, "organisation": organisation, "sector": sector,
                     "n_messages": messages[domain], "n_posters": len(posters[domain]),
                     "source_url": known.source_url if known else None,
                     "method": "curated" if known else "parsed"})
    load.insert("domains", rows)


def _merge_curated(load: Loader) -> None:
    """A curated sample message that was also parsed keeps one row: the parsed one, with the
    curated page address carried over."""
    sql = (config.QUERIES_DIR / "load" / "list_merge_curated.sql").read_text()
    load.con.execute(sql)
