-- Newcomers by yearly cohort (the year of a person's first message) and how many of them posted again each later year.
-- @param list = bestbits | the list's name; empty means every list
-- @param from_year: integer = 2012 | the first year counted
-- @param to_year: integer = 2019 | the last year counted
WITH activity AS (
    SELECT DISTINCT author_id, year FROM list_activity WHERE list IS NOT DISTINCT FROM $list
),
cohorts AS (SELECT author_id, min(year) AS cohort FROM activity GROUP BY author_id),
sizes AS (SELECT cohort, count(*) AS newcomers FROM cohorts GROUP BY cohort)
SELECT c.cohort, s.newcomers, a.year, a.year - c.cohort AS years_later,
       count(*) AS active, round(count(*) / s.newcomers, 3) AS retention
FROM activity a
JOIN cohorts c USING (author_id)
JOIN sizes s USING (cohort)
WHERE a.year BETWEEN CAST($from_year AS INTEGER) AND CAST($to_year AS INTEGER)
GROUP BY c.cohort, s.newcomers, a.year
ORDER BY c.cohort, a.year;
