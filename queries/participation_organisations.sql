-- Organisations (registrable sender domains, named where data/domains.csv knows them) by messages and by posters.
-- @param list = bestbits | the list's name; empty means every list
-- @param from_year: integer = 2012 | the first year counted
-- @param to_year: integer = 2019 | the last year counted
-- @param min_messages: integer = 1 | leave out organisations with fewer messages
SELECT coalesce(d.organisation, a.domain) AS organisation, d.sector, a.domain,
       sum(a.messages) AS messages, count(DISTINCT a.author_id) AS posters,
       min(a.first_month) AS first_month, max(a.last_month) AS last_month
FROM list_activity a
LEFT JOIN domains d ON d.domain = a.domain
WHERE a.list IS NOT DISTINCT FROM $list AND a.domain IS NOT NULL
  AND a.year BETWEEN CAST($from_year AS INTEGER) AND CAST($to_year AS INTEGER)
GROUP BY ALL
HAVING sum(a.messages) >= CAST($min_messages AS INTEGER)
ORDER BY messages DESC, posters DESC, organisation;
