-- The statements of a period a signatory signed, or that two signatories both signed (a node or an edge of the co-signatory network), with their archived sources.
-- @param signatory = | the signatory as listed
-- @param other = | a second signatory: only the statements both signed; empty: all of the first one's
-- @param from_date = | the period's first day (YYYY-MM-DD); empty: no bound
-- @param to_date = | its last day; empty: no bound
SELECT statement_id, coalesce(strftime(date, '%Y-%m-%d'), date_month, CAST(date_year AS VARCHAR))
           AS date,
       title, forum, signatory_count, source_url, archived_url, archived_at, archived_match, method
FROM statements
WHERE statement_id IN (SELECT statement_id FROM signatories WHERE name = $signatory)
  AND ($other IS NULL OR statement_id IN (SELECT statement_id FROM signatories
                                          WHERE name = $other))
  AND within_period(date, date_month, date_year, $from_date, $to_date)
ORDER BY coalesce(date, CAST(date_month || '-01' AS DATE), make_date(date_year, 1, 1)) NULLS LAST,
         statement_id;
