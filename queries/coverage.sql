-- Rows per table, provenance method and year: how much of the record each source supplies.
WITH dated AS (
    SELECT 'events' AS table_name, method, start_year AS year FROM events
    UNION ALL SELECT 'statements', method, date_year FROM statements
    UNION ALL SELECT 'agenda_items', a.method, e.start_year
              FROM agenda_items a LEFT JOIN events e USING (event_id)
    UNION ALL SELECT 'signatories', g.method, s.date_year
              FROM signatories g LEFT JOIN statements s USING (statement_id)
    UNION ALL SELECT 'messages', method, CAST(substr(sent_month, 1, 4) AS INTEGER) FROM messages
    UNION ALL SELECT 'forum_meetings', method, year(start_date) FROM forum_meetings
    UNION ALL SELECT 'milestones', method, date_year FROM milestones
    UNION ALL SELECT 'captures', 'scraped', CAST(substr(timestamp, 1, 4) AS INTEGER) FROM captures
)
SELECT table_name, method, year, count(*) AS rows
FROM dated
GROUP BY ALL
ORDER BY table_name, method, year NULLS LAST;
