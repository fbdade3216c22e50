"""Read the curated record (data/reference/*.csv): validate every row, then load it as 'curated'.

Any malformed row, impossible date or unknown forum stops the build with the file, the line
and the problem: curated facts are the ground truth, so a bad one is never skipped silently.
"""

from __future__ import annotations

import csv
import hashlib
import re
from datetime import datetime, timedelta
from pathlib import Path

from bestbits import config, links
from bestbits.load.forums import known_forums
from bestbits.load.loader import InputError, Loader
from bestbits.load.reconcile import ListedSignatory, merge_signatories
from bestbits.privacy import contains_address, redact
from bestbits.privacy.pseudonyms import salt_for
from bestbits.query import load_sql
from scrapers.parse.dates import PartialDate
from scrapers.parse.people import name_key

# Which columns each curated file must have, in order. Every file ends with `archived_url`: a
# memento of the row's source page (of summary_basis_url for summaries) where one is known,
# else empty; the build then links the Wayback Machine's copy nearest the row's date.
EXPECTED_COLUMNS: dict[str, list[str]] = {
    "events.csv": ["event_id", "title", "start_date", "end_date", "city", "country", "venue",
                   "forum", "kind", "organisers", "bestbits_url", "source_url", "notes",
                   "archived_url"],
    "agenda_items.csv": ["event_id", "position", "day_or_date", "start_time", "end_time",
                         "title", "moderators", "source_url", "archived_url"],
    "statements.csv": ["statement_id", "title", "date", "forum", "addressee", "bestbits_url",
                       "signatory_count", "notable_signatories", "source_url",
                       "link_to_best_bits", "notes", "archived_url"],
    "statement_summaries.csv": ["statement_id", "summary", "topics", "summary_basis_url",
                                "max_shared_run", "archived_url"],
    "statement_signatories.csv": ["statement_id", "position", "name", "kind", "country",
                                  "source_url", "archived_url"],
    "forum_meetings.csv": ["meeting_id", "forum", "title", "start_date", "end_date", "city",
                           "country", "source_url", "notes", "archived_url"],
    "milestones.csv": ["date", "title", "kind", "source_url", "notes", "archived_url"],
    "archives.csv": ["archive_id", "url", "kind", "first_month", "last_month_seen",
                     "highest_message_number_seen", "source_url", "notes", "archived_url"],
    "list_messages.csv": ["url", "message_number", "month", "date_line", "author_name",
                          "subject", "source_url", "archived_url"],
}
# The column that holds each file's source page (the one archived_url is a copy of).
SOURCE_COLUMN = {"statement_summaries.csv": "summary_basis_url"}

LINK_TO_BEST_BITS = {"platform", "circulated", "coalition", "unconfirmed"}
SIGNATORY_KINDS = {"organisation", "individual"}
# A summary sharing a run of this many words with its basis page would carry the source's
# sentence, which never enters the repository (data/reference/README.md).
LONGEST_SHARED_RUN = 6

# Pipermail's date lines give US Eastern time with its abbreviation.
_ZONE_OFFSETS = {"EST": -5, "EDT": -4, "UTC": 0, "GMT": 0}
_DATE_LINE = re.compile(r"^\w{3} (\w{3}) +(\d{1,2}) (\d{2}:\d{2}:\d{2}) (\w{3,4}) (\d{4})$")


def _read_rows(path: Path, problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    name = path.name
    expected = EXPECTED_COLUMNS[name]
    rows: list[tuple[int, dict[str, str]]] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            problems.append(f"{_rel(path)}: the file is empty (expected a header row)")
            return rows
        except csv.Error as exc:
            problems.append(f"{_rel(path)}, line 1: malformed CSV: {exc}")
            return rows
        if header != expected:
            problems.append(
                f"{_rel(path)}, line 1: columns are {header}, expected {expected}"
            )
            return rows
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                problems.append(f"{_rel(path)}, line {reader.line_num}: malformed CSV: {exc}")
                break
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(expected):
                problems.append(
                    f"{_rel(path)}, line {line}: {len(fields)} fields, expected {len(expected)}"
                )
                continue
            rows.append((line, dict(zip(expected, fields, strict=True))))
    return rows


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(config.REPO_ROOT))
    except ValueError:
        return str(path)


