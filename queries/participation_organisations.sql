-- Organisations (registrable sender domains, named where data/domains.csv knows them) by messages and by posters.
-- @param list = bestbits | the list's name; empty means every list
-- @param min_messages = 1 | leave out organisations with fewer messages
SELECT coalesce(d.organisation, m.domain) AS organisation, d.sector, m.domain,
       count(*) AS messages, count(DISTINCT m.author_id) AS posters,
       min(m.sent_month) AS first_month, max(m.sent_month) AS last_month
FROM messages m
LEFT JOIN domains d ON d.domain = m.domain
WHERE m.method = 'parsed' AND m.domain IS NOT NULL AND (m.list = $list OR $list IS NULL)
GROUP BY ALL
HAVING count(*) >= CAST($min_messages AS INTEGER)
ORDER BY messages DESC, posters DESC, organisation;
