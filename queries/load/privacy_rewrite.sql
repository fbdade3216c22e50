-- Write back the values the privacy sweep changed in one column (privacy_rewrites: row_id, value).
UPDATE {table} SET {column} = r.value
FROM privacy_rewrites r
WHERE {table}.rowid = r.row_id;
