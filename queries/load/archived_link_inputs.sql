-- The distinct sources, pages, mementos and dates of archived_link_rows: each is linked once.
SELECT DISTINCT source_url, page_url, archived_url, row_date
FROM archived_link_rows
WHERE source_url IS NOT NULL OR page_url IS NOT NULL;
