-- Statements matching a full-text search (BM25 over title, addressee, text, notes, summary and topics), best first.
-- @param q = internet governance | the words searched (plain text; quotes and symbols are text)
-- @param forum: forum = | forum code; empty for all
-- @param year: integer = | year; empty for all
-- @param addressee = | words the addressee must contain; empty for all
SELECT * FROM (
    SELECT statement_id, coalesce(strftime(date, '%Y-%m-%d'), date_month) AS date,
           date_year AS year, title, forum, addressee, signatory_count, link_to_best_bits,
           url, source_url, archived_url, archived_at, archived_match, method, notes, text, summary,
           topics,
           fts_main_statements.match_bm25(statement_id, $q) AS score
    FROM statements
    WHERE ($forum IS NULL OR forum = $forum)
      AND ($year IS NULL OR date_year = CAST($year AS INTEGER))
      AND ($addressee IS NULL OR contains(lower(addressee), lower($addressee)))
) WHERE score IS NOT NULL
ORDER BY score DESC, statement_id;
