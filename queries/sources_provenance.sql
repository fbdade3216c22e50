-- Where each table's rows come from: provenance method and origin (the archive or site its source_url points to, or the archive of a capture).
SELECT table_name, method, origin, count(*) AS rows
FROM (
    SELECT 'events' AS table_name, method, source_url FROM events
    UNION ALL SELECT 'agenda_items', method, source_url FROM agenda_items
    UNION ALL SELECT 'statements', method, source_url FROM statements
    UNION ALL SELECT 'signatories', method, source_url FROM signatories
    UNION ALL SELECT 'messages', method, source_url FROM messages
    UNION ALL SELECT 'forum_meetings', method, source_url FROM forum_meetings
    UNION ALL SELECT 'milestones', method, source_url FROM milestones
    UNION ALL SELECT 'archives', method, source_url FROM archives
    UNION ALL SELECT 'captures', 'scraped', archive FROM captures
) AS sourced,
LATERAL (SELECT CASE
    WHEN source_url LIKE 'file:%' THEN 'a local file (imported)'
    WHEN source_url LIKE 'http%://web.archive.org/%' THEN 'web.archive.org (Wayback Machine)'
    ELSE coalesce(nullif(regexp_extract(source_url, '^[a-z]+://([^/]+)', 1), ''), source_url)
    END AS origin)
GROUP BY ALL
ORDER BY table_name, method, rows DESC, origin;
