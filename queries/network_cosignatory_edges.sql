-- The co-signatory network's edges: two signatories who signed the same statements in a period, weighted by how many they shared, with those statements' ids.
-- @param from_date = | the period's first day (YYYY-MM-DD); empty: no bound
-- @param to_date = | its last day; empty: no bound
WITH signed AS (
    -- A signatory listed by two sources of one statement signed it once.
    SELECT DISTINCT s.statement_id, s.name
    FROM signatories s JOIN statements st USING (statement_id)
    WHERE within_period(st.date, st.date_month, st.date_year, $from_date, $to_date)
)
SELECT a.name AS source, b.name AS target, count(*) AS weight,
       list(a.statement_id ORDER BY a.statement_id) AS statement_ids
FROM signed a JOIN signed b ON a.statement_id = b.statement_id AND a.name < b.name
GROUP BY a.name, b.name
ORDER BY weight DESC, source, target;