class _RowChecker:
    """Collects every problem in a file so that one run shows them all."""

    def __init__(self, path: Path, problems: list[str]):
        self.path, self.problems = path, problems

    def fail(self, line: int, message: str) -> None:
        self.problems.append(f"{_rel(self.path)}, line {line}: {message}")

    def date(self, line: int, column: str, text: str) -> PartialDate:
        try:
            return PartialDate.from_iso(text)
        except ValueError as exc:
            self.fail(line, f"{column} {text!r} is not a valid date ({exc})")
            return PartialDate(None, None, None)

    def required(self, line: int, row: dict[str, str], *columns: str) -> None:
        for column in columns:
            if not row[column].strip():
                self.fail(line, f"{column} is empty")

    def forum(self, line: int, text: str, forums: set[str]) -> None:
        if text and text not in forums:
            self.fail(line, f"unknown forum {text!r} (known: {', '.join(sorted(forums))})")

    def source(self, line: int, row: dict[str, str]) -> None:
        column = SOURCE_COLUMN.get(self.path.name, "source_url")
        url = row[column].strip()
        if not re.match(r"https?://\S+$", url):
            self.fail(line, f"{column} {url!r} is not an address a person can open")
        archived = row["archived_url"].strip()
        if archived and (not links.http_url(archived) or not links.parse_memento(archived)):
            # Never a guess: only an archive's address of a capture (<archive>/<time>/<page>).
            self.fail(line, f"archived_url {archived!r} is not a web archive's address of a "
                            "capture (<archive>/<YYYYMMDDhhmmss>/<address>)")

    def known(self, line: int, column: str, value: str, known: set[str], where: str) -> None:
        if value and value not in known:
            self.fail(line, f"{column} {value!r} is not in {where}")

    def no_address(self, line: int, row: dict[str, str], *columns: str) -> None:
        for column in columns:
            if contains_address(row[column]):
                self.fail(line, f"{column} holds an e-mail address (none may be stored)")

    def unique(self, line: int, key: object, seen: set, what: str) -> None:
        if key in seen:
            self.fail(line, f"{what} appears twice")
        seen.add(key)


def subject_thread_id(list_name: str, subject: str) -> str:
    """A thread key from the subject alone, for rows that have no reply headers."""
    normalised = re.sub(r"^\s*((re|fwd?|aw|sv)\s*:\s*|\[[^\]]*\]\s*)+", "", subject or "",
                        flags=re.IGNORECASE).strip().lower()
    return f"{list_name}:subject:" + hashlib.sha1(normalised.encode()).hexdigest()[:12]


def parse_date_line(text: str) -> datetime | None:
    """'Thu Aug 16 05:52:54 EDT 2012' (pipermail's date line) -> naive UTC datetime."""
    match = _DATE_LINE.match(" ".join(text.split()))
    if not match:
        raise ValueError("expected a pipermail date line like 'Thu Aug 16 05:52:54 EDT 2012'")
    month, day, clock, zone, year = match.groups()
    if zone not in _ZONE_OFFSETS:
        raise ValueError(f"unknown time zone {zone!r}")
    local = datetime.strptime(f"{year} {month} {day} {clock}", "%Y %b %d %H:%M:%S")
    return local - timedelta(hours=_ZONE_OFFSETS[zone])


