-- The list messages the database holds for one month (archive and curated sample), each with its archived source.
-- @param month: month = 2014-04 | the month 'YYYY-MM'
-- @param list = bestbits | the list's name; empty means every list
SELECT coalesce(strftime(sent_at, '%Y-%m-%d %H:%M'), sent_month) AS sent, method, list, subject,
       coalesce(url, source_url) AS source_url, archived_url, archived_at, archived_match
FROM messages
WHERE sent_month = $month AND (list = $list OR $list IS NULL)
ORDER BY sent_at NULLS LAST, message_id;
