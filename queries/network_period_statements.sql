-- The statements of a period (as the co-signatory network counts them), with how many signatories the record lists against how many the source states.
-- @param from_date = | the period's first day (YYYY-MM-DD); empty: no bound
-- @param to_date = | its last day; empty: no bound
SELECT st.statement_id, st.title, st.signatory_count AS stated,
       TRY_CAST(regexp_extract(st.signatory_count, '(\d+)', 1) AS INTEGER) AS stated_number,
       count(DISTINCT s.name) AS listed
FROM statements st LEFT JOIN signatories s USING (statement_id)
WHERE within_period(st.date, st.date_month, st.date_year, $from_date, $to_date)
GROUP BY ALL
ORDER BY st.statement_id;
