-- The rows of one table where a prefilter ($1, an RE2 pattern) finds something in a text column,
-- with those columns: the privacy sweep decides on them in Python. {table}, {columns} and
-- {matches} (one regexp_matches per column) are filled from the database's own catalogue.
SELECT rowid, {columns} FROM {table} WHERE {matches};
