"""Small counts kept private: per-person and per-organisation counts below k shown as "<k".

One set of rules for the export (`bestbits export --min-cell K`, `--full-detail`) and the
dashboards (`config.min_cell()`). A count of 1 to k-1 messages says "this person wrote a
handful of times", which, joined with a name, is more than a one-off poster agreed to publish;
statistical disclosure control's usual answer is to coarsen such cells, and five is the usual k.

The export also coarsens the message rows themselves, or the counts could be recomputed from
them: the messages of a person with fewer than k messages lose their author (name, pseudonym,
address hash), and those of a domain with fewer than k messages lose their domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bestbits import config

if TYPE_CHECKING:  # the export's frames; the dashboards pass bestbits.query.Rows, without pandas
    import pandas as pd

# Table -> the per-person or per-organisation counts in it.
SMALL_CELL_COLUMNS: dict[str, tuple[str, ...]] = {
    "people": ("n_messages", "n_addresses", "n_names"),
    "person_members": ("n_messages",),
    "domains": ("n_messages", "n_posters"),
}
# What stands in for the author of a message whose author wrote fewer than k messages.
SMALL_AUTHOR = "small-cell"


@dataclass(frozen=True)
class PrivacyMode:
    """How counts are written: coarsened below `min_cell`, or exact (`min_cell` None)."""

    min_cell: int | None = config.DEFAULT_MIN_CELL

    @property
    def full_detail(self) -> bool:
        return self.min_cell is None or self.min_cell <= 1

    def label(self) -> str:
        return small_cell_label(self.min_cell or 1)

    def describe(self) -> dict:
        """What the data package says of the mode it was written in."""
        if self.full_detail:
            return {"mode": "full-detail", "min_cell": None,
                    "note": "Exact per-person and per-organisation counts (bestbits export "
                            "--full-detail): for researchers whose ethics approval covers them."}
        return {"mode": "small-cells-suppressed", "min_cell": self.min_cell,
                "note": f"Per-person and per-organisation counts from 1 to {self.min_cell - 1} "
                        f"are written as '{self.label()}'; the messages of people (and domains) "
                        f"with fewer than {self.min_cell} messages carry no author (domain)."}


def small_cell_label(k: int) -> str:
    return f"<{k}"


def suppressed_count(value: Any, k: int) -> str | None:
    """A count as written under the rule: "<k" from 1 to k-1, else the whole number as text
    (None for a missing or non-numeric value)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number:  # NaN
        return None
    return small_cell_label(k) if 1 <= number < k else str(int(number))


def suppress_counts(frame, columns, k: int):
    """A copy of FRAME (a pandas DataFrame, or bestbits.query.Rows) whose COLUMNS show counts
    from 1 to k-1 as "<k" (0 and NULL stay)."""
    if hasattr(frame, "with_column"):  # Rows: the dashboards, which load no pandas
        if k <= 1:
            return frame
        for column in columns:
            if column in frame.columns:
                frame = frame.with_column(column, [suppressed_count(v, k) for v in frame[column]])
        return frame
    import pandas as pd

    out = frame.copy()
    if k <= 1:
        return out
    for column in columns:
        if column not in out.columns:
            continue
        values = pd.to_numeric(out[column], errors="coerce")
        out[column] = [suppressed_count(v, k) for v in values]
    return out


def coarsen_messages(messages: pd.DataFrame, people: pd.DataFrame, domains: pd.DataFrame,
                     k: int) -> pd.DataFrame:
    """Message rows from which the small counts cannot be recomputed (see the module docstring)."""
    import pandas as pd

    out = messages.copy()
    if k <= 1 or out.empty:
        return out
    few = set(people.loc[pd.to_numeric(people["n_messages"]) < k, "author_id"])
    small_author = out["author_id"].isin(few)
    out.loc[small_author, "author_id"] = SMALL_AUTHOR
    for column in ("author_name", "address_hash"):
        if column in out.columns:
            out.loc[small_author, column] = None
    few_domains = set(domains.loc[pd.to_numeric(domains["n_messages"]) < k, "domain"])
    out.loc[out["domain"].isin(few_domains), "domain"] = None
    return out


def protect_table(table: str, frame: pd.DataFrame, mode: PrivacyMode,
                  related: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """TABLE's rows as MODE writes them. `related` holds people and domains for `messages`."""
    if mode.full_detail:
        return frame
    k = int(mode.min_cell)
    if table == "messages" and related is not None:
        return coarsen_messages(frame, related["people"], related["domains"], k)
    if table in SMALL_CELL_COLUMNS:
        return suppress_counts(frame, SMALL_CELL_COLUMNS[table], k)
    return frame


def needs_protection(table: str) -> bool:
    return table in SMALL_CELL_COLUMNS or table == "messages"


def protected_relation(con, table: str, mode: PrivacyMode):
    """TABLE of the connection as a DuckDB relation, written as MODE says (the export uses it)."""
    if mode.full_detail or not needs_protection(table):
        return con.table(table)
    related = None
    if table == "messages":
        related = {"people": con.table("people").df(), "domains": con.table("domains").df()}
    return con.from_df(protect_table(table, con.table(table).df(), mode, related))


def mark_protected_fields(resource: dict, table: str, mode: PrivacyMode) -> dict:
    """A data-package resource whose coarsened count fields say so (they are text: '<5')."""
    if mode.full_detail:
        return resource
    for field in resource["schema"]["fields"]:
        if field["name"] in SMALL_CELL_COLUMNS.get(table, ()):
            field["type"] = "string"
            field["description"] += (f" Counts from 1 to {mode.min_cell - 1} are written as "
                                     f"'{mode.label()}' (bestbits export --full-detail for exact).")
    return resource
