-- Messages matching a full-text search (BM25 over the subject and the author's own words, no quotes), best first.
-- @param q = surveillance | the words searched: words, "a phrase", a prefix* (other symbols are spaces)
-- @param list = | the list's name; empty for all
-- @param year: integer = | year sent; empty for all
-- @param forum: forum = | a forum code the message mentions (forum rules); empty for all
-- @param limit: integer = 200 | at most this many messages
-- @search hits = message_hits(q, list, year, forum, limit)
-- The full-text index (bestbits/search.py) ranks and filters: Okapi BM25 (k = 1.2, b = 0.75)
-- over English stems, as DuckDB's fts did, and returns the best hits with the columns they
-- show and a snippet (escaped HTML, the matched words in <mark>).
SELECT h.message_id, h.date, h.month, h.list, h.subject,
       CASE WHEN p.opted_out THEN NULL ELSE h.author_name END AS author_name,
       h.thread_id, coalesce(h.url, h.source_url) AS archived_url, h.url, h.source_url,
       h.method, h.text, h.score, h.snippet
FROM hits h
LEFT JOIN people p ON p.author_id = h.author_id
ORDER BY h.score DESC, h.message_id;
