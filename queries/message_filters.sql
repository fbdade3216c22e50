-- The lists and years of the collected messages (the Search page's filters).
SELECT DISTINCT list, CAST(left(sent_month, 4) AS INTEGER) AS year
FROM messages WHERE sent_month IS NOT NULL
ORDER BY list, year;
