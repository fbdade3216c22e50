-- People with at least $min_messages messages (opted-out people left out): name, organisation, span.
-- @param list = bestbits | the list's name; empty means every list
-- @param min_messages = 5 | leave out people with fewer messages (privacy: no one-off posters)
SELECT coalesce(p.display_name, 'unnamed poster ' || right(p.author_id, 6)) AS person,
       coalesce(d.organisation, p.domain) AS organisation, d.sector,
       count(*) AS messages, min(m.sent_month) AS first_month, max(m.sent_month) AS last_month,
       count(DISTINCT m.thread_id) AS threads, p.n_addresses, p.merged_by, p.author_id
FROM messages m
JOIN people p USING (author_id)
LEFT JOIN domains d ON d.domain = p.domain
WHERE m.method = 'parsed' AND NOT p.opted_out AND (m.list = $list OR $list IS NULL)
GROUP BY ALL
HAVING count(*) >= CAST($min_messages AS INTEGER)
ORDER BY messages DESC, person;
