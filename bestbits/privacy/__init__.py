"""Privacy: the promises to the people in the record, kept in one place every layer may use.

- `addresses`: finding and replacing e-mail addresses in any written form;
- `gate`: what every stored text passes (no address, no path of the building machine);
- `small_cells`: small per-person counts coarsened in exports and dashboards;
- `pseudonyms`: the local salt, and the keyed hashes that stand for addresses and names;
- `opt_out`: people in DATA_DIR/local/opt_out.txt named nowhere;
- `sweep`: the after-build check of every text column of the database.

The names below are the package's public API; `from bestbits.privacy import PrivacyMode` and the
gate's `redact` both come from here.
"""

from bestbits.privacy.addresses import (
    REDACTED,
    URL_REDACTED,
    contains_address,
    find_addresses,
    import_label,
    redact,
    redact_html,
    redact_url,
    safe_file_name,
    stored_import_name,
)
from bestbits.privacy.small_cells import (
    SMALL_AUTHOR,
    SMALL_CELL_COLUMNS,
    PrivacyMode,
    coarsen_messages,
    mark_protected_fields,
    needs_protection,
    protect_table,
    protected_relation,
    small_cell_label,
    suppress_counts,
)

__all__ = [
    "REDACTED", "SMALL_AUTHOR", "SMALL_CELL_COLUMNS", "URL_REDACTED", "PrivacyMode",
    "coarsen_messages", "contains_address", "find_addresses", "import_label",
    "mark_protected_fields", "needs_protection", "protect_table", "protected_relation", "redact",
    "redact_html", "redact_url", "safe_file_name", "small_cell_label", "stored_import_name",
    "suppress_counts",
]
