"""Merge the addresses and name spellings of one person, and say why for every merge.

Works on pseudonyms only: the loader passes salted address hashes, never addresses.
Rules, in order:
  1. one address is one person, whatever names it wrote under ("same address");
  2. two addresses that wrote under the same full name (two words or more, accents, case
     and "Last, First" order ignored) are one person ("same name");
  3. data/person_overrides.csv: `merge` joins two names; `keep_apart` stops rule 2 for a
     name that two different people share.
Each merge that joined two groups is returned as a PersonMerge a reviewer can read.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bestbits import config
from bestbits.privacy.pseudonyms import name_member_key, normalise_name

OVERRIDES_FILE = config.REPO_ROOT / "data" / "person_overrides.csv"
OVERRIDE_COLUMNS = ["action", "name", "other_name", "reason"]
OVERRIDE_ACTIONS = {"merge", "keep_apart"}


class OverridesError(Exception):
    """person_overrides.csv is malformed; the message names the row to fix."""


@dataclass(frozen=True)
class Override:
    action: str        # merge | keep_apart
    name: str
    other_name: str
    reason: str
    line: int


@dataclass(frozen=True)
class PersonMerge:
    author_id: str
    member: str        # a pseudonymous member key (address hash, or name key)
    other_member: str
    rule: str          # same name | override
    evidence: str


@dataclass
class Person:
    author_id: str
    display_name: str | None
    members: list[str]
    names: list[str]
    n_messages: int
    merged_by: str     # the rules that made this person, e.g. "same address; same name"


def name_key(name: str, salt: bytes) -> str:
    """The member key of a sender known by name only, whichever path read the name (the list
    reader or the curated sample): keyed with the data folder's salt, like an address, so that
    an opted-out person's key cannot be recomputed from her name alone."""
    return name_member_key(normalise_name(name), salt)


def load_overrides(path: Path = OVERRIDES_FILE) -> list[Override]:
    if not path.exists():
        return []
    overrides = []
    with path.open(newline="", encoding="utf-8") as handle:
        lines = [(n, line) for n, line in enumerate(handle, start=1) if not line.startswith("#")]
    rows = csv.reader(line for _, line in lines)
    header = next(rows, None)
    if header != OVERRIDE_COLUMNS:
        raise OverridesError(f"{path}: columns are {header}, expected {OVERRIDE_COLUMNS}")
    for (number, _), row in zip(lines[1:], rows, strict=False):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 4 or row[0].strip() not in OVERRIDE_ACTIONS:
            raise OverridesError(f"{path}, line {number}: expected action (merge or "
                                 "keep_apart), name, other_name, reason")
        action, name, other, reason = (c.strip() for c in row)
        if not name or (action == "merge" and not other):
            raise OverridesError(f"{path}, line {number}: a name is missing")
        overrides.append(Override(action, name, other, reason, number))
    return overrides


class _Groups:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


def merge_people(senders: Iterable[tuple[str, str | None]], overrides: list[Override] = ()
                 ) -> tuple[dict[str, str], list[Person], list[PersonMerge]]:
    """Group senders into people.

    `senders` yields (member key, display name) once per message. Returns the member ->
    author_id map, the people, and the merges that explain every multi-member person.
    """
    return merge_sender_counts(((member, name, 1) for member, name in senders), overrides)


def merge_sender_counts(senders: Iterable[tuple[str, str | None, int]],
                        overrides: list[Override] = ()
                        ) -> tuple[dict[str, str], list[Person], list[PersonMerge]]:
    """`merge_people` over (member key, display name, messages) rows: what the build counts in
    SQL, so that memory follows the number of distinct senders, not of messages."""
    names_of: dict[str, Counter] = {}
    for member, name, count in senders:
        names_of.setdefault(member, Counter())[name or ""] += count

    kept_apart = {normalise_name(o.name) for o in overrides if o.action == "keep_apart"}
    groups = _Groups()
    joins: list[tuple[str, str, str, str]] = []
    members_by_name: dict[str, list[str]] = {}
    for member in sorted(names_of):
        groups.find(member)
        for name in names_of[member]:
            normalised = normalise_name(name)
            if normalised:
                members_by_name.setdefault(normalised, []).append(member)

    for normalised, members in sorted(members_by_name.items()):
        if len(normalised.split()) < 2 or normalised in kept_apart:
            continue  # one word ("parminder", "admin") is too weak to join two addresses
        for other in members[1:]:
            if groups.union(members[0], other):
                joins.append((members[0], other, "same name", f"both wrote as {normalised!r}"))
    for override in overrides:
        if override.action != "merge":
            continue
        a = members_by_name.get(normalise_name(override.name), [])
        b = members_by_name.get(normalise_name(override.other_name), [])
        for first in a[:1]:
            for other in a[1:] + b:
                if groups.union(first, other):
                    joins.append((first, other, "override",
                                  f"person_overrides.csv line {override.line}: "
                                  f"{override.name!r} = {override.other_name!r} "
                                  f"({override.reason})"))

    grouped: dict[str, list[str]] = {}
    for member in names_of:
        grouped.setdefault(groups.find(member), []).append(member)
    author_of: dict[str, str] = {}
    people = []
    for members in grouped.values():
        members.sort()
        author_id = "person:" + hashlib.sha1(members[0].encode()).hexdigest()[:16]
        spellings: Counter = Counter()
        for member in members:
            author_of[member] = author_id
            spellings.update(names_of[member])
        named = [(count, name) for name, count in spellings.items() if name]
        # The most used spelling; on a tie, "First Last" over "Last, First".
        display = (max(named, key=lambda pair: (pair[0], "," not in pair[1], pair[1]))[1]
                   if named else None)
        rules = []
        if any(len([n for n in names_of[m] if n]) > 1 for m in members):
            rules.append("same address")
        root = groups.find(members[0])
        rules += sorted({rule for a, _b, rule, _e in joins if groups.find(a) == root})
        people.append(Person(author_id, display, members, sorted(n for _c, n in named),
                             sum(spellings.values()), "; ".join(rules) or "single address"))
    merges = [PersonMerge(author_of[a], a, b, rule, evidence) for a, b, rule, evidence in joins]
    return author_of, people, merges
