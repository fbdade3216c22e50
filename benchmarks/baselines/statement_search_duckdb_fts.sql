-- Baseline for benchmarks/bench_search.py and tests/test_search_index.py: the query before the
-- tantivy index (issue 20), over DuckDB fts tables made by duckdb_fts_index.sql.
-- Statements matching a full-text search (BM25 over title, addressee, text and notes), best first.
-- @param q = internet governance | the words searched (plain text; quotes and symbols are text)
-- @param forum = | forum code; empty for all
-- @param year = | year; empty for all
-- @param addressee = | words the addressee must contain; empty for all
SELECT * FROM (
    SELECT statement_id, coalesce(strftime(date, '%Y-%m-%d'), date_month) AS date,
           date_year AS year, title, forum, addressee, signatory_count, link_to_best_bits,
           url, source_url, method, notes, text,
           fts_main_statements.match_bm25(statement_id, $q) AS score
    FROM statements
    WHERE ($forum IS NULL OR forum = $forum)
      AND ($year IS NULL OR date_year = CAST($year AS INTEGER))
      AND ($addressee IS NULL OR contains(lower(addressee), lower($addressee)))
) WHERE score IS NOT NULL
ORDER BY score DESC, statement_id;
