"""Load: build one DuckDB database from the curated record and whatever the collectors stored."""
