-- The busiest threads of each year (by messages), with their first subject, posters and span.
-- @param list = bestbits | the list's name; empty means every list
-- @param top: integer = 10 | how many threads per year
-- @param from_year: integer = 2012 | the first year counted
-- @param to_year: integer = 2019 | the last year counted
WITH ranked AS (
    SELECT *, row_number() OVER (PARTITION BY year ORDER BY messages DESC, posters DESC,
                                 first_message, thread_id) AS rank
    FROM list_threads
    WHERE list IS NOT DISTINCT FROM $list
      AND year BETWEEN CAST($from_year AS INTEGER) AND CAST($to_year AS INTEGER)
)
SELECT year, rank, subject, messages, posters, first_message, last_message, first_url, thread_id
FROM ranked
WHERE rank <= CAST($top AS INTEGER)
ORDER BY year, rank;
