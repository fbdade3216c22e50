-- Messages per month on the mailing list (parsed archive only; the curated sample is not counted).
-- @param list = bestbits | the list's name; empty means every list
SELECT sent_month AS month, count(*) AS messages
FROM messages
WHERE method = 'parsed' AND sent_month IS NOT NULL
  AND (list = $list OR $list IS NULL)
GROUP BY sent_month
ORDER BY month;
