-- Baseline for benchmarks/bench_search.py and tests/test_search_index.py: the query before the
-- tantivy index (issue 20), over DuckDB fts tables made by duckdb_fts_index.sql.
-- One full-text search (BM25) over statements and messages, best first within each kind; `kind` says which.
-- @param q = surveillance | the words searched (plain text)
-- @param list = | the list's name (messages only); empty for all
-- @param year = | year; empty for all
-- @param forum = | forum code (a statement's forum, a forum a message mentions); empty for all
-- @param limit = 200 | at most this many rows of each kind
-- Scores come from two indexes (statements, messages) and compare within a kind only; the
-- messages' scores are computed as in message_search.sql (BM25 from the index tables).
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
 FROM (SELECT messages.*, scores.score FROM scores JOIN messages USING (message_id)
       WHERE ($list IS NULL OR list = $list)
         AND ($year IS NULL OR left(sent_month, 4) = CAST($year AS VARCHAR))
         AND ($forum IS NULL OR message_id IN (
                 SELECT item_id FROM forum_mentions WHERE item_type = 'message' AND forum = $forum))
      ) m
 LEFT JOIN people p ON p.author_id = m.author_id
 ORDER BY m.score DESC, m.message_id
 LIMIT CAST($limit AS INTEGER))
ORDER BY kind DESC, score DESC, id;
