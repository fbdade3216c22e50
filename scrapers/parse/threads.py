"""Group messages into threads: In-Reply-To, then References, then the subject for bare replies.

A plain function of message keys and subjects; the loader stores what it returns.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from scrapers.parse.mbox import base_subject, is_reply_subject


@dataclass(frozen=True)
class ThreadInput:
    message_id: str
    in_reply_to: str | None
    references: list[str] = field(default_factory=list)
    subject: str | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class ThreadLink:
    message_id: str
    parent_id: str | None        # may name a message the archive lacks
    reply_source: str | None     # in-reply-to | references | subject | None (a thread start)
    thread_id: str               # the key of the thread's first message (known or not)


def build_threads(messages: Iterable[ThreadInput]) -> dict[str, ThreadLink]:
    """One ThreadLink per message key.

    Replies whose headers were stripped (common in pipermail HTML, and in some clients)
    are attached, when their subject says "Re:", to the latest earlier message with the
    same subject once list tags and reply marks are removed.
    """
    items = {m.message_id: m for m in messages}
    # Reply-less "Re:" messages look for the latest earlier message with the same base
    # subject: per subject, the messages in time order, searched by bisection.
    subject_of: dict[str, str] = {}
    by_subject: dict[str, list[tuple[datetime, str]]] = {}
    for item in items.values():
        if item.in_reply_to or item.references or not is_reply_subject(item.subject):
            continue
        subject_of[item.message_id] = base_subject(item.subject)
    wanted = set(subject_of.values())
    for item in items.values():
        if item.sent_at is None:
            continue
        key = subject_of.get(item.message_id) or base_subject(item.subject)
        if key in wanted:
            by_subject.setdefault(key, []).append((item.sent_at, item.message_id))
    for group in by_subject.values():
        group.sort()

    parents: dict[str, tuple[str | None, str | None]] = {}
    for item in items.values():
        parent, source = None, None
        if item.in_reply_to and item.in_reply_to != item.message_id:
            parent, source = item.in_reply_to, "in-reply-to"
        elif item.references and item.references[-1] != item.message_id:
            parent, source = item.references[-1], "references"
        elif subject_of.get(item.message_id) and item.sent_at is not None:
            group = by_subject[subject_of[item.message_id]]
            position = bisect_left(group, (item.sent_at, ""))
            if position:
                parent, source = group[position - 1][1], "subject"
        parents[item.message_id] = (parent, source) if parent else (None, None)

    roots: dict[str, str] = {}
    links = {}
    for key in items:
        links[key] = ThreadLink(key, *parents[key], thread_id=_root(key, items, parents, roots))
    return links


def _root(key: str, items: dict[str, ThreadInput],
          parents: dict[str, tuple[str | None, str | None]], roots: dict[str, str]) -> str:
    def missing(current: str, parent: str) -> str | None:
        if parent in items:
            return None
        # The parent is missing from the archive: the thread is named after the oldest
        # message the headers mention, so siblings still group together.
        refs = items[current].references
        return refs[0] if refs else parent

    return walk_to_root(key, lambda k: parents.get(k, (None, None))[0], roots, missing)


def walk_to_root(key: str, parent_of: Callable[[str], str | None], roots: dict[str, str],
                 missing: Callable[[str, str], str | None] | None = None) -> str:
    """The root of KEY's thread, following parent_of: the first message without a parent, or
    the last one before the walk meets a message again (a reply cycle), or, when missing(current,
    parent) names one, the root it names for a parent the archive lacks. Every message on the
    way is remembered in ROOTS, so that the next walk stops where this one went.

    The build's SQL resolves most threads (bestbits/load/list_resolve.py) and walks only those in
    or under a reply cycle with this, so both give the same roots.
    """
    path, seen, current = [], set(), key
    while True:
        if current in roots:
            root = roots[current]
            break
        path.append(current)
        seen.add(current)
        parent = parent_of(current)
        if parent is None or parent in seen:
            root = current
            break
        named = missing(current, parent) if missing else None
        if named is not None:
            root = named
            break
        current = parent
    for node in path:
        roots[node] = root
    return root
