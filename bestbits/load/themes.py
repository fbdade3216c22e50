"""Post-build step: tie messages and statements to the themes of data/theme_rules.toml, with evidence.

The rules file has the forum rules' format and is read by the same machinery
(`forums.load_rules(path, table="theme")`, `forums.classify(fields, rules)`). Messages are
read from the table in batches, so 100x the real list costs no more memory than the list.
"""

from __future__ import annotations

from bestbits import config
from bestbits.load.forums import RuleMatcher, load_rules
from bestbits.query import load_sql

BATCH = 5_000


def record_theme_mentions(load) -> None:
    """Fill `themes` and `theme_mentions` (item_type message | statement)."""
    rules = load_rules(config.THEME_RULES_FILE, table="theme")
    load.insert("themes", [{"theme": t.forum, "name": t.name, "kind": t.kind, "sort_order": i}
                           for i, t in enumerate(rules)])
    sql = load_sql("load/theme_items.sql")
    matcher = RuleMatcher(rules)
    cursor = load.cursor()  # its own cursor: the inserts below use the loader's connection
    cursor.execute(sql)
    while True:
        batch = cursor.fetchmany(BATCH)
        if not batch:
            break
        mentions = []
        for item_type, item_id, title, subject, text in batch:
            fields = {"title": title, "subject": subject, "text": text}
            for match in matcher.classify(fields):
                mentions.append({"item_type": item_type, "item_id": item_id,
                                 "theme": match.forum, "evidence": match.evidence})
        load.insert("theme_mentions", mentions)
    cursor.close()