def read_curated(data_dir: Path, load: Loader, reference_dir: Path | None = None) -> None:
    """Validate and load every curated file; raise InputError listing all problems found."""
    reference_dir = reference_dir or config.reference_dir()
    forums = known_forums()
    problems: list[str] = []
    tables: dict[str, list[dict]] = {}
    counts: dict[str, int] = {}
    # What a later file refers to (event and statement ids, the archives' spans), and what
    # must be unique.
    seen: dict[str, set | dict] = {}

    for name in EXPECTED_COLUMNS:
        path = reference_dir / name
        if not path.exists():
            problems.append(f"{_rel(path)}: missing (the curated record must be complete)")
            continue
        check = _RowChecker(path, problems)
        rows = _read_rows(path, problems)
        counts[name] = len(rows)
        convert = _CONVERTERS[name]
        for line, row in rows:
            check.source(line, row)
            convert(line, row, check, forums, tables, seen)

    if problems:
        raise InputError(problems)
    tables["signatories"] = merge_signatories(tables.pop("listed_signatories", []))
    # A sample author gets the key the list reader gives a sender known by name: one name, one
    # key, keyed with the data folder's salt like every member key.
    salt = salt_for(data_dir)
    for message in tables.get("messages", []):
        if message["author_name"]:
            message["author_id"] = name_key(message["author_name"], salt)

    for table, rows in tables.items():
        load.insert(table, rows)
    # The statements' summaries are searchable with their statements (the search index reads
    # statements only).
    load.con.execute(load_sql("load/curated_statement_summaries.sql"))
    for name, total in counts.items():
        load.report(_rel(reference_dir / name), "curated", total, total, 0)


def _archived(row: dict[str, str]) -> dict[str, str | None]:
    """The curated row's memento, when it names one (the build links the rest)."""
    return {"archived_url": row["archived_url"].strip() or None}


def _events(line, row, check, forums, tables, seen):
    check.required(line, row, "event_id", "title", "start_date")
    check.unique(line, row["event_id"], seen.setdefault("events", set()), "event_id")
    check.forum(line, row["forum"], forums)
    start = check.date(line, "start_date", row["start_date"])
    end = check.date(line, "end_date", row["end_date"])
    if start.day and end.day and end.day < start.day:
        check.fail(line, f"end_date {row['end_date']} is before start_date {row['start_date']}")
    tables.setdefault("events", []).append({
        "event_id": row["event_id"], "title": row["title"],
        "start_date": start.day, "start_month": start.month, "start_year": start.year,
        "end_date": end.day, "end_month": end.month,
        "city": row["city"], "country": row["country"], "venue": row["venue"],
        "forum": row["forum"], "kind": row["kind"], "organisers": row["organisers"],
        "url": row["bestbits_url"], "notes": row["notes"],
        "source_url": row["source_url"], "method": "curated", **_archived(row),
    })


def _agenda_items(line, row, check, forums, tables, seen):
    check.required(line, row, "event_id", "position", "title")
    check.known(line, "event_id", row["event_id"], seen.get("events", set()), "events.csv")
    for column in ("start_time", "end_time"):
        value = row[column]
        if value and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            check.fail(line, f"{column} {value!r} is not a time (HH:MM)")
    if not row["position"].isdigit():
        check.fail(line, f"position {row['position']!r} is not a whole number")
        return
    tables.setdefault("agenda_items", []).append({
        "event_id": row["event_id"], "position": int(row["position"]),
        "day": row["day_or_date"], "start_time": row["start_time"], "end_time": row["end_time"],
        "title": row["title"], "moderators": row["moderators"],
        "source_url": row["source_url"], "method": "curated", **_archived(row),
    })


