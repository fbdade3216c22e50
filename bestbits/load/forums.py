"""Forum classification as data: load the rules file, and tie items to forums with evidence."""

from __future__ import annotations

import re
import re._constants as re_constants  # the regex parser's own modules (formerly sre_parse):
import re._parser as re_parser  # the one way to read which characters a pattern requires
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bestbits import config
from bestbits.query import load_sql


@dataclass(frozen=True)
class Forum:
    forum: str
    name: str
    kind: str
    patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class ForumMatch:
    forum: str
    evidence: str  # "title: 'IGF'" — the words matched and the field they stood in


@lru_cache(maxsize=4)
def load_rules(path: Path = config.FORUM_RULES_FILE, table: str = "forum") -> tuple[Forum, ...]:
    """The rules of PATH's `[[TABLE]]` entries; the theme rules (data/theme_rules.toml, table
    "theme") share this format, so `Forum.forum` then holds the theme's code."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    forums = []
    for entry in data[table]:
        patterns = [re.compile(p, re.IGNORECASE) for p in entry.get("patterns", [])]
        patterns += [re.compile(p) for p in entry.get("case_sensitive_patterns", [])]
        forums.append(Forum(entry[table], entry["name"], entry["kind"], tuple(patterns)))
    return tuple(forums)


def known_forums() -> set[str]:
    return {f.forum for f in load_rules()}


def classify(fields: Mapping[str, str | None],
             rules: tuple[Forum, ...] | None = None) -> list[ForumMatch]:
    """Every forum whose rules match any of the named text fields, in rules order.

    `fields` maps a field name (title, subject, body ...) to its text. The evidence of a
    match names the field and the words found, so that a reader can check it. `rules`
    defaults to the forum rules; the themes pass theirs.
    """
    return RuleMatcher(rules if rules is not None else load_rules()).classify(fields)


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


class RuleMatcher:
    """`classify(fields, rules)`, with the same answers, fast enough for a million texts.

    Before running a pattern it checks, with a plain substring test on the case-folded text,
    for the literal every match of that pattern must contain; most texts mention no forum or
    theme, and most patterns can then be skipped without running the regex.
    """

    def __init__(self, rules: tuple[Forum, ...]) -> None:
        self.rules = [(forum.forum, [(p, _required_literal(p)) for p in forum.patterns])
                      for forum in rules]
        self.literals = sorted({literal for _forum, patterns in self.rules
                                for _pattern, literal in patterns if literal})

    def classify(self, fields: Mapping[str, str | None]) -> list[ForumMatch]:
        present = {}
        for field, text in fields.items():
            if text:
                # casefold is what re.IGNORECASE compares; for ASCII lower() is the same, faster.
                folded = text.lower() if text.isascii() else text.casefold()
                present[field] = {literal for literal in self.literals if literal in folded}
        matches = []
        for forum, patterns in self.rules:
            found = []
            for field, text in fields.items():
                if not text:
                    continue
                for pattern, literal in patterns:
                    if literal and literal not in present[field]:
                        continue
                    hit = pattern.search(text)
                    if hit:
                        found.append(f"{field}: {hit.group(0)!r}")
                        break
            if found:
                matches.append(ForumMatch(forum, "; ".join(found)))
        return matches


def record_forum_mentions(load) -> None:
    """Post-build step: store every rule match and every curated forum in forum_mentions.

    Readers may already have added mentions from other fields (message bodies, for one);
    this step adds those of titles, addressees and subjects, and the curated values.
    """
    load.insert("forums", [
        {"forum": f.forum, "name": f.name, "kind": f.kind, "sort_order": i}
        for i, f in enumerate(load_rules())
    ])
    sql = load_sql("load/forum_items.sql")
    mentions = []
    matcher = RuleMatcher(load_rules())
    for item_type, item_id, title, addressee, subject, curated in load.con.execute(sql).fetchall():
        if curated:
            mentions.append({"item_type": item_type, "item_id": item_id, "forum": curated,
                             "evidence": "curated forum column", "source": "curated"})
        fields = {"title": title, "addressee": addressee, "subject": subject}
        for match in matcher.classify(fields):
            mentions.append({"item_type": item_type, "item_id": item_id, "forum": match.forum,
                             "evidence": match.evidence, "source": "rules"})
    load.insert("forum_mentions", mentions)
