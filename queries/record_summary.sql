-- How much of the record the database holds, per table and provenance method (for the "where this comes from" line).
SELECT 'events' AS table_name, method, count(*) AS rows FROM events GROUP BY method
UNION ALL SELECT 'statements', method, count(*) FROM statements GROUP BY method
UNION ALL SELECT 'messages', method, count(*) FROM messages GROUP BY method
UNION ALL SELECT 'agenda_items', method, count(*) FROM agenda_items GROUP BY method
UNION ALL SELECT 'signatories', method, count(*) FROM signatories GROUP BY method
UNION ALL SELECT 'forum_meetings', method, count(*) FROM forum_meetings GROUP BY method
UNION ALL SELECT 'milestones', method, count(*) FROM milestones GROUP BY method
UNION ALL SELECT 'captures', 'scraped', count(*) FROM captures HAVING count(*) > 0
ORDER BY table_name, method;
