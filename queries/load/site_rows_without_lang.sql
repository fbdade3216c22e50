-- Events and statements whose language no page told (curated rows without a capture): their address, title and text, for the detector.
SELECT 'event' AS item_type, event_id AS item_id, url, title, NULL AS text FROM events WHERE lang IS NULL
UNION ALL
SELECT 'statement', statement_id, url, title, left(text, 1000) FROM statements WHERE lang IS NULL;
