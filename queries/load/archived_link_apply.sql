-- Write each row's link (archived_links: one row per distinct source, page, memento and date)
-- into its table, with where its capture is kept when the collector stored it.
CREATE OR REPLACE TEMPORARY TABLE archived_link_values AS
SELECT r.table_name, r.row_id, l.link_url, l.link_at, l.link_match,
       (SELECT min(c.stored_at) FROM captures c
        WHERE c.url = l.memento_url AND c.timestamp = l.memento_timestamp) AS link_local
FROM archived_link_rows r
JOIN archived_links l
  ON l.source_url IS NOT DISTINCT FROM r.source_url
 AND l.page_url IS NOT DISTINCT FROM r.page_url
 AND l.archived_url IS NOT DISTINCT FROM r.archived_url
 AND l.row_date IS NOT DISTINCT FROM r.row_date;
UPDATE events SET archived_url = v.link_url, archived_at = v.link_at,
       archived_match = v.link_match, archived_local = v.link_local
FROM archived_link_values v WHERE v.table_name = 'events' AND events.rowid = v.row_id;
UPDATE statements SET archived_url = v.link_url, archived_at = v.link_at,
       archived_match = v.link_match, archived_local = v.link_local
FROM archived_link_values v WHERE v.table_name = 'statements' AND statements.rowid = v.row_id;
UPDATE agenda_items SET archived_url = v.link_url, archived_at = v.link_at,
       archived_match = v.link_match, archived_local = v.link_local
FROM archived_link_values v WHERE v.table_name = 'agenda_items' AND agenda_items.rowid = v.row_id;
UPDATE signatories SET archived_url = v.link_url, archived_at = v.link_at,
       archived_match = v.link_match, archived_local = v.link_local
FROM archived_link_values v WHERE v.table_name = 'signatories' AND signatories.rowid = v.row_id;
UPDATE statement_summaries SET archived_url = v.link_url, archived_at = v.link_at,
       archived_match = v.link_match, archived_local = v.link_local
FROM archived_link_values v
WHERE v.table_name = 'statement_summaries' AND statement_summaries.rowid = v.row_id;
UPDATE messages SET archived_url = v.link_url, archived_at = v.link_at,
       archived_match = v.link_match, archived_local = v.link_local
FROM archived_link_values v WHERE v.table_name = 'messages' AND messages.rowid = v.row_id;
UPDATE forum_meetings SET archived_url = v.link_url, archived_at = v.link_at,
       archived_match = v.link_match, archived_local = v.link_local
FROM archived_link_values v
WHERE v.table_name = 'forum_meetings' AND forum_meetings.rowid = v.row_id;
UPDATE milestones SET archived_url = v.link_url, archived_at = v.link_at,
       archived_match = v.link_match, archived_local = v.link_local
FROM archived_link_values v WHERE v.table_name = 'milestones' AND milestones.rowid = v.row_id;
UPDATE archives SET archived_url = v.link_url, archived_at = v.link_at,
       archived_match = v.link_match, archived_local = v.link_local
FROM archived_link_values v WHERE v.table_name = 'archives' AND archives.rowid = v.row_id;
UPDATE documents SET archived_url = v.link_url, archived_at = v.link_at,
       archived_match = v.link_match, archived_local = v.link_local
FROM archived_link_values v WHERE v.table_name = 'documents' AND documents.rowid = v.row_id;
DROP TABLE archived_link_values;
DROP TABLE archived_link_rows;
