-- Every text column of every table of the database being built: what the privacy sweep and the
-- opt-out's names read (bestbits/privacy/sweep.py).
SELECT c.table_name, c.column_name
FROM information_schema.columns c
JOIN information_schema.tables t
  ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema
 AND t.table_name = c.table_name
WHERE c.table_schema = 'main' AND c.table_catalog = current_database()
  AND t.table_type = 'BASE TABLE' AND c.data_type = 'VARCHAR'
ORDER BY c.table_name, c.ordinal_position;
