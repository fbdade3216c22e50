-- The co-signatory network's nodes: each signatory (as listed) of the statements of a period, its kind and the statements it signed.
-- @param from_date = | the period's first day (YYYY-MM-DD); empty: no bound
-- @param to_date = | its last day; empty: no bound
-- A statement is in a period when all the days its date may be are (within_period,
-- queries/schema/65_periods.sql).
SELECT s.name, mode(coalesce(s.kind, 'not stated') ORDER BY s.kind) AS kind,
       count(DISTINCT s.statement_id) AS statements,
       list(DISTINCT s.statement_id ORDER BY s.statement_id) AS statement_ids
FROM signatories s JOIN statements st USING (statement_id)
WHERE within_period(st.date, st.date_month, st.date_year, $from_date, $to_date)
GROUP BY s.name
ORDER BY s.name;
