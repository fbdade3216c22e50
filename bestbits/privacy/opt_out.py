"""The opt-out file: people who asked to be named nowhere, by address or by display name.

DATA_DIR/local/opt_out.txt holds one entry a line (`#` starts a comment): an address, in any
form the gate reads (`jo@example.org`, `jo at example.org`), or a display name as the person
wrote it (`Jo Example`; case, accents and "Last, First" order do not matter). It stays on the
machine that builds (data/local/ is never committed), and nothing of it is stored: an address
line becomes the keyed hash its sender would have, a name line is compared with the names the
list reader merged.

The rule is the person's, not a row's: the list reader (bestbits/load/list_resolve.py) applies it
after people are merged, so that every address and spelling of the person is covered. What is
withheld, and where, is in data/README_list.md. This module reads the file and withholds the
person's names from every text column (`withhold_names`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bestbits.privacy.addresses import find_addresses
from bestbits.privacy.pseudonyms import normalise_name, pseudonymise_address
from bestbits.privacy.sweep import rewrite_text_columns

WITHHELD_NAME = "[name withheld]"


@dataclass(frozen=True)
class OptOutEntry:
    """One line of the opt-out file. `written` is the line as written: kept in memory, never
    stored or printed (a report names the line by its number only)."""

    line: int
    address_hash: str | None = None   # an address line: the sender key it stands for
    name: str | None = None           # a name line: the name normalised (people.normalise_name)
    written: str = ""


def opt_out_file(data_dir: Path) -> Path:
    return Path(data_dir) / "local" / "opt_out.txt"


def read_opt_out(data_dir: Path, salt: bytes) -> list[OptOutEntry]:
    """The entries of DATA_DIR/local/opt_out.txt (none when there is no such file)."""
    path = opt_out_file(data_dir)
    if not path.exists():
        return []
    entries = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        addresses = find_addresses(text)
        if addresses:
            entries += [OptOutEntry(number, address_hash=pseudonymise_address(a, salt),
                                    written=text) for a in addresses]
        elif "@" in text:  # an address the gate reads as none ('jo@localhost'): as written
            entries.append(OptOutEntry(number, address_hash=pseudonymise_address(text, salt),
                                       written=text))
        elif normalise_name(text):
            entries.append(OptOutEntry(number, name=normalise_name(text), written=text))
    return entries


def name_pattern(names: set[str] | list[str]) -> re.Pattern | None:
    """A pattern for the full names among NAMES (two words or more: one word, 'Jo', would take
    too much with it) as a text may write them: any case, any spaces between the words, and
    'Last, First' for two-word names. None when there is no full name."""
    alternatives = set()
    for name in names:
        words = name.split()
        if len(normalise_name(name).split()) < 2:
            continue
        alternatives.add(r"\s+".join(re.escape(w.strip(",")) for w in words if w.strip(",")))
        if len(words) == 2:
            first, last = (w.strip(",") for w in words)
            alternatives.add(re.escape(last) + r"\s*,?\s+" + re.escape(first))
    if not alternatives:
        return None
    body = "|".join(sorted(alternatives, key=len, reverse=True))
    return re.compile(r"(?<![\w])(?:" + body + r")(?![\w])", re.IGNORECASE)


def withhold_names(con: duckdb.DuckDBPyConnection, names: set[str]) -> dict[tuple[str, str], int]:
    """Replace the full names among NAMES with '[name withheld]' in every text column of every
    table (other people's messages that name the person, signatories, notes ...). Returns the
    values changed per column."""
    pattern = name_pattern(names)
    if pattern is None:
        return {}
    # RE2 reads the same alternatives without the word boundaries (a superset): it picks the
    # values Python then rewrites exactly.
    prefilter = "(?i)" + pattern.pattern.removeprefix(r"(?<![\w])").removesuffix(r"(?![\w])")
    return rewrite_text_columns(con, prefilter,
                                lambda _table, _column, value: pattern.sub(WITHHELD_NAME, value))


__all__ = ["WITHHELD_NAME", "OptOutEntry", "name_pattern", "opt_out_file", "read_opt_out",
           "withhold_names"]
