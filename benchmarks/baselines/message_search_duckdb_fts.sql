-- Baseline for benchmarks/bench_search.py and tests/test_search_index.py: the query before the
-- tantivy index (issue 20), over DuckDB fts tables made by duckdb_fts_index.sql.
-- Messages matching a full-text search (BM25 over the subject and the author's own words, no quotes), best first.
-- @param q = surveillance | the words searched (plain text; quotes and symbols are text)
-- @param list = | the list's name; empty for all
-- @param year = | year sent; empty for all
-- @param forum = | a forum code the message mentions (forum rules); empty for all
-- @param limit = 200 | at most this many messages
-- The scores are those of fts_main_messages.match_bm25 (Okapi BM25, k = 1.2, b = 0.75, English
-- stems), computed once from the index tables for the documents holding a searched term: the
-- macro, called per row, cost ten times more on the full list (benchmarks/bench_search.py).
WITH tokens AS (
    SELECT DISTINCT stem(unnest(fts_main_messages.tokenize($q)), 'english') AS term
),
matched AS (
    SELECT t.docid, t.termid, count(*) AS tf
    FROM fts_main_messages.terms t
    JOIN fts_main_messages.dict d ON d.termid = t.termid
    JOIN tokens ON d.term = tokens.term
    GROUP BY t.docid, t.termid
),
scores AS (
    SELECT docs.name AS message_id,
           sum(log10(((stats.num_docs - d.df + 0.5) / (d.df + 0.5)) + 1)
               * (m.tf * 2.2 / (m.tf + 1.2 * (0.25 + 0.75 * docs.len / stats.avgdl)))) AS score
    FROM matched m
    JOIN fts_main_messages.docs docs ON docs.docid = m.docid
    JOIN fts_main_messages.dict d ON d.termid = m.termid,
         fts_main_messages.stats stats
    GROUP BY docs.name
)
SELECT m.message_id, strftime(m.sent_at, '%Y-%m-%d') AS date, m.sent_month AS month,
       m.list, m.subject,
       CASE WHEN p.opted_out THEN NULL ELSE m.author_name END AS author_name,
       m.thread_id, coalesce(m.url, m.source_url) AS archived_url, m.url, m.source_url,
       m.method, m.text, s.score
FROM scores s
JOIN messages m ON m.message_id = s.message_id
LEFT JOIN people p ON p.author_id = m.author_id
WHERE ($list IS NULL OR m.list = $list)
  AND ($year IS NULL OR left(m.sent_month, 4) = CAST($year AS VARCHAR))
  AND ($forum IS NULL OR m.message_id IN (
          SELECT item_id FROM forum_mentions WHERE item_type = 'message' AND forum = $forum))
ORDER BY s.score DESC, m.message_id
LIMIT CAST($limit AS INTEGER);
