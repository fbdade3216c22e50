-- The statements of a period (as the co-signatory network counts them), with how many signatories the record lists against how many the source states.
-- @param from_date = | the period's first day (YYYY-MM-DD); empty: no bound
-- @param to_date = | its last day; empty: no bound
WITH dated AS (
    SELECT statement_id, title, signatory_count AS stated,
           TRY_CAST(regexp_extract(signatory_count, '(\d+)', 1) AS INTEGER) AS stated_number,
           coalesce(date, CAST(date_month || '-01' AS DATE), make_date(date_year, 1, 1)) AS earliest,
           coalesce(date, last_day(CAST(date_month || '-01' AS DATE)), make_date(date_year, 12, 31))
               AS latest
    FROM statements
)
SELECT d.statement_id, d.title, d.stated, d.stated_number,
       count(DISTINCT s.name) AS listed
FROM dated d LEFT JOIN signatories s USING (statement_id)
WHERE ($from_date IS NULL OR d.earliest >= CAST($from_date AS DATE))
  AND ($to_date IS NULL OR d.latest <= CAST($to_date AS DATE))
GROUP BY ALL
ORDER BY d.statement_id;
