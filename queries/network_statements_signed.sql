-- The statements of a period a signatory signed, or that two signatories both signed (a node or an edge of the co-signatory network), with their archived sources.
-- @param signatory = | the signatory as listed
-- @param other = | a second signatory: only the statements both signed; empty: all of the first one's
-- @param from_date = | the period's first day (YYYY-MM-DD); empty: no bound
-- @param to_date = | its last day; empty: no bound
WITH dated AS (
    SELECT statement_id,
           coalesce(date, CAST(date_month || '-01' AS DATE), make_date(date_year, 1, 1)) AS earliest,
           coalesce(date, last_day(CAST(date_month || '-01' AS DATE)), make_date(date_year, 12, 31))
               AS latest
    FROM statements
)
SELECT st.statement_id, coalesce(strftime(st.date, '%Y-%m-%d'), st.date_month,
                                 CAST(st.date_year AS VARCHAR)) AS date,
       st.title, st.forum, st.signatory_count, st.source_url, st.archived_url, st.archived_at,
       st.archived_match, st.method
FROM statements st JOIN dated d USING (statement_id)
WHERE st.statement_id IN (SELECT statement_id FROM signatories WHERE name = $signatory)
  AND ($other IS NULL OR st.statement_id IN (SELECT statement_id FROM signatories
                                             WHERE name = $other))
  AND ($from_date IS NULL OR d.earliest >= CAST($from_date AS DATE))
  AND ($to_date IS NULL OR d.latest <= CAST($to_date AS DATE))
ORDER BY d.earliest NULLS LAST, st.statement_id;
