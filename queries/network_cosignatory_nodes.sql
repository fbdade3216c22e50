-- The co-signatory network's nodes: each signatory (as listed) of the statements of a period, its kind and the statements it signed.
-- @param from_date = | the period's first day (YYYY-MM-DD); empty: no bound
-- @param to_date = | its last day; empty: no bound
-- A statement is in a period when all the days its date may be are: one known only by its
-- month or year counts in a year, not on either side of a day inside that month.
WITH dated AS (
    SELECT statement_id,
           coalesce(date, CAST(date_month || '-01' AS DATE), make_date(date_year, 1, 1)) AS earliest,
           coalesce(date, last_day(CAST(date_month || '-01' AS DATE)), make_date(date_year, 12, 31))
               AS latest
    FROM statements
),
chosen AS (
    SELECT statement_id FROM dated
    WHERE ($from_date IS NULL OR earliest >= CAST($from_date AS DATE))
      AND ($to_date IS NULL OR latest <= CAST($to_date AS DATE))
)
SELECT s.name, mode(coalesce(s.kind, 'not stated') ORDER BY s.kind) AS kind,
       count(DISTINCT s.statement_id) AS statements,
       list(DISTINCT s.statement_id ORDER BY s.statement_id) AS statement_ids
FROM signatories s JOIN chosen USING (statement_id)
GROUP BY s.name
ORDER BY s.name;
