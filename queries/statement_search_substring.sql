-- Statements whose title, addressee, text, notes, summary or topics contain the searched text (fallback without full-text search).
-- @param q = | the text searched (matched literally; empty lists every statement)
-- @param forum: forum = | forum code; empty for all
-- @param year: integer = | year; empty for all
-- @param addressee = | words the addressee must contain; empty for all
SELECT statement_id, coalesce(strftime(date, '%Y-%m-%d'), date_month) AS date,
       date_year AS year, title, forum, addressee, signatory_count, link_to_best_bits,
       url, source_url, archived_url, archived_at, archived_match, method, notes, text, summary, topics
FROM statements
WHERE ($q IS NULL
       OR contains(lower(concat_ws(' ', title, addressee, text, notes, summary, topics)),
                   lower($q)))
  AND ($forum IS NULL OR forum = $forum)
  AND ($year IS NULL OR date_year = CAST($year AS INTEGER))
  AND ($addressee IS NULL OR contains(lower(addressee), lower($addressee)))
ORDER BY date_year NULLS LAST, coalesce(date, CAST(date_month || '-01' AS DATE)), statement_id;
