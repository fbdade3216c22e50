-- Messages matching a full-text search (BM25 over the subject and the author's own words, no quotes), best first.
-- @param q = surveillance | the words searched (plain text; quotes and symbols are text)
-- @param list = | the list's name; empty for all
-- @param year = | year sent; empty for all
-- @param forum = | a forum code the message mentions (forum rules); empty for all
-- @param limit = 200 | at most this many messages
SELECT * FROM (
    SELECT m.message_id, strftime(m.sent_at, '%Y-%m-%d') AS date, m.sent_month AS month,
           m.list, m.subject,
           CASE WHEN p.opted_out THEN NULL ELSE m.author_name END AS author_name,
           m.thread_id, coalesce(m.url, m.source_url) AS archived_url, m.url, m.source_url,
           m.method, m.text,
           fts_main_messages.match_bm25(m.message_id, $q) AS score
    FROM messages m
    LEFT JOIN people p ON p.author_id = m.author_id
    WHERE ($list IS NULL OR m.list = $list)
      AND ($year IS NULL OR left(m.sent_month, 4) = CAST($year AS VARCHAR))
      AND ($forum IS NULL OR m.message_id IN (
              SELECT item_id FROM forum_mentions WHERE item_type = 'message' AND forum = $forum))
) WHERE score IS NOT NULL
ORDER BY score DESC, message_id
LIMIT CAST($limit AS INTEGER);
