-- The archives the record was drawn from (the site as web archives captured it, the mailing lists), with the archived copy the build linked each to: the related sources an edition's deposit metadata names.
SELECT archive_id, url, kind, first_month, last_month_seen, source_url,
       archived_url, archived_at, archived_match, method
FROM archives
ORDER BY archive_id;
