-- One full-text search (BM25) over statements and messages, best first within each kind; `kind` says which.
-- @param q = surveillance | the words searched (plain text)
-- @param list = | the list's name (messages only); empty for all
-- @param year = | year; empty for all
-- @param forum = | forum code (a statement's forum, a forum a message mentions); empty for all
-- @param limit = 200 | at most this many rows of each kind
-- Scores come from two indexes (statements, messages) and compare within a kind only.
(SELECT 'statement' AS kind, statement_id AS id,
        coalesce(strftime(date, '%Y-%m-%d'), date_month) AS date, date_year AS year,
        title, NULL AS author_name, forum, NULL AS list, NULL AS thread_id,
        coalesce(source_url, url) AS archived_url, text, method, score
 FROM (SELECT *, fts_main_statements.match_bm25(statement_id, $q) AS score FROM statements
       WHERE ($forum IS NULL OR forum = $forum)
         AND ($year IS NULL OR date_year = CAST($year AS INTEGER)))
 WHERE score IS NOT NULL
 ORDER BY score DESC, statement_id
 LIMIT CAST($limit AS INTEGER))
UNION ALL
(SELECT 'message', m.message_id, strftime(m.sent_at, '%Y-%m-%d'),
        CAST(left(m.sent_month, 4) AS INTEGER), m.subject,
        CASE WHEN p.opted_out THEN NULL ELSE m.author_name END, NULL, m.list, m.thread_id,
        coalesce(m.url, m.source_url), m.text, m.method, m.score
 FROM (SELECT *, fts_main_messages.match_bm25(message_id, $q) AS score FROM messages
       WHERE ($list IS NULL OR list = $list)
         AND ($year IS NULL OR left(sent_month, 4) = CAST($year AS VARCHAR))
         AND ($forum IS NULL OR message_id IN (
                 SELECT item_id FROM forum_mentions WHERE item_type = 'message' AND forum = $forum))
      ) m
 LEFT JOIN people p ON p.author_id = m.author_id
 WHERE m.score IS NOT NULL
 ORDER BY m.score DESC, m.message_id
 LIMIT CAST($limit AS INTEGER))
ORDER BY kind DESC, score DESC, id;