def _statements(line, row, check, forums, tables, seen):
    check.required(line, row, "statement_id", "title")
    check.unique(line, row["statement_id"], seen.setdefault("statements", set()),
                 "statement_id")
    check.forum(line, row["forum"], forums)
    when = check.date(line, "date", row["date"])
    link = row["link_to_best_bits"]
    if link and link not in LINK_TO_BEST_BITS:
        check.fail(line, f"link_to_best_bits {link!r} is not one of {sorted(LINK_TO_BEST_BITS)}")
    tables.setdefault("statements", []).append({
        "statement_id": row["statement_id"], "title": row["title"],
        "date": when.day, "date_month": when.month, "date_year": when.year,
        "forum": row["forum"], "addressee": row["addressee"], "url": row["bestbits_url"],
        "signatory_count": row["signatory_count"], "link_to_best_bits": link,
        "notes": row["notes"], "source_url": row["source_url"], "method": "curated",
        **_archived(row),
    })
    # '; ' separates the names, except inside parentheses: 'Example Association (EA; drafter)'.
    names = re.split(r";(?![^()]*\))", row["notable_signatories"])
    for name in filter(None, (n.strip() for n in names)):
        # Notable signatories only; the file does not say which are organisations and which
        # are individuals, so kind stays empty (statement_signatories.csv lists them with it).
        tables.setdefault("listed_signatories", []).append(ListedSignatory(
            row["statement_id"], name, "curated notable", row["source_url"],
            archived_url=row["archived_url"].strip() or None))


def _statement_summaries(line, row, check, forums, tables, seen):
    check.required(line, row, "statement_id", "summary", "topics", "max_shared_run")
    check.known(line, "statement_id", row["statement_id"], seen.get("statements", set()),
                "statements.csv")
    check.unique(line, row["statement_id"], seen.setdefault("summaries", set()),
                 "statement_id")
    check.no_address(line, row, "summary", "topics")
    run = row["max_shared_run"]
    if run and not run.isdigit():
        check.fail(line, f"max_shared_run {run!r} is not a whole number")
        return
    if run and int(run) >= LONGEST_SHARED_RUN:
        check.fail(line, f"max_shared_run {run}: a summary may share at most "
                         f"{LONGEST_SHARED_RUN - 1} words in a row with its source; rewrite it "
                         "in your own words")
    topics = "; ".join(t.strip() for t in row["topics"].split(";") if t.strip())
    tables.setdefault("statement_summaries", []).append({
        "statement_id": row["statement_id"], "summary": " ".join(row["summary"].split()),
        "topics": topics, "max_shared_run": int(run) if run else None,
        "source_url": row["summary_basis_url"], "method": "curated", **_archived(row),
    })


def _statement_signatories(line, row, check, forums, tables, seen):
    check.required(line, row, "statement_id", "position", "name")
    check.known(line, "statement_id", row["statement_id"], seen.get("statements", set()),
                "statements.csv")
    check.no_address(line, row, "name")
    kind = row["kind"].strip()
    if kind and kind not in SIGNATORY_KINDS:
        check.fail(line, f"kind {kind!r} is not one of {sorted(SIGNATORY_KINDS)} (or empty)")
    if not row["position"].isdigit() or int(row["position"]) < 1:
        check.fail(line, f"position {row['position']!r} is not a whole number from 1")
        return
    check.unique(line, (row["statement_id"], row["source_url"], row["position"]),
                 seen.setdefault("signatory positions", set()),
                 f"position {row['position']} of this statement's list at this source_url")
    tables.setdefault("listed_signatories", []).append(ListedSignatory(
        row["statement_id"], row["name"].strip(), "curated list", row["source_url"],
        position=int(row["position"]), kind=kind or None, country=row["country"].strip() or None,
        archived_url=row["archived_url"].strip() or None))


def _forum_meetings(line, row, check, forums, tables, seen):
    check.required(line, row, "meeting_id", "forum", "title", "start_date")
    check.forum(line, row["forum"], forums)
    start = check.date(line, "start_date", row["start_date"])
    end = check.date(line, "end_date", row["end_date"])
    tables.setdefault("forum_meetings", []).append({
        "meeting_id": row["meeting_id"], "forum": row["forum"], "title": row["title"],
        "start_date": start.day, "end_date": end.day or start.day,
        "city": row["city"], "country": row["country"], "notes": row["notes"],
        "source_url": row["source_url"], "method": "curated", **_archived(row),
    })


