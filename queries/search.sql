-- One full-text search (BM25) over statements and messages, best first within each kind; `kind` says which.
-- @param q = surveillance | the words searched: words, "a phrase", a prefix* (other symbols are spaces)
-- @param kind = | statement or message; empty for both
-- @param list = | the list's name (messages only); empty for all
-- @param year: integer = | year; empty for all
-- @param forum: forum = | forum code (a statement's forum, a forum a message mentions); empty for all
-- @param limit: integer = 200 | at most this many rows of each kind
-- @search statement_hits = statement_hits(q, forum, year, limit, kind)
-- @search message_hits = message_hits(q, list, year, forum, limit, kind)
-- Scores come from two indexes (statements, messages) and compare within a kind only
-- (bestbits/search.py).
SELECT 'statement' AS kind, s.statement_id AS id,
       coalesce(strftime(s.date, '%Y-%m-%d'), s.date_month) AS date, s.date_year AS year,
       s.title, NULL AS author_name, s.forum, NULL AS list, NULL AS thread_id,
       coalesce(s.source_url, s.url) AS archived_url, s.text, s.method, h.score, h.snippet
FROM statement_hits h
JOIN statements s USING (statement_id)
UNION ALL
SELECT 'message', h.message_id, h.date, CAST(left(h.month, 4) AS INTEGER), h.subject,
       CASE WHEN p.opted_out THEN NULL ELSE h.author_name END, NULL, h.list, h.thread_id,
       coalesce(h.url, h.source_url), h.text, h.method, h.score, h.snippet
FROM message_hits h
LEFT JOIN people p ON p.author_id = h.author_id
ORDER BY kind DESC, score DESC, id;
