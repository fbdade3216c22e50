-- The curated sample of list messages (the list rows the build has before the archive is collected), each with its archived page.
-- @param month: month = | a month 'YYYY-MM'; empty means every month
SELECT coalesce(strftime(sent_at, '%Y-%m-%d %H:%M'), sent_month) AS sent, sent_month AS month,
       list, author_name AS author, subject, coalesce(url, source_url) AS source_url,
       archived_url, archived_at, archived_match
FROM messages
WHERE method = 'curated' AND ($month IS NULL OR sent_month = $month)
ORDER BY sent_at NULLS LAST, message_id;
