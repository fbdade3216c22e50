-- Statements matching a full-text search (BM25 over title, addressee, text, notes, summary and topics), best first.
-- @param q = internet governance | the words searched: words, "a phrase", a prefix* (other symbols are spaces)
-- @param forum: forum = | forum code; empty for all
-- @param year: integer = | year; empty for all
-- @param addressee = | words the addressee must contain; empty for all
-- @search hits = statement_hits(q, forum, year)
SELECT s.statement_id, coalesce(strftime(s.date, '%Y-%m-%d'), s.date_month) AS date,
       s.date_year AS year, s.title, s.forum, s.addressee, s.signatory_count,
       s.link_to_best_bits, s.url, s.source_url, s.archived_url, s.archived_at, s.archived_match,
       s.method, s.notes, s.text, s.summary, s.topics, h.score
FROM hits h
JOIN statements s USING (statement_id)
WHERE ($addressee IS NULL OR contains(lower(s.addressee), lower($addressee)))
ORDER BY h.score DESC, s.statement_id;
