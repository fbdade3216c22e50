-- Every fact row whose source a link must open, with its own date (an agenda item, a
-- signatory and a summary take their event's or statement's): what bestbits/load/archived_links.py
-- links to an archived version. Messages offer their own page (url) beside source_url.
CREATE OR REPLACE TEMPORARY TABLE archived_link_rows AS
SELECT 'events' AS table_name, e.rowid AS row_id, e.source_url, NULL AS page_url, e.archived_url,
       coalesce(strftime(e.start_date, '%Y-%m-%d'), e.start_month, CAST(e.start_year AS VARCHAR))
           AS row_date
FROM events e
UNION ALL
SELECT 'statements', s.rowid, s.source_url, NULL, s.archived_url,
       coalesce(strftime(s.date, '%Y-%m-%d'), s.date_month, CAST(s.date_year AS VARCHAR))
FROM statements s
UNION ALL
SELECT 'agenda_items', a.rowid, a.source_url, NULL, a.archived_url,
       coalesce(strftime(e.start_date, '%Y-%m-%d'), e.start_month, CAST(e.start_year AS VARCHAR))
FROM agenda_items a LEFT JOIN events e USING (event_id)
UNION ALL
SELECT 'signatories', g.rowid, g.source_url, NULL, g.archived_url,
       coalesce(strftime(s.date, '%Y-%m-%d'), s.date_month, CAST(s.date_year AS VARCHAR))
FROM signatories g LEFT JOIN statements s USING (statement_id)
UNION ALL
SELECT 'statement_summaries', m.rowid, m.source_url, NULL, m.archived_url,
       coalesce(strftime(s.date, '%Y-%m-%d'), s.date_month, CAST(s.date_year AS VARCHAR))
FROM statement_summaries m LEFT JOIN statements s USING (statement_id)
UNION ALL
SELECT 'messages', rowid, source_url, url, archived_url,
       coalesce(strftime(sent_at, '%Y-%m-%d'), sent_month)
FROM messages
UNION ALL
SELECT 'forum_meetings', rowid, source_url, NULL, archived_url, strftime(start_date, '%Y-%m-%d')
FROM forum_meetings
UNION ALL
SELECT 'milestones', rowid, source_url, NULL, archived_url,
       coalesce(strftime(date, '%Y-%m-%d'), date_month, CAST(date_year AS VARCHAR))
FROM milestones
UNION ALL
SELECT 'archives', rowid, source_url, NULL, archived_url, last_month_seen
FROM archives
UNION ALL
SELECT 'documents', rowid, source_url, NULL, archived_url,
       coalesce(strftime(date, '%Y-%m-%d'), date_month)
FROM documents;
