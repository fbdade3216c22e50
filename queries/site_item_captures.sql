-- Every capture behind an event or statement parsed from the site, the preferred one first.
-- @param item_id = | one event_id or statement_id; empty for all
SELECT item_type, item_id, preferred, lang, timestamp, url, outcome, replay_url
FROM item_captures
WHERE $item_id IS NULL OR item_id = $item_id
ORDER BY item_type, item_id, preferred DESC, timestamp;
