-- The rows behind one bar of the coverage chart: one table's rows of one provenance method and year, each with its source.
-- @param table_name = events | events, statements, agenda_items, signatories, messages, forum_meetings, milestones or captures
-- @param method = curated | curated, scraped or parsed
-- @param year: integer = 2014 | the year
WITH rows AS (
    SELECT 'events' AS table_name, method, start_year AS year, event_id AS id, title,
           source_url, archived_url, archived_at, archived_match FROM events
    UNION ALL SELECT 'statements', method, date_year, statement_id, title, source_url,
              archived_url, archived_at, archived_match
              FROM statements
    UNION ALL SELECT 'agenda_items', a.method, e.start_year, a.event_id || '#' || a.position,
              a.title, a.source_url, a.archived_url, a.archived_at, a.archived_match
              FROM agenda_items a LEFT JOIN events e USING (event_id)
    UNION ALL SELECT 'signatories', g.method, s.date_year, g.statement_id, g.name, g.source_url,
              g.archived_url, g.archived_at, g.archived_match
              FROM signatories g LEFT JOIN statements s USING (statement_id)
    UNION ALL SELECT 'messages', method, CAST(substr(sent_month, 1, 4) AS INTEGER), message_id,
              subject, coalesce(url, source_url), archived_url, archived_at, archived_match
              FROM messages
    UNION ALL SELECT 'forum_meetings', method, year(start_date), meeting_id, title, source_url,
              archived_url, archived_at, archived_match
              FROM forum_meetings
    UNION ALL SELECT 'milestones', method, date_year, milestone_id, title, source_url,
              archived_url, archived_at, archived_match
              FROM milestones
    UNION ALL SELECT 'captures', 'scraped', CAST(substr(timestamp, 1, 4) AS INTEGER),
              timestamp, url, coalesce(replay_url, url), NULL, NULL, NULL FROM captures
)
SELECT id, title, method, year, source_url, archived_url, archived_at, archived_match
FROM rows
WHERE table_name = $table_name AND method = $method AND year = CAST($year AS INTEGER)
ORDER BY id;
