-- One event with everything known about it: dates (with their precision), place, links (archived), notes.
-- @param event_id = bb2013-bali | the event
SELECT event_id, title,
       coalesce(strftime(start_date, '%Y-%m-%d'), start_month) AS start,
       coalesce(strftime(end_date, '%Y-%m-%d'), end_month) AS "end",
       CASE WHEN start_date IS NULL THEN 'month only' ELSE 'day' END AS date_precision,
       city, country, venue, forum, kind, organisers, url, notes, source_url, archived_url, archived_at, archived_match,
       archived_local, method,
       -- The capture of the event's own page the build read, when the site was collected.
       (SELECT c.replay_url FROM item_captures c WHERE c.item_type = 'event'
        AND c.item_id = $event_id AND c.preferred LIMIT 1) AS url_archived_url
FROM events WHERE event_id = $event_id;
