-- The schema's tables, in name order (what a Parquet folder may fill).
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'main' AND table_catalog = current_database() AND table_type = 'BASE TABLE'
ORDER BY table_name;
