-- Every month of the list's life (2012-08 to 2019-05): messages from the archive, from the curated sample, and whether the month is missing.
-- @param list = bestbits | the list's name; empty means every list
WITH months AS (
    SELECT strftime(m, '%Y-%m') AS month
    FROM generate_series(DATE '2012-08-01', DATE '2019-05-01', INTERVAL 1 MONTH) AS t(m)
),
counts AS (
    SELECT sent_month AS month,
           count(*) FILTER (WHERE method = 'parsed') AS parsed,
           count(*) FILTER (WHERE method = 'curated') AS curated
    FROM messages
    WHERE sent_month IS NOT NULL AND (list = $list OR $list IS NULL)
    GROUP BY sent_month
)
SELECT months.month, coalesce(parsed, 0) AS parsed, coalesce(curated, 0) AS curated,
       coalesce(parsed, 0) = 0 AS missing
FROM months LEFT JOIN counts USING (month)
ORDER BY months.month;
