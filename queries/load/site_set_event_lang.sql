-- Set the language of one event that had none.
UPDATE events SET lang = $lang WHERE event_id = $item_id AND lang IS NULL;
