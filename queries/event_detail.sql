-- One event with everything known about it: dates (with their precision), place, links, notes.
-- @param event_id = bb2013-bali | the event
SELECT event_id, title,
       coalesce(strftime(start_date, '%Y-%m-%d'), start_month) AS start,
       coalesce(strftime(end_date, '%Y-%m-%d'), end_month) AS "end",
       CASE WHEN start_date IS NULL THEN 'month only' ELSE 'day' END AS date_precision,
       city, country, venue, forum, kind, organisers, url, notes, source_url, method
FROM events WHERE event_id = $event_id;
