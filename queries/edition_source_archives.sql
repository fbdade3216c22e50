-- The archives the record was drawn from, with the archived copy the build linked each to: the sources an edition's deposit metadata names.
SELECT archive_id, url, kind, first_month, last_month_seen, source_url,
       archived_url, archived_at, archived_match, method
FROM archives
ORDER BY archive_id;
