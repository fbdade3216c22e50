-- The agenda of one event, in order, with times and moderators.
-- @param event_id = bb2014-istanbul | the event
SELECT position, day, start_time, end_time, title, moderators, source_url, archived_url, archived_at, archived_match,
       method
FROM agenda_items WHERE event_id = $event_id ORDER BY position;
