-- Curated events the parsed site pages are matched against (by address, title and date, or day, place and forum).
SELECT event_id, title, start_date, start_month AS date_month, end_date, end_month, start_time,
       end_time, venue, city, country, kind, forum, url, source_url,
       (SELECT count(*) FROM agenda_items a WHERE a.event_id = e.event_id) AS agenda_items
FROM events e
WHERE method = 'curated';
