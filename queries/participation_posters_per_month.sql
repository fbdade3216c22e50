-- Distinct posters (merged people) per month, with the month's message count.
-- @param list = bestbits | the list's name; empty means every list
SELECT sent_month AS month, count(DISTINCT author_id) AS posters, count(*) AS messages
FROM messages
WHERE method = 'parsed' AND sent_month IS NOT NULL
  AND (list = $list OR $list IS NULL)
GROUP BY sent_month
ORDER BY month;
