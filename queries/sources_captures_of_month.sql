-- The captures behind one month of sources_captures_per_month, each with an address to replay it.
-- @param month: month = 2014-04 | the month 'YYYY-MM'
-- @param archive = | one archive; empty means every archive
SELECT timestamp, url, status, mime, archive, replay_url
FROM captures
WHERE substr(timestamp, 1, 4) || '-' || substr(timestamp, 5, 2) = $month
  AND (archive = $archive OR $archive IS NULL)
ORDER BY timestamp, url;
