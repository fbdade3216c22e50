-- The text fields the forum rules read, one row per item, with the item's curated forum (if any).
SELECT 'event' AS item_type, event_id AS item_id, title, NULL AS addressee, NULL AS subject,
       CASE WHEN method = 'curated' THEN forum END AS curated_forum
FROM events
UNION ALL
SELECT 'statement', statement_id, title, addressee, NULL,
       CASE WHEN method = 'curated' THEN forum END
FROM statements
UNION ALL
SELECT 'message', message_id, NULL, NULL, subject, NULL
FROM messages
ORDER BY item_type, item_id;
