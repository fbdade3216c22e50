-- Distinct posters per year, how many of them were new that year, and the year's messages.
-- @param list = bestbits | the list's name; empty means every list
-- @param from_year: integer = 2012 | the first year counted
-- @param to_year: integer = 2019 | the last year counted
WITH activity AS (
    SELECT year, author_id, sum(messages) AS messages
    FROM list_activity WHERE list IS NOT DISTINCT FROM $list
    GROUP BY year, author_id
),
firsts AS (SELECT author_id, min(year) AS first_year FROM activity GROUP BY author_id)
SELECT a.year, count(*) AS posters,
       count(*) FILTER (WHERE f.first_year = a.year) AS newcomers,
       sum(a.messages) AS messages
FROM activity a JOIN firsts f USING (author_id)
WHERE a.year BETWEEN CAST($from_year AS INTEGER) AND CAST($to_year AS INTEGER)
GROUP BY a.year
ORDER BY a.year;
