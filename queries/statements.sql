-- Sign-on statements and letters with date, forum, addressee, signatory count and source.
-- @param forum: forum = | one forum code; empty for all
-- @param year: integer = | one year; empty for all
SELECT statement_id,
       coalesce(strftime(date, '%Y-%m-%d'), date_month) AS date,
       CASE WHEN date IS NOT NULL THEN 'day' WHEN date_month IS NOT NULL THEN 'month' END
           AS date_precision,
       date_year AS year, title, forum, addressee, signatory_count, link_to_best_bits, url,
       source_url, archived_url, archived_at, archived_match, method
FROM statements
WHERE ($forum IS NULL OR forum = $forum)
  AND ($year IS NULL OR date_year = CAST($year AS INTEGER))
ORDER BY date_year NULLS LAST, coalesce(date, CAST(date_month || '-01' AS DATE)), statement_id;
