-- Curated events the parsed site pages are matched against (by address, or title and date).
SELECT event_id, title, start_date, start_month AS date_month, end_date, venue, city, country,
       kind, url,
       (SELECT count(*) FROM agenda_items a WHERE a.event_id = e.event_id) AS agenda_items
FROM events e
WHERE method = 'curated';
