-- The co-signatory network's edges: two signatories who signed the same statements in a period, weighted by how many they shared, with those statements' ids.
-- @param from_date = | the period's first day (YYYY-MM-DD); empty: no bound
-- @param to_date = | its last day; empty: no bound
WITH dated AS (
    SELECT statement_id,
           coalesce(date, CAST(date_month || '-01' AS DATE), make_date(date_year, 1, 1)) AS earliest,
           coalesce(date, last_day(CAST(date_month || '-01' AS DATE)), make_date(date_year, 12, 31))
               AS latest
    FROM statements
),
signed AS (
    -- A signatory listed by two sources of one statement signed it once.
    SELECT DISTINCT s.statement_id, s.name
    FROM signatories s JOIN dated d USING (statement_id)
    WHERE ($from_date IS NULL OR d.earliest >= CAST($from_date AS DATE))
      AND ($to_date IS NULL OR d.latest <= CAST($to_date AS DATE))
)
SELECT a.name AS source, b.name AS target, count(*) AS weight,
       list(a.statement_id ORDER BY a.statement_id) AS statement_ids
FROM signed a JOIN signed b ON a.statement_id = b.statement_id AND a.name < b.name
GROUP BY a.name, b.name
ORDER BY weight DESC, source, target;
