-- The network's events with dates (as precise as the sources allow), place, forum and source.
-- @param forum: forum = | one forum code; empty for all
-- @param year: integer = | one year; empty for all
SELECT event_id,
       coalesce(strftime(start_date, '%Y-%m-%d'), start_month) AS start,
       coalesce(strftime(end_date, '%Y-%m-%d'), end_month) AS "end",
       CASE WHEN start_date IS NOT NULL THEN 'day' WHEN start_month IS NOT NULL THEN 'month' END
           AS date_precision,
       start_year AS year, title, forum, kind, city, country, venue, url, source_url,
       archived_url, archived_at, archived_match, method
FROM events
WHERE ($forum IS NULL OR forum = $forum)
  AND ($year IS NULL OR start_year = CAST($year AS INTEGER))
ORDER BY coalesce(start_date, CAST(start_month || '-01' AS DATE)), event_id;
