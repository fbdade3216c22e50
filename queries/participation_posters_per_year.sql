-- Distinct posters per year, how many of them were new that year, and the year's messages.
-- @param list = bestbits | the list's name; empty means every list
WITH posts AS (
    SELECT author_id, year(sent_at) AS year
    FROM messages
    WHERE method = 'parsed' AND sent_at IS NOT NULL AND (list = $list OR $list IS NULL)
),
firsts AS (SELECT author_id, min(year) AS first_year FROM posts GROUP BY author_id)
SELECT p.year, count(DISTINCT p.author_id) AS posters,
       count(DISTINCT p.author_id) FILTER (WHERE f.first_year = p.year) AS newcomers,
       count(*) AS messages
FROM posts p JOIN firsts f USING (author_id)
GROUP BY p.year
ORDER BY p.year;
