-- Statements and messages containing the searched text (fallback without full-text search); `kind` says which.
-- @param q = | the text searched (matched literally; empty lists everything)
-- @param list = | the list's name (messages only); empty for all
-- @param year: integer = | year; empty for all
-- @param forum: forum = | forum code (a statement's forum, a forum a message mentions); empty for all
-- @param limit: integer = 200 | at most this many rows of each kind
(SELECT 'statement' AS kind, statement_id AS id,
        coalesce(strftime(date, '%Y-%m-%d'), date_month) AS date, date_year AS year,
        title, NULL AS author_name, forum, NULL AS list, NULL AS thread_id,
        coalesce(source_url, url) AS archived_url, text, method
 FROM statements
 WHERE ($q IS NULL OR contains(lower(concat_ws(' ', title, addressee, text, notes)), lower($q)))
   AND ($forum IS NULL OR forum = $forum)
   AND ($year IS NULL OR date_year = CAST($year AS INTEGER))
 ORDER BY date_year, statement_id
 LIMIT CAST($limit AS INTEGER))
UNION ALL
(SELECT 'message', m.message_id, strftime(m.sent_at, '%Y-%m-%d'),
        CAST(left(m.sent_month, 4) AS INTEGER), m.subject,
        CASE WHEN p.opted_out THEN NULL ELSE m.author_name END, NULL, m.list, m.thread_id,
        coalesce(m.url, m.source_url), m.text, m.method
 -- The page of messages first, then people (as in message_search_substring.sql).
 FROM (SELECT * FROM messages m
       WHERE ($q IS NULL OR contains(lower(concat_ws(' ', m.subject, m.text)), lower($q)))
         AND ($list IS NULL OR m.list = $list)
         AND ($year IS NULL OR left(m.sent_month, 4) = CAST($year AS VARCHAR))
         AND ($forum IS NULL OR m.message_id IN (
                 SELECT item_id FROM forum_mentions WHERE item_type = 'message' AND forum = $forum))
       ORDER BY m.sent_month, m.message_id
       LIMIT CAST($limit AS INTEGER)) m
 LEFT JOIN people p ON p.author_id = m.author_id
 ORDER BY m.sent_month, m.message_id
 LIMIT CAST($limit AS INTEGER))
ORDER BY kind DESC, year, id;
