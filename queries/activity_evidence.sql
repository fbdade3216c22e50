-- The rows behind one bar of activity_by_year_forum: the events, statements or messages of a year and forum.
-- detail: the place of an event, the addressee of a statement, the forum evidence of a message.
-- @param year: integer = 2014 | the year
-- @param forum: forum = IGF | the forum code
-- @param kind = events | events, statements or messages
SELECT 'event' AS item, event_id AS id,
       coalesce(strftime(start_date, '%Y-%m-%d'), start_month) AS date, title, forum,
       concat_ws(', ', city, country) AS detail, source_url, archived_url, archived_at,
       archived_match, method
FROM events
WHERE $kind = 'events' AND start_year = CAST($year AS INTEGER) AND forum = $forum
UNION ALL
SELECT 'statement', statement_id, coalesce(strftime(date, '%Y-%m-%d'), date_month), title, forum,
       addressee, source_url, archived_url, archived_at, archived_match, method
FROM statements
WHERE $kind = 'statements' AND date_year = CAST($year AS INTEGER) AND forum = $forum
UNION ALL
SELECT 'message', m.message_id, coalesce(strftime(m.sent_at, '%Y-%m-%d %H:%M'), m.sent_month),
       m.subject, fm.forum, fm.evidence, m.source_url, m.archived_url, m.archived_at,
       m.archived_match, m.method
FROM messages m
JOIN forum_mentions fm ON fm.item_type = 'message' AND fm.item_id = m.message_id
WHERE $kind = 'messages' AND substr(m.sent_month, 1, 4) = CAST($year AS VARCHAR)
  AND fm.forum = $forum
ORDER BY date, id;
