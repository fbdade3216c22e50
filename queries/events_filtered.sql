-- Events matching the Events page's filters (forum, year, kind, place), with sources.
-- @param forum: forum = | forum code; empty for all
-- @param year: integer = | year; empty for all
-- @param kind = | kind of event; empty for all
-- @param place = | country, or 'online / not stated'; empty for all
SELECT event_id,
       coalesce(strftime(start_date, '%Y-%m-%d'), start_month) AS start,
       coalesce(strftime(end_date, '%Y-%m-%d'), end_month) AS "end",
       start_year AS year, title, forum, kind, city,
       coalesce(country, 'online / not stated') AS country, venue, url, source_url,
       archived_url, archived_at, archived_match, method
FROM events
WHERE ($forum IS NULL OR forum = $forum)
  AND ($year IS NULL OR start_year = CAST($year AS INTEGER))
  AND ($kind IS NULL OR kind = $kind)
  AND ($place IS NULL OR coalesce(country, 'online / not stated') = $place)
ORDER BY coalesce(start_date, CAST(start_month || '-01' AS DATE)), event_id;
