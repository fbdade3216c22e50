-- Rows of one table ({table} is filled in by the build from a fixed list) without provenance.
SELECT count(*) FROM {table}
WHERE source_url IS NULL OR trim(source_url) = '' OR method IS NULL OR trim(method) = '';
