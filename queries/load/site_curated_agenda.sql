-- The curated agenda of one event, in order: what a parsed agenda may refine.
SELECT position, day, start_time, end_time, title, moderators, source_url
FROM agenda_items
WHERE event_id = $event_id AND method = 'curated'
ORDER BY position;