def _milestones(line, row, check, forums, tables, seen):
    check.required(line, row, "date", "title")
    when = check.date(line, "date", row["date"])
    rows = tables.setdefault("milestones", [])
    rows.append({
        "milestone_id": f"milestone-{len(rows) + 1:03d}", "date": when.day,
        "date_month": when.month, "date_year": when.year, "title": row["title"],
        "kind": row["kind"], "notes": row["notes"],
        "source_url": row["source_url"], "method": "curated", **_archived(row),
    })


def _list_messages(line, row, check, forums, tables, seen):
    check.required(line, row, "url", "month")
    month = check.date(line, "month", row["month"])
    sent_at = None
    if row["date_line"]:
        try:
            sent_at = parse_date_line(row["date_line"])
        except ValueError as exc:
            check.fail(line, f"date_line {row['date_line']!r}: {exc}")
        written = _DATE_LINE.match(" ".join(row["date_line"].split()))
        if written and month.month:
            said = datetime.strptime(f"{written.group(5)} {written.group(1)}", "%Y %b")
            if said.strftime("%Y-%m") != month.month:
                check.fail(line, f"month {month.month} but date_line says "
                                 f"{said.strftime('%Y-%m')}")
    match = re.search(r"/pipermail/([^/]+)/", row["url"])
    list_name = match.group(1) if match else "bestbits"
    first, last = seen.get("archive spans", {}).get(list_name, (None, None))
    if month.month and ((first and month.month < first) or (last and month.month > last)):
        # A folder such as 2022-January holds older messages re-filed when the archive was
        # rebuilt: a month outside the archive's span was read from the folder, not the message.
        check.fail(line, f"month {month.month} is outside the {list_name} archive's span "
                         f"({first or '?'} to {last or '?'}, archives.csv): date the message by "
                         "its header or its neighbours, not by its folder")
    tables.setdefault("messages", []).append({
        "message_id": "curated:" + row["url"].split("/pipermail/")[-1],
        "list": list_name, "sent_at": sent_at,
        "sent_month": sent_at.strftime("%Y-%m") if sent_at else month.month,
        "author_id": None,  # keyed with the data folder's salt in read_curated
        # Stored as a collected message's subject is (scrapers.parse.mbox), so that no form of
        # an address is kept ('... for endorsement at bestbits.net' reads as one) and the
        # sample row meets the collected copy of the same message.
        "author_name": row["author_name"], "subject": redact(row["subject"]),
        "thread_id": subject_thread_id(list_name, redact(row["subject"])),
        "url": row["url"], "source_url": row["source_url"], "method": "curated",
        **_archived(row),
    })


def _archives(line, row, check, forums, tables, seen):
    check.required(line, row, "archive_id", "url")
    listed = re.search(r"/pipermail/([^/]+)/", row["url"])
    if listed:
        seen.setdefault("archive spans", {})[listed.group(1)] = (
            row["first_month"] or None, row["last_month_seen"] or None)
    highest = row["highest_message_number_seen"]
    if highest and not highest.isdigit():
        check.fail(line, f"highest_message_number_seen {highest!r} is not a whole number")
        highest = ""
    tables.setdefault("archives", []).append({
        "archive_id": row["archive_id"], "url": row["url"], "kind": row["kind"],
        "first_month": row["first_month"], "last_month_seen": row["last_month_seen"],
        "highest_message_number_seen": int(highest) if highest else None,
        "notes": row["notes"], "source_url": row["source_url"], "method": "curated",
        **_archived(row),
    })


_CONVERTERS = {
    "events.csv": _events,
    "agenda_items.csv": _agenda_items,
    "statements.csv": _statements,
    "statement_summaries.csv": _statement_summaries,
    "statement_signatories.csv": _statement_signatories,
    "forum_meetings.csv": _forum_meetings,
    "milestones.csv": _milestones,
    "list_messages.csv": _list_messages,
    "archives.csv": _archives,
}
