-- Baseline for benchmarks/bench_search.py: message_search as first written, with the fts
-- macro match_bm25 called for every message row (queries/message_search.sql scores once).
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
