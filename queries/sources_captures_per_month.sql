-- Captures of the site per month (from the 14-digit capture time) and archive.
SELECT substr(timestamp, 1, 4) || '-' || substr(timestamp, 5, 2) AS month, archive,
       count(*) AS captures, count(DISTINCT url) AS addresses
FROM captures
WHERE length(timestamp) >= 6
GROUP BY ALL
ORDER BY month, archive;
