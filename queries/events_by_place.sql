-- Where the network met: events per country and city (online and unstated places shown as such).
-- @param forum: forum = | forum code; empty for all
SELECT coalesce(country, 'online / not stated') AS country, coalesce(city, '') AS city,
       count(*) AS events, string_agg(title, ' | ' ORDER BY start_year) AS titles
FROM events
WHERE $forum IS NULL OR forum = $forum
GROUP BY ALL
ORDER BY events DESC, country, city;
